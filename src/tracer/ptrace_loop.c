/*
 * ptrace_loop.c - following every descendant of the traced program.
 *
 * All tracees are seized (PTRACE_SEIZE, inherited by auto-attached
 * children), which gives PTRACE_EVENT_STOP for group-stops and PTRACE_LISTEN
 * to leave them stopped without swallowing the stop, so job control works
 * as untraced. Signal-delivery-stops re-inject their signal, so
 * Pool.terminate(), p.kill() and Ctrl-C reach the program unchanged.
 * Exit statuses come from waitpid; PTRACE_O_TRACEEXIT adds one stop per
 * exiting task, used only to read a process's memory before the kernel
 * frees it. A seccomp filter (seccomp.c) limits syscall stops to writes on
 * fd 1/2 and execs.
 *
 * Time: each status is stamped as waitpid returns it, not once per batch,
 * and a vfork child's exec is stamped no later than its parent's VFORK_DONE
 * stop: the kernel releases the parent as the child's exec replaces its
 * memory, before the child's exec stop, which can be reported after the
 * parent has run on (docs/tracer.md, "Time and causality").
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>

#include "tracer/procfs.h"
#include "tracer/seccomp.h"
#include "tracer/tracer_internal.h"

#define TRACER_PTRACE_OPTIONS                                                                      \
	(PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACEVFORKDONE |                      \
	 PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC | PTRACE_O_TRACEEXIT | PTRACE_O_TRACESECCOMP |   \
	 PTRACE_O_EXITKILL)

/* Statuses collected per wakeup before handling them (see handle_batch). */
#define BATCH_MAX 128

struct waited {
	int tid;
	int status;
	int64_t t; /* when waitpid returned it: the closest the tracer gets to the fact */
};

int ptrace_loop_seize(int pid)
{
	return (int)ptrace(PTRACE_SEIZE, pid, 0L, (long)TRACER_PTRACE_OPTIONS);
}

/* ESRCH from any request means the tracee was just killed: its exit status
 * follows through waitpid, so it is not an error here. */
static void resume(int tid, int sig)
{
	ptrace(PTRACE_CONT, tid, 0L, (long)sig);
}

static int event_of(int status)
{
	return (unsigned)status >> 16;
}

static bool is_fork_event(int status)
{
	int e = event_of(status);

	return WIFSTOPPED(status) &&
		(e == PTRACE_EVENT_FORK || e == PTRACE_EVENT_VFORK || e == PTRACE_EVENT_CLONE);
}

static void thread_count_changed(struct tracer *t, struct tproc *p, int delta, int64_t now)
{
	struct event ev = { .t = now, .pid = p->pid, .kind = EV_THREADS };

	p->thread_count += delta;
	if (p->thread_count < 1)
		p->thread_count = 1;
	if (p->is_exiting)
		return; /* the count at the exit stop is what it ended with */
	ev.u.threads.count = p->thread_count;
	record_event(t, &ev);
}

static void new_process_found(struct tracer *t, struct tproc *p)
{
	struct tproc *parent = record_find_proc(t, p->ppid);

	t->live_procs++;
	if (parent) {
		p->argv =
			parent->argv; /* a forked child runs its parent's program until it execs */
		p->exe = parent->exe;
	}
	if (t->o->max_procs && t->live_procs > t->o->max_procs && !t->is_killing) {
		t->res->stop = TRACER_STOPPED_MAX_PROCS;
		run_kill_all(t);
	}
}

/* Maps tid to its process. Out of memory ends the run, as in
 * record_add_proc: an unmapped task would be taken for a new one at its
 * next stop. */
static bool track_task(struct tracer *t, int tid, int pid)
{
	struct mp_err err;

	if (pidmap_put(&t->tasks, tid, pid) == 0)
		return true;
	mp_err_set(&err, "out of memory while tracking task %d", tid);
	record_failure(t, &err);
	return false;
}

/* A new process pid (child of ppid, 0 if untraced): recorded, not yet
 * snapshotted. NULL when out of memory. */
static struct tproc *track_process(struct tracer *t, int pid, int ppid, int64_t now)
{
	struct tproc *p = record_add_proc(t, pid, ppid, now);

	if (!p || !track_task(t, pid, pid))
		return NULL;
	new_process_found(t, p);
	memory_schedule(t, p, now);
	return p;
}

/* A process first seen by its own stop, before its parent's fork event:
 * recorded and snapshotted before it runs. */
static struct tproc *start_process(struct tracer *t, int pid, int ppid, int64_t now)
{
	struct tproc *p = track_process(t, pid, ppid, now);

	if (!p)
		return NULL;
	snapshot_new_child(t, p, false, now);
	if (t->is_killing)
		kill(pid, SIGKILL);
	return p;
}

/* tid is a new thread of process tgid: counted, not laned. */
static struct tproc *add_thread(struct tracer *t, int tid, int tgid, int64_t now)
{
	struct tproc *p = record_find_proc(t, tgid);

	if (!p || !track_task(t, tid, tgid))
		return p;
	thread_count_changed(t, p, +1, now);
	return p;
}

/* The task tid was never seen: a new thread or process. A child's first
 * stop can be reported before its parent's fork event. Returns the process
 * record, or NULL when the task is already gone. */
static struct tproc *adopt(struct tracer *t, int tid, int64_t now)
{
	struct procfs_status st;

	if (procfs_read_status("/proc", tid, &st, NULL) < 0)
		return NULL;
	if (st.tgid != tid)
		return add_thread(t, tid, st.tgid, now);
	return start_process(t, tid, record_find_proc(t, st.ppid) ? st.ppid : 0, now);
}

static struct tproc *process_of(struct tracer *t, int tid, int64_t now)
{
	int pid;

	if (pidmap_get(&t->tasks, tid, &pid))
		return record_find_proc(t, pid);
	return adopt(t, tid, now);
}

static enum fork_via via_of(int event)
{
	if (event == PTRACE_EVENT_VFORK)
		return VIA_VFORK;
	return event == PTRACE_EVENT_FORK ? VIA_FORK : VIA_CLONE;
}

static void emit_fork(struct tracer *t, int parent_pid, int child_pid, enum fork_via via,
		      int64_t when)
{
	struct event ev = { .t = when, .pid = parent_pid, .kind = EV_FORK };

	ev.u.fork.child = child_pid;
	ev.u.fork.via = via;
	record_event(t, &ev);
}

static void on_fork_event(struct tracer *t, int tid, int event, int64_t now)
{
	unsigned long msg = 0;
	struct tproc *parent = process_of(t, tid, now), *child;
	struct procfs_status st;
	int child_pid, known;
	int64_t when;
	bool is_table_read;

	if (!parent || ptrace(PTRACE_GETEVENTMSG, tid, 0L, &msg) < 0)
		return;
	child_pid = (int)msg;
	if (pidmap_get(&t->tasks, child_pid, &known)) {
		/* The child reported first and was adopted: its snapshot is
		 * stamped child->start, and the fork happened before it. */
		child = record_find_proc(t, known);
		if (known != child_pid || !child || child->has_fork_event)
			return; /* a thread, already counted */
		when = child->start < now ? (child->start > 0 ? child->start - 1 : 0) : now;
		child->has_fork_event = true;
		child->ppid = parent->pid;
		child->via = via_of(event);
		snapshot_parent_at_fork(t, parent, NULL, when);
		emit_fork(t, parent->pid, child_pid, child->via, when);
		return;
	}
	if (event == PTRACE_EVENT_CLONE) {
		/* clone makes threads too; only /proc tells which this is. */
		if (procfs_read_status("/proc", child_pid, &st, NULL) < 0)
			return; /* already gone: killed before it ran */
		if (st.tgid != child_pid) {
			/* Not adopt(): it would read the same status file again,
			 * once per thread the program starts. */
			add_thread(t, child_pid, st.tgid, now);
			return;
		}
	}
	child = track_process(t, child_pid, parent->pid, now);
	if (!child)
		return;
	child->has_fork_event = true;
	child->via = via_of(event);
	/* The parent's snapshot, then the fork, then the child's; both hold
	 * the table the child copied, read once while both are stopped: the
	 * parent's, through its cache, when no other thread of it can have
	 * changed it since the fork; else the child's, frozen at the fork. */
	if (parent->thread_count == 1 && snapshot_read_fds(t, parent) == 0) {
		child->fds = parent->fds;
		child->fd_count = parent->fd_count;
		is_table_read = true;
	} else {
		is_table_read = snapshot_read_fds(t, child) == 0;
	}
	snapshot_parent_at_fork(t, parent, is_table_read ? child : NULL, now);
	emit_fork(t, parent->pid, child_pid, child->via, now);
	snapshot_new_child(t, child, is_table_read, now);
	if (t->is_killing)
		kill(child_pid, SIGKILL);
}

/* A vfork child's exec or exit: no later than its parent's release. */
static int64_t vfork_child_stamp(struct tproc *p, int64_t now)
{
	int64_t done = p->vfork_done_at;

	p->vfork_done_at = 0;
	if (!done || done >= now)
		return now;
	return done > p->start ? done : p->start;
}

static void on_exec_event(struct tracer *t, int tid, int64_t now)
{
	unsigned long former = 0;
	struct tproc *p;
	struct event ev = { .kind = EV_EXEC };

	/* A non-leader thread that execs takes over the leader's pid. */
	if (ptrace(PTRACE_GETEVENTMSG, tid, 0L, &former) == 0 && (int)former != tid)
		pidmap_remove(&t->tasks, (int)former);
	p = process_of(t, tid, now);
	if (!p)
		return;
	if (!p->has_execed)
		now = vfork_child_stamp(p, now);
	ev.t = now;
	p->is_execing = false;
	memory_schedule(t, p, now);
	p->thread_count = 1;
	p->is_exiting = false; /* an exec by a non-leader thread stops the leader at exit */
	procfs_read_cmdline("/proc", p->pid, &t->tr->arena, &p->argv, NULL);
	procfs_read_exe("/proc", p->pid, &t->tr->arena, &p->exe, NULL);
	if (p->is_root && !p->has_execed) {
		/* mpscope's own child becoming the interpreter: that is where
		 * the program starts, not an exec worth showing. */
		struct event start = { .t = now, .pid = p->pid, .kind = EV_PROC_START };

		p->has_execed = true;
		record_event(t, &start);
		snapshot_take(t, p, FDS_AT_START, now);
		return;
	}
	p->has_execed = true;
	ev.pid = p->pid;
	ev.u.exec.path = p->exe;
	ev.u.exec.argv = p->argv;
	record_event(t, &ev);
	snapshot_after_exec(t, p, now);
}

static void on_seccomp_event(struct tracer *t, int tid, int64_t now)
{
	struct __ptrace_syscall_info info;
	struct tproc *p = process_of(t, tid, now);

	if (!p || ptrace(PTRACE_GET_SYSCALL_INFO, tid, (void *)sizeof(info), &info) <= 0 ||
	    info.op != PTRACE_SYSCALL_INFO_SECCOMP)
		return;
	/* From the execve stop to the exec event /proc may show either
	 * image; a write after it means that execve failed. */
	p->is_execing = info.seccomp.ret_data == SECCOMP_STOP_EXEC;
	if (info.seccomp.ret_data == SECCOMP_STOP_EXEC)
		snapshot_before_exec(t, p);
	else if (info.seccomp.ret_data == SECCOMP_STOP_OUTPUT)
		output_record(t, tid, p, info.seccomp.nr, info.seccomp.args, now);
}

static void on_task_exit(struct tracer *t, int tid, int status, int64_t now)
{
	int pid;
	struct tproc *p;
	struct event ev = { .t = now, .kind = EV_EXIT };

	if (!pidmap_get(&t->tasks, tid, &pid))
		return; /* died before its first stop */
	pidmap_remove(&t->tasks, tid);
	p = record_find_proc(t, pid);
	if (!p)
		return;
	if (pid != tid) {
		thread_count_changed(t, p, -1, now);
		return;
	}
	if (!p->has_execed)
		now = vfork_child_stamp(p, now);
	ev.t = now;
	p->has_exit = true;
	p->has_end = true;
	p->end = now;
	procfs_fd_cache_release(&p->fd_cache);
	if (t->live_procs > 0)
		t->live_procs--;
	p->exit.is_signal = WIFSIGNALED(status);
	p->exit.code = WIFEXITED(status) ? WEXITSTATUS(status) : 0;
	p->exit.signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
	p->exit.core_dumped = WIFSIGNALED(status) && WCOREDUMP(status);
	ev.pid = pid;
	ev.u.exit = p->exit;
	record_event(t, &ev);
	if (p->is_root) {
		t->res->has_exit = true;
		t->res->exit = p->exit;
	}
}

/* The parent of a vfork is released: its child has exec'd or exited. */
static void on_vfork_done(struct tracer *t, int tid, int64_t now)
{
	unsigned long msg = 0;
	struct tproc *child;

	if (ptrace(PTRACE_GETEVENTMSG, tid, 0L, &msg) < 0)
		return;
	child = record_find_proc(t, (int)msg);
	if (child && !child->has_execed && !child->has_exit)
		child->vfork_done_at = now;
}

/* Only the thread group leader's exit stop is the process ending (the
 * others are threads, or the exit that an exec forces on them). */
static void on_exit_stop(struct tracer *t, int tid, int64_t now)
{
	int pid;
	struct tproc *p;

	if (!pidmap_get(&t->tasks, tid, &pid) || pid != tid)
		return;
	p = record_find_proc(t, pid);
	if (p && !p->is_exiting)
		snapshot_at_exit(t, p, now);
}

static bool is_stop_signal(int sig)
{
	return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

static void handle(struct tracer *t, int tid, int status, int64_t now)
{
	int sig, event;

	if (WIFEXITED(status) || WIFSIGNALED(status)) {
		on_task_exit(t, tid, status, now);
		return;
	}
	if (!WIFSTOPPED(status))
		return;
	sig = WSTOPSIG(status);
	event = event_of(status);
	switch (event) {
	case PTRACE_EVENT_FORK:
	case PTRACE_EVENT_VFORK:
	case PTRACE_EVENT_CLONE:
		on_fork_event(t, tid, event, now);
		resume(tid, 0);
		return;
	case PTRACE_EVENT_EXEC:
		on_exec_event(t, tid, now);
		resume(tid, 0);
		return;
	case PTRACE_EVENT_EXIT:
		on_exit_stop(t, tid, now);
		resume(tid, 0);
		return;
	case PTRACE_EVENT_VFORK_DONE:
		on_vfork_done(t, tid, now);
		resume(tid, 0);
		return;
	case PTRACE_EVENT_SECCOMP:
		on_seccomp_event(t, tid, now);
		resume(tid, 0);
		return;
	case PTRACE_EVENT_STOP:
		process_of(t, tid, now);
		/* SIGTRAP: the attach stop of a new task. A stop signal: a
		 * group-stop; LISTEN keeps it stopped until SIGCONT, as untraced. */
		if (is_stop_signal(sig))
			ptrace(PTRACE_LISTEN, tid, 0L, 0L);
		else
			resume(tid, 0);
		return;
	default:
		/* A signal-delivery-stop: give the signal to the program. */
		process_of(t, tid, now);
		resume(tid, sig);
		return;
	}
}

/* Handles one batch of statuses: parents' fork events first, so a child
 * whose first stop arrived in the same batch is seen as a child of its
 * parent's fork rather than adopted cold. */
static void handle_batch(struct tracer *t, const struct waited *w, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (is_fork_event(w[i].status))
			handle(t, w[i].tid, w[i].status, w[i].t);
	for (size_t i = 0; i < n; i++)
		if (!is_fork_event(w[i].status))
			handle(t, w[i].tid, w[i].status, w[i].t);
}

int ptrace_loop_run(struct tracer *t, struct mp_err *err)
{
	struct waited batch[BATCH_MAX];

	for (;;) {
		size_t n = 0;
		int status;
		pid_t tid;

		run_check_stop(t);
		memory_sample_due(t);
		tid = waitpid(-1, &status, __WALL);
		if (tid < 0 && errno == EINTR)
			continue;
		if (tid < 0 && errno == ECHILD)
			return 0;
		if (tid < 0) {
			mp_err_set(err, "waiting for the traced program failed: %s",
				   strerror(errno));
			run_kill_all(t);
			return -1;
		}
		batch[n++] = (struct waited){ tid, status, run_now(t) };
		/* Drain what is already pending before acting on any of it. */
		while (n < BATCH_MAX && (tid = waitpid(-1, &status, __WALL | WNOHANG)) > 0)
			batch[n++] = (struct waited){ tid, status, run_now(t) };
		handle_batch(t, batch, n);
		if (t->has_fatal && !t->is_killing)
			run_kill_all(t);
	}
}

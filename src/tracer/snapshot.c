/*
 * snapshot.c - what a process holds at its start, at each fork (parent and
 * child), around each exec and when it exits, read from /proc while it is
 * stopped.
 *
 * Emits `fds`, `threads` and `memory` events (memory through memory.c, never
 * right after an exec), and the `fds.pass` events that make inheritance
 * visible: at fork (what the child got) and at exec (what survived, and what
 * close-on-exec dropped). Only these moments are read, so the cost grows with
 * forks and execs; memory.c adds a bounded number of samples per process.
 */
#include <string.h>

#include "tracer/procfs.h"
#include "tracer/tracer_internal.h"

#define PROC_ROOT "/proc"

static void emit_threads(struct tracer *t, struct tproc *p, int count, int64_t now)
{
	struct event ev = { .t = now, .pid = p->pid, .kind = EV_THREADS };

	p->thread_count = count;
	ev.u.threads.count = count;
	record_event(t, &ev);
}

int snapshot_read_fds(struct tracer *t, struct tproc *p)
{
	struct fd_entry *fds;
	size_t count;

	/* Any failure here means the process died under us (SIGKILL): its
	 * exit is reported by waitpid, nothing else to record. */
	if (procfs_read_fds_cached(PROC_ROOT, p->pid, &p->fd_cache, &t->tr->arena, &fds, &count,
				   NULL) < 0)
		return -1;
	p->fds = fds;
	p->fd_count = count;
	return 0;
}

/* p's table in p->fds as an `fds` event. */
static void emit_fds(struct tracer *t, const struct tproc *p, enum fds_at at, int64_t now)
{
	struct event ev = { .t = now, .pid = p->pid, .kind = EV_FDS };

	ev.u.fds.at = at;
	ev.u.fds.fds = p->fds;
	ev.u.fds.fd_count = p->fd_count;
	record_event(t, &ev);
}

int snapshot_take(struct tracer *t, struct tproc *p, enum fds_at at, int64_t now)
{
	struct procfs_status st;

	if (snapshot_read_fds(t, p) < 0)
		return -1;
	emit_fds(t, p, at, now);
	if (procfs_read_status(PROC_ROOT, p->pid, &st, NULL) == 0)
		emit_threads(t, p, st.threads, now);
	/* No memory: right after an exec the new image is barely loaded. */
	return 0;
}

void snapshot_parent_at_fork(struct tracer *t, struct tproc *parent, const struct tproc *child,
			     int64_t when)
{
	/* Fork copies the table, so the child's, read a moment ago while
	 * both were stopped, is the parent's too: one /proc walk per fork,
	 * not two. The thread count is the tracer's own (it sees every
	 * clone), the number the fork-in-a-threaded-process hazard is about. */
	if (child) {
		parent->fds = child->fds;
		parent->fd_count = child->fd_count;
	} else if (snapshot_read_fds(t, parent) < 0) {
		return;
	}
	emit_fds(t, parent, FDS_AT_FORK, when);
	emit_threads(t, parent, parent->thread_count, when);
	memory_sample(t, parent, MEM_AT_FORK, when);
}

void snapshot_at_exit(struct tracer *t, struct tproc *p, int64_t now)
{
	/* PTRACE_EVENT_EXIT comes before the kernel frees the memory map, so
	 * this is the process's real size, not the 16 kB of a fresh exec.
	 * Threads still alive now die with the process: their exits are not
	 * counted down afterwards (see p->is_exiting). */
	p->is_exiting = true;
	emit_threads(t, p, p->thread_count, now);
	memory_sample(t, p, MEM_AT_EXIT, now);
}

void snapshot_new_child(struct tracer *t, struct tproc *child, bool is_table_read, int64_t now)
{
	struct event ev = { .t = now, .pid = child->pid, .kind = EV_PROC_START };

	record_event(t, &ev);
	if (!is_table_read && snapshot_read_fds(t, child) < 0)
		return;
	emit_fds(t, child, FDS_AT_FORK, now);
	/* A new process has one thread: fork copies only the calling one. */
	emit_threads(t, child, 1, now);
	memory_sample_new_child(t, child, now);
	if (!record_find_proc(t, child->ppid))
		return;
	ev = (struct event){ .t = now, .pid = child->ppid, .kind = EV_FDS_PASS };
	ev.u.fds_pass.via = PASS_FORK;
	ev.u.fds_pass.to = child->pid;
	ev.u.fds_pass.fds = child->fds;
	ev.u.fds_pass.fd_count = child->fd_count;
	ev.u.fds_pass.pickle_seq = -1;
	record_event(t, &ev);
}

void snapshot_before_exec(struct tracer *t, struct tproc *p)
{
	/* Tables read at fork can be stale by now: a vfork child (spawn in
	 * 3.11) dup2()s and closes descriptors right before its exec. */
	snapshot_read_fds(t, p);
}

void snapshot_after_exec(struct tracer *t, struct tproc *p, int64_t now)
{
	const struct fd_entry *before = p->fds;
	size_t before_count = p->fd_count, closed_count = 0;
	struct fd_entry *closed;
	struct event ev = { .t = now, .pid = p->pid, .kind = EV_FDS_PASS };

	if (snapshot_take(t, p, FDS_AT_EXEC, now) < 0)
		return;
	closed = before_count ? trace_alloc(t->tr, before_count * sizeof(*closed)) : NULL;
	if (before_count && !closed) {
		struct mp_err err;

		mp_err_set(&err, "out of memory while recording an exec");
		record_failure(t, &err);
		return;
	}
	for (size_t i = 0; i < before_count; i++)
		if (!trace_fd_find(p->fds, p->fd_count, before[i].fd))
			closed[closed_count++] = before[i];
	ev.u.fds_pass.via = PASS_EXEC;
	ev.u.fds_pass.to = p->pid;
	ev.u.fds_pass.fds = p->fds;
	ev.u.fds_pass.fd_count = p->fd_count;
	ev.u.fds_pass.closed = closed_count ? closed : NULL;
	ev.u.fds_pass.closed_count = closed_count;
	ev.u.fds_pass.pickle_seq = -1;
	record_event(t, &ev);
}

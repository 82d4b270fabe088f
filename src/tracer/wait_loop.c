/*
 * wait_loop.c - the run without ptrace (refused in a container, or
 * --no-ptrace): the probe reports the processes; this loop only waits.
 *
 * mpscope is a child subreaper during the run, so every orphaned descendant
 * becomes its child and waitpid(-1) returns until the whole tree is gone.
 * To stop a run it kills every descendant it finds in /proc (it has no
 * list of its own), repeating until waitpid says there are none. If
 * waitpid fails, it kills them once and returns: run.c records why.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tracer/procfs.h"
#include "tracer/tracer_internal.h"

static bool kill_if_descendant(int pid, void *ctx)
{
	int self = *(int *)ctx;

	if (pid != self && procfs_is_descendant("/proc", pid, self))
		kill(pid, SIGKILL);
	return true;
}

static void kill_descendants(void)
{
	int self = getpid();

	procfs_for_each_pid("/proc", kill_if_descendant, &self, NULL);
}

static void record_exit(struct tracer *t, int pid, int status, int64_t now)
{
	struct tproc *p = record_find_proc(t, pid);
	struct event ev = { .t = now, .pid = pid, .kind = EV_EXIT };

	if (!p)
		p = record_add_proc(t, pid, 0, 0);
	if (!p)
		return;
	p->has_exit = true;
	p->has_end = true;
	p->end = now;
	p->exit.is_signal = WIFSIGNALED(status);
	p->exit.code = WIFEXITED(status) ? WEXITSTATUS(status) : 0;
	p->exit.signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
	p->exit.core_dumped = WIFSIGNALED(status) && WCOREDUMP(status);
	ev.u.exit = p->exit;
	record_event(t, &ev);
	if (p->is_root) {
		t->res->has_exit = true;
		t->res->exit = p->exit;
	}
}

int wait_loop_run(struct tracer *t, struct mp_err *err)
{
	struct event start = { .t = 0, .pid = t->root_pid, .kind = EV_PROC_START };

	record_event(t, &start);
	for (;;) {
		int status;
		pid_t pid;

		run_check_stop(t);
		if (t->is_killing)
			kill_descendants();
		pid = waitpid(-1, &status, 0);
		if (pid < 0 && errno == EINTR)
			continue;
		if (pid < 0 && errno == ECHILD)
			return 0;
		if (pid < 0) {
			/* Nothing can be reaped any more: end the program rather
			 * than leave it running unwatched. */
			mp_err_set(err, "waiting for the traced program failed: %s",
				   strerror(errno));
			kill_descendants();
			return -1;
		}
		if (WIFEXITED(status) || WIFSIGNALED(status))
			record_exit(t, pid, status, run_now(t));
	}
}

/*
 * run.c - tracer_run: one traced run from launch to a finished trace; the
 * run's clock, and stopping it.
 *
 * Stopping: SIGINT/SIGTERM/SIGHUP to mpscope, --timeout and --max-procs all
 * end in SIGKILL to every tracee and a partial trace. A terminal's Ctrl-C
 * reaches the program too (same process group), so SIGINT first gives it a
 * second to end as it would untraced. The handlers only set flags; a 100 ms
 * interval timer interrupts waitpid() so the loop looks at them, which also
 * closes the race of a signal arriving just before waitpid() blocks.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>

#include "tracer/probe_server.h"
#include "tracer/tracer_internal.h"

#define NS_PER_SEC 1000000000LL
#define SIGINT_GRACE_NS (NS_PER_SEC)
#define TICK_US 100000

/* Why the loop is asked to end early, set by the signal handlers. */
static struct {
	volatile sig_atomic_t got_signal; /* the latest SIGINT/SIGTERM/SIGHUP, or 0 */
	volatile sig_atomic_t signal_count; /* how many arrived during this run */
} stop_flags;

static int64_t monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * NS_PER_SEC + ts.tv_nsec;
}

int64_t run_now(const struct tracer *t)
{
	int64_t d = monotonic_ns() - t->t0;

	return d > 0 ? d : 0;
}

void run_kill_all(struct tracer *t)
{
	t->is_killing = true;
	for (size_t i = 0; i < t->proc_count; i++)
		if (!t->procs[i]->has_exit)
			kill(t->procs[i]->pid, SIGKILL);
}

void run_check_stop(struct tracer *t)
{
	int sig = stop_flags.got_signal, count = stop_flags.signal_count;
	int64_t now;

	if (t->is_killing)
		return;
	now = run_now(t);
	if (count > t->signals_seen) {
		/* The first SIGINT waits out the grace; any signal after it,
		 * or a SIGTERM/SIGHUP, kills at once. */
		bool is_first = t->signals_seen == 0;

		t->signals_seen = count;
		t->res->stop = TRACER_STOPPED_SIGNAL;
		t->res->stop_signal = sig;
		t->kill_at = is_first && sig == SIGINT ? now + SIGINT_GRACE_NS : now;
	}
	if (t->deadline && now >= t->deadline && t->res->stop == TRACER_RAN_TO_END) {
		t->res->stop = TRACER_STOPPED_TIMEOUT;
		t->kill_at = now;
	}
	if (t->kill_at && now >= t->kill_at) {
		if (t->is_traced)
			run_kill_all(t);
		else
			t->is_killing = true; /* wait_loop kills by walking /proc */
	}
}

static void on_stop_signal(int sig)
{
	stop_flags.got_signal = sig;
	stop_flags.signal_count++;
}

/* Its only job is to interrupt waitpid() (EINTR). */
static void on_tick(int sig)
{
	(void)sig;
}

struct saved_signals {
	struct sigaction old[4];
	struct itimerval old_timer;
};

static const int handled_signals[4] = { SIGINT, SIGTERM, SIGHUP, SIGALRM };

static void signals_install(struct saved_signals *saved)
{
	struct itimerval tick = { .it_interval = { 0, TICK_US }, .it_value = { 0, TICK_US } };

	stop_flags.got_signal = 0;
	stop_flags.signal_count = 0;
	for (int i = 0; i < 4; i++) {
		/* No SA_RESTART: waitpid() must return EINTR. */
		struct sigaction sa = { .sa_handler = handled_signals[i] == SIGALRM
						? on_tick
						: on_stop_signal };

		sigemptyset(&sa.sa_mask);
		sigaction(handled_signals[i], &sa, &saved->old[i]);
	}
	setitimer(ITIMER_REAL, &tick, &saved->old_timer);
}

static void signals_restore(struct saved_signals *saved)
{
	setitimer(ITIMER_REAL, &saved->old_timer, NULL);
	for (int i = 0; i < 4; i++)
		sigaction(handled_signals[i], &saved->old[i], NULL);
}

/* The loop could not wait any longer, so the processes were killed before
 * their exits were seen: the run says why, and so does the trace, which
 * would otherwise look complete. */
static void stop_on_wait_failure(struct tracer *t, const struct mp_err *why)
{
	struct event ev = { .t = run_now(t), .pid = t->root_pid, .kind = EV_ERROR };
	char text[MP_ERR_MAX + 64];
	struct mp_err err;

	t->res->stop = TRACER_STOPPED_WAIT_FAILED;
	t->res->wait_failure = *why;
	snprintf(text, sizeof(text), "mpscope: %s; the program was killed and the trace ends here",
		 why->msg);
	ev.u.error.message = trace_strdup(t->tr, text);
	if (!ev.u.error.message) {
		mp_err_set(&err, "out of memory while recording that %s", why->msg);
		record_failure(t, &err);
		return;
	}
	record_event(t, &ev);
}

static int run_loops(struct tracer *t, struct probe_server *ps, struct mp_err *err)
{
	struct saved_signals saved;
	struct mp_err wait_err;
	struct tproc *root;
	int rc;

	t->t0 = monotonic_ns();
	if (t->o->timeout_s)
		t->deadline = (int64_t)t->o->timeout_s * NS_PER_SEC;
	if (launch_program(t, ps ? ps->path : "", err) < 0) {
		if (t->root_pid > 0)
			waitpid(t->root_pid, NULL, __WALL);
		return -1;
	}
	root = record_add_proc(t, t->root_pid, 0, 0);
	if (!root || pidmap_put(&t->tasks, t->root_pid, t->root_pid) < 0) {
		kill(t->root_pid, SIGKILL);
		waitpid(t->root_pid, NULL, __WALL);
		return mp_err_set(err, "out of memory while starting the program");
	}
	root->is_root = true;
	root->role = ROLE_MAIN;
	root->argv = t->launch_argv; /* until /proc shows it after the exec */
	root->exe = t->o->python->exe;
	t->live_procs = 1;
	signals_install(&saved);
	if (t->is_traced)
		rc = ptrace_loop_run(t, &wait_err);
	else
		rc = wait_loop_run(t, &wait_err);
	signals_restore(&saved);
	if (rc < 0)
		stop_on_wait_failure(t, &wait_err);
	return 0;
}

/* fdinfo files the fd caches may keep open: half of what mpscope may open,
 * the rest left for its own files, sockets and the probe's connections. */
static size_t fdinfo_budget(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur == RLIM_INFINITY)
		return 512;
	return rl.rlim_cur / 2 < 4096 ? (size_t)(rl.rlim_cur / 2) : 4096;
}

int tracer_run(const struct tracer_opts *o, struct trace *tr, struct tracer_result *res,
	       struct mp_err *err)
{
	struct tracer t = { .o = o, .tr = tr, .res = res, .fdinfo_files = fdinfo_budget() };
	struct probe_server ps;
	bool has_probe = o->probe_dir != NULL;
	int rc = -1, was_subreaper = 0;

	memset(res, 0, sizeof(*res));
	arena_init(&t.proc_arena);
	pidmap_init(&t.proc_index);
	pidmap_init(&t.tasks);
	if (has_probe && probe_server_start(&ps, err) < 0)
		return -1;
	/* Orphaned descendants (a daemon's grandchild) are re-parented to
	 * mpscope, so they stay traced, reaped and killable. */
	prctl(PR_GET_CHILD_SUBREAPER, &was_subreaper);
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	if (run_loops(&t, has_probe ? &ps : NULL, err) < 0)
		goto out;
	if (has_probe && probe_server_stop(&ps, err) < 0)
		goto out;
	if (t.has_fatal) {
		*err = t.fatal;
		goto out;
	}
	if (has_probe && merge_probe_messages(&t, &ps, err) < 0)
		goto out;
	if (has_probe)
		memory_add_start_samples(&t, &ps);
	causality_repair(&t);
	rc = finish_trace(&t, err);
out:
	prctl(PR_SET_CHILD_SUBREAPER, was_subreaper);
	if (has_probe)
		probe_server_release(&ps);
	pidmap_release(&t.proc_index);
	pidmap_release(&t.tasks);
	for (size_t i = 0; i < t.proc_count; i++)
		procfs_fd_cache_release(&t.procs[i]->fd_cache);
	free(t.procs);
	arena_release(&t.proc_arena);
	return rc;
}

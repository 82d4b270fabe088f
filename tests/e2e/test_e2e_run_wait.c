/*
 * test_e2e_run_wait.c - `mpscope run` when waiting for the program fails:
 * the program is killed, the partial trace is still written and says why
 * it ends, and the command exits 1 with one sentence on stderr.
 *
 * waitpid is defined in this file: for every caller linked into this binary
 * (src/tracer/ptrace_loop.c and wait_loop.c among them) it replaces libc's.
 * It passes every call through to wait4, except that once armed, a blocking
 * waitpid(-1, ...) fails with EINVAL after the program has run a while.
 * cmd_run runs in this process, on tests/programs/hang.py (which never ends).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#include "cli/commands.h"
#include "cli/paths.h"
#include "run_support.h"

/* Long enough for the program to start and its probe to report. */
#define FAIL_AFTER_NS 800000000LL

static bool is_armed;
static int64_t first_wait; /* the first armed waitpid(-1): 0 before it */

static int64_t monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

pid_t waitpid(pid_t pid, int *status, int options)
{
	if (is_armed && pid == -1 && !(options & WNOHANG)) {
		if (!first_wait)
			first_wait = monotonic_ns();
		if (monotonic_ns() - first_wait >= FAIL_AFTER_NS) {
			errno = EINVAL;
			return -1;
		}
	}
	return (pid_t)syscall(SYS_wait4, pid, status, options, NULL);
}

/* Runs `mpscope run --no-ui OPTS -o PATH tests/programs/hang.py` in this
 * process with waitpid armed; returns its status and what it printed on
 * stderr (malloc'd). */
static int run_failing(char *opts, const char *path, char **err_text)
{
	char *argv[8] = { "run", "--no-ui", "-o", (char *)path };
	int argc = 4, saved, fd, rc;
	char err_path[] = "/tmp/mpscope-e2e-wait-XXXXXX";
	size_t len;

	if (opts)
		argv[argc++] = opts;
	argv[argc++] = "tests/programs/hang.py";
	fd = mkstemp(err_path);
	assert_true(fd >= 0);
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	dup2(fd, STDERR_FILENO);
	is_armed = true;
	first_wait = 0;
	rc = cmd_run(argc, argv);
	is_armed = false;
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	close(fd);
	*err_text = support_read_file(err_path, &len);
	unlink(err_path);
	assert_non_null(*err_text);
	return rc;
}

/* Reaps what the failed run killed but could not wait for: each must have
 * died of SIGKILL. A tracee killed under ptrace first stops as it exits
 * (PTRACE_O_TRACEEXIT) and waits for its tracer, this process. The test
 * process is a subreaper (main), so the root's children, orphaned when it
 * dies, come back to it rather than to init. */
static void reap_killed(void)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, __WALL)) > 0) {
		if (WIFSTOPPED(status)) {
			ptrace(PTRACE_CONT, pid, 0L, 0L);
			continue;
		}
		if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL)
			fail_msg("process %d ended with status 0x%x, not killed", (int)pid, status);
	}
}

static void assert_trace_says_why(const char *path, bool has_ptrace)
{
	const char *want = "mpscope: waiting for the traced program failed: Invalid argument; "
			   "the program was killed and the trace ends here";
	struct trace tr;
	struct mp_err err;
	const struct event *why = NULL;

	trace_init(&tr);
	if (trace_json_load(path, &tr, &err) < 0)
		fail_msg("no valid trace was written: %s", err.msg);
	for (size_t i = 0; i < tr.event_count; i++)
		if (tr.events[i].kind == EV_ERROR)
			why = &tr.events[i];
	assert_non_null(why);
	assert_string_equal(why->u.error.message, want);
	assert_int_equal(why->pid, trace_root(&tr)->pid);
	assert_int_equal(tr.meta.has_ptrace, has_ptrace);
	/* stamped when the wait failed, after the program had run a while */
	assert_true(why->t >= FAIL_AFTER_NS);
	reap_killed();
	assert_none_left(&tr);
	trace_release(&tr);
	unlink(path);
}

static void probe_only_run_keeps_the_trace_and_says_why(void **state)
{
	const char *want = "mpscope: waiting for the traced program failed: Invalid argument; the "
			   "program was killed and the trace so far is kept\n";
	char path[64], *err_text;

	(void)state;
	snprintf(path, sizeof(path), "/tmp/mpscope-e2e-wait-%d.json", (int)getpid());
	assert_int_equal(run_failing("--no-ptrace", path, &err_text), 1);
	if (!strstr(err_text, want))
		fail_msg("stderr lacks the sentence; it was:\n%s", err_text);
	free(err_text);
	assert_trace_says_why(path, false);
}

static void traced_run_keeps_the_trace_and_says_why(void **state)
{
	const char *want = "; the program was killed and the trace so far is kept\n";
	char path[64], *err_text;
	struct trace tr;
	struct mp_err err;
	bool has_ptrace;

	(void)state;
	snprintf(path, sizeof(path), "/tmp/mpscope-e2e-wait-%d.json", (int)getpid());
	assert_int_equal(run_failing(NULL, path, &err_text), 1);
	if (!strstr(err_text, want))
		fail_msg("stderr lacks the sentence; it was:\n%s", err_text);
	free(err_text);
	/* where ptrace is refused the run is probe-only: the same failure */
	trace_init(&tr);
	assert_int_equal(trace_json_load(path, &tr, &err), 0);
	has_ptrace = tr.meta.has_ptrace;
	trace_release(&tr);
	assert_trace_says_why(path, has_ptrace);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(probe_only_run_keeps_the_trace_and_says_why),
		cmocka_unit_test(traced_run_keeps_the_trace_and_says_why),
	};

	(void)argc;
	paths_init(argv[0]);
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	return cmocka_run_group_tests_name("e2e_run_wait", tests, NULL, NULL);
}

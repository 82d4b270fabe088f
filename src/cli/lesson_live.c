/*
 * lesson_live.c - recording a lesson's traces now (lesson_live.h). Each
 * key is one run in a child process: its standard streams are a fresh
 * pseudo-terminal that this process reads and throws away, so the program
 * prints as it would at a terminal (line by line, as the recorded traces
 * were made) while the lesson screen stays untouched, and it starts with
 * no descriptor but those three. The child resolves the interpreter, runs
 * the tracer, saves the trace to a temporary file, and says in one line
 * on a pipe how it went; the parent reads the trace back and removes the
 * file.
 */
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/lesson_live.h"
#include "cli/paths.h"
#include "json/trace_json.h"
#include "tracer/tracer.h"

#define LIVE_PATH_LEN 4096
#define LIVE_MSG_LEN 1024
/* The pipe the child reports on, after its standard streams. */
#define REPORT_FD 3

/* The newest pyenv CPython of version "3.11": versions/3.11.*, compared
 * as versions (3.11.10 after 3.11.9). False when there is none. */
static bool pyenv_python(const char *version, char *out, size_t len)
{
	const char *root = getenv("PYENV_ROOT"), *home = getenv("HOME");
	char pattern[LIVE_PATH_LEN];
	const char *best = NULL;
	glob_t g;

	if (root && *root)
		snprintf(pattern, sizeof(pattern), "%s/versions/%s.*/bin/python3", root, version);
	else
		snprintf(pattern, sizeof(pattern), "%s/.pyenv/versions/%s.*/bin/python3",
			 home ? home : "/root", version);
	if (glob(pattern, 0, NULL, &g) != 0)
		return false;
	for (size_t i = 0; i < g.gl_pathc; i++)
		if (!best || strverscmp(g.gl_pathv[i], best) > 0)
			best = g.gl_pathv[i];
	snprintf(out, len, "%s", best);
	globfree(&g);
	return true;
}

/* The interpreter and -m of key k. */
static void plan_key(const struct lesson *l, size_t k, const char *python, char *py, size_t len,
		     const char **method)
{
	const char *key = l->keys.items[k];

	if (strncmp(key, "python", 6) == 0) {
		if (!pyenv_python(key + 6, py, len))
			snprintf(py, len, "%s", key);
		key = l->methods.items[0];
	} else {
		snprintf(py, len, "%s", python ? python : "python3");
	}
	*method = strcmp(key, "default") == 0 ? NULL : key;
}

/* ---- the child ---- */

static void report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void report(const char *fmt, ...)
{
	char line[LIVE_MSG_LEN];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n > 0)
		(void)!write(REPORT_FD, line,
			     (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
}

/* The child's way out when nothing is recorded: the temporary file goes
 * too, since a parent stopped by Ctrl-C will not remove it. */
__attribute__((noreturn)) static void child_fail(const char *out)
{
	unlink(out);
	_exit(1);
}

/* Runs in the child with its streams on the pty: never returns. */
static void child_record(const char *py_name, const char *method, const char *script,
			 const char *out)
{
	static struct tracer_python py;
	struct tracer_opts o = { .python = &py,
				 .script = script,
				 .method = method,
				 .payload_cap = TRACER_DEFAULT_PAYLOAD_CAP,
				 .keep_first = TRACER_DEFAULT_KEEP_FIRST,
				 .timeout_s = LESSON_LIVE_TIMEOUT_S,
				 .max_procs = TRACER_DEFAULT_MAX_PROCS,
				 .use_ptrace = true };
	struct tracer_result res;
	struct trace tr;
	struct mp_err err;

	if (tracer_resolve_python(py_name, &py, &err) < 0) {
		report("no CPython 3.8 or later to run it live (%s)", err.msg);
		child_fail(out);
	}
	if (!tracer_python_has_probe_support(&py)) {
		report("'%s' is Python %s, and a live run needs CPython 3.8 or later", py_name,
		       py.version);
		child_fail(out);
	}
	o.probe_dir = paths_probe_dir();
	trace_init(&tr);
	if (tracer_run(&o, &tr, &res, &err) < 0) {
		report("the live %s run failed: %s", method ? method : "default", err.msg);
		child_fail(out);
	}
	if (res.stop != TRACER_RAN_TO_END) {
		report("the live %s run was stopped before its end (it may take at most %d s)",
		       method ? method : "default", LESSON_LIVE_TIMEOUT_S);
		child_fail(out);
	}
	if (trace_json_save(out, &tr, &err) < 0) {
		report("the live run could not be kept: %s", err.msg);
		child_fail(out);
	}
	report("ok %s", py.version);
	_exit(0);
}

/* In the child: the pty as its standard streams, the report pipe as fd
 * 3, nothing else; the screen's signal handlers, which would restore the
 * terminal from here, back to the defaults. */
static void child_setup(const char *pty, int report_fd)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGSEGV,
				    SIGBUS, SIGFPE,  SIGILL, SIGABRT };
	int fd;

	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		signal(sigs[i], SIG_DFL);
	fd = open(pty, O_RDWR | O_NOCTTY);
	if (fd < 0)
		_exit(1);
	for (int i = 0; i < 3; i++)
		if (dup2(fd, i) < 0)
			_exit(1);
	if (fd > 2)
		close(fd);
	/* The pipe keeps its close-on-exec: the program never sees it. */
	if (report_fd != REPORT_FD && dup3(report_fd, REPORT_FD, O_CLOEXEC) < 0)
		_exit(1);
	for (int i = REPORT_FD + 1; i < 1024; i++)
		close(i);
}

/* ---- the parent ---- */

/* Reads the report, throwing away what the program printed, until the
 * child closes the pipe (it exits). */
static void drain(int pty, int pipe_fd, char *msg, size_t cap)
{
	size_t len = 0;
	bool is_pty_open = true;

	msg[0] = '\0';
	for (;;) {
		struct pollfd pfd[2] = { { .fd = pipe_fd, .events = POLLIN },
					 { .fd = is_pty_open ? pty : -1, .events = POLLIN } };
		char buf[4096];
		ssize_t n;

		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		if (pfd[1].revents & (POLLIN | POLLHUP | POLLERR)) {
			/* EIO once no process has the terminal open any more. */
			if (read(pty, buf, sizeof(buf)) <= 0)
				is_pty_open = false;
		}
		if (pfd[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			n = read(pipe_fd, buf, sizeof(buf));
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				return;
			if (len + (size_t)n >= cap)
				n = (ssize_t)(cap - 1 - len);
			memcpy(msg + len, buf, (size_t)n);
			len += (size_t)n;
			msg[len] = '\0';
		}
	}
}

/* One run into tr. 0 with version set, or -1 with err. */
static int record_key(const char *py_name, const char *method, const char *script, struct trace *tr,
		      char *version, size_t version_len, struct mp_err *err)
{
	char out[LIVE_PATH_LEN], pty[256], msg[LIVE_MSG_LEN];
	const char *tmp = getenv("TMPDIR");
	int master = -1, pipefd[2] = { -1, -1 }, fd, status, rc = -1;
	pid_t pid;

	snprintf(out, sizeof(out), "%s/mpscope-lesson-XXXXXX.json", tmp && *tmp ? tmp : "/tmp");
	fd = mkstemps(out, 5);
	if (fd < 0)
		return mp_err_set(err, "cannot make a temporary file for the live run: %s",
				  strerror(errno));
	close(fd);
	master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0 ||
	    ptsname_r(master, pty, sizeof(pty)) != 0 || pipe2(pipefd, O_CLOEXEC) < 0) {
		mp_err_set(err, "cannot make a terminal for the live run: %s", strerror(errno));
		goto out;
	}
	pid = fork();
	if (pid < 0) {
		mp_err_set(err, "cannot start the live run: %s", strerror(errno));
		goto out;
	}
	if (pid == 0) {
		child_setup(pty, pipefd[1]);
		child_record(py_name, method, script, out);
	}
	close(pipefd[1]);
	pipefd[1] = -1;
	drain(master, pipefd[0], msg, sizeof(msg));
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (strncmp(msg, "ok ", 3) != 0) {
		mp_err_set(err, "%s", msg[0] ? msg : "the live run ended without a word");
		goto out;
	}
	/* "ok 3.11.7": the version, cut to the caller's room. */
	msg[3 + strcspn(msg + 3, "\n")] = '\0';
	if (strlen(msg + 3) >= version_len)
		msg[3 + version_len - 1] = '\0';
	memcpy(version, msg + 3, strlen(msg + 3) + 1);
	rc = trace_json_load(out, tr, err);
out:
	if (master >= 0)
		close(master);
	for (int i = 0; i < 2; i++)
		if (pipefd[i] >= 0)
			close(pipefd[i]);
	unlink(out);
	return rc;
}

int lesson_live_record(const struct lesson *l, const char *lesson_dir, const char *python,
		       struct trace *traces, char *version, size_t version_len,
		       lesson_live_progress progress, void *ctx, struct mp_err *err)
{
	char script[LIVE_PATH_LEN], py[LIVE_PATH_LEN], got[64];

	snprintf(script, sizeof(script), "%s/example.py", lesson_dir);
	version[0] = '\0';
	for (size_t k = 0; k < l->keys.count; k++) {
		const char *method;
		bool is_python_key = strncmp(l->keys.items[k], "python", 6) == 0;

		plan_key(l, k, python, py, sizeof(py), &method);
		if (progress)
			progress(ctx, l, k);
		if (record_key(py, method, script, &traces[k], got, sizeof(got), err) < 0)
			return -1;
		if (!is_python_key)
			snprintf(version, version_len, "%s", got);
	}
	return 0;
}

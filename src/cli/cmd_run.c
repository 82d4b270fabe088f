/*
 * cmd_run.c - `mpscope run`: trace a Python program under one start method
 * or all three, save each trace, summarise it, and exit with the program's
 * status.
 *
 * The UI hand-off is not wired yet: without --no-ui the verb behaves as
 * with it. Default output name: <script-stem>.<method>.json in the current
 * directory (docs/tracer.md).
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "json/trace_json.h"
#include "paths.h"
#include "tracer/tracer.h"

static const char USAGE[] =
	"usage: mpscope run [-m fork|spawn|forkserver|all] [-o FILE] [--no-ui] [--python PATH]\n"
	"                   [--payload-cap BYTES] [--timeout SECONDS] [--max-procs N] "
	"[--no-ptrace]\n"
	"                   SCRIPT [ARGS...]\n";

static const char *const METHODS[] = { "fork", "spawn", "forkserver" };

struct run_args {
	const char *method; /* NULL, a method, or "all" */
	const char *out;
	const char *python;
	bool is_no_ui;
	bool use_ptrace;
	unsigned long long payload_cap;
	unsigned long timeout_s;
	unsigned long max_procs;
	const char *script;
	char **args;
	int arg_count;
};

static int usage_error(const char *fmt, const char *what)
{
	fprintf(stderr, "mpscope: ");
	fprintf(stderr, fmt, what);
	fprintf(stderr, "\n%s", USAGE);
	return 2;
}

static bool parse_number(const char *s, unsigned long long max, unsigned long long *out)
{
	char *end;

	errno = 0;
	if (!s || *s < '0' || *s > '9')
		return false;
	*out = strtoull(s, &end, 10);
	return errno == 0 && *end == '\0' && *out <= max;
}

static bool is_method(const char *m)
{
	for (size_t i = 0; i < 3; i++)
		if (strcmp(m, METHODS[i]) == 0)
			return true;
	return strcmp(m, "all") == 0;
}

/* Options end at the first word that is not one: the script. */
static int parse_args(int argc, char **argv, struct run_args *a)
{
	int i;

	*a = (struct run_args){ .python = "python3",
				.use_ptrace = true,
				.payload_cap = TRACER_DEFAULT_PAYLOAD_CAP,
				.max_procs = TRACER_DEFAULT_MAX_PROCS };
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		unsigned long long n;

		if (strcmp(o, "--") == 0) {
			i++;
			break;
		} else if (strcmp(o, "--no-ui") == 0) {
			a->is_no_ui = true;
		} else if (strcmp(o, "--no-ptrace") == 0) {
			a->use_ptrace = false;
		} else if (strcmp(o, "-h") == 0 || strcmp(o, "--help") == 0) {
			fputs(USAGE, stdout);
			return 1;
		} else if (!v) {
			return usage_error("'%s' needs a value", o);
		} else if (strcmp(o, "-m") == 0 || strcmp(o, "--method") == 0) {
			if (!is_method(v))
				return usage_error("'%s' is not a start method (fork, spawn, "
						   "forkserver or all)",
						   v);
			a->method = v, i++;
		} else if (strcmp(o, "-o") == 0) {
			a->out = v, i++;
		} else if (strcmp(o, "--python") == 0) {
			a->python = v, i++;
		} else if (strcmp(o, "--payload-cap") == 0) {
			/* The probe protocol keeps a message under 200 KiB. */
			if (!parse_number(v, 143360, &n))
				return usage_error("--payload-cap wants a number of bytes up to "
						   "143360, got '%s'",
						   v);
			a->payload_cap = n, i++;
		} else if (strcmp(o, "--timeout") == 0) {
			if (!parse_number(v, 30 * 24 * 3600, &n) || n == 0)
				return usage_error(
					"--timeout wants a positive number of seconds, got '%s'",
					v);
			a->timeout_s = (unsigned long)n, i++;
		} else if (strcmp(o, "--max-procs") == 0) {
			if (!parse_number(v, 1000000, &n) || n == 0)
				return usage_error("--max-procs wants a positive number, got '%s'",
						   v);
			a->max_procs = (unsigned long)n, i++;
		} else {
			return usage_error("'%s' is not an option of 'mpscope run'", o);
		}
	}
	if (i >= argc)
		return usage_error("%s", "which script should run? give its path");
	a->script = argv[i];
	a->args = argv + i + 1;
	a->arg_count = argc - i - 1;
	return 0;
}

/* "out.json" + "fork" -> "out.fork.json"; no extension: "out.fork". */
static void name_with_method(const char *file, const char *method, char *buf, size_t len)
{
	const char *slash = strrchr(file, '/');
	const char *dot = strrchr(file, '.');

	if (dot && (!slash || dot > slash) && dot != (slash ? slash + 1 : file))
		snprintf(buf, len, "%.*s.%s%s", (int)(dot - file), file, method, dot);
	else
		snprintf(buf, len, "%s.%s", file, method);
}

static void output_path(const struct run_args *a, const char *method, bool is_all, char *buf,
			size_t len)
{
	const char *base, *dot;

	if (a->out && !is_all) {
		snprintf(buf, len, "%s", a->out);
		return;
	}
	if (a->out) {
		name_with_method(a->out, method, buf, len);
		return;
	}
	base = strrchr(a->script, '/');
	base = base ? base + 1 : a->script;
	dot = strrchr(base, '.');
	snprintf(buf, len, "%.*s.%s.json",
		 dot && dot != base ? (int)(dot - base) : (int)strlen(base), base, method);
}

static int status_of(const struct tracer_result *res)
{
	if (res->stop == TRACER_STOPPED_SIGNAL)
		return 128 + res->stop_signal;
	if (!res->has_exit)
		return 1;
	return res->exit.is_signal ? 128 + res->exit.signal : res->exit.code;
}

static void explain_stop(const struct run_args *a, const struct tracer_result *res)
{
	if (res->stop == TRACER_STOPPED_TIMEOUT)
		fprintf(stderr,
			"mpscope: the program ran longer than --timeout %lu s and was killed; "
			"the trace so far is kept\n",
			a->timeout_s);
	else if (res->stop == TRACER_STOPPED_MAX_PROCS)
		fprintf(stderr,
			"mpscope: the program had more than %lu processes at once (--max-procs) "
			"and was stopped; the trace so far is kept\n",
			a->max_procs);
	else if (res->stop == TRACER_STOPPED_SIGNAL)
		fprintf(stderr,
			"mpscope: interrupted by SIG%s; the program was killed and the trace so "
			"far is kept\n",
			sigabbrev_np(res->stop_signal));
}

static void summarise(const struct trace *tr, const struct tracer_result *res, const char *path)
{
	char status[64];

	if (!res->has_exit)
		snprintf(status, sizeof(status), "exit status unknown");
	else if (res->exit.is_signal)
		snprintf(status, sizeof(status), "killed by SIG%s", sigabbrev_np(res->exit.signal));
	else
		snprintf(status, sizeof(status), "exit %d", res->exit.code);
	fprintf(stderr, "mpscope: %s under %s: %zu processes, %zu events, %llu bytes pickled, %s\n",
		tr->meta.program, tr->meta.method, tr->proc_count, tr->event_count,
		(unsigned long long)trace_bytes_pickled(tr), status);
	fprintf(stderr, "mpscope: trace written to %s\n", path);
}

static int run_one(const struct run_args *a, const struct tracer_python *py, const char *method,
		   bool is_all, int *status)
{
	struct tracer_opts o = {
		.python = py,
		.script = a->script,
		.args = a->args,
		.arg_count = a->arg_count,
		.method = method,
		.probe_dir = tracer_python_has_probe_support(py) ? paths_probe_dir() : NULL,
		.payload_cap = a->payload_cap,
		.timeout_s = (unsigned)a->timeout_s,
		.max_procs = (unsigned)a->max_procs,
		.use_ptrace = a->use_ptrace,
	};
	struct tracer_result res;
	struct trace tr;
	struct mp_err err;
	char path[PATH_MAX];

	trace_init(&tr);
	if (tracer_run(&o, &tr, &res, &err) < 0) {
		fprintf(stderr, "mpscope: %s\n", err.msg);
		trace_release(&tr);
		return -1;
	}
	if (res.is_ptrace_denied || !a->use_ptrace)
		fprintf(stderr,
			"mpscope: %s, so processes come from the probe alone: no output, "
			"descriptor tables or child exit codes\n",
			res.is_ptrace_denied ? "ptrace is not allowed here" : "--no-ptrace");
	else if (!res.has_output_capture)
		fprintf(stderr,
			"mpscope: seccomp filters are not allowed here, so program output is "
			"not recorded\n");
	if (tr.meta.dropped_events > 0)
		fprintf(stderr, "mpscope: %llu probe events were lost; the trace is incomplete\n",
			(unsigned long long)tr.meta.dropped_events);
	explain_stop(a, &res);
	output_path(a, method ? method : tr.meta.method, is_all, path, sizeof(path));
	if (trace_json_save(path, &tr, &err) < 0) {
		fprintf(stderr, "mpscope: %s\n", err.msg);
		trace_release(&tr);
		return -1;
	}
	summarise(&tr, &res, path);
	*status = status_of(&res);
	trace_release(&tr);
	return 0;
}

int cmd_run(int argc, char **argv)
{
	struct run_args a;
	struct tracer_python py;
	struct mp_err err;
	bool is_all;
	int rc = parse_args(argc, argv, &a), worst = 0;

	if (rc != 0)
		return rc == 1 ? 0 : rc;
	if (access(a.script, R_OK) < 0) {
		fprintf(stderr, "mpscope: cannot open the script '%s': %s\n", a.script,
			strerror(errno));
		return 2;
	}
	if (tracer_resolve_python(a.python, &py, &err) < 0) {
		fprintf(stderr, "mpscope: %s\n", err.msg);
		return 2;
	}
	if (!tracer_python_has_probe_support(&py))
		fprintf(stderr,
			"mpscope: Python %s has no audit hooks (3.8 added them): the trace shows "
			"processes, descriptors and output, but no pickles, no find_class and no "
			"-m\n",
			py.version);
	is_all = a.method && strcmp(a.method, "all") == 0;
	for (size_t i = 0; i < (is_all ? 3 : 1); i++) {
		int status = 0;

		if (run_one(&a, &py, is_all ? METHODS[i] : a.method, is_all, &status) < 0)
			return 1;
		if (worst == 0)
			worst = status;
		if (status > 128 && status - 128 == SIGINT)
			break; /* Ctrl-C ends the whole -m all series */
	}
	return worst;
}

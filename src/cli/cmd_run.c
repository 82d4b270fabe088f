/*
 * cmd_run.c - `mpscope run`: trace a Python program under one start method
 * or all three, with one interpreter or several, save each trace,
 * summarise it, open the screen on what was recorded (when stdin and stdout
 * are terminals and --no-ui is not given), and exit with the program's
 * status.
 *
 * Output names (docs/cli.md): <script-stem>.<method>[.py<version>].json in
 * the current directory; -o FILE gets the method (with -m all) and the
 * version (with several --python) before its extension.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/export_file.h"
#include "json/trace_json.h"
#include "cli/paths.h"
#include "tracer/tracer.h"
#include "ui/ui.h"

/* --python may repeat; each interpreter is one more column on the screen. */
#define RUN_MAX_PYTHONS 8
/* "py" + a version such as "3.11.7" (struct tracer_python's version[32]). */
#define RUN_TAG_LEN 40

static const char USAGE[] =
	"usage: mpscope run [-m fork|spawn|forkserver|all] [-o FILE] [--no-ui] [--no-animation]\n"
	"                   [--python PATH]...\n"
	"                   [--payload-cap BYTES] [--keep-payloads N | --all-payloads]\n"
	"                   [--timeout SECONDS] [--max-procs N] [--no-ptrace]\n"
	"                   SCRIPT [ARGS...]\n";

static const char HELP[] =
	"Runs SCRIPT under ptrace with mpscope's probe, writes one trace per run, then opens\n"
	"the screen on them (several open together: c puts them side by side).\n\n"
	"  -m METHOD          start method when the script chooses none; 'all' runs all three\n"
	"  -o FILE            trace file (default <script-stem>.<method>.json here); with -m all\n"
	"                     or several --python the method and version go before the extension\n"
	"  --no-ui            do not open the screen: print a summary and exit with the\n"
	"                     script's status; also what happens when stdin or stdout is not\n"
	"                     a terminal\n"
	"  --no-animation     the screen changes steps at once (also MPSCOPE_NO_ANIMATION=1)\n"
	"  --python PATH      the interpreter (default python3); give it again to record the\n"
	"                     script once per interpreter (names get .py3.8 and so on)\n"
	"  --payload-cap N    bytes kept of each pickle (default 65536; the size is always kept)\n"
	"  --keep-payloads N  pickles of each purpose and direction a process keeps one by one\n"
	"                     (default 32); the rest are counted: how many, how many bytes\n"
	"  --all-payloads     keep every pickle one by one (slower on a busy Pool)\n"
	"  --timeout S        kill everything after S seconds and keep the trace so far\n"
	"  --max-procs N      the same when more than N processes are alive (default 256)\n"
	"  --no-ptrace        the probe alone, as in a container without ptrace\n";

static const char *const METHODS[] = { "fork", "spawn", "forkserver" };

struct run_args {
	const char *method; /* NULL, a method, or "all" */
	const char *out;
	const char *pythons[RUN_MAX_PYTHONS]; /* as given; none: python3 */
	size_t python_count;
	bool is_no_ui;
	bool is_still; /* --no-animation */
	bool use_ptrace;
	unsigned long long payload_cap;
	unsigned long long keep_first;
	bool all_payloads;
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

	*a = (struct run_args){ .use_ptrace = true,
				.payload_cap = TRACER_DEFAULT_PAYLOAD_CAP,
				.keep_first = TRACER_DEFAULT_KEEP_FIRST,
				.max_procs = TRACER_DEFAULT_MAX_PROCS };
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		unsigned long long n;

		if (strcmp(o, "--") == 0) {
			i++;
			break;
		} else if (strcmp(o, "--no-ui") == 0) {
			a->is_no_ui = true;
		} else if (strcmp(o, "--no-animation") == 0) {
			a->is_still = true;
		} else if (strcmp(o, "--no-ptrace") == 0) {
			a->use_ptrace = false;
		} else if (strcmp(o, "--all-payloads") == 0) {
			a->all_payloads = true;
		} else if (strcmp(o, "-h") == 0 || strcmp(o, "--help") == 0) {
			fputs(USAGE, stdout);
			fputs(HELP, stdout);
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
			if (a->python_count == RUN_MAX_PYTHONS)
				return usage_error("--python may be given at most %s times", "8");
			a->pythons[a->python_count++] = v, i++;
		} else if (strcmp(o, "--payload-cap") == 0) {
			/* The probe protocol keeps a message under 200 KiB. */
			if (!parse_number(v, 143360, &n))
				return usage_error("--payload-cap wants a number of bytes up to "
						   "143360, got '%s'",
						   v);
			a->payload_cap = n, i++;
		} else if (strcmp(o, "--keep-payloads") == 0) {
			if (!parse_number(v, 1000000, &n))
				return usage_error(
					"--keep-payloads wants a number up to 1000000, got "
					"'%s'",
					v);
			a->keep_first = n, i++;
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
	if (a->python_count == 0)
		a->pythons[a->python_count++] = "python3";
	a->script = argv[i];
	a->args = argv + i + 1;
	a->arg_count = argc - i - 1;
	return 0;
}

/* "out.json" + "fork.py3.8" -> "out.fork.py3.8.json"; no extension:
 * "out.fork.py3.8". */
static void name_with_tag(const char *file, const char *tag, char *buf, size_t len)
{
	const char *slash = strrchr(file, '/');
	const char *dot = strrchr(file, '.');

	if (dot && (!slash || dot > slash) && dot != (slash ? slash + 1 : file))
		snprintf(buf, len, "%.*s.%s%s", (int)(dot - file), file, tag, dot);
	else
		snprintf(buf, len, "%s.%s", file, tag);
}

/* One run of the command: which interpreter, which method, and what tells
 * its trace apart from the command's other traces. */
struct run_case {
	const struct tracer_python *py;
	const char *method; /* -m, one of all three, or NULL */
	const char *version_tag; /* "py3.8" with several interpreters, else NULL */
	bool is_all;
};

static void output_path(const struct run_args *a, const struct run_case *c, const char *method,
			char *buf, size_t len)
{
	const char *base, *dot;
	char tag[128];

	snprintf(tag, sizeof(tag), "%s%s%s", c->is_all ? method : "",
		 c->is_all && c->version_tag ? "." : "", c->version_tag ? c->version_tag : "");
	if (a->out && !tag[0]) {
		snprintf(buf, len, "%s", a->out);
		return;
	}
	if (a->out) {
		name_with_tag(a->out, tag, buf, len);
		return;
	}
	base = strrchr(a->script, '/');
	base = base ? base + 1 : a->script;
	dot = strrchr(base, '.');
	snprintf(buf, len, "%.*s.%s%s%s.json",
		 dot && dot != base ? (int)(dot - base) : (int)strlen(base), base, method,
		 c->version_tag ? "." : "", c->version_tag ? c->version_tag : "");
}

static int status_of(const struct tracer_result *res)
{
	if (res->stop == TRACER_STOPPED_SIGNAL)
		return 128 + res->stop_signal;
	if (res->stop == TRACER_STOPPED_WAIT_FAILED)
		return 1;
	if (!res->has_exit)
		return 1;
	return res->exit.is_signal ? 128 + res->exit.signal : res->exit.code;
}

static void explain_stop(const struct run_args *a, const struct tracer_result *res)
{
	char sig[24];

	trace_signal_name(res->stop_signal, sig, sizeof(sig));
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
			"mpscope: interrupted by %s; the program was killed and the trace so "
			"far is kept\n",
			sig);
	else if (res->stop == TRACER_STOPPED_WAIT_FAILED)
		fprintf(stderr,
			"mpscope: %s; the program was killed and the trace so far is kept\n",
			res->wait_failure.msg);
}

static void summarise(const struct trace *tr, const struct tracer_result *res, const char *path)
{
	char status[64] = "exit status unknown", kept[64] = "";
	uint64_t bytes = trace_bytes_pickled(tr), counted = trace_bytes_counted(tr);

	if (res->has_exit)
		trace_exit_format(&res->exit, EXIT_STATUS, status, sizeof(status));
	if (counted)
		snprintf(kept, sizeof(kept), " (%llu kept one by one)", (unsigned long long)bytes);
	fprintf(stderr,
		"mpscope: %s under %s: %zu processes, %zu events, %llu bytes pickled%s, %s\n",
		tr->meta.program, tr->meta.method, tr->proc_count, tr->event_count,
		(unsigned long long)(bytes + counted), kept, status);
	fprintf(stderr, "mpscope: trace written to %s\n", path);
}

/* Records one case into tr (initialised by the caller, who releases it)
 * and saves it at path (PATH_MAX bytes, filled here). -1 when nothing
 * could be recorded or saved (said on stderr). */
static int run_one(const struct run_args *a, const struct run_case *c, struct trace *tr,
		   struct tracer_result *res, char *path)
{
	struct tracer_opts o = {
		.python = c->py,
		.script = a->script,
		.args = a->args,
		.arg_count = a->arg_count,
		.method = c->method,
		.probe_dir = tracer_python_has_probe_support(c->py) ? paths_probe_dir() : NULL,
		.payload_cap = a->payload_cap,
		.keep_first = (unsigned)a->keep_first,
		.all_payloads = a->all_payloads,
		.timeout_s = (unsigned)a->timeout_s,
		.max_procs = (unsigned)a->max_procs,
		.use_ptrace = a->use_ptrace,
	};
	struct mp_err err;

	if (tracer_run(&o, tr, res, &err) < 0) {
		fprintf(stderr, "mpscope: %s\n", err.msg);
		return -1;
	}
	if (res->is_ptrace_denied || !a->use_ptrace)
		fprintf(stderr,
			"mpscope: %s, so processes come from the probe alone: no output, "
			"descriptor tables or child exit codes\n",
			res->is_ptrace_denied ? "ptrace is not allowed here" : "--no-ptrace");
	else if (!res->has_output_capture)
		fprintf(stderr,
			"mpscope: seccomp filters are not allowed here, so program output is "
			"not recorded\n");
	if (tr->meta.dropped_events > 0)
		fprintf(stderr, "mpscope: %llu probe events were lost; the trace is incomplete\n",
			(unsigned long long)tr->meta.dropped_events);
	explain_stop(a, res);
	output_path(a, c, c->method ? c->method : tr->meta.method, path, PATH_MAX);
	if (trace_json_save(path, tr, &err) < 0) {
		fprintf(stderr, "mpscope: %s\n", err.msg);
		return -1;
	}
	summarise(tr, res, path);
	return 0;
}

/* Resolves every --python and gives each a version tag when there are
 * several: "py3.8", or the full "py3.11.7" when two share 3.11. Two
 * interpreters of the very same version would write the same names. */
static int resolve_pythons(const struct run_args *a, struct tracer_python *py,
			   char tags[][RUN_TAG_LEN])
{
	struct mp_err err;

	for (size_t i = 0; i < a->python_count; i++) {
		if (tracer_resolve_python(a->pythons[i], &py[i], &err) < 0) {
			fprintf(stderr, "mpscope: %s\n", err.msg);
			return -1;
		}
		if (!tracer_python_has_probe_support(&py[i]))
			fprintf(stderr,
				"mpscope: Python %s has no audit hooks (3.8 added them): the trace "
				"shows processes, descriptors and output, but no pickles, no "
				"find_class and no -m\n",
				py[i].version);
	}
	for (size_t i = 0; i < a->python_count && a->python_count > 1; i++) {
		bool is_minor_shared = false;

		for (size_t k = 0; k < a->python_count; k++) {
			if (k == i)
				continue;
			if (strcmp(py[i].version, py[k].version) == 0) {
				fprintf(stderr,
					"mpscope: '%s' and '%s' are both Python %s: give each "
					"version once, their traces would have the same name\n",
					a->pythons[k < i ? k : i], a->pythons[k < i ? i : k],
					py[i].version);
				return -1;
			}
			is_minor_shared |= py[i].major == py[k].major && py[i].minor == py[k].minor;
		}
		if (is_minor_shared)
			snprintf(tags[i], RUN_TAG_LEN, "py%s", py[i].version);
		else
			snprintf(tags[i], RUN_TAG_LEN, "py%d.%d", py[i].major, py[i].minor);
	}
	return 0;
}

/* The screen opens after the run, on what was recorded, only where a
 * person can use it: a script piping mpscope gets the --no-ui behaviour. */
static bool wants_screen(const struct run_args *a)
{
	return !a->is_no_ui && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
}

/* `e` on the screen exports what was just recorded, named after the
 * trace files. */
static void show_traces(const struct trace *traces, const char *const *names, size_t count,
			bool is_still)
{
	struct export_screen ex;
	struct mp_err err;

	export_screen_init(&ex, traces, names, count);
	if (count > 0 &&
	    ui_replay(traces, count, NULL, is_still ? UI_NO_ANIMATION : 0, &ex.exporter, &err) < 0)
		fprintf(stderr, "mpscope: %s\n", err.msg);
}

int cmd_run(int argc, char **argv)
{
	/* Static: 4 KiB per interpreter path; the verb runs once per process. */
	static struct tracer_python py[RUN_MAX_PYTHONS];
	static struct trace traces[RUN_MAX_PYTHONS * 3];
	static char paths[RUN_MAX_PYTHONS * 3][PATH_MAX];
	const char *names[RUN_MAX_PYTHONS * 3];
	char tags[RUN_MAX_PYTHONS][RUN_TAG_LEN] = { { 0 } };
	struct run_args a;
	size_t method_count, count = 0;
	bool is_all, is_stopped = false, has_failed = false;
	int rc = parse_args(argc, argv, &a), worst = 0;

	if (rc != 0)
		return rc == 1 ? 0 : rc;
	if (access(a.script, R_OK) < 0) {
		fprintf(stderr, "mpscope: cannot open the script '%s': %s\n", a.script,
			strerror(errno));
		return 2;
	}
	if (resolve_pythons(&a, py, tags) < 0)
		return 2;
	is_all = a.method && strcmp(a.method, "all") == 0;
	method_count = is_all ? 3 : 1;
	for (size_t i = 0; i < a.python_count * method_count; i++) {
		struct run_case c = { .py = &py[i / method_count],
				      .method = is_all ? METHODS[i % method_count] : a.method,
				      .version_tag =
					      a.python_count > 1 ? tags[i / method_count] : NULL,
				      .is_all = is_all };
		struct tracer_result res;
		int status;

		trace_init(&traces[count]);
		if (run_one(&a, &c, &traces[count], &res, paths[count]) < 0) {
			trace_release(&traces[count]);
			has_failed = true;
			break;
		}
		names[count] = paths[count];
		count++;
		status = status_of(&res);
		if (worst == 0)
			worst = status;
		/* A signal that stopped mpscope ends the series, and whoever
		 * sent it does not want a screen either; Ctrl-C that only the
		 * program saw ends the series too. */
		is_stopped = res.stop == TRACER_STOPPED_SIGNAL;
		if (is_stopped || status == 128 + SIGINT)
			break;
	}
	if (!has_failed && !is_stopped && wants_screen(&a))
		show_traces(traces, names, count, a.is_still);
	for (size_t i = 0; i < count; i++)
		trace_release(&traces[i]);
	return has_failed ? 1 : worst;
}

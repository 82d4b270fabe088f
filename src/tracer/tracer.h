/*
 * tracer.h - run a Python program under observation and fill a trace.
 *
 * The OS side of mpscope (Linux): ptrace follows every descendant (fork,
 * vfork, clone, exec, exit), /proc snapshots give descriptors, threads and
 * memory, a seccomp filter lets only writes to fd 1/2 and execs stop the
 * program, and the Python probe (src/probe/) reports pickles and roles over a
 * Unix socket. Both streams are merged into one finished struct trace.
 * cli/ is the only user; nothing here prints or exits.
 */
#ifndef MP_TRACER_H
#define MP_TRACER_H

#include <stdbool.h>
#include <stdint.h>

#include "common/err.h"
#include "trace/trace.h"

#define TRACER_DEFAULT_MAX_PROCS 256
#define TRACER_DEFAULT_PAYLOAD_CAP 65536

/* The interpreter as it really is (wrappers such as pyenv shims resolved). */
struct tracer_python {
	char exe[4096]; /* sys.executable */
	char version[32]; /* "3.11.7" */
	int major, minor;
};

/* Runs `name` (a path, or a command looked up in PATH) once and asks it for
 * sys.executable and its version. -1 with err if it cannot be run or
 * does not answer like a Python. */
int tracer_resolve_python(const char *name, struct tracer_python *py, struct mp_err *err);

/* Python 3.8 added audit hooks (sys.addaudithook); the probe needs them. */
bool tracer_python_has_probe_support(const struct tracer_python *py);

/* The pickles of each purpose and direction a process keeps by default
 * (docs/probe-protocol.md, "Kept and counted"): more than any lesson uses. */
#define TRACER_DEFAULT_KEEP_FIRST 32

struct tracer_opts {
	const struct tracer_python *python;
	const char *script;
	char *const *args; /* the script's arguments */
	int arg_count;
	const char *method; /* -m: "fork", "spawn", "forkserver", or NULL */
	const char *probe_dir; /* folder of sitecustomize.py; NULL: run without the probe */
	uint64_t payload_cap;
	/* How many pickles of each purpose and direction a process sends in
	 * full; the rest are counted (pickle.summary). Ignored with all_payloads. */
	unsigned keep_first;
	bool all_payloads; /* --all-payloads: every pickle in full */
	unsigned timeout_s; /* 0: no limit */
	unsigned max_procs; /* processes alive at once (not threads) before the run is stopped */
	bool use_ptrace; /* false: probe only (--no-ptrace) */
};

enum tracer_stop {
	TRACER_RAN_TO_END,
	TRACER_STOPPED_TIMEOUT, /* --timeout expired: everything was killed */
	TRACER_STOPPED_MAX_PROCS, /* more than --max-procs alive at once: everything was killed */
	TRACER_STOPPED_SIGNAL, /* mpscope got SIGINT/SIGTERM/SIGHUP */
	TRACER_STOPPED_WAIT_FAILED, /* waitpid failed: everything was killed (wait_failure) */
};

struct tracer_result {
	enum tracer_stop stop;
	int stop_signal; /* TRACER_STOPPED_SIGNAL: which one */
	bool has_exit; /* the root process's status is known */
	struct exit_status exit; /* the root process (the script) */
	bool is_ptrace_denied; /* ptrace was asked for but refused (EPERM): ran probe-only */
	bool has_output_capture; /* the seccomp filter is in: output events recorded */
	uint64_t probe_messages; /* accepted probe messages */
	/* TRACER_STOPPED_WAIT_FAILED: why, in one sentence; the trace holds an
	 * error event that says the same. */
	struct mp_err wait_failure;
};

/* Runs the script to the end (or a stop above) and fills tr (initialised by
 * the caller, who releases it, also on failure). On success tr is finished
 * (trace_finish) and res says how the run ended; a stopped run still returns
 * 0 with the partial trace. -1 with err only when nothing useful could be
 * recorded (no fork, socket failure, inconsistent trace). */
int tracer_run(const struct tracer_opts *o, struct trace *tr, struct tracer_result *res,
	       struct mp_err *err);

#endif

/*
 * trace.h - the in-memory trace: processes and time-ordered events.
 *
 * Everything in mpscope speaks this model: the JSON reader and the live
 * tracer fill it, the JSON writer, replay and UI read it. It mirrors the
 * trace format contract (docs/trace-format.md). Pure C: no I/O, no ncurses,
 * no cJSON, no ptrace.
 *
 * Ownership: a struct trace owns one arena. Every string, array and payload
 * referenced from its processes and events must live in that arena (use
 * trace_strdup/trace_memdup/trace_alloc) or in static storage; the
 * structs passed to trace_add_* are copied shallowly. trace_release() frees
 * it all at once.
 */
#ifndef MP_TRACE_H
#define MP_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/err.h"

#define TRACE_FORMAT_NAME "mpscope-trace"
#define TRACE_FORMAT_VERSION 1

/* Times are nanoseconds since the trace started. A bound keeps them exact in
 * a double (cJSON) and refuses absurd values: 30 days. */
#define TRACE_MAX_TIME_NS ((int64_t)30 * 24 * 3600 * 1000000000LL)
#define TRACE_MAX_PID 0x3fffffff

enum ev_kind {
	EV_PROC_START,
	EV_FORK,
	EV_EXEC,
	EV_EXIT,
	EV_FDS,
	EV_THREADS,
	EV_MEMORY,
	EV_START_METHOD,
	EV_IMPORT,
	EV_PICKLE_DUMP,
	EV_PICKLE_LOAD,
	EV_PICKLE_FIND_CLASS,
	EV_OUTPUT,
	EV_ERROR,
	EV_FDS_PASS, /* added in the 3.8-3.13 breadth work; additive to v1 */
	EV_FDS_LABEL, /* what a descriptor is for multiprocessing; additive to v1 */
	EV_PICKLE_SUMMARY, /* pickles counted but not kept one by one; additive to v1 */
	EV_UNKNOWN, /* a kind this version does not know: kept, ignored */
	EV_KIND_COUNT
};

enum role {
	ROLE_MAIN,
	ROLE_CHILD,
	ROLE_FORKSERVER,
	ROLE_RESOURCE_TRACKER,
	ROLE_MANAGER,
	ROLE_OTHER,
	ROLE_COUNT
};
enum fork_via { VIA_FORK, VIA_VFORK, VIA_CLONE, VIA_COUNT };
enum fd_type { FD_FILE, FD_PIPE, FD_SOCKET, FD_TTY, FD_OTHER, FD_TYPE_COUNT };
enum fds_at { FDS_AT_START, FDS_AT_FORK, FDS_AT_EXEC, FDS_AT_COUNT };
enum out_stream { STREAM_STDOUT, STREAM_STDERR, STREAM_COUNT };
/* When a memory sample was taken (memory "at"). */
enum mem_at { MEM_AT_START, MEM_AT_FORK, MEM_AT_EXIT, MEM_AT_SAMPLE, MEM_AT_COUNT };
/* What a descriptor is to multiprocessing (fds.label "what"). */
enum fd_purpose {
	FD_STARTUP_DATA, /* spawn/forkserver: the pipe the start-up pickles travel through */
	FD_SENTINEL, /* the pipe whose end-of-file tells the parent that the child ended */
	FD_PARENT_SENTINEL, /* the child's end that tells it its parent ended (fork) */
	FD_RESOURCE_TRACKER, /* the pipe to the resource tracker */
	FD_FORKSERVER_LISTENER, /* the forkserver's listening Unix socket */
	FD_FORKSERVER_CLIENT, /* a client's connection to the forkserver */
	FD_FORKSERVER_ALIVE, /* the pipe that keeps the forkserver alive */
	FD_CONNECTION, /* an end of a multiprocessing Pipe / Queue */
	FD_PURPOSE_COUNT
};
/* How descriptors crossed a process boundary (fds.pass "via"). */
enum pass_via { PASS_FORK, PASS_EXEC, PASS_SCM_RIGHTS, PASS_RESOURCE_SHARER, PASS_VIA_COUNT };
/* The direction of a pickle: made (dump) or read (load). */
enum pickle_direction { DIRECTION_DUMP, DIRECTION_LOAD, DIRECTION_COUNT };

/* Names as spelled in trace files; NULL for out-of-range values. */
const char *ev_kind_name(enum ev_kind k);
const char *role_name(enum role r);
const char *fork_via_name(enum fork_via v);
const char *fd_type_name(enum fd_type t);
const char *fds_at_name(enum fds_at a);
const char *stream_name(enum out_stream s);
const char *pass_via_name(enum pass_via v);
const char *mem_at_name(enum mem_at a);
const char *fd_purpose_name(enum fd_purpose p);
const char *pickle_direction_name(enum pickle_direction d);
/* Reverse lookups: the enum value, or -1 when the name is unknown. */
int ev_kind_from_name(const char *s);
int role_from_name(const char *s);
int fork_via_from_name(const char *s);
int fd_type_from_name(const char *s);
int fds_at_from_name(const char *s);
int stream_from_name(const char *s);
int pass_via_from_name(const char *s);
int mem_at_from_name(const char *s);
int fd_purpose_from_name(const char *s);
int pickle_direction_from_name(const char *s);

struct strv {
	const char **items;
	size_t count;
};

struct fd_entry {
	int fd;
	enum fd_type type;
	bool is_cloexec;
	const char *target; /* "/dev/pts/0", "pipe:[1234]", "socket:[99]"; may be NULL */
	int as_fd; /* fds.pass only: number on the receiving side, -1 unknown */
};

struct exit_status {
	bool is_signal; /* killed by a signal rather than exiting */
	int code; /* exit code, valid when !is_signal */
	int signal; /* signal number, valid when is_signal */
	bool core_dumped;
};

struct global_ref {
	const char *module;
	const char *name;
};

struct event {
	uint64_t seq;
	int64_t t;
	int pid;
	enum ev_kind kind;
	const char *kind_name; /* spelling from the file; needed for EV_UNKNOWN */
	const char *extra; /* unknown fields as JSON object text, or NULL */
	union {
		struct {
			int child;
			enum fork_via via;
		} fork;
		struct {
			const char *path;
			struct strv argv;
		} exec;
		struct exit_status exit;
		struct {
			enum fds_at at;
			struct fd_entry *fds;
			size_t fd_count;
		} fds;
		struct {
			int count;
		} threads;
		struct {
			uint64_t rss; /* bytes */
			uint64_t shared; /* bytes resident and also mapped by another process */
			bool has_at;
			enum mem_at at; /* valid when has_at (traces before it have none) */
		} memory;
		struct {
			const char *method;
			bool is_explicit; /* chosen by the program, not by mpscope -m */
		} start_method;
		struct {
			const char *module;
			const char *file; /* may be NULL */
			const char *by; /* the module whose code ran this import; may be NULL */
		} import;
		struct {
			uint64_t size; /* full pickle size, even when bytes are capped */
			const char *
				what; /* process|preparation|pool_task|pool_result|queue_item|other */
			const char *type; /* Python type name; may be NULL */
			int peer; /* "to" for dump, "from" for load; 0 = unknown */
			const uint8_t *bytes; /* may be NULL when not captured */
			size_t bytes_len; /* <= size */
			bool is_truncated; /* bytes_len < size */
			bool is_redacted; /* the authkey inside was replaced */
			struct global_ref *globals;
			size_t global_count;
			const char *error; /* pickling failed: the message; else NULL */
		} pickle;
		struct {
			const char *module;
			const char *name;
		} find_class;
		struct {
			enum out_stream stream;
			const char *text; /* may hold NUL bytes: use text_len */
			size_t text_len;
		} output;
		struct {
			const char *message;
		} error;
		struct {
			enum pass_via via;
			int to; /* receiving pid; 0 = unknown */
			const char *
				socket; /* fds crossed this socket (scm_rights, resource_sharer); may be NULL */
			struct fd_entry *fds; /* what was passed, as seen by the sender */
			size_t fd_count;
			struct fd_entry *closed; /* exec: fds the exec closed (cloexec) */
			size_t closed_count;
			int64_t pickle_seq; /* resource_sharer: seq of the pickle that carried the reference, -1 none */
		} fds_pass;
		struct {
			int fd; /* the descriptor's number in pid */
			const char *target; /* as in fds tables ("pipe:[1234]"); may be NULL */
			enum fd_purpose what;
			int peer; /* the process at the other end; 0 = unknown */
		} fds_label;
		struct {
			/* The pickles of one purpose and direction a process made or
			 * read after the first ones kept as events (meta's
			 * payload_keep_first): how many, and their bytes in all. */
			const char *what; /* as pickle.what */
			enum pickle_direction op; /* "op" in the file */
			uint64_t count;
			uint64_t size;
		} pickle_summary;
	} u;
};

struct process {
	int pid;
	int ppid; /* 0 when the parent is not traced */
	enum role role;
	struct strv argv;
	const char *exe; /* may be NULL */
	int64_t start;
	int64_t end; /* valid when has_end */
	bool has_end;
	bool has_exit;
	struct exit_status exit;
	const char *method; /* start method multiprocessing started it with; may be NULL */
	const char *extra; /* unknown fields as JSON object text, or NULL */
};

struct trace_meta {
	const char *program;
	struct strv argv;
	const char *method; /* the method the program really used (the first, if several) */
	struct strv methods; /* every method the program used, in order of first use */
	const char *requested_method; /* what mpscope was asked for (-m); may be NULL */
	const char *python;
	const char *platform;
	const char *recorded_at;
	bool has_ptrace;
	bool has_probe;
	uint64_t payload_cap;
	/* How many pickles of each purpose and direction a process kept as
	 * events; the rest are in pickle.summary events. Valid when
	 * has_payload_keep_first; is_all_payloads: every one was kept. */
	uint64_t payload_keep_first;
	bool has_payload_keep_first;
	bool is_all_payloads;
	struct strv redacted;
	uint64_t dropped_events; /* probe messages lost; 0 in a complete trace */
	uint64_t reordered_events; /* events whose time was moved to respect causality */
	const char *extra;
};

struct trace {
	struct arena arena;
	struct trace_meta meta;
	struct process *procs; /* sorted by pid after trace_finish() */
	size_t proc_count;
	size_t proc_cap;
	struct event *events; /* ordered by (t, seq) after trace_finish() */
	size_t event_count;
	size_t event_cap;
	bool is_finished;
};

void trace_init(struct trace *tr);
void trace_release(struct trace *tr);

/* Arena helpers; NULL on out-of-memory. */
void *trace_alloc(struct trace *tr, size_t len);
char *trace_strdup(struct trace *tr, const char *s);
char *trace_strndup(struct trace *tr, const char *s, size_t len);
void *trace_memdup(struct trace *tr, const void *p, size_t len);

/* Append a process or event (copied shallowly). -1 with err on OOM. */
int trace_add_process(struct trace *tr, const struct process *p, struct mp_err *err);
int trace_add_event(struct trace *tr, const struct event *ev, struct mp_err *err);

/* Sorts processes by pid and events by (t, seq), then checks the
 * cross-references: unique pids, every event's pid is a process, every fork
 * names a known child, no ppid cycles. The message names the first problem
 * (e.g. "events[12].pid: 99 is not a process of this trace"; indexes are
 * positions in the sorted order). Queries below need a finished trace. */
int trace_finish(struct trace *tr, struct mp_err *err);

/* ---- queries (trace must be finished) ---- */

struct process *trace_find_proc(const struct trace *tr, int pid);
/* Index of the first event with t >= t0 (event_count when none). */
size_t trace_event_at(const struct trace *tr, int64_t t0);
/* The root process (role main, else the first without a traced parent). */
const struct process *trace_root(const struct trace *tr);
/* Children of pid, in pid order, written to out (room for max). Returns how
 * many there are (may exceed max). */
size_t trace_children(const struct trace *tr, int pid, const struct process **out, size_t max);
/* True if the process exists at time t (started, not yet ended). */
bool trace_proc_alive_at(const struct process *p, int64_t t);
/* The latest fds event of pid at or before t, or NULL. */
const struct event *trace_fds_at(const struct trace *tr, int pid, int64_t t);
/* Pickles that reached pid: dumps addressed to it and loads done by it, in
 * time order. Calls fn for each; stops when fn returns false. */
void trace_payloads_to(const struct trace *tr, int pid,
		       bool (*fn)(const struct event *ev, void *ctx), void *ctx);
/* The entry for descriptor fd in a table (an fds or fds.pass list), or NULL. */
const struct fd_entry *trace_fd_find(const struct fd_entry *fds, size_t count, int fd);
/* Event counts by kind (array of EV_KIND_COUNT) and total pickled bytes. */
void trace_count_kinds(const struct trace *tr, size_t counts[EV_KIND_COUNT]);
uint64_t trace_bytes_pickled(const struct trace *tr);
/* Bytes pickled and only counted (pickle.summary dumps), not in the above. */
uint64_t trace_bytes_counted(const struct trace *tr);
/* When the last thing happened: the latest process end or event time. */
int64_t trace_duration(const struct trace *tr);

/* ---- words (exit.c) ---- */

/* How much an exit status says; every form uses the same words. */
enum exit_wording {
	EXIT_SENTENCE, /* "exited with status 3", "was killed by SIGKILL (core dumped)" */
	EXIT_STATUS, /* "exit 3", "killed by SIGKILL (core dumped)" */
	EXIT_TERSE, /* "3", "SIGKILL": where a column has little room */
};
/* Writes the status as snprintf does; returns the length it needed. */
int trace_exit_format(const struct exit_status *st, enum exit_wording w, char *buf, size_t len);
/* "SIGKILL", "SIGRTMIN+2", or "signal 99" for a number Linux does not have. */
int trace_signal_name(int sig, char *buf, size_t len);

/* ---- words: counted pickles (counted.c) ---- */

struct sbuf;
/* Appends what pickle.summary events of one purpose and direction counted,
 * the one wording every view uses: "19,968 more pool tasks pickled", "1
 * more pool result unpickled"; a purpose this version does not know is
 * named as the trace spells it ("3 more objects (foo) pickled"). */
void trace_counted_format(const char *what, enum pickle_direction op, uint64_t count,
			  struct sbuf *out);
/* Appends how the recording chose the pickles it kept as events: "kept
 * the first 32 of each kind per process", "kept every pickle". False, and
 * nothing appended, when the trace does not say (older traces kept every
 * pickle but did not say so). */
bool trace_keep_format(const struct trace_meta *m, struct sbuf *out);

#endif

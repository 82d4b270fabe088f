/*
 * tracer_internal.h - the state shared by the tracer's files (not for cli/).
 *
 * One struct tracer lives for one run (run.c). The ptrace loop
 * (ptrace_loop.c) and the probe-only wait loop (wait_loop.c) fill `procs`
 * and add OS events to the trace through record.c; merge.c adds the
 * probe's events, and finish.c turns `procs` into the trace's processes.
 * Everything runs on the main (attaching) thread.
 */
#ifndef MP_TRACER_INTERNAL_H
#define MP_TRACER_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "tracer/pidmap.h"
#include "tracer/procfs.h"
#include "tracer/read_budget.h"
#include "tracer/tracer.h"

/* A traced process (a thread group), as the OS side saw it. */
struct tproc {
	int pid;
	int ppid; /* 0: parent not traced */
	int64_t start;
	int64_t end;
	bool has_end;
	bool has_exit;
	struct exit_status exit;
	struct strv argv; /* after its last exec (a forked child inherits its parent's) */
	const char *exe;
	bool is_root;
	bool has_fork_event; /* the parent's fork event was recorded */
	bool has_execed;
	bool is_exiting; /* stopped at PTRACE_EVENT_EXIT: its threads die with it */
	bool is_execing; /* between its execve stop and the exec: /proc may show either image */
	/* A vfork child: when its parent's PTRACE_EVENT_VFORK_DONE was seen.
	 * The child had exec'd or exited by then, whenever that is reported
	 * (0: not seen). */
	int64_t vfork_done_at;
	int64_t next_sample_at; /* the next periodic memory sample (memory.c); 0 none */
	unsigned sample_count; /* periodic memory samples taken */
	enum fork_via via;
	int thread_count;
	struct fd_entry *fds; /* the newest table read (before an exec: the pre-exec one) */
	struct procfs_fd_cache fd_cache; /* what its table was, so reading it again is cheap */
	size_t fd_count;
	bool has_probe_role; /* role below came from probe.role */
	enum role role;
	const char *method; /* the start method its parent's probe.launch named; may be NULL */
};

struct tracer {
	const struct tracer_opts *o;
	struct trace *tr;
	struct tracer_result *res;
	int64_t t0; /* CLOCK_MONOTONIC ns when the run started */
	int64_t deadline; /* --timeout, in trace time; 0 none */
	int root_pid;
	bool is_traced; /* PTRACE_SEIZE worked: the ptrace loop runs */
	struct strv launch_argv; /* what the root process was started with */
	/* Records live in proc_arena and never move: callers keep a
	 * struct tproc * across calls that add processes. */
	struct arena proc_arena;
	struct tproc **procs;
	size_t proc_count;
	size_t proc_cap;
	struct pidmap proc_index; /* pid -> index in procs */
	struct pidmap tasks; /* live tid -> its process's pid */
	uint64_t next_seq;
	int64_t next_sample_due; /* the earliest next_sample_at of any process; 0 none */
	struct read_budget memory_reads; /* smaps_rollup reads of the ptrace side */
	size_t fdinfo_files; /* fdinfo files the processes' fd caches may still keep open */
	unsigned live_procs; /* traced processes alive now (for --max-procs) */
	uint64_t output_len; /* bytes recorded in output events so far */
	bool is_output_capped; /* output beyond the budget is no longer recorded */
	bool is_killing; /* every tracee is being killed */
	int signals_seen; /* signal_count when last looked at */
	int64_t kill_at; /* trace time at which to kill (SIGINT grace), 0 none */
	struct mp_err fatal; /* out of memory and the like: ends the run */
	bool has_fatal;
};

/* ---- run.c: the clock and stopping ---- */

/* Nanoseconds since the run started. */
int64_t run_now(const struct tracer *t);
/* Checks the stop conditions (signals, timeout, max procs); starts the
 * kill when one holds. Called after every batch of events. */
void run_check_stop(struct tracer *t);
/* Sends SIGKILL to every live traced process. */
void run_kill_all(struct tracer *t);

/* ---- record.c: processes, events, the failure that ends the run ---- */

/* The process record of pid, or NULL. */
struct tproc *record_find_proc(struct tracer *t, int pid);
/* Adds a process record (pid not yet known); the pointer stays valid for
 * the whole run. NULL (and t->fatal) on OOM. */
struct tproc *record_add_proc(struct tracer *t, int pid, int ppid, int64_t start);
/* Numbers ev and appends it to the trace; on OOM sets t->fatal. */
void record_event(struct tracer *t, struct event *ev);
/* Records a failure that ends the run (the first one wins). */
void record_failure(struct tracer *t, const struct mp_err *err);

/* ---- snapshot.c: /proc read into events ---- */

/* Reads p's descriptor table into p->fds (no event). -1 when p is gone. */
int snapshot_read_fds(struct tracer *t, struct tproc *p);
/* The snapshot events (fds, threads; no memory, the image is new) of p at
 * `at` (start or exec), at time now. Keeps the table in p->fds. -1 when the process is gone. */
int snapshot_take(struct tracer *t, struct tproc *p, enum fds_at at, int64_t now);
/* A new process: proc.start, its snapshot at "fork" (memory only when the
 * fork event was seen and was not a vfork), and the parent's fds.pass (via
 * fork). is_table_read: child->fds was just read. */
void snapshot_new_child(struct tracer *t, struct tproc *child, bool is_table_read, int64_t now);
/* The parent at its fork event, stamped `when` (the fork event's time):
 * fds at "fork" (pid = parent), threads and memory. child, when given,
 * holds the table it just copied; else the parent's own is read. */
void snapshot_parent_at_fork(struct tracer *t, struct tproc *parent, const struct tproc *child,
			     int64_t when);
/* The process's exit stop: its threads and memory as it ends. */
void snapshot_at_exit(struct tracer *t, struct tproc *p, int64_t now);
/* After an exec: snapshot "exec" plus fds.pass (via exec) with the fds the
 * exec closed, computed from the pre-exec table in p->fds. */
void snapshot_after_exec(struct tracer *t, struct tproc *p, int64_t now);
/* Before an exec (seccomp stop on execve): remembers the table. */
void snapshot_before_exec(struct tracer *t, struct tproc *p);

/* ---- memory.c: when memory is sampled ---- */

/* A `memory` event of p at `at`, read now (smaps_rollup: rss and shared). */
void memory_sample(struct tracer *t, const struct tproc *p, enum mem_at at, int64_t now);
/* A new process at fork, read while it is still stopped at its birth;
 * nothing for a vfork child, which has no memory of its own yet. */
void memory_sample_new_child(struct tracer *t, const struct tproc *child, int64_t now);
/* p started or exec'd at now: its periodic samples start over from now. */
void memory_schedule(struct tracer *t, struct tproc *p, int64_t now);
/* Takes the periodic samples that are due. Called between waits. */
void memory_sample_due(struct tracer *t);
/* The samples the probe reader took as each process connected, as
 * `memory at start` events of the processes of the run. */
struct probe_server;
void memory_add_start_samples(struct tracer *t, const struct probe_server *ps);

/* ---- causality.c ---- */

/* Moves effects that were stamped before their causes to just after them
 * (docs/trace-format.md, "Time and causality") and counts the moved events in
 * meta.reordered_events. Runs on the recorded events before finish_trace. */
void causality_repair(struct tracer *t);

/* ---- output.c ---- */

/* A seccomp stop on write/writev to fd 1/2: records an output event. */
void output_record(struct tracer *t, int tid, struct tproc *p, uint64_t nr, const uint64_t args[6],
		   int64_t now);

/* ---- ptrace_loop.c, wait_loop.c, launch.c ---- */

/* PTRACE_SEIZE with the options ptrace_loop.c handles. 0 or -1 with errno. */
int ptrace_loop_seize(int pid);

/* The loops: each returns 0 when no traced process is left, or -1 with err
 * when waitpid failed (every process was then killed, none reaped). */
int ptrace_loop_run(struct tracer *t, struct mp_err *err);
int wait_loop_run(struct tracer *t, struct mp_err *err);

/* Starts the program: forks, (seizes,) execs the interpreter. Fills
 * t->root_pid and t->is_traced (whether PTRACE_SEIZE worked). */
int launch_program(struct tracer *t, const char *sock_path, struct mp_err *err);

/* ---- merge.c, finish.c ---- */

/* Adds the probe's messages to the trace and sets roles. */
struct probe_server;
int merge_probe_messages(struct tracer *t, struct probe_server *ps, struct mp_err *err);
/* Turns procs into the trace's processes and fills meta; then finishes. */
int finish_trace(struct tracer *t, struct mp_err *err);

/* ---- roles.c ---- */

/* The role argv implies: spawn_main -> child, forkserver -> forkserver... */
enum role roles_from_argv(const struct strv *argv, bool *is_known);
/* What p is: its probe.role, else main for the root, else its argv, else
 * child when it is a fork of a traced process, else other. */
enum role roles_of(struct tracer *t, const struct tproc *p);

#endif

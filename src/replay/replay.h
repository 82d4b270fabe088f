/*
 * replay.h - a trace replayed step by step: what is visible at step N.
 *
 * The replay engine sits between the model and the views (trace/ -> replay/
 * -> ui/). The state at step N - live processes, their descriptor tables,
 * the payload in flight, the narration - is a pure function of the trace and
 * N: replay_seek() recomputes it (forward from the current step, or from the
 * start when going back). Playing is virtual time: replay_tick() advances a
 * beat clock scaled by the speed, one step per beat. Pure C: no I/O, no
 * ncurses, no clock of its own (the caller passes elapsed time).
 */
#ifndef MP_REPLAY_H
#define MP_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "common/sbuf.h"
#include "trace/trace.h"
#include "replay/story.h"

/* Socket passes remembered per process: a forkserver holds the descriptors
 * of the children it is about to fork, received one pass per child. */
#define REPLAY_SOCK_PASSES 4

/* What a process does in the whole trace, read once: the narration says
 * what comes next ("it will exec", "it will read the process object")
 * without a scan per sentence. Event indexes; SIZE_MAX: never. */
struct replay_proc_facts {
	size_t first_exec;
	size_t first_mp_main; /* its first import of __mp_main__ */
	size_t last_process_load; /* its last unpickling of a process object */
	size_t last_prep_load; /* ... of preparation data */
};

/* Start methods a replay remembers; there are three today. */
#define REPLAY_METHODS_MAX 8

/* One process as seen at the current step. */
struct proc_state {
	const struct process *proc;
	size_t lane; /* row in tree order (parents above their children) */
	int depth; /* generations below the root */
	bool is_started; /* appeared at or before this step */
	bool has_exited; /* exit seen at or before this step */
	struct exit_status exit;
	const struct event *exec; /* latest exec, or NULL */
	const struct event *fds; /* latest descriptor table, or NULL */
	const struct event *first_fds; /* its first table (a child's: at its fork) */
	const struct event *fds_before; /* the table before the latest exec, or NULL */
	const struct event *pass_in; /* latest fds.pass that reached this process */
	const struct event *exec_pass; /* latest fds.pass via exec (kept / closed) */
	const struct event *exec_fds; /* the table recorded right after the latest exec */
	const struct event *fork_ev; /* the fork that created it, or NULL */
	/* Its parent's table at that fork: the fds.pass via fork that reached
	 * it, else the parent's "at": "fork" table of the same instant. */
	const struct event *fork_pass;
	const struct event *fork_table;
	/* The latest passes over a socket or the resource sharer that reached
	 * it, newest first: where its received descriptors came from. */
	const struct event *sock_in[REPLAY_SOCK_PASSES];
	int thread_count; /* 0 = not sampled */
	uint64_t rss; /* bytes; 0 = not sampled */
	uint64_t shared; /* bytes of rss also mapped by another process; valid when has_shared */
	bool has_shared;
};

/* The state after the first `applied` events, kept so that a step back
 * replays a few thousand events rather than the whole trace. */
struct replay_checkpoint {
	size_t applied;
	const struct event *payload;
	struct proc_state *procs; /* owned */
};

struct replay {
	const struct trace *tr; /* borrowed; outlives the replay */
	struct story story;
	struct proc_state *procs; /* one per tr->procs entry, same order; owned */
	size_t *lane_order; /* lane -> index into procs; owned */
	/* Per process (tr->procs order): the first step that shows it and the
	 * step of its exit, SIZE_MAX when the story has none. Owned. */
	size_t *born_step;
	size_t *exit_step;
	size_t step; /* current step */
	size_t applied; /* events [0, applied) are in procs[] */
	const struct event *payload; /* latest pickle at or before the step, or NULL */
	struct replay_checkpoint *checkpoints; /* [i] holds i * checkpoint_every events; owned */
	size_t checkpoint_count;
	size_t checkpoint_every; /* events between checkpoints (tests make it small) */
	bool is_playing;
	int speed_index; /* into the speed table */
	double beat_phase; /* 0..1 within the current step while playing */
	/* Facts read once from the whole trace: the fds.label events (indexes
	 * into tr->events; owned) and the root's table at start, whose
	 * descriptors came from the shell that started the program. */
	size_t *labels;
	size_t label_count;
	const struct event *shell_fds;
	/* Some pickles were counted, not kept one by one (pickle.summary):
	 * legends explain the mark of a counted step only then. */
	bool has_counted;
	struct replay_proc_facts *proc_facts; /* one per tr->procs entry; owned */
	/* The start methods the program used (replay_methods), in order. */
	const char *methods[REPLAY_METHODS_MAX];
	size_t method_count;
};

#define REPLAY_CHECKPOINT_EVENTS 8192

/* Speeds offered by +/-: 1/4x .. 16x. */
#define REPLAY_SPEED_COUNT 7
#define REPLAY_BEAT_MS 1200.0

/* Builds the story and the state at step 0. tr must be finished and must
 * outlive rp. -1 with err on out-of-memory. */
int replay_init(struct replay *rp, const struct trace *tr, struct mp_err *err);
void replay_release(struct replay *rp);

size_t replay_step_count(const struct replay *rp);
const struct step *replay_current(const struct replay *rp);

/* Moves to step n (clamped to the story) and recomputes the state. */
void replay_seek(struct replay *rp, size_t n);
void replay_step_by(struct replay *rp, long delta);

/* Play/pause, speed. Speeds are the table's; replay_speed() is a factor. */
void replay_toggle_play(struct replay *rp);
void replay_change_speed(struct replay *rp, int delta);
double replay_speed(const struct replay *rp);

/* Advances virtual time by elapsed_ms of wall time while playing. Returns
 * true when anything visible changed (a new step, the payload glyph moved).
 * Playing stops at the last step. */
bool replay_tick(struct replay *rp, double elapsed_ms);

/* Expands or folds the group step under the cursor (Enter). */
int replay_toggle_group(struct replay *rp, struct mp_err *err);

/* The state of process pid at the current step, or NULL. */
const struct proc_state *replay_proc(const struct replay *rp, int pid);
/* Process in lane i (tree order), or NULL when i is out of range. */
const struct proc_state *replay_lane(const struct replay *rp, size_t lane);

/* What process pid does in the whole trace, or NULL. */
const struct replay_proc_facts *replay_proc_facts(const struct replay *rp, int pid);

/* Trace time of the current step, in nanoseconds. */
int64_t replay_time(const struct replay *rp);

/* One replay per trace, for the screen, compare mode, lessons and exports
 * (replay_array.c). On failure nothing is left allocated. */
int replay_array_new(const struct trace *traces, size_t count, struct replay **out,
		     struct mp_err *err);
/* Releases each replay and the array; NULL does nothing. */
void replay_array_free(struct replay *replays, size_t count);

/* ---- the screen's story: fold, payload facts (replay.c) ---- */

/* Folds the story's bookkeeping steps (story_set_folded) or shows every
 * step, staying at the step that holds the current one's first event. -1
 * with err on out-of-memory; the replay is then unchanged. */
int replay_set_folded(struct replay *rp, bool is_folded, struct mp_err *err);
/* The first name a pickle refers to that is the program's own (not
 * multiprocessing's, not a builtin): `__main__.f`. NULL when none, or when
 * ev is not a pickle. Borrowed from the event. */
const struct global_ref *replay_payload_ref(const struct event *ev);
/* (payload_verdict.c) Appends the verdict line of a payload's captured
 * bytes (len of the pickle's size bytes; a redacted copy will do):
 * "verdict: WORD — reason" (pickle_verdict_line), or, when the judgement
 * stops before the pickle ends, "verdict (of the first 65.5 kB): ..." (a
 * cut capture) or "verdict (of a malformed pickle): ...". Returns the
 * verdict (enum pickle_verdict), or -1 with nothing appended when there
 * are no bytes, or when out of memory (then out->is_oom is set: no
 * verdict rather than one that judged less than the bytes hold). */
int replay_payload_verdict(const uint8_t *bytes, size_t len, uint64_t size, struct sbuf *out);

/* (payload_verdict.c) For a payload's disassembly, as the screen and the
 * exported page show it: whether an instruction names a global (GLOBAL,
 * STACK_GLOBAL, INST), and whether the global of pickle_globals() named
 * at offset is multiprocessing's or a builtin rather than the program's
 * own (true when none is named there). */
struct pickle_insn;
struct pickle_global;
bool replay_insn_names_global(const struct pickle_insn *in);
bool replay_global_is_machinery(const struct pickle_global *globals, size_t count, size_t offset);

/* What a child has got by the current step: the pickles it read (those
 * counted, not kept, included), its descriptors and how the latest of
 * them came. */
struct replay_got {
	int pid;
	size_t pickle_count;
	uint64_t pickle_bytes;
	bool has_fds;
	size_t fd_count;
	bool has_via;
	enum pass_via via;
};
/* Fills up to max entries, one per child process started by the current
 * step, in lane order; returns how many children there are. */
size_t replay_children_got(const struct replay *rp, struct replay_got *out, size_t max);

/* ---- words (narrate.c, output.c, labels.c) ---- */

/* Appends the narration of step k: one or more sentences that say what
 * happened and why it matters under the start method of the processes it
 * is about. Text quoted from the trace is copied as it is; views sanitise
 * everything they draw. */
void replay_narrate(const struct replay *rp, size_t k, struct sbuf *out);
/* Appends a one-line summary of step k ("4211 pickled process 354 B → 4212"). */
void replay_brief(const struct replay *rp, size_t k, struct sbuf *out);

/* The processes that wrote in output step k, in order of their first write:
 * fills up to max pids and returns how many there are. */
size_t replay_output_pids(const struct replay *rp, size_t k, int *pids, size_t max);
/* What process pid's writes in output step k mean as printed lines. */
struct replay_output {
	size_t line_count; /* lines appended to the text */
	/* The step's first writes finished a line begun at an earlier step,
	 * told there whole: began_step is that step. */
	bool has_earlier_line;
	size_t began_step;
	size_t hidden_frames; /* traceback frames of mpscope's probe left out */
};
/* Appends the lines that pid began writing in output step k, each whole
 * (its later writes that finish the last one are read ahead), separated by
 * '\n', without the final newline: one print() made of several writes is
 * one line, and a line is told once, at the step where it began.
 * Traceback frames whose file is mpscope's probe are left out, each run of
 * them replaced by "  (N mpscope probe frames hidden)". info may be NULL. */
void replay_output_lines(const struct replay *rp, size_t k, int pid, struct sbuf *out,
			 struct replay_output *info);

/* Appends a short label for a process from what it is and runs: its role
 * for multiprocessing's helpers ("forkserver", "resource_tracker"), the
 * function of the `-c` command multiprocessing runs ("spawn_main"), "via
 * forkserver" for a child the forkserver forked, the module of `-m`, else
 * the script's base name ("example.py"). Never a guess from a substring. */
void replay_proc_label(const struct replay *rp, const struct proc_state *ps, struct sbuf *out);
/* The start method multiprocessing started p with: its own (processes[]
 * .method), else the trace's for a child; NULL for the main process, the
 * helpers and processes multiprocessing did not start. */
const char *replay_proc_method(const struct replay *rp, const struct process *p);
/* Every start method the program used, in order of first use: meta.methods,
 * else the trace's method and the methods its processes and start_method
 * events name (at most REPLAY_METHODS_MAX). Fills up to max and returns
 * how many there are. */
size_t replay_methods(const struct replay *rp, const char **out, size_t max);
/* Reads them from the trace, once (replay_init). */
void replay_methods_index(struct replay *rp);

/* ---- descriptors (labels.c, fdrows.c) ---- */

/* What a descriptor is, when the trace can know it. */
enum fd_role_kind {
	FD_ROLE_NONE,
	FD_ROLE_LABEL, /* multiprocessing said what it is (fds.label) */
	FD_ROLE_SHELL, /* in the root's table at start: from the shell that started the program */
};
struct fd_role {
	enum fd_role_kind kind;
	enum fd_purpose what; /* FD_ROLE_LABEL */
	int peer; /* FD_ROLE_LABEL: the process at the other end, 0 unknown */
};
/* The role of entry e of process pid's table: a fds.label naming the same
 * object (its target) anywhere in the trace, else one the process pid gave
 * that fd number by the current step; else from the shell when the root's
 * table at start had the same object under the same number. */
struct fd_role replay_fd_role(const struct replay *rp, int pid, const struct fd_entry *e);
/* The role as a word before the descriptor's name on a narrow panel
 * ("tracker", "start-up", "shell"); "" for none. */
const char *replay_fd_role_word(const struct fd_role *r);
/* The role as words of a sentence ("the resource tracker's pipe"); NULL
 * for none. */
const char *replay_fd_role_phrase(const struct fd_role *r);
/* Appends a descriptor's name: "pipe 2872394", "socket 2872590",
 * "/dev/null", the user's file by its path ("/home/me/notes.txt", its base
 * name when is_short), "tty pts/0", "eventpoll"; its type alone when the
 * trace has no target. */
void replay_fd_name(const struct fd_entry *e, bool is_short, struct sbuf *out);

/* How a descriptor of a process's table came to be there. */
enum fd_how {
	FD_HOW_UNKNOWN, /* the trace does not say (opened there, or not recorded) */
	FD_HOW_SHELL, /* the root had it at start: from the shell */
	FD_HOW_FORK, /* inherited at the process's fork */
	FD_HOW_KEPT, /* inherited at the fork and kept across its exec */
	FD_HOW_SOCKET, /* received over a Unix socket (SCM_RIGHTS) */
	FD_HOW_SHARER, /* received through multiprocessing's resource sharer */
	FD_HOW_CLOSED, /* inherited at the fork and closed at its exec */
	FD_HOW_COUNT
};
/* A process's memory as the resources panel says it: "15.8 MB", "512 kB". */
void replay_memory_text(uint64_t bytes, char *buf, size_t len);
/* How a descriptor came, in the resources panel's words: "◄ fork", "kept",
 * "closed at exec", "" when the trace does not say. */
const char *replay_fd_how_word(enum fd_how how);
/* One row of a process's descriptors beside its parent's: both sides are
 * the same object at the same moment, or one side is empty. */
struct fd_row {
	int fd; /* the number in the process (for a closed one: the number it had) */
	/* The parent's entry for the same object: its table at the process's
	 * fork, or what a pass from the parent named (then its fd may differ
	 * from `fd`). NULL when the parent had none. */
	const struct fd_entry *parent;
	const struct fd_entry *child; /* the process's entry; NULL when closed or gone */
	const struct fd_entry *closed; /* FD_HOW_CLOSED: as it was before the exec */
	enum fd_how how;
	int from; /* FD_HOW_SOCKET, FD_HOW_SHARER: the sender */
	bool is_step; /* the current step passes, keeps, closes or labels it */
};
struct fd_rows {
	int pid; /* the process whose table it is */
	int parent_pid; /* the other column's process; 0 when the process stands alone */
	bool has_table; /* a table of the process is recorded by this step */
	struct fd_row *rows; /* owned; in fd order */
	size_t count;
	size_t first_step_row; /* the first row the step is about, SIZE_MAX none */
};
void fd_rows_init(struct fd_rows *r);
void fd_rows_release(struct fd_rows *r);
/* Fills r with process pid's descriptors at the current step beside its
 * parent's at the moment they came from (the parent's table at the fork;
 * for descriptors received over a socket, what the pass named). The parent
 * side is left out (parent_pid 0) when the trace has no table of that
 * moment: two tables of different moments are never paired. -1 with err on
 * out-of-memory (r is then empty). */
int replay_fd_rows(const struct replay *rp, int pid, struct fd_rows *r, struct mp_err *err);
/* The property the screen promises, for the e2e checker: at every step of
 * tr, every row of every started process pairs one object (the same target
 * and type on both sides) or has one side empty. -1 with err naming the
 * first row that does not ("step 4: 31582's fd 4 pairs ..."). */
int replay_check_fd_rows(const struct trace *tr, struct mp_err *err);

#endif

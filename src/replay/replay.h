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
	const struct event *fds_before; /* the table before the latest exec, or NULL */
	const struct event *pass_in; /* latest fds.pass that reached this process */
	const struct event *exec_pass; /* latest fds.pass via exec (kept / closed) */
	int thread_count; /* 0 = not sampled */
	uint64_t rss; /* bytes; 0 = not sampled */
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

/* What a child has got by the current step: the pickles it read, its
 * descriptors and how the latest of them came. */
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

/* ---- words (narrate.c) ---- */

/* Appends the narration of step k: one or more sentences that say what
 * happened and why it matters under this start method. Text quoted from the
 * trace is copied as it is; views sanitise everything they draw. */
void replay_narrate(const struct replay *rp, size_t k, struct sbuf *out);
/* Appends a one-line summary of step k ("4211 pickled process 354 B → 4212"). */
void replay_brief(const struct replay *rp, size_t k, struct sbuf *out);
/* The processes that wrote in output step k, in order of their first write:
 * fills up to max pids and returns how many there are. */
size_t replay_output_pids(const struct replay *rp, size_t k, int *pids, size_t max);
/* Appends what process pid wrote in output step k, its writes joined, the
 * trailing newlines dropped. */
void replay_output_text(const struct replay *rp, size_t k, int pid, struct sbuf *out);
/* Appends a short label for a process: "example.py", "spawn_main",
 * "forkserver", from its latest argv. */
void replay_proc_label(const struct replay *rp, const struct proc_state *ps, struct sbuf *out);

#endif

/*
 * story.h - a trace told as story steps (beats).
 *
 * Sits between the model and the views (trace/ -> replay/ -> ui/). Each
 * meaningful event becomes one step; noise is folded: descriptor tables,
 * thread counts, memory samples and the interpreter's own imports are state
 * that rides along with the step before them, consecutive output writes to
 * one stream join into one step, and runs of pool tasks, results and queue
 * items become one expandable group; the pickles a process counted but did
 * not keep one by one (pickle.summary) are one step at its end. Folded (story_set_folded), the
 * bookkeeping steps - the resource tracker, the descriptors a fork or exec
 * step already shows - ride with the step before them too; key moments are
 * what `n` stops at. Pure C: no I/O, no ncurses.
 */
#ifndef MP_REPLAY_STORY_H
#define MP_REPLAY_STORY_H

#include <stdbool.h>
#include <stddef.h>

#include "common/err.h"
#include "trace/trace.h"

enum step_kind {
	STEP_START, /* the root process appears */
	STEP_METHOD, /* start_method chosen */
	STEP_FORK, /* a process is created */
	STEP_EXEC, /* a process replaces its program */
	STEP_FDS_PASS, /* descriptors cross a boundary */
	STEP_IMPORT_MAIN, /* a child re-imports the main module as __mp_main__, or a
			     process imports the program's own modules (one step) */
	STEP_PICKLE_DUMP,
	STEP_PICKLE_LOAD,
	STEP_PICKLE_GROUP, /* many pool tasks / results / queue items */
	STEP_PICKLE_SUMMARY, /* pickles a process counted, not kept one by one */
	STEP_FIND_CLASS, /* names looked up while unpickling */
	STEP_OUTPUT, /* a run of writes to one stream (of one or more processes) */
	STEP_EXIT,
	STEP_ERROR,
	STEP_KIND_COUNT
};

struct step {
	enum step_kind kind;
	size_t ev; /* index (in tr->events) of the event the step is about */
	size_t ev_end; /* state at this step = events [0, ev_end) applied */
	size_t member_count; /* events the step tells (joined writes, grouped pickles) */
	int pid; /* the acting process */
	int peer; /* the other process (fork child, pickle peer, fds receiver); 0 none */
	bool is_group; /* can be expanded into its members */
	size_t expanded_from; /* first event of the expanded group this step came from, or SIZE_MAX */
};

struct story {
	struct step *steps; /* owned */
	size_t step_count;
	/* Group steps that the reader expanded, by their first event index. */
	size_t *expanded; /* owned */
	size_t expanded_count;
	/* Bookkeeping steps hidden inside the step before them (story_set_folded). */
	bool is_folded;
	size_t folded_count; /* steps the fold hid */
};

/* Builds the steps of a finished trace. The story borrows tr, which must
 * outlive it. A trace with events but no meaningful ones still has one
 * step, so step k of n is always defined. -1 with err on out-of-memory;
 * the story then keeps the steps it had. */
int story_build(struct story *st, const struct trace *tr, struct mp_err *err);
void story_release(struct story *st);

/* Expands a group step into one step per member, or folds it back when
 * already expanded; rebuilds the steps. Returns the index of the step that
 * now holds the group's first event, or -1 with err. */
long story_toggle_group(struct story *st, const struct trace *tr, size_t step, struct mp_err *err);

/* True if event i of tr is one of the members told by step s. */
bool story_step_has_member(const struct trace *tr, const struct step *s, size_t i);

const char *step_kind_name(enum step_kind k);

/* ---- key moments and the fold ---- */

/* A key moment: a fork, an exec, a pickle made or read or counted, a name
 * looked up, the main module re-imported or one of the program's own
 * modules imported, descriptors sent over a socket or the resource sharer -
 * what `n` stops at. The resource tracker's steps are bookkeeping, never
 * key (but for counted pickles: nothing of them is told elsewhere). */
bool story_step_is_key(const struct trace *tr, const struct step *s);
/* Bookkeeping: a step that adds nothing the step before it (prev, NULL at
 * the start) does not show - any step of the resource tracker (but an
 * abnormal exit), the descriptors a fork step's child inherits, the ones an
 * exec step keeps. */
bool story_step_is_bookkeeping(const struct trace *tr, const struct step *s,
			       const struct step *prev);
/* The next (dir > 0) or previous (dir < 0) key step after / before step
 * from, or SIZE_MAX when there is none. */
size_t story_next_key(const struct story *st, const struct trace *tr, size_t from, int dir);
/* The step that holds event i: the last step starting at or before it. */
size_t story_step_of_event(const struct story *st, size_t i);
/* Folds the bookkeeping steps into the steps before them (their events
 * still apply: the state at a step includes them), or shows every step
 * again; rebuilds the steps. Returns the step that now holds the first
 * event of step `step`, or -1 with err (the story is then unchanged). */
long story_set_folded(struct story *st, const struct trace *tr, bool is_folded, size_t step,
		      struct mp_err *err);

/* The step that `name` points at: "KIND" or "KIND:N", the Nth step of that
 * kind (N from 1, default 1; kinds as step_kind_name spells them). -1 with
 * err when the name is malformed or the story has fewer such steps. */
int story_find_named(const struct story *st, const char *name, size_t *step, struct mp_err *err);

#endif

/*
 * story.c - folds a trace's events into story steps; see story.h.
 *
 * One pass over the events. An event is either noise (state that rides with
 * the step before it), a member joined to the previous step (more output of
 * the same process, another name looked up, another pool task, another
 * count of the same process), or a new step.
 * Folded, a bookkeeping step rides with the step before it as noise does.
 * Key moments and the fold are defined at the end of the file.
 */
#include "replay/story.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char *const step_kind_names[STEP_KIND_COUNT] = {
	[STEP_START] = "start",
	[STEP_METHOD] = "method",
	[STEP_FORK] = "fork",
	[STEP_EXEC] = "exec",
	[STEP_FDS_PASS] = "fds",
	[STEP_IMPORT_MAIN] = "import",
	[STEP_PICKLE_DUMP] = "pickle",
	[STEP_PICKLE_LOAD] = "unpickle",
	[STEP_PICKLE_GROUP] = "pickles",
	[STEP_PICKLE_SUMMARY] = "counted",
	[STEP_FIND_CLASS] = "lookup",
	[STEP_OUTPUT] = "output",
	[STEP_EXIT] = "exit",
	[STEP_ERROR] = "error",
};

const char *step_kind_name(enum step_kind k)
{
	return (unsigned)k < STEP_KIND_COUNT ? step_kind_names[k] : NULL;
}

/* Pool tasks, results and queue items come in runs of hundreds; a run tells
 * one thing ("the arguments of every task were pickled"), so it is one step. */
static bool is_groupable_pickle(const struct event *ev)
{
	const char *w = ev->u.pickle.what;

	if (ev->kind != EV_PICKLE_DUMP && ev->kind != EV_PICKLE_LOAD)
		return false;
	if (ev->u.pickle.error || !w)
		return false;
	return strcmp(w, "pool_task") == 0 || strcmp(w, "pool_result") == 0 ||
		strcmp(w, "queue_item") == 0;
}

/* An import that is part of the story: the child's re-import of the main
 * module, or one of the program's own modules (the trace says by whom,
 * `by`); the interpreter's own imports are noise. */
static bool is_story_import(const struct event *ev)
{
	return ev->kind == EV_IMPORT && ev->u.import.module &&
		(strcmp(ev->u.import.module, "__mp_main__") == 0 || ev->u.import.by);
}

/* The step kind an event starts, or -1 when it is noise. `forked` says, per
 * process index, whether a fork event introduces it (then its proc.start
 * adds nothing). */
static int classify(const struct trace *tr, const struct event *ev, const bool *forked)
{
	switch (ev->kind) {
	case EV_PROC_START: {
		const struct process *p = trace_find_proc(tr, ev->pid);

		return p && forked[p - tr->procs] ? -1 : STEP_START;
	}
	case EV_START_METHOD:
		return STEP_METHOD;
	case EV_FORK:
		return STEP_FORK;
	case EV_EXEC:
		return STEP_EXEC;
	case EV_FDS_PASS:
		return STEP_FDS_PASS;
	case EV_IMPORT:
		return is_story_import(ev) ? STEP_IMPORT_MAIN : -1;
	case EV_PICKLE_DUMP:
		return STEP_PICKLE_DUMP;
	case EV_PICKLE_LOAD:
		return STEP_PICKLE_LOAD;
	case EV_PICKLE_FIND_CLASS:
		return STEP_FIND_CLASS;
	case EV_PICKLE_SUMMARY:
		return STEP_PICKLE_SUMMARY;
	case EV_OUTPUT:
		return STEP_OUTPUT;
	case EV_EXIT:
		return STEP_EXIT;
	case EV_ERROR:
		return STEP_ERROR;
	case EV_FDS:
	case EV_THREADS:
	case EV_MEMORY:
	case EV_FDS_LABEL: /* state: what a descriptor is, shown where it appears */
	case EV_UNKNOWN:
	case EV_KIND_COUNT:
		break;
	}
	return -1;
}

static bool is_expanded(const struct story *st, size_t ev)
{
	for (size_t i = 0; i < st->expanded_count; i++)
		if (st->expanded[i] == ev)
			return true;
	return false;
}

static int mark_forked(const struct trace *tr, bool *forked)
{
	for (size_t i = 0; i < tr->event_count; i++) {
		const struct event *ev = &tr->events[i];
		const struct process *child;

		if (ev->kind != EV_FORK)
			continue;
		child = trace_find_proc(tr, ev->u.fork.child);
		if (child)
			forked[child - tr->procs] = true;
	}
	return 0;
}

static bool joins(const struct trace *tr, const struct step *last, const struct event *ev, int kind)
{
	const struct event *first = &tr->events[last->ev];

	if (last->expanded_from != SIZE_MAX)
		return false;
	switch (kind) {
	case STEP_OUTPUT:
		/* One print() is several writes; children printing at once
		 * interleave theirs. A run of writes is one step, whoever made
		 * them: the narration puts each process's text back together. */
		return last->kind == STEP_OUTPUT && first->u.output.stream == ev->u.output.stream;
	case STEP_FIND_CLASS:
		/* Names looked up while unpickling a pool task belong to that task. */
		if (last->kind == STEP_PICKLE_GROUP)
			return true;
		return last->kind == STEP_FIND_CLASS && first->pid == ev->pid;
	case STEP_IMPORT_MAIN:
		/* The modules one import brought in, one after another in one
		 * process, are told together. */
		return last->kind == STEP_IMPORT_MAIN && first->pid == ev->pid;
	case STEP_PICKLE_SUMMARY:
		/* A process's counts of each purpose and direction come
		 * together at its end: told as one. */
		return last->kind == STEP_PICKLE_SUMMARY && first->pid == ev->pid;
	case STEP_PICKLE_DUMP:
	case STEP_PICKLE_LOAD:
		return is_groupable_pickle(ev) &&
			(last->kind == STEP_PICKLE_GROUP || is_groupable_pickle(first));
	default:
		return false;
	}
}

static int push_step(struct story *st, size_t *cap, const struct step *s, struct mp_err *err)
{
	if (st->step_count == *cap) {
		size_t ncap = *cap ? *cap * 2 : 64;
		struct step *n = realloc(st->steps, ncap * sizeof(*n));

		if (!n)
			return mp_err_set(err, "out of memory while building the story (%zu steps)",
					  st->step_count);
		st->steps = n;
		*cap = ncap;
	}
	st->steps[st->step_count++] = *s;
	return 0;
}

static int peer_of(const struct event *ev)
{
	switch (ev->kind) {
	case EV_FORK:
		return ev->u.fork.child;
	case EV_PICKLE_DUMP:
	case EV_PICKLE_LOAD:
		return ev->u.pickle.peer;
	case EV_FDS_PASS:
		return ev->u.fds_pass.to;
	default:
		return 0;
	}
}

static int fold_events(struct story *st, const struct trace *tr, const bool *forked,
		       struct mp_err *err)
{
	size_t cap = 0;
	size_t expanded_run = SIZE_MAX; /* first event of the expanded group being told */

	for (size_t i = 0; i < tr->event_count; i++) {
		const struct event *ev = &tr->events[i];
		int kind = classify(tr, ev, forked);
		struct step s;

		if (kind < 0)
			continue;
		if (expanded_run != SIZE_MAX && !is_groupable_pickle(ev) && kind != STEP_FIND_CLASS)
			expanded_run = SIZE_MAX;
		if (expanded_run == SIZE_MAX && is_groupable_pickle(ev) && is_expanded(st, i))
			expanded_run = i;
		if (st->step_count > 0 && expanded_run == SIZE_MAX &&
		    joins(tr, &st->steps[st->step_count - 1], ev, kind)) {
			struct step *last = &st->steps[st->step_count - 1];

			last->member_count++;
			if ((kind == STEP_PICKLE_DUMP || kind == STEP_PICKLE_LOAD) &&
			    last->kind != STEP_PICKLE_GROUP) {
				last->kind = STEP_PICKLE_GROUP;
				last->is_group = true;
			}
			continue;
		}
		s = (struct step){ .kind = (enum step_kind)kind,
				   .ev = i,
				   .member_count = 1,
				   .pid = ev->pid,
				   .peer = peer_of(ev),
				   .expanded_from = expanded_run };
		/* Folded, bookkeeping rides with the step before it, as noise
		 * does: that step's state includes it. */
		if (st->is_folded && st->step_count > 0 &&
		    story_step_is_bookkeeping(tr, &s, &st->steps[st->step_count - 1])) {
			st->folded_count++;
			continue;
		}
		if (push_step(st, &cap, &s, err) < 0)
			return -1;
	}
	return 0;
}

int story_build(struct story *st, const struct trace *tr, struct mp_err *err)
{
	bool *forked = calloc(tr->proc_count ? tr->proc_count : 1, sizeof(*forked));
	struct step *old = st->steps;
	size_t old_count = st->step_count, old_folded = st->folded_count;
	int rc;

	if (!forked)
		return mp_err_set(err, "out of memory while building the story");
	/* The old steps go only once the new ones are complete: a rebuild that
	 * runs out of memory (Enter on a group) leaves a story to show. */
	st->steps = NULL;
	st->step_count = 0;
	st->folded_count = 0;
	mark_forked(tr, forked);
	rc = fold_events(st, tr, forked, err);
	free(forked);
	if (rc == 0 && st->step_count == 0) {
		/* Nothing meaningful happened: one step showing the whole trace. */
		size_t cap = 0;
		struct step s = { .kind = STEP_START,
				  .ev = 0,
				  .member_count = 0,
				  .pid = tr->proc_count ? tr->procs[0].pid : 0,
				  .expanded_from = SIZE_MAX };

		rc = push_step(st, &cap, &s, err);
	}
	if (rc < 0) {
		free(st->steps);
		st->steps = old;
		st->step_count = old_count;
		st->folded_count = old_folded;
		return -1;
	}
	free(old);
	for (size_t k = 0; k + 1 < st->step_count; k++)
		st->steps[k].ev_end = st->steps[k + 1].ev;
	st->steps[st->step_count - 1].ev_end = tr->event_count;
	return 0;
}

void story_release(struct story *st)
{
	free(st->steps);
	free(st->expanded);
	memset(st, 0, sizeof(*st));
}

long story_toggle_group(struct story *st, const struct trace *tr, size_t step, struct mp_err *err)
{
	size_t key;

	if (step >= st->step_count)
		return mp_err_set(err, "step %zu is past the end of the story", step);
	if (st->steps[step].is_group) {
		size_t *n = realloc(st->expanded, (st->expanded_count + 1) * sizeof(*n));

		if (!n)
			return mp_err_set(err, "out of memory while expanding a step");
		st->expanded = n;
		key = st->steps[step].ev;
		st->expanded[st->expanded_count++] = key;
	} else if (st->steps[step].expanded_from != SIZE_MAX) {
		key = st->steps[step].expanded_from;
		for (size_t i = 0; i < st->expanded_count; i++)
			if (st->expanded[i] == key)
				st->expanded[i] = st->expanded[--st->expanded_count];
	} else {
		return (long)step;
	}
	if (story_build(st, tr, err) < 0) {
		/* The old steps were kept: undo the change to the list too. */
		if (st->steps[step].is_group)
			st->expanded_count--;
		else
			st->expanded[st->expanded_count++] = key;
		return -1;
	}
	for (size_t k = 0; k < st->step_count; k++)
		if (st->steps[k].ev == key)
			return (long)k;
	return 0;
}

bool story_step_has_member(const struct trace *tr, const struct step *s, size_t i)
{
	const struct event *ev = &tr->events[i];
	const struct event *first = &tr->events[s->ev];

	if (i < s->ev || i >= s->ev_end)
		return false;
	if (i == s->ev)
		return true;
	switch (s->kind) {
	case STEP_OUTPUT:
		return ev->kind == EV_OUTPUT && ev->u.output.stream == first->u.output.stream;
	case STEP_FIND_CLASS:
		return ev->kind == EV_PICKLE_FIND_CLASS && ev->pid == first->pid;
	case STEP_IMPORT_MAIN:
		return is_story_import(ev) && ev->pid == first->pid;
	case STEP_PICKLE_SUMMARY:
		return ev->kind == EV_PICKLE_SUMMARY && ev->pid == first->pid;
	case STEP_PICKLE_GROUP:
		return is_groupable_pickle(ev) || ev->kind == EV_PICKLE_FIND_CLASS;
	default:
		return false;
	}
}

/* ---- key moments and the fold ---- */

static enum role role_of(const struct trace *tr, int pid)
{
	const struct process *p = pid ? trace_find_proc(tr, pid) : NULL;

	return p ? p->role : ROLE_OTHER;
}

/* The resource tracker is multiprocessing's own helper: its fork, exec,
 * descriptors and clean exit are not what a lesson is about. Pickles it
 * counted are: no other step tells them. */
static bool is_tracker_step(const struct trace *tr, const struct step *s)
{
	const struct event *ev = &tr->events[s->ev];

	if (s->kind == STEP_ERROR || s->kind == STEP_PICKLE_SUMMARY)
		return false;
	if (s->kind == STEP_EXIT && (ev->u.exit.is_signal || ev->u.exit.code != 0))
		return false;
	if (role_of(tr, s->pid) == ROLE_RESOURCE_TRACKER)
		return true;
	return (s->kind == STEP_FORK || s->kind == STEP_FDS_PASS) &&
		role_of(tr, s->peer) == ROLE_RESOURCE_TRACKER;
}

bool story_step_is_key(const struct trace *tr, const struct step *s)
{
	if (tr->event_count == 0 || s->member_count == 0 || is_tracker_step(tr, s))
		return false;
	switch (s->kind) {
	case STEP_FORK:
	case STEP_EXEC:
	case STEP_PICKLE_DUMP:
	case STEP_PICKLE_LOAD:
	case STEP_PICKLE_GROUP:
	case STEP_PICKLE_SUMMARY:
	case STEP_FIND_CLASS:
	case STEP_IMPORT_MAIN:
		return true;
	case STEP_FDS_PASS: {
		enum pass_via via = tr->events[s->ev].u.fds_pass.via;

		return via == PASS_SCM_RIGHTS || via == PASS_RESOURCE_SHARER;
	}
	default:
		return false;
	}
}

bool story_step_is_bookkeeping(const struct trace *tr, const struct step *s,
			       const struct step *prev)
{
	enum pass_via via;

	if (tr->event_count == 0 || s->member_count == 0)
		return false;
	if (is_tracker_step(tr, s))
		return true;
	if (s->kind != STEP_FDS_PASS || !prev)
		return false;
	/* "inherits 12 fds" right after the fork that made the child, "keeps
	 * 6 fds at exec" right after the exec: the fork or exec step, with
	 * these descriptors applied, shows the same table. */
	via = tr->events[s->ev].u.fds_pass.via;
	if (via == PASS_FORK)
		return prev->kind == STEP_FORK && prev->peer == s->peer;
	if (via == PASS_EXEC)
		return prev->kind == STEP_EXEC && prev->pid == s->peer;
	return false;
}

size_t story_next_key(const struct story *st, const struct trace *tr, size_t from, int dir)
{
	if (dir > 0) {
		for (size_t k = from + 1; k < st->step_count; k++)
			if (story_step_is_key(tr, &st->steps[k]))
				return k;
	} else {
		for (size_t k = from < st->step_count ? from : st->step_count; k-- > 0;)
			if (story_step_is_key(tr, &st->steps[k]))
				return k;
	}
	return SIZE_MAX;
}

size_t story_step_of_event(const struct story *st, size_t i)
{
	size_t lo = 0, hi = st->step_count;

	/* Steps are in event order: the last one whose first event is <= i. */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (st->steps[mid].ev <= i)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

long story_set_folded(struct story *st, const struct trace *tr, bool is_folded, size_t step,
		      struct mp_err *err)
{
	size_t ev;

	if (step >= st->step_count)
		return mp_err_set(err, "step %zu is past the end of the story", step);
	ev = st->steps[step].ev;
	if (st->is_folded == is_folded)
		return (long)step;
	st->is_folded = is_folded;
	if (story_build(st, tr, err) < 0) {
		st->is_folded = !is_folded;
		return -1;
	}
	return (long)story_step_of_event(st, ev);
}

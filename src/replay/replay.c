/*
 * replay.c - the state at step N, play/pause/speed; see replay.h.
 *
 * Seeking forward applies the events between the two steps; seeking back
 * restarts from the nearest checkpoint before the target (a copy of the
 * state taken every REPLAY_CHECKPOINT_EVENTS events on the way forward), so
 * the state never depends on the path taken to reach a step, and a step
 * back on a 200,000-event trace costs a few thousand events, not all.
 */
#include "replay/replay.h"

#include <stdlib.h>
#include <string.h>

static const double speeds[REPLAY_SPEED_COUNT] = { 0.25, 0.5, 1, 2, 4, 8, 16 };
#define DEFAULT_SPEED_INDEX 2

static struct proc_state *state_of(struct replay *rp, int pid)
{
	const struct process *p = trace_find_proc(rp->tr, pid);

	return p ? &rp->procs[p - rp->tr->procs] : NULL;
}

/* Tree order: each process followed by its children (pid order), roots in
 * pid order. Iterative, because a fork bomb is a deep tree. */
static int order_lanes(struct replay *rp, struct mp_err *err)
{
	const struct trace *tr = rp->tr;
	size_t n = tr->proc_count;
	size_t *first_child = malloc((n + 1) * sizeof(size_t));
	size_t *next_sibling = malloc((n + 1) * sizeof(size_t));
	size_t *stack = malloc((n + 1) * sizeof(size_t));
	size_t lane = 0, top = 0;
	int rc = 0;

	if (!first_child || !next_sibling || !stack) {
		rc = mp_err_set(err, "out of memory while ordering %zu processes", n);
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		first_child[i] = next_sibling[i] = SIZE_MAX;
	/* Prepending in pid order leaves each list highest pid first; pushed in
	 * that order, the lowest pid pops first. */
	for (size_t i = 0; i < n; i++) {
		const struct process *parent = trace_find_proc(tr, tr->procs[i].ppid);

		if (!parent || parent == &tr->procs[i])
			continue;
		next_sibling[i] = first_child[parent - tr->procs];
		first_child[parent - tr->procs] = i;
	}
	for (size_t r = n; r-- > 0;) {
		const struct process *parent = trace_find_proc(tr, tr->procs[r].ppid);

		if (!parent || parent == &tr->procs[r]) {
			stack[top++] = r;
			rp->procs[r].depth = 0;
		}
	}
	while (top > 0) {
		size_t i = stack[--top];

		rp->procs[i].lane = lane;
		rp->lane_order[lane++] = i;
		for (size_t c = first_child[i]; c != SIZE_MAX; c = next_sibling[c]) {
			rp->procs[c].depth = rp->procs[i].depth + 1;
			stack[top++] = c;
		}
	}
	/* trace_finish refuses ppid cycles, so every process was reached. */
out:
	free(first_child);
	free(next_sibling);
	free(stack);
	return rc;
}

static void reset_state(struct replay *rp)
{
	for (size_t i = 0; i < rp->tr->proc_count; i++) {
		struct proc_state *ps = &rp->procs[i];
		size_t lane = ps->lane;
		int depth = ps->depth;

		memset(ps, 0, sizeof(*ps));
		ps->proc = &rp->tr->procs[i];
		ps->lane = lane;
		ps->depth = depth;
	}
	rp->applied = 0;
	rp->payload = NULL;
}

static void apply_event(struct replay *rp, const struct event *ev)
{
	struct proc_state *ps = state_of(rp, ev->pid);
	struct proc_state *other;

	if (!ps)
		return;
	ps->is_started = true;
	switch (ev->kind) {
	case EV_FORK:
		other = state_of(rp, ev->u.fork.child);
		if (!other)
			break;
		other->is_started = true;
		other->fork_ev = ev;
		/* The parent's table is of this fork's instant only when it
		 * was recorded for a fork at the same time. */
		if (ps->fds && ps->fds->u.fds.at == FDS_AT_FORK && ps->fds->t == ev->t)
			other->fork_table = ps->fds;
		break;
	case EV_EXEC:
		ps->fds_before = ps->fds;
		ps->exec = ev;
		ps->exec_fds = NULL;
		ps->exec_pass = NULL;
		break;
	case EV_EXIT:
		ps->has_exited = true;
		ps->exit = ev->u.exit;
		break;
	case EV_FDS:
		ps->fds = ev;
		if (!ps->first_fds)
			ps->first_fds = ev;
		if (ps->exec && !ps->exec_fds)
			ps->exec_fds = ev;
		break;
	case EV_FDS_PASS:
		other = ev->u.fds_pass.to ? state_of(rp, ev->u.fds_pass.to) : ps;
		if (ev->u.fds_pass.via == PASS_EXEC)
			ps->exec_pass = ev;
		if (!other)
			break;
		other->pass_in = ev;
		if (ev->u.fds_pass.via == PASS_FORK) {
			other->fork_pass = ev;
		} else if (ev->u.fds_pass.via != PASS_EXEC) {
			memmove(&other->sock_in[1], &other->sock_in[0],
				(REPLAY_SOCK_PASSES - 1) * sizeof(other->sock_in[0]));
			other->sock_in[0] = ev;
		}
		break;
	case EV_THREADS:
		ps->thread_count = ev->u.threads.count;
		break;
	case EV_MEMORY:
		ps->rss = ev->u.memory.rss;
		/* Older traces wrote no "shared", or 0 for "not measured". */
		ps->shared = ev->u.memory.shared;
		ps->has_shared = ev->u.memory.has_at || ev->u.memory.shared;
		break;
	case EV_PICKLE_DUMP:
	case EV_PICKLE_LOAD:
		rp->payload = ev;
		break;
	default:
		break;
	}
}

/* Each process's first and exit step, from the events each step holds:
 * in a folded story a child's fork may ride inside another step. */
static void index_steps(struct replay *rp)
{
	const struct trace *tr = rp->tr;

	for (size_t i = 0; i < tr->proc_count; i++)
		rp->born_step[i] = rp->exit_step[i] = SIZE_MAX;
	for (size_t k = 0; k < rp->story.step_count; k++) {
		const struct step *s = &rp->story.steps[k];
		size_t end = s->ev_end < tr->event_count ? s->ev_end : tr->event_count;

		for (size_t i = s->ev; i < end; i++) {
			const struct event *ev = &tr->events[i];
			const struct process *p = trace_find_proc(tr, ev->pid);
			const struct process *child =
				ev->kind == EV_FORK ? trace_find_proc(tr, ev->u.fork.child) : NULL;

			if (p && rp->born_step[p - tr->procs] == SIZE_MAX)
				rp->born_step[p - tr->procs] = k;
			if (child && rp->born_step[child - tr->procs] == SIZE_MAX)
				rp->born_step[child - tr->procs] = k;
			if (p && ev->kind == EV_EXIT)
				rp->exit_step[p - tr->procs] = k;
		}
	}
}

static bool is_what(const struct event *ev, const char *what)
{
	return ev->u.pickle.what && strcmp(ev->u.pickle.what, what) == 0;
}

/* One process's facts from one of its events. */
static void note_fact(struct replay_proc_facts *f, size_t i, const struct event *ev)
{
	if (ev->kind == EV_EXEC && f->first_exec == SIZE_MAX)
		f->first_exec = i;
	else if (ev->kind == EV_IMPORT && f->first_mp_main == SIZE_MAX && ev->u.import.module &&
		 strcmp(ev->u.import.module, "__mp_main__") == 0)
		f->first_mp_main = i;
	else if (ev->kind == EV_PICKLE_LOAD && is_what(ev, "process"))
		f->last_process_load = i;
	else if (ev->kind == EV_PICKLE_LOAD && is_what(ev, "preparation"))
		f->last_prep_load = i;
}

/* The fds.label events, the root's table at start (what the shell gave
 * the program), each process's facts: of the whole trace, read once. */
static int index_facts(struct replay *rp, struct mp_err *err)
{
	const struct trace *tr = rp->tr;
	const struct process *root = trace_root(tr);
	size_t n = 0;

	for (size_t i = 0; i < tr->proc_count; i++)
		rp->proc_facts[i] =
			(struct replay_proc_facts){ SIZE_MAX, SIZE_MAX, SIZE_MAX, SIZE_MAX };
	for (size_t i = 0; i < tr->event_count; i++) {
		const struct event *ev = &tr->events[i];
		const struct process *p = trace_find_proc(tr, ev->pid);

		if (p)
			note_fact(&rp->proc_facts[p - tr->procs], i, ev);
		if (ev->kind == EV_FDS_LABEL)
			n++;
		else if (ev->kind == EV_PICKLE_SUMMARY)
			rp->has_counted = true;
		else if (ev->kind == EV_FDS && root && ev->pid == root->pid &&
			 ev->u.fds.at == FDS_AT_START && !rp->shell_fds)
			rp->shell_fds = ev;
	}
	if (n == 0)
		return 0;
	rp->labels = malloc(n * sizeof(*rp->labels));
	if (!rp->labels)
		return mp_err_set(err, "out of memory while reading %zu descriptor labels", n);
	for (size_t i = 0; i < tr->event_count; i++)
		if (tr->events[i].kind == EV_FDS_LABEL)
			rp->labels[rp->label_count++] = i;
	return 0;
}

int replay_init(struct replay *rp, const struct trace *tr, struct mp_err *err)
{
	size_t n = tr->proc_count ? tr->proc_count : 1;

	memset(rp, 0, sizeof(*rp));
	rp->tr = tr;
	rp->speed_index = DEFAULT_SPEED_INDEX;
	rp->checkpoint_every = REPLAY_CHECKPOINT_EVENTS;
	rp->beat_phase = 1.0;
	rp->procs = calloc(n, sizeof(*rp->procs));
	rp->lane_order = calloc(n, sizeof(*rp->lane_order));
	rp->born_step = calloc(n, sizeof(*rp->born_step));
	rp->exit_step = calloc(n, sizeof(*rp->exit_step));
	rp->proc_facts = calloc(n, sizeof(*rp->proc_facts));
	if (!rp->procs || !rp->lane_order || !rp->born_step || !rp->exit_step || !rp->proc_facts) {
		replay_release(rp);
		return mp_err_set(err, "out of memory while preparing the replay of %zu processes",
				  tr->proc_count);
	}
	if (story_build(&rp->story, tr, err) < 0 || order_lanes(rp, err) < 0 ||
	    index_facts(rp, err) < 0) {
		replay_release(rp);
		return -1;
	}
	index_steps(rp);
	replay_methods_index(rp);
	reset_state(rp);
	replay_seek(rp, 0);
	return 0;
}

void replay_release(struct replay *rp)
{
	story_release(&rp->story);
	for (size_t i = 0; i < rp->checkpoint_count; i++)
		free(rp->checkpoints[i].procs);
	free(rp->checkpoints);
	rp->checkpoints = NULL;
	rp->checkpoint_count = 0;
	free(rp->procs);
	free(rp->lane_order);
	free(rp->born_step);
	free(rp->exit_step);
	free(rp->labels);
	free(rp->proc_facts);
	rp->proc_facts = NULL;
	rp->labels = NULL;
	rp->label_count = 0;
	rp->procs = NULL;
	rp->lane_order = NULL;
	rp->born_step = rp->exit_step = NULL;
}

size_t replay_step_count(const struct replay *rp)
{
	return rp->story.step_count;
}

const struct step *replay_current(const struct replay *rp)
{
	return &rp->story.steps[rp->step];
}

int64_t replay_time(const struct replay *rp)
{
	const struct step *s = replay_current(rp);

	return s->ev < rp->tr->event_count ? rp->tr->events[s->ev].t : 0;
}

/* Saves the state if `applied` is the next checkpoint's place. Out of
 * memory only means no more checkpoints: seeking stays correct, just slower. */
static void maybe_checkpoint(struct replay *rp)
{
	size_t n = rp->tr->proc_count;
	struct replay_checkpoint *cps, *cp;

	if (rp->applied % rp->checkpoint_every != 0 ||
	    rp->applied / rp->checkpoint_every != rp->checkpoint_count)
		return;
	cps = realloc(rp->checkpoints, (rp->checkpoint_count + 1) * sizeof(*cps));
	if (!cps)
		return;
	rp->checkpoints = cps;
	cp = &cps[rp->checkpoint_count];
	cp->procs = malloc((n ? n : 1) * sizeof(*cp->procs));
	if (!cp->procs)
		return;
	memcpy(cp->procs, rp->procs, n * sizeof(*cp->procs));
	cp->applied = rp->applied;
	cp->payload = rp->payload;
	rp->checkpoint_count++;
}

static void rewind_to(struct replay *rp, size_t end)
{
	size_t i = end / rp->checkpoint_every;

	if (rp->checkpoint_count == 0) {
		reset_state(rp);
		return;
	}
	if (i >= rp->checkpoint_count)
		i = rp->checkpoint_count - 1;
	memcpy(rp->procs, rp->checkpoints[i].procs, rp->tr->proc_count * sizeof(*rp->procs));
	rp->applied = rp->checkpoints[i].applied;
	rp->payload = rp->checkpoints[i].payload;
}

void replay_seek(struct replay *rp, size_t n)
{
	size_t end;
	int64_t now;

	if (n >= rp->story.step_count)
		n = rp->story.step_count - 1;
	end = rp->story.steps[n].ev_end;
	if (end < rp->applied)
		rewind_to(rp, end);
	for (; rp->applied < end; rp->applied++) {
		maybe_checkpoint(rp);
		apply_event(rp, &rp->tr->events[rp->applied]);
	}
	rp->step = n;
	if (!rp->is_playing)
		rp->beat_phase = 1.0;
	/* Traces without ptrace may lack fork and exit events: the process
	 * table's own times still say who is alive. */
	now = replay_time(rp);
	for (size_t i = 0; i < rp->tr->proc_count; i++) {
		struct proc_state *ps = &rp->procs[i];
		const struct process *p = ps->proc;

		if (p->start <= now)
			ps->is_started = true;
		if (!ps->has_exited && p->has_exit && p->has_end && p->end < now) {
			ps->has_exited = true;
			ps->exit = p->exit;
		}
	}
}

void replay_step_by(struct replay *rp, long delta)
{
	long n = (long)rp->step + delta;

	if (n < 0)
		n = 0;
	replay_seek(rp, (size_t)n);
}

void replay_toggle_play(struct replay *rp)
{
	rp->is_playing = !rp->is_playing;
	if (rp->is_playing && rp->step + 1 >= rp->story.step_count)
		replay_seek(rp, 0); /* play from the end starts over */
	if (rp->is_playing)
		rp->beat_phase = 0;
}

void replay_change_speed(struct replay *rp, int delta)
{
	int i = rp->speed_index + delta;

	if (i < 0)
		i = 0;
	if (i >= REPLAY_SPEED_COUNT)
		i = REPLAY_SPEED_COUNT - 1;
	rp->speed_index = i;
}

double replay_speed(const struct replay *rp)
{
	return speeds[rp->speed_index];
}

bool replay_tick(struct replay *rp, double elapsed_ms)
{
	size_t before = rp->step;

	if (!rp->is_playing)
		return false;
	rp->beat_phase += elapsed_ms * replay_speed(rp) / REPLAY_BEAT_MS;
	while (rp->beat_phase >= 1.0) {
		if (rp->step + 1 >= rp->story.step_count) {
			rp->is_playing = false;
			rp->beat_phase = 1.0;
			break;
		}
		rp->beat_phase -= 1.0;
		replay_seek(rp, rp->step + 1);
	}
	return rp->step != before || replay_current(rp)->peer != 0 || !rp->is_playing;
}

int replay_toggle_group(struct replay *rp, struct mp_err *err)
{
	long k = story_toggle_group(&rp->story, rp->tr, rp->step, err);

	if (k < 0)
		return -1;
	index_steps(rp);
	reset_state(rp);
	replay_seek(rp, (size_t)k);
	return 0;
}

const struct proc_state *replay_proc(const struct replay *rp, int pid)
{
	const struct process *p = trace_find_proc(rp->tr, pid);

	return p ? &rp->procs[p - rp->tr->procs] : NULL;
}

const struct replay_proc_facts *replay_proc_facts(const struct replay *rp, int pid)
{
	const struct process *p = trace_find_proc(rp->tr, pid);

	return p ? &rp->proc_facts[p - rp->tr->procs] : NULL;
}

const struct proc_state *replay_lane(const struct replay *rp, size_t lane)
{
	return lane < rp->tr->proc_count ? &rp->procs[rp->lane_order[lane]] : NULL;
}

/* ---- the screen's story: fold, payload facts ---- */

int replay_set_folded(struct replay *rp, bool is_folded, struct mp_err *err)
{
	long k = story_set_folded(&rp->story, rp->tr, is_folded, rp->step, err);

	if (k < 0)
		return -1;
	index_steps(rp);
	reset_state(rp);
	replay_seek(rp, (size_t)k);
	return 0;
}

const struct global_ref *replay_payload_ref(const struct event *ev)
{
	if (ev->kind != EV_PICKLE_DUMP && ev->kind != EV_PICKLE_LOAD)
		return NULL;
	for (size_t i = 0; i < ev->u.pickle.global_count; i++) {
		const struct global_ref *g = &ev->u.pickle.globals[i];

		if (!g->module || !g->name)
			continue;
		/* multiprocessing's own classes travel in every payload; the
		 * program's code is what the lesson is about. */
		if (strncmp(g->module, "multiprocessing", 15) == 0 ||
		    strcmp(g->module, "builtins") == 0 || strcmp(g->module, "copyreg") == 0)
			continue;
		return g;
	}
	return NULL;
}

size_t replay_children_got(const struct replay *rp, struct replay_got *out, size_t max)
{
	const struct trace *tr = rp->tr;
	size_t n = 0;

	for (size_t lane = 0; lane < tr->proc_count; lane++) {
		const struct proc_state *ps = replay_lane(rp, lane);
		const struct event *pass = ps->pass_in;

		if (ps->proc->role != ROLE_CHILD || !ps->is_started)
			continue;
		if (n < max) {
			out[n] = (struct replay_got){ .pid = ps->proc->pid };
			if (ps->fds) {
				out[n].has_fds = true;
				out[n].fd_count = ps->fds->u.fds.fd_count;
			}
			out[n].has_via = pass != NULL;
			if (pass)
				out[n].via = pass->u.fds_pass.via;
		}
		n++;
	}
	/* What each child has unpickled so far: one pass over the events told. */
	for (size_t i = 0; i < rp->applied && i < tr->event_count; i++) {
		const struct event *ev = &tr->events[i];

		bool is_counted =
			ev->kind == EV_PICKLE_SUMMARY && ev->u.pickle_summary.op == DIRECTION_LOAD;

		if (!is_counted && (ev->kind != EV_PICKLE_LOAD || ev->u.pickle.error))
			continue;
		for (size_t c = 0; c < n && c < max; c++)
			if (out[c].pid == ev->pid) {
				out[c].pickle_count +=
					is_counted ? (size_t)ev->u.pickle_summary.count : 1;
				out[c].pickle_bytes +=
					is_counted ? ev->u.pickle_summary.size : ev->u.pickle.size;
			}
	}
	return n;
}

/*
 * chrome_layout.c - where `export -f chrome` draws each event: which
 * slices an arrow joins (a fork to its child, a dump to its load) and the
 * time of every mark, each on its own nanosecond after the one before it
 * on its track and after its arrow's start, each slice as long as the
 * room before the next mark, each lifetime around its marks. Reads the
 * trace only. See chrome_internal.h and chrome.c for why.
 */
#include <stdlib.h>

#include "export/chrome_internal.h"

/* ---- arrows: which slices they join ---- */

static int cmp_dump(const void *a, const void *b, void *events)
{
	const struct event *ev = events;
	const struct event *x = &ev[*(const size_t *)a], *y = &ev[*(const size_t *)b];

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	if (x->u.pickle.peer != y->u.pickle.peer)
		return x->u.pickle.peer < y->u.pickle.peer ? -1 : 1;
	if (x->u.pickle.size != y->u.pickle.size)
		return x->u.pickle.size < y->u.pickle.size ? -1 : 1;
	return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

/* Each load paired with its dump: the first one not yet paired with the
 * same sender, receiver and size, before it. A pickle whose peer the
 * trace does not name (a pool's queue) gets no arrow: it is not guessed. */
int chrome_pair_pickles(struct chrome *c, struct mp_err *err)
{
	const struct trace *tr = c->rp->tr;
	size_t n = 0, *dumps = malloc((tr->event_count + 1) * sizeof(*dumps));
	size_t *cursor = malloc((tr->event_count + 1) * sizeof(*cursor));

	if (!dumps || !cursor) {
		free(dumps);
		free(cursor);
		return mp_err_set(err, "out of memory while pairing pickles");
	}
	for (size_t i = 0; i < tr->event_count; i++)
		if (tr->events[i].kind == EV_PICKLE_DUMP && tr->events[i].u.pickle.peer &&
		    !tr->events[i].u.pickle.error)
			dumps[n++] = i;
	qsort_r(dumps, n, sizeof(*dumps), cmp_dump, tr->events);
	for (size_t i = 0; i < n; i++)
		cursor[i] = i;
	for (size_t i = 0; i < tr->event_count; i++) {
		const struct event *ld = &tr->events[i];
		size_t lo = 0, hi = n;

		if (ld->kind != EV_PICKLE_LOAD || !ld->u.pickle.peer)
			continue;
		/* The first dump of this sender, receiver and size. */
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			const struct event *d = &tr->events[dumps[mid]];
			bool is_before = d->pid != ld->u.pickle.peer ? d->pid < ld->u.pickle.peer
				: d->u.pickle.peer != ld->pid
				? d->u.pickle.peer < ld->pid
				: d->u.pickle.size < ld->u.pickle.size;

			if (is_before)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < n) {
			size_t at = cursor[lo];
			const struct event *d = at < n ? &tr->events[dumps[at]] : NULL;

			if (d && d->pid == ld->u.pickle.peer && d->u.pickle.peer == ld->pid &&
			    d->u.pickle.size == ld->u.pickle.size && dumps[at] < i) {
				c->marks[dumps[at]].flow = c->marks[i].flow = c->next_flow++;
				c->marks[dumps[at]].is_flow_out = true;
				c->marks[i].cause = dumps[at];
				cursor[lo]++;
			}
		}
	}
	free(dumps);
	free(cursor);
	return 0;
}

/* ---- the layout: every mark its own nanosecond ---- */

struct chrome_track *chrome_track_of(const struct chrome *c, int pid)
{
	const struct process *p = trace_find_proc(c->rp->tr, pid);

	return p ? &c->tracks[p - c->rp->tr->procs] : NULL;
}

/* The mark that ends an arrow comes after the one that starts it. */
static int64_t after(int64_t t, int64_t cause)
{
	return t > cause ? t : cause + 1;
}

static void lay_forward(struct chrome *c)
{
	const struct trace *tr = c->rp->tr;

	for (size_t i = 0; i < tr->event_count; i++) {
		const struct event *ev = &tr->events[i];
		struct chrome_mark *m = &c->marks[i];
		struct chrome_track *t = chrome_track_of(c, ev->pid);
		enum chrome_shape sh = chrome_shape_of(ev);

		m->t = ev->t;
		if (sh != CHROME_SLICE && sh != CHROME_INSTANT)
			continue;
		m->t = after(ev->t, t->last);
		if (ev->kind == EV_PICKLE_LOAD && m->flow)
			m->t = after(m->t, c->marks[m->cause].t);
		if (ev->kind == EV_EXEC && t->has_started && !t->has_exec_arrow) {
			m->t = after(m->t, t->fork_t);
			m->flow = t->fork_flow;
			t->has_exec_arrow = true;
		}
		t->last = m->t;
		if (ev->kind == EV_FORK) {
			struct chrome_track *child = chrome_track_of(c, ev->u.fork.child);

			/* A child is started once: a second fork naming it (a
			 * hand-made trace) draws no second arrow. */
			if (!child || child->has_started)
				continue;
			m->flow = c->next_flow++;
			m->is_flow_out = true;
			child->has_started = true;
			child->fork_flow = m->flow;
			child->fork_t = m->t;
			child->started.t = after(child->last + 1, m->t);
			child->started.flow = m->flow;
			child->last = child->started.t;
		}
	}
}

/* Event i is the fork that started its child (the arrow's start). */
bool chrome_owns_started(const struct chrome *c, size_t i)
{
	const struct event *ev = &c->rp->tr->events[i];
	const struct chrome_track *child;

	if (ev->kind != EV_FORK || !c->marks[i].flow)
		return false;
	child = chrome_track_of(c, ev->u.fork.child);
	return child && child->started.flow == c->marks[i].flow;
}

static void lay_slice(struct chrome_track *t, struct chrome_mark *m, bool is_slice)
{
	if (is_slice) {
		int64_t room = t->next == INT64_MAX ? CHROME_SLICE_NS : t->next - m->t - 1;

		m->dur = room < CHROME_SLICE_NS ? (room > 0 ? room : 0) : CHROME_SLICE_NS;
	}
	if (m->t + m->dur >= t->end)
		t->end = m->t + m->dur + 1;
	t->next = m->t;
}

/* Backwards: each slice as long as the room before the next mark. */
static void lay_backward(struct chrome *c)
{
	const struct trace *tr = c->rp->tr;

	for (size_t i = tr->event_count; i-- > 0;) {
		const struct event *ev = &tr->events[i];
		enum chrome_shape sh = chrome_shape_of(ev);

		if (sh != CHROME_SLICE && sh != CHROME_INSTANT)
			continue;
		if (chrome_owns_started(c, i))
			lay_slice(chrome_track_of(c, ev->u.fork.child),
				  &chrome_track_of(c, ev->u.fork.child)->started, true);
		lay_slice(chrome_track_of(c, ev->pid), &c->marks[i], sh == CHROME_SLICE);
	}
}

/* Lifetimes first: a process's slice starts before its first mark and ends
 * after its last, so that every mark nests inside it. */
void chrome_lay_out(struct chrome *c, bool is_renumbered)
{
	const struct trace *tr = c->rp->tr;
	int64_t duration = trace_duration(tr);

	for (size_t p = 0; p < tr->proc_count; p++) {
		const struct process *proc = &tr->procs[p];
		struct chrome_track *t = &c->tracks[p];

		t->start = proc->start;
		t->end = proc->has_end ? proc->end : duration;
		t->next = INT64_MAX;
		t->out_pid = (long)c->index * CHROME_PID_STRIDE +
			(is_renumbered ? (long)c->rp->procs[p].lane + 1 : proc->pid);
	}
	for (size_t i = 0; i < tr->event_count; i++) {
		struct chrome_track *t = chrome_track_of(c, tr->events[i].pid);

		if (tr->events[i].t < t->start)
			t->start = tr->events[i].t;
	}
	for (size_t p = 0; p < tr->proc_count; p++)
		c->tracks[p].last = c->tracks[p].start;
	lay_forward(c);
	lay_backward(c);
}

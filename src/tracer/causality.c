/*
 * causality.c - the pass that makes a recorded trace keep its promise: a
 * cause never comes after its effect (docs/trace-format.md, "Time and
 * causality"). Runs once, after merge.c, before finish.c sorts the events.
 *
 * The probe stamps events as they happen; the tracer stamps what ptrace
 * reports when it gets to it, which on a loaded machine can be milliseconds
 * late. The rules, each an edge from a cause to an effect:
 *   - a process's own events keep their recorded order;
 *   - a fork comes before every event of the child it made;
 *   - a vfork child's exec (or, never having exec'd, its exit) comes before
 *     its parent's next event: the parent was suspended until then;
 *   - a pickle.load comes after the pickle.dump that made its bytes (same
 *     size, from its sender, to it or to nobody in particular).
 * Where a stamp breaks an edge, the effect's t moves to just after its cause
 * (never earlier: the late stamps are the tracer's, and moving forward is a
 * longest path over the edges, computed once in topological order), and
 * every moved event is counted in meta.reordered_events.
 */
#include <stdlib.h>

#include "tracer/tracer_internal.h"

#define NONE UINT32_MAX
#define STRICT_BIT 0x80000000u /* in adj[]: the effect must be strictly later */

/* Events are nodes numbered by their position in (t, seq) order. */
struct graph {
	struct tracer *t;
	struct event *ev; /* the trace's events, in recording order */
	uint32_t n;
	uint32_t *order; /* position -> index in ev */
	uint32_t *next_same; /* position -> the same process's next position, or NONE */
	uint32_t *first_of; /* process index -> its first position, or NONE */
	uint32_t *dumps; /* positions of pickle.dump, by (pid, size, position) */
	uint32_t dump_count;
	/* Edges, built by two runs of add_edges: the first counts, the second fills. */
	uint32_t *off; /* n + 1 offsets into adj, by cause */
	uint32_t *adj; /* effect position, | STRICT_BIT */
	uint32_t *indeg;
	bool is_filling;
};

static struct event *at(const struct graph *g, uint32_t pos)
{
	return &g->ev[g->order[pos]];
}

static int cmp_time(const void *a, const void *b, void *ctx)
{
	const struct event *ev = ctx, *x = &ev[*(const uint32_t *)a],
			   *y = &ev[*(const uint32_t *)b];

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Dumps by sender, then size, then position. */
static int cmp_dump(const void *a, const void *b, void *ctx)
{
	const struct graph *g = ctx;
	uint32_t pa = *(const uint32_t *)a, pb = *(const uint32_t *)b;
	const struct event *x = at(g, pa), *y = at(g, pb);

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	if (x->u.pickle.size != y->u.pickle.size)
		return x->u.pickle.size < y->u.pickle.size ? -1 : 1;
	return pa < pb ? -1 : pa > pb;
}

static uint32_t proc_slot(const struct graph *g, int pid)
{
	int i;

	return pidmap_get(&g->t->proc_index, pid, &i) ? (uint32_t)i : NONE;
}

static void edge(struct graph *g, uint32_t cause, uint32_t effect, bool is_strict)
{
	if (cause == NONE || effect == NONE || cause == effect)
		return;
	if (!g->is_filling) {
		g->off[cause + 1]++;
		g->indeg[effect]++;
		return;
	}
	g->adj[g->off[cause]++] = effect | (is_strict ? STRICT_BIT : 0);
}

/* The first position of pid's process at or after `from` with this kind. */
static uint32_t find_kind(const struct graph *g, uint32_t from, enum ev_kind kind)
{
	while (from != NONE && at(g, from)->kind != kind)
		from = g->next_same[from];
	return from;
}

static void fork_edges(struct graph *g, uint32_t f)
{
	const struct event *fork = at(g, f);
	uint32_t child = proc_slot(g, fork->u.fork.child), exec, next;

	if (child == NONE || g->first_of[child] == NONE)
		return;
	edge(g, f, g->first_of[child], false);
	if (fork->u.fork.via != VIA_VFORK)
		return;
	/* Without ptrace no exec is recorded (the probe saw the spawn only
	 * once it had returned), so the exit says nothing about the release. */
	exec = find_kind(g, g->first_of[child], EV_EXEC);
	if (exec == NONE && g->t->is_traced)
		exec = find_kind(g, g->first_of[child], EV_EXIT);
	/* The parent's events stamped with the fork are its snapshot at it. */
	next = g->next_same[f];
	while (next != NONE && at(g, next)->t <= fork->t)
		next = g->next_same[next];
	edge(g, exec, next, true);
}

/* The dump a load read: the latest matching one before it, else (its stamp
 * is early) the first after it. */
static void load_edge(struct graph *g, uint32_t l)
{
	const struct event *load = at(g, l);
	uint32_t lo = 0, hi = g->dump_count;

	while (lo < hi) { /* the first dump not before (from, size, l) */
		uint32_t mid = lo + (hi - lo) / 2;
		const struct event *d = at(g, g->dumps[mid]);

		if (d->pid < load->u.pickle.peer ||
		    (d->pid == load->u.pickle.peer &&
		     (d->u.pickle.size < load->u.pickle.size ||
		      (d->u.pickle.size == load->u.pickle.size && g->dumps[mid] < l))))
			lo = mid + 1;
		else
			hi = mid;
	}
	for (uint32_t i = lo; i-- > 0;) {
		const struct event *d = at(g, g->dumps[i]);

		if (d->pid != load->u.pickle.peer || d->u.pickle.size != load->u.pickle.size)
			break;
		if (d->u.pickle.peer == 0 || d->u.pickle.peer == load->pid) {
			edge(g, g->dumps[i], l, true);
			return;
		}
	}
	for (uint32_t i = lo; i < g->dump_count; i++) {
		const struct event *d = at(g, g->dumps[i]);

		if (d->pid != load->u.pickle.peer || d->u.pickle.size != load->u.pickle.size)
			break;
		if (d->u.pickle.peer == 0 || d->u.pickle.peer == load->pid) {
			edge(g, g->dumps[i], l, true);
			return;
		}
	}
}

static void add_edges(struct graph *g)
{
	for (uint32_t k = 0; k < g->n; k++) {
		const struct event *ev = at(g, k);

		edge(g, k, g->next_same[k], false);
		if (ev->kind == EV_FORK)
			fork_edges(g, k);
		else if (ev->kind == EV_PICKLE_LOAD && ev->u.pickle.peer != 0)
			load_edge(g, k);
	}
}

/* order, next_same, first_of and dumps. */
static bool index_events(struct graph *g)
{
	uint32_t *last_of = malloc((g->t->proc_count + 1) * sizeof(*last_of));

	if (!last_of)
		return false;
	for (uint32_t i = 0; i < g->n; i++)
		g->order[i] = i;
	qsort_r(g->order, g->n, sizeof(*g->order), cmp_time, g->ev);
	for (size_t i = 0; i < g->t->proc_count; i++)
		g->first_of[i] = last_of[i] = NONE;
	for (uint32_t k = 0; k < g->n; k++) {
		uint32_t p = proc_slot(g, at(g, k)->pid);

		g->next_same[k] = NONE;
		if (p != NONE && last_of[p] != NONE)
			g->next_same[last_of[p]] = k;
		else if (p != NONE)
			g->first_of[p] = k;
		if (p != NONE)
			last_of[p] = k;
		if (at(g, k)->kind == EV_PICKLE_DUMP)
			g->dumps[g->dump_count++] = k;
	}
	free(last_of);
	qsort_r(g->dumps, g->dump_count, sizeof(*g->dumps), cmp_dump, g);
	return true;
}

/* Longest path in topological order (Kahn): each effect at least just
 * after each of its causes. Events on a cycle (contradictory stamps that no
 * move can satisfy) are never reached and keep their time. */
static void relax(struct graph *g, int64_t *when, uint32_t *queue)
{
	uint32_t head = 0, tail = 0;

	for (uint32_t k = 0; k < g->n; k++) {
		when[k] = at(g, k)->t;
		if (g->indeg[k] == 0)
			queue[tail++] = k;
	}
	while (head < tail) {
		uint32_t u = queue[head++];
		const struct event *cause = at(g, u);

		for (uint32_t e = g->off[u]; e < g->off[u + 1]; e++) {
			uint32_t v = g->adj[e] & ~STRICT_BIT;
			/* Equal times are ordered by seq: just after is the same t
			 * when the effect's seq is already the larger. */
			bool is_later = (g->adj[e] & STRICT_BIT) || at(g, v)->seq < cause->seq;
			int64_t bound = when[u] + (is_later ? 1 : 0);

			if (when[v] < bound)
				when[v] = bound;
			if (--g->indeg[v] == 0)
				queue[tail++] = v;
		}
	}
	for (uint32_t k = 0; k < g->n; k++)
		if (g->indeg[k] != 0)
			when[k] = at(g, k)->t;
}

/* Moves the events, keeps each process's start and end around its own
 * events, and counts. */
static void apply(struct graph *g, const int64_t *when)
{
	uint64_t moved = 0;

	for (uint32_t k = 0; k < g->n; k++) {
		struct event *ev = at(g, k);
		struct tproc *p;

		if (when[k] == ev->t)
			continue;
		ev->t = when[k];
		moved++;
		p = record_find_proc(g->t, ev->pid);
		if (p && ev->kind == EV_PROC_START && p->start < ev->t)
			p->start = ev->t;
		if (p && ev->kind == EV_EXIT && p->has_end && p->end < ev->t)
			p->end = ev->t;
	}
	g->t->tr->meta.reordered_events = moved;
}

static bool build(struct graph *g)
{
	g->off = calloc((size_t)g->n + 1, sizeof(*g->off));
	g->indeg = calloc(g->n, sizeof(*g->indeg));
	if (!g->off || !g->indeg)
		return false;
	add_edges(g);
	for (uint32_t k = 0; k < g->n; k++)
		g->off[k + 1] += g->off[k];
	g->adj = malloc(((size_t)g->off[g->n] + 1) * sizeof(*g->adj));
	if (!g->adj)
		return false;
	g->is_filling = true;
	add_edges(g); /* off[k] ends as the start of k + 1's edges */
	for (uint32_t k = g->n; k > 0; k--)
		g->off[k] = g->off[k - 1];
	g->off[0] = 0;
	return true;
}

void causality_repair(struct tracer *t)
{
	struct graph g = { .t = t, .ev = t->tr->events };
	int64_t *when = NULL;
	uint32_t *queue = NULL;
	struct mp_err err;

	if (t->tr->event_count < 2 || t->tr->event_count >= NONE)
		return;
	g.n = (uint32_t)t->tr->event_count;
	g.order = malloc(g.n * sizeof(*g.order));
	g.next_same = malloc(g.n * sizeof(*g.next_same));
	g.first_of = malloc((t->proc_count + 1) * sizeof(*g.first_of));
	g.dumps = malloc(g.n * sizeof(*g.dumps));
	when = malloc(g.n * sizeof(*when));
	queue = malloc(g.n * sizeof(*queue));
	if (g.order && g.next_same && g.first_of && g.dumps && when && queue && index_events(&g) &&
	    build(&g)) {
		relax(&g, when, queue);
		apply(&g, when);
	} else {
		mp_err_set(&err, "out of memory while ordering %u events by cause", g.n);
		record_failure(t, &err);
	}
	free(g.order);
	free(g.next_same);
	free(g.first_of);
	free(g.dumps);
	free(g.off);
	free(g.adj);
	free(g.indeg);
	free(when);
	free(queue);
}

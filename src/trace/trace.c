/*
 * trace.c - building and checking the in-memory trace; see trace.h.
 */
#include "trace/trace.h"

#include <stdlib.h>
#include <string.h>

void trace_init(struct trace *tr)
{
	memset(tr, 0, sizeof(*tr));
	arena_init(&tr->arena);
}

void trace_release(struct trace *tr)
{
	free(tr->procs);
	free(tr->events);
	arena_release(&tr->arena);
	trace_init(tr);
}

void *trace_alloc(struct trace *tr, size_t len)
{
	return arena_alloc(&tr->arena, len);
}

char *trace_strdup(struct trace *tr, const char *s)
{
	return arena_strdup(&tr->arena, s);
}

char *trace_strndup(struct trace *tr, const char *s, size_t len)
{
	return arena_strndup(&tr->arena, s, len);
}

void *trace_memdup(struct trace *tr, const void *p, size_t len)
{
	return arena_memdup(&tr->arena, p, len);
}

static int grow(void **items, size_t *cap, size_t count, size_t item_len, struct mp_err *err)
{
	size_t new_cap;
	void *p;

	if (count < *cap)
		return 0;
	new_cap = *cap ? *cap * 2 : 64;
	if (new_cap > SIZE_MAX / item_len)
		return mp_err_set(err, "out of memory: the trace is too large");
	p = realloc(*items, new_cap * item_len);
	if (!p)
		return mp_err_set(err, "out of memory: the trace is too large");
	*items = p;
	*cap = new_cap;
	return 0;
}

int trace_add_process(struct trace *tr, const struct process *p, struct mp_err *err)
{
	if (grow((void **)&tr->procs, &tr->proc_cap, tr->proc_count, sizeof(*p), err) < 0)
		return -1;
	tr->procs[tr->proc_count++] = *p;
	tr->is_finished = false;
	return 0;
}

int trace_add_event(struct trace *tr, const struct event *ev, struct mp_err *err)
{
	if (grow((void **)&tr->events, &tr->event_cap, tr->event_count, sizeof(*ev), err) < 0)
		return -1;
	tr->events[tr->event_count++] = *ev;
	tr->is_finished = false;
	return 0;
}

static int cmp_proc_pid(const void *a, const void *b)
{
	const struct process *pa = a, *pb = b;

	return (pa->pid > pb->pid) - (pa->pid < pb->pid);
}

/* Events arrive nearly sorted (two streams merged by time): the merge sort
 * skips the merge of two halves already in order, so that case stays near
 * linear, and it is stable, so equal (t, seq) keep their file order. */
static int event_before(const struct event *a, const struct event *b)
{
	if (a->t != b->t)
		return a->t < b->t;
	return a->seq < b->seq;
}

static void merge_sort_events(struct event *ev, struct event *tmp, size_t n)
{
	size_t mid, i, j, k;

	if (n < 2)
		return;
	mid = n / 2;
	merge_sort_events(ev, tmp, mid);
	merge_sort_events(ev + mid, tmp, n - mid);
	if (!event_before(&ev[mid], &ev[mid - 1]))
		return;
	memcpy(tmp, ev, mid * sizeof(*ev));
	i = 0, j = mid, k = 0;
	while (i < mid && j < n)
		ev[k++] = event_before(&ev[j], &tmp[i]) ? ev[j++] : tmp[i++];
	while (i < mid)
		ev[k++] = tmp[i++];
}

static int sort_events(struct trace *tr, struct mp_err *err)
{
	size_t n = tr->event_count;
	size_t i = 1;
	struct event *tmp;

	/* The first event out of order is enough to know a sort is needed. */
	while (i < n && !event_before(&tr->events[i], &tr->events[i - 1]))
		i++;
	if (i >= n)
		return 0;
	tmp = malloc((n / 2 + 1) * sizeof(*tmp));
	if (!tmp)
		return mp_err_set(err, "out of memory while sorting %zu events", n);
	merge_sort_events(tr->events, tmp, n);
	free(tmp);
	return 0;
}

/* Walks each parent chain once, marking processes already known to lead to
 * a root, so a hostile chain of 100,000 processes costs n log n, not n^2. */
static int check_ppid_cycles(const struct trace *tr, struct mp_err *err)
{
	enum { UNSEEN, ON_PATH, ROOTED };
	unsigned char *state = calloc(tr->proc_count + 1, 1);
	int rc = 0;

	if (!state)
		return mp_err_set(err, "out of memory while checking %zu processes",
				  tr->proc_count);
	for (size_t i = 0; i < tr->proc_count && rc == 0; i++) {
		const struct process *p = &tr->procs[i];

		while (p && state[p - tr->procs] == UNSEEN) {
			state[p - tr->procs] = ON_PATH;
			p = p->ppid != 0 ? trace_find_proc(tr, p->ppid) : NULL;
		}
		if (p && state[p - tr->procs] == ON_PATH)
			rc = mp_err_set(err, "processes: pid %d is its own ancestor (ppid cycle)",
					p->pid);
		for (p = &tr->procs[i]; p && state[p - tr->procs] == ON_PATH;
		     p = p->ppid != 0 ? trace_find_proc(tr, p->ppid) : NULL)
			state[p - tr->procs] = ROOTED;
	}
	free(state);
	return rc;
}

int trace_finish(struct trace *tr, struct mp_err *err)
{
	/* With no processes procs is NULL, and qsort(NULL, 0, ...) is undefined. */
	if (tr->proc_count > 0)
		qsort(tr->procs, tr->proc_count, sizeof(*tr->procs), cmp_proc_pid);
	for (size_t i = 1; i < tr->proc_count; i++)
		if (tr->procs[i].pid == tr->procs[i - 1].pid)
			return mp_err_set(err, "processes: pid %d is listed twice",
					  tr->procs[i].pid);
	if (sort_events(tr, err) < 0)
		return -1;
	for (size_t i = 0; i < tr->event_count; i++) {
		const struct event *ev = &tr->events[i];

		if (!trace_find_proc(tr, ev->pid))
			return mp_err_set(err, "events[%zu].pid: %d is not a process of this trace",
					  i, ev->pid);
		if (ev->kind == EV_FORK && !trace_find_proc(tr, ev->u.fork.child))
			return mp_err_set(err,
					  "events[%zu].child: %d is not a process of this trace", i,
					  ev->u.fork.child);
	}
	if (check_ppid_cycles(tr, err) < 0)
		return -1;
	/* Set only now: a failed check must not leave a trace that claims to be finished. */
	tr->is_finished = true;
	return 0;
}

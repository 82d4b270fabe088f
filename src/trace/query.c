/*
 * query.c - the questions replay and info ask of a finished trace.
 */
#include "trace/trace.h"

struct process *trace_find_proc(const struct trace *tr, int pid)
{
	size_t lo = 0, hi = tr->proc_count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int m = tr->procs[mid].pid;

		if (m == pid)
			return &tr->procs[mid];
		if (m < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

size_t trace_event_at(const struct trace *tr, int64_t t0)
{
	size_t lo = 0, hi = tr->event_count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (tr->events[mid].t < t0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct process *trace_root(const struct trace *tr)
{
	for (size_t i = 0; i < tr->proc_count; i++)
		if (tr->procs[i].role == ROLE_MAIN)
			return &tr->procs[i];
	for (size_t i = 0; i < tr->proc_count; i++)
		if (!trace_find_proc(tr, tr->procs[i].ppid))
			return &tr->procs[i];
	return NULL;
}

size_t trace_children(const struct trace *tr, int pid, const struct process **out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < tr->proc_count; i++) {
		if (tr->procs[i].ppid != pid || tr->procs[i].pid == pid)
			continue;
		if (n < max)
			out[n] = &tr->procs[i];
		n++;
	}
	return n;
}

bool trace_proc_alive_at(const struct process *p, int64_t t)
{
	return p->start <= t && (!p->has_end || t < p->end);
}

const struct event *trace_fds_at(const struct trace *tr, int pid, int64_t t)
{
	size_t i = trace_event_at(tr, t + 1);

	while (i-- > 0) {
		const struct event *ev = &tr->events[i];

		if (ev->pid == pid && ev->kind == EV_FDS)
			return ev;
	}
	return NULL;
}

const struct fd_entry *trace_fd_find(const struct fd_entry *fds, size_t count, int fd)
{
	for (size_t i = 0; i < count; i++)
		if (fds[i].fd == fd)
			return &fds[i];
	return NULL;
}

void trace_payloads_to(const struct trace *tr, int pid,
		       bool (*fn)(const struct event *ev, void *ctx), void *ctx)
{
	for (size_t i = 0; i < tr->event_count; i++) {
		const struct event *ev = &tr->events[i];
		bool match = (ev->kind == EV_PICKLE_DUMP && ev->u.pickle.peer == pid) ||
			(ev->kind == EV_PICKLE_LOAD && ev->pid == pid);

		if (match && !fn(ev, ctx))
			return;
	}
}

void trace_count_kinds(const struct trace *tr, size_t counts[EV_KIND_COUNT])
{
	for (int k = 0; k < EV_KIND_COUNT; k++)
		counts[k] = 0;
	for (size_t i = 0; i < tr->event_count; i++)
		counts[tr->events[i].kind]++;
}

uint64_t trace_bytes_pickled(const struct trace *tr)
{
	uint64_t total = 0;

	for (size_t i = 0; i < tr->event_count; i++)
		if (tr->events[i].kind == EV_PICKLE_DUMP && !tr->events[i].u.pickle.error)
			total += tr->events[i].u.pickle.size;
	return total;
}

uint64_t trace_bytes_counted(const struct trace *tr)
{
	uint64_t total = 0;

	for (size_t i = 0; i < tr->event_count; i++)
		if (tr->events[i].kind == EV_PICKLE_SUMMARY &&
		    tr->events[i].u.pickle_summary.op == DIRECTION_DUMP)
			total += tr->events[i].u.pickle_summary.size;
	return total;
}

int64_t trace_duration(const struct trace *tr)
{
	int64_t last = 0;

	for (size_t i = 0; i < tr->proc_count; i++)
		if (tr->procs[i].has_end && tr->procs[i].end > last)
			last = tr->procs[i].end;
	if (tr->event_count && tr->events[tr->event_count - 1].t > last)
		last = tr->events[tr->event_count - 1].t;
	return last;
}

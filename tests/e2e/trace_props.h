/*
 * trace_props.h - what every trace `mpscope run` records must satisfy,
 * whatever the program: run_support.h checks it after each recording of the
 * end-to-end tests. Each property is one function that names the first
 * violation in one sentence (event seq, pids, times); the table at the end
 * runs them in turn. Header-only, like run_support.h.
 */
#ifndef MP_TEST_TRACE_PROPS_H
#define MP_TEST_TRACE_PROPS_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "replay/replay.h"
#include "trace/trace.h"

/* Below this a Python process cannot be: its interpreter alone is larger. */
#define PROPS_MIN_PYTHON_RSS (1024 * 1024)

/* Fills msg with the sentence and returns -1, for `return violation(...)`. */
static inline int props_violation(char *msg, size_t cap, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, cap, fmt, ap);
	va_end(ap);
	return -1;
}

/* The index of the first event at or after `from` of pid with this kind,
 * or event_count. */
static inline size_t props_find(const struct trace *tr, size_t from, int pid, enum ev_kind kind)
{
	while (from < tr->event_count &&
	       (tr->events[from].pid != pid || tr->events[from].kind != kind))
		from++;
	return from;
}

/* A fork comes before every event of its child; a vfork child's exec (or,
 * without one, its exit) before its parent's next event. */
static inline int props_check_fork(const struct trace *tr, size_t i, char *msg, size_t cap)
{
	const struct event *f = &tr->events[i];
	int child = f->u.fork.child;
	size_t x, next;

	for (size_t j = 0; j < i; j++)
		if (tr->events[j].pid == child)
			return props_violation(
				msg, cap,
				"event seq %llu (%s of pid %d, t=%lld ns) comes before the fork "
				"that made pid %d (seq %llu in pid %d, t=%lld ns)",
				(unsigned long long)tr->events[j].seq,
				ev_kind_name(tr->events[j].kind), child, (long long)tr->events[j].t,
				child, (unsigned long long)f->seq, f->pid, (long long)f->t);
	if (f->u.fork.via != VIA_VFORK)
		return 0;
	x = props_find(tr, i, child, EV_EXEC);
	if (x == tr->event_count && tr->meta.has_ptrace)
		x = props_find(tr, i, child, EV_EXIT);
	next = i + 1;
	while (next < tr->event_count &&
	       (tr->events[next].pid != f->pid || tr->events[next].t <= f->t))
		next++;
	if (x == tr->event_count || next == tr->event_count || x < next)
		return 0;
	return props_violation(
		msg, cap,
		"vfork child %d's %s (seq %llu, t=%lld ns) comes after its parent %d's next event "
		"(seq %llu, %s, t=%lld ns), although the parent was suspended until then",
		child, ev_kind_name(tr->events[x].kind), (unsigned long long)tr->events[x].seq,
		(long long)tr->events[x].t, f->pid, (unsigned long long)tr->events[next].seq,
		ev_kind_name(tr->events[next].kind), (long long)tr->events[next].t);
}

/* A load comes after a dump of the same size by its sender, to it (or to
 * nobody in particular). */
static inline int props_check_load(const struct trace *tr, size_t i, char *msg, size_t cap)
{
	const struct event *l = &tr->events[i];

	for (size_t j = 0; j < i; j++) {
		const struct event *d = &tr->events[j];

		if (d->kind == EV_PICKLE_DUMP && d->pid == l->u.pickle.peer &&
		    d->u.pickle.size == l->u.pickle.size &&
		    (d->u.pickle.peer == 0 || d->u.pickle.peer == l->pid))
			return 0;
	}
	return props_violation(msg, cap,
			       "pickle.load seq %llu (pid %d, %llu bytes from pid %d, t=%lld ns) "
			       "has no pickle.dump of those bytes by pid %d before it",
			       (unsigned long long)l->seq, l->pid,
			       (unsigned long long)l->u.pickle.size, l->u.pickle.peer,
			       (long long)l->t, l->u.pickle.peer);
}

/* docs/trace-format.md, "Time and causality": a cause never comes after
 * its effect. */
static inline int props_causal_order(const struct trace *tr, char *msg, size_t cap)
{
	for (size_t i = 0; i < tr->event_count; i++) {
		const struct event *ev = &tr->events[i];

		if (ev->kind == EV_FORK && props_check_fork(tr, i, msg, cap) < 0)
			return -1;
		if (ev->kind == EV_PICKLE_LOAD && ev->u.pickle.peer != 0 &&
		    props_check_load(tr, i, msg, cap) < 0)
			return -1;
	}
	return 0;
}

static inline bool props_is_python(const struct process *p)
{
	const char *argv0 = p->argv.count ? p->argv.items[0] : NULL;
	const char *base = argv0 && strrchr(argv0, '/') ? strrchr(argv0, '/') + 1 : argv0;

	return (p->exe && strstr(p->exe, "python")) || (base && strstr(base, "python"));
}

/* Every memory sample says when it was taken, and none of a Python process
 * is the few kB of an image that has just been exec'd. */
static inline int props_python_memory(const struct trace *tr, char *msg, size_t cap)
{
	for (size_t i = 0; i < tr->event_count; i++) {
		const struct event *ev = &tr->events[i];
		const struct process *p;

		if (ev->kind != EV_MEMORY)
			continue;
		if (!ev->u.memory.has_at)
			return props_violation(
				msg, cap,
				"memory sample seq %llu of pid %d (t=%lld ns) has no \"at\"",
				(unsigned long long)ev->seq, ev->pid, (long long)ev->t);
		p = trace_find_proc(tr, ev->pid);
		if (p && props_is_python(p) && ev->u.memory.rss < PROPS_MIN_PYTHON_RSS)
			return props_violation(
				msg, cap,
				"memory sample seq %llu of Python process %d (at %s, t=%lld ns) is "
				"%llu bytes, less than 1 MB: not a running interpreter",
				(unsigned long long)ev->seq, ev->pid, mem_at_name(ev->u.memory.at),
				(long long)ev->t, (unsigned long long)ev->u.memory.rss);
	}
	return 0;
}

/* Every descriptor row the resources panel would show, at every step, pairs
 * one object (replay_check_fd_rows). */
static inline int props_fd_rows(const struct trace *tr, char *msg, size_t cap)
{
	struct mp_err err;

	if (replay_check_fd_rows(tr, &err) < 0)
		return props_violation(msg, cap, "%s", err.msg);
	return 0;
}

struct trace_prop {
	const char *name;
	/* 0, or -1 with the first violation in msg */
	int (*check)(const struct trace *tr, char *msg, size_t cap);
};

/* One row per property; a new property is a function above and a row here. */
static const struct trace_prop trace_props[] = {
	{ "causal order", props_causal_order },
	{ "memory of Python processes", props_python_memory },
	{ "descriptor rows of one moment", props_fd_rows },
};

/* 0 when the (finished) trace has every property; else -1 and msg holds
 * "PROPERTY: the first violation". */
static inline int trace_props_check(const struct trace *tr, char *msg, size_t cap)
{
	char why[768];

	for (size_t i = 0; i < sizeof(trace_props) / sizeof(trace_props[0]); i++)
		if (trace_props[i].check(tr, why, sizeof(why)) < 0) {
			snprintf(msg, cap, "%s: %s", trace_props[i].name, why);
			return -1;
		}
	return 0;
}

#endif

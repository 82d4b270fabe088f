/*
 * finish.c - from the tracer's process records to a finished trace:
 * processes (with their roles, roles.c, and start methods), meta (with
 * the methods used), time order and sequence numbers. Runs once, after merge.c has added the probe's events.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tracer/tracer_internal.h"

/* A fork event can name a child that died before anything about it could be
 * read; the trace still needs a process for it. */
static void add_missing_children(struct tracer *t)
{
	for (size_t i = 0; i < t->tr->event_count; i++) {
		const struct event *ev = &t->tr->events[i];

		if (ev->kind == EV_FORK && !record_find_proc(t, ev->u.fork.child)) {
			struct tproc *c = record_add_proc(t, ev->u.fork.child, ev->pid, ev->t);

			if (c)
				c->has_fork_event = true;
		}
	}
}

static bool has_method(const struct strv *v, const char *method)
{
	for (size_t i = 0; i < v->count; i++)
		if (strcmp(v->items[i], method) == 0)
			return true;
	return false;
}

/* The earliest start_method event (by time, then recording order) whose
 * method is not in v yet, or NULL. */
static const struct event *next_method(const struct trace *tr, const struct strv *v)
{
	const struct event *first = NULL;

	for (size_t i = 0; i < tr->event_count; i++) {
		const struct event *ev = &tr->events[i];

		if (ev->kind != EV_START_METHOD || !ev->u.start_method.method ||
		    has_method(v, ev->u.start_method.method))
			continue;
		if (!first || ev->t < first->t || (ev->t == first->t && ev->seq < first->seq))
			first = ev;
	}
	return first;
}

/* meta.methods: every method the program used, in order of first use. Each
 * process sends start_method once per method it starts a child with, so
 * the events are few; they are not sorted yet. */
static int fill_methods(struct tracer *t, struct mp_err *err)
{
	struct strv *v = &t->tr->meta.methods;
	const struct event *ev;
	size_t count = 0;

	for (size_t i = 0; i < t->tr->event_count; i++)
		count += t->tr->events[i].kind == EV_START_METHOD;
	v->count = 0;
	v->items = NULL;
	if (count == 0)
		return 0;
	v->items = trace_alloc(t->tr, count * sizeof(*v->items));
	if (!v->items)
		return mp_err_set(err, "out of memory while finishing the trace");
	while ((ev = next_method(t->tr, v)) != NULL)
		v->items[v->count++] = ev->u.start_method.method;
	return 0;
}

/* The first method used (fill_methods), else the one mpscope asked for,
 * else the platform default. */
static const char *method_used(struct tracer *t)
{
	if (t->tr->meta.methods.count > 0)
		return t->tr->meta.methods.items[0];
	if (t->o->method && t->o->probe_dir)
		return t->o->method;
	/* The platform default on Linux: fork until 3.13, forkserver from 3.14. */
	if (t->o->python->major > 3 || (t->o->python->major == 3 && t->o->python->minor >= 14))
		return "forkserver";
	return "fork";
}

static const char **strv_items(struct tracer *t, size_t count)
{
	return trace_alloc(t->tr, (count ? count : 1) * sizeof(const char *));
}

static int fill_meta(struct tracer *t, struct mp_err *err)
{
	struct trace_meta *m = &t->tr->meta;
	const struct tracer_opts *o = t->o;
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;

	m->program = o->script;
	m->argv.items = strv_items(t, (size_t)o->arg_count + 1);
	if (!m->argv.items)
		return mp_err_set(err, "out of memory while finishing the trace");
	m->argv.items[0] = o->script;
	for (int i = 0; i < o->arg_count; i++)
		m->argv.items[1 + i] = o->args[i];
	m->argv.count = (size_t)o->arg_count + 1;
	if (fill_methods(t, err) < 0)
		return -1;
	m->method = method_used(t);
	m->requested_method = o->method;
	m->python = o->python->version;
	m->platform = "linux";
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
	m->recorded_at = trace_strdup(t->tr, stamp);
	m->has_ptrace = t->is_traced;
	m->has_probe = o->probe_dir != NULL;
	m->payload_cap = o->payload_cap;
	m->is_all_payloads = m->has_probe && o->all_payloads;
	m->has_payload_keep_first = m->has_probe && !o->all_payloads;
	m->payload_keep_first = o->keep_first;
	if (m->has_probe) {
		m->redacted.items = strv_items(t, 1);
		if (!m->redacted.items)
			return mp_err_set(err, "out of memory while finishing the trace");
		m->redacted.items[0] = "authkey";
		m->redacted.count = 1;
	}
	return m->recorded_at ? 0 : mp_err_set(err, "out of memory while finishing the trace");
}

static int add_processes(struct tracer *t, struct mp_err *err)
{
	for (size_t i = 0; i < t->proc_count; i++) {
		const struct tproc *tp = t->procs[i];
		struct process p = {
			.pid = tp->pid,
			.ppid = record_find_proc(t, tp->ppid) ? tp->ppid : 0,
			.role = roles_of(t, tp),
			.argv = tp->argv,
			.exe = tp->exe,
			.start = tp->start,
			.end = tp->end >= tp->start ? tp->end : tp->start,
			.has_end = tp->has_end,
			.has_exit = tp->has_exit,
			.exit = tp->exit,
			.method = tp->method,
		};

		if (trace_add_process(t->tr, &p, err) < 0)
			return -1;
	}
	return 0;
}

/* Events were numbered as they were recorded (two streams, apart); number
 * them in their final order, and move fds.pass.pickle_seq along. */
static int renumber(struct tracer *t, struct mp_err *err)
{
	struct trace *tr = t->tr;
	size_t *final_of = calloc(t->next_seq ? t->next_seq : 1, sizeof(*final_of));

	if (!final_of)
		return mp_err_set(err, "out of memory while numbering %zu events", tr->event_count);
	for (size_t i = 0; i < tr->event_count; i++)
		if (tr->events[i].seq < t->next_seq)
			final_of[tr->events[i].seq] = i;
	for (size_t i = 0; i < tr->event_count; i++) {
		struct event *ev = &tr->events[i];

		if (ev->kind == EV_FDS_PASS && ev->u.fds_pass.pickle_seq >= 0 &&
		    (uint64_t)ev->u.fds_pass.pickle_seq < t->next_seq)
			ev->u.fds_pass.pickle_seq = (int64_t)final_of[ev->u.fds_pass.pickle_seq];
		ev->seq = i;
	}
	free(final_of);
	return 0;
}

int finish_trace(struct tracer *t, struct mp_err *err)
{
	add_missing_children(t);
	if (t->has_fatal) {
		*err = t->fatal;
		return -1;
	}
	if (fill_meta(t, err) < 0 || add_processes(t, err) < 0)
		return -1;
	if (trace_finish(t->tr, err) < 0)
		return mp_err_prefix(err, "the recorded trace is inconsistent");
	return renumber(t, err);
}

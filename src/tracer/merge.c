/*
 * merge.c - the probe's messages joined with what ptrace saw, and the
 * finished trace: processes with roles, meta, time order.
 *
 * Rules (docs/tracer.md): a message counts only if its "pid" is the
 * connection's SO_PEERCRED pid and, when ptrace ran, a traced process.
 * ptrace is the authority on processes, forks, execs and exits; the probe
 * on pickles, names, roles and start methods. Without ptrace, processes
 * come from probe.hello and probe.spawn.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

#include "tracer/fdpass_links.h"
#include "json/trace_json.h"
#include "pickle/pickle.h"
#include "tracer/probe_server.h"
#include "tracer/tracer_internal.h"

struct merge {
	struct tracer *t;
	bool has_ptrace;
	uint64_t objects; /* JSON objects read, several per packet when batched */
	uint64_t refused;
	struct fdpass_links links;
};

static int int_field(const cJSON *obj, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);

	return cJSON_IsNumber(v) && v->valuedouble > 0 && v->valuedouble <= TRACE_MAX_PID
		? (int)v->valuedouble
		: 0;
}

static const char *str_field(const cJSON *obj, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* A JSON array of strings copied into the trace's arena. */
static void read_argv(struct tracer *t, const cJSON *obj, struct strv *out)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(obj, "argv"), *item;
	int n = cJSON_GetArraySize(arr);
	size_t k = 0;
	const char **items;

	if (!cJSON_IsArray(arr) || n <= 0)
		return;
	items = trace_alloc(t->tr, (size_t)n * sizeof(*items));
	if (!items)
		return;
	cJSON_ArrayForEach(item, arr) if (cJSON_IsString(item) &&
					  (items[k] = trace_strdup(t->tr, item->valuestring))) k++;
	out->items = items;
	out->count = k;
}

/* The probe stamps absolute CLOCK_MONOTONIC ns; the trace counts from t0. */
static int64_t relative_time(const struct tracer *t, const cJSON *obj)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, "t");
	double rel;

	if (!cJSON_IsNumber(v))
		return 0;
	rel = v->valuedouble - (double)t->t0;
	if (!(rel > 0))
		return 0;
	/* Converting a double beyond int64_t is undefined (x86 gives INT64_MIN,
	 * a negative time); past the limit the parser refuses it anyway. */
	return rel <= (double)TRACE_MAX_TIME_NS ? (int64_t)rel : TRACE_MAX_TIME_NS + 1;
}

static struct tproc *proc_for(struct merge *m, int pid, int64_t when)
{
	struct tproc *p = tracer_find(m->t, pid);

	if (!p && !m->has_ptrace)
		p = tracer_add_proc(m->t, pid, 0, when);
	return p;
}

static void add_fork(struct merge *m, int parent, int child, enum fork_via via, int64_t when,
		     const cJSON *argv_from)
{
	struct tproc *c = proc_for(m, child, when), *pp = tracer_find(m->t, parent);
	struct event ev = { .t = when, .pid = parent, .kind = EV_FORK };

	if (!c || c->has_fork_event)
		return;
	c->has_fork_event = true;
	c->ppid = parent;
	c->via = via;
	if (argv_from)
		read_argv(m->t, argv_from, &c->argv);
	else if (pp && c->argv.count == 0)
		c->argv = pp->argv;
	ev.u.fork.child = child;
	ev.u.fork.via = via;
	tracer_emit(m->t, &ev);
}

/* Without ptrace a fork child's hello ("forked": true) is the only sign
 * of its fork. */
static void on_hello(struct merge *m, struct tproc *p, const cJSON *obj, int64_t when)
{
	const char *exe = str_field(obj, "executable");
	int ppid = int_field(obj, "ppid");

	if (m->has_ptrace || p->is_root)
		return; /* /proc or the launch already told us, with the real argv */
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(obj, "forked")) && ppid &&
	    proc_for(m, ppid, when))
		add_fork(m, ppid, p->pid, VIA_FORK, when, NULL);
	if (!p->ppid)
		p->ppid = ppid;
	if (p->argv.count == 0)
		read_argv(m->t, obj, &p->argv);
	if (!p->exe && exe)
		p->exe = trace_strdup(m->t->tr, exe);
}

static void fill_globals(struct tracer *t, struct event *ev)
{
	struct pickle_global *g = NULL;
	size_t count = 0;
	struct global_ref *refs;

	if (!ev->u.pickle.bytes || ev->u.pickle.global_count > 0)
		return;
	/* Truncated payloads fail at the cut; the globals before it still count. */
	pickle_globals(ev->u.pickle.bytes, ev->u.pickle.bytes_len, &t->tr->arena, &g, &count, NULL);
	if (!g || count == 0)
		return;
	refs = trace_alloc(t->tr, count * sizeof(*refs));
	if (!refs)
		return;
	for (size_t i = 0; i < count; i++)
		refs[i] = (struct global_ref){ .module = g[i].module, .name = g[i].name };
	ev->u.pickle.globals = refs;
	ev->u.pickle.global_count = count;
}

/* True when ptrace already recorded what this event says. */
static bool is_duplicate_of_ptrace(const struct event *ev)
{
	if (ev->kind == EV_FORK || ev->kind == EV_EXEC || ev->kind == EV_EXIT ||
	    ev->kind == EV_PROC_START || ev->kind == EV_FDS || ev->kind == EV_THREADS ||
	    ev->kind == EV_MEMORY || ev->kind == EV_OUTPUT)
		return true;
	return ev->kind == EV_FDS_PASS &&
		(ev->u.fds_pass.via == PASS_FORK || ev->u.fds_pass.via == PASS_EXEC);
}

static void on_event(struct merge *m, struct tproc *p, cJSON *obj, int64_t when)
{
	struct event ev;
	struct mp_err err;
	size_t added;
	cJSON *rel_t = cJSON_CreateNumber((double)when);

	/* The parser wants trace time; the probe sent absolute time. With no
	 * "t" to replace, cJSON leaves the new item to us (and the parser
	 * refuses the event). */
	if (!cJSON_ReplaceItemInObjectCaseSensitive(obj, "t", rel_t))
		cJSON_Delete(rel_t);
	if (trace_json_parse_event(m->t->tr, obj, "probe message", &ev, &err) < 0) {
		/* A probe bug, not an attack (the sender was checked): the event
		 * is lost, and the trace must say it is incomplete. */
		m->t->tr->meta.dropped_events++;
		return;
	}
	if (m->has_ptrace && is_duplicate_of_ptrace(&ev))
		return;
	if (ev.kind == EV_FORK) {
		add_fork(m, p->pid, ev.u.fork.child, ev.u.fork.via, when, NULL);
		return;
	}
	if (ev.kind == EV_PICKLE_DUMP || ev.kind == EV_PICKLE_LOAD)
		fill_globals(m->t, &ev);
	ev.pid = p->pid;
	added = m->t->tr->event_count;
	tracer_emit(m->t, &ev);
	if (m->t->tr->event_count == added)
		return; /* out of memory: recorded in t->fatal */
	if (ev.kind == EV_FDS_PASS)
		fdpass_links_note_pass(&m->links, obj, added);
	else if (ev.kind == EV_PICKLE_DUMP)
		fdpass_links_note_dump(&m->links, obj, ev.seq);
}

/* One JSON object of a packet; takes ownership of obj. */
static void on_object(struct merge *m, int peer_pid, cJSON *obj)
{
	const char *kind;
	int pid;
	int64_t when;
	struct tproc *p;

	m->objects++;
	if (!cJSON_IsObject(obj) || !(kind = str_field(obj, "kind"))) {
		m->refused++;
		cJSON_Delete(obj);
		return;
	}
	pid = int_field(obj, "pid");
	when = relative_time(m->t, obj);
	if (pid != peer_pid || !(p = proc_for(m, pid, when))) {
		m->refused++; /* not the sender, or not a process of this run */
		cJSON_Delete(obj);
		return;
	}
	if (strcmp(kind, "probe.hello") == 0) {
		on_hello(m, p, obj, when);
	} else if (strcmp(kind, "probe.role") == 0) {
		int r = role_from_name(str_field(obj, "role") ? str_field(obj, "role") : "");

		if (r >= 0) {
			p->role = (enum role)r;
			p->has_probe_role = true;
		}
	} else if (strcmp(kind, "probe.spawn") == 0) {
		/* 3.11's _posixsubprocess starts it with vfork; ptrace saw it already. */
		if (!m->has_ptrace && int_field(obj, "child"))
			add_fork(m, pid, int_field(obj, "child"), VIA_VFORK, when, obj);
	} else if (strcmp(kind, "probe.fds_recv") == 0) {
		fdpass_links_note_recv(&m->links, obj);
	} else if (strcmp(kind, "probe.dropped") == 0) {
		m->t->tr->meta.dropped_events += (uint64_t)int_field(obj, "count");
	} else if (strncmp(kind, "probe.", 6) != 0) {
		on_event(m, p, obj, when);
	}
	cJSON_Delete(obj);
}

/* A packet holds one JSON object, or several separated by '\n' (the probe
 * sends a load together with the find_class events raised while it ran;
 * docs/probe-protocol.md, "Transport"). A malformed object ends the packet:
 * it and the rest are refused. */
static void on_message(struct merge *m, const struct probe_msg *msg)
{
	const char *at = msg->data, *end = msg->data + msg->len;

	while (at < end) {
		const char *stop = NULL;
		cJSON *obj = cJSON_ParseWithLengthOpts(at, (size_t)(end - at), &stop, false);

		on_object(m, msg->peer_pid, obj);
		if (!obj || !stop || stop <= at)
			return;
		at = stop;
		while (at < end && (*at == '\n' || *at == ' ' || *at == '\r' || *at == '\t'))
			at++;
	}
}

static bool is_probe_socket(const struct probe_server *ps, const struct fd_entry *e)
{
	unsigned long long ino;

	if (e->type != FD_SOCKET || !e->target || sscanf(e->target, "socket:[%llu]", &ino) != 1)
		return false;
	for (size_t i = 0; i < ps->probe_inode_count; i++)
		if (ps->probe_inodes[i] == ino)
			return true;
	return false;
}

/* Returns the list without the probe's sockets: a new array when something
 * goes (lists are shared between events, so never edited in place). */
static struct fd_entry *without_probe(struct tracer *t, const struct probe_server *ps,
				      struct fd_entry *fds, size_t *count)
{
	size_t kept = 0;
	struct fd_entry *out;

	for (size_t i = 0; i < *count; i++)
		kept += !is_probe_socket(ps, &fds[i]);
	if (kept == *count)
		return fds;
	out = kept ? trace_alloc(t->tr, kept * sizeof(*out)) : NULL;
	if (kept && !out)
		return fds; /* out of memory: better a noisy table than none */
	kept = 0;
	for (size_t i = 0; i < *count; i++)
		if (!is_probe_socket(ps, &fds[i]))
			out[kept++] = fds[i];
	*count = kept;
	return out;
}

/* The probe's connection is mpscope's, not the program's: it must not show
 * as something the program opened, inherited or lost at exec. */
static void hide_probe_sockets(struct tracer *t, const struct probe_server *ps)
{
	for (size_t i = 0; ps->probe_inode_count && i < t->tr->event_count; i++) {
		struct event *ev = &t->tr->events[i];

		if (ev->kind == EV_FDS) {
			ev->u.fds.fds = without_probe(t, ps, ev->u.fds.fds, &ev->u.fds.fd_count);
		} else if (ev->kind == EV_FDS_PASS) {
			ev->u.fds_pass.fds =
				without_probe(t, ps, ev->u.fds_pass.fds, &ev->u.fds_pass.fd_count);
			ev->u.fds_pass.closed = without_probe(t, ps, ev->u.fds_pass.closed,
							      &ev->u.fds_pass.closed_count);
		}
	}
}

int merge_probe_messages(struct tracer *t, struct probe_server *ps, struct mp_err *err)
{
	struct merge m = { .t = t, .has_ptrace = t->is_traced };

	fdpass_links_init(&m.links);
	for (const struct probe_msg *msg = ps->head; msg; msg = msg->next) {
		on_message(&m, msg);
		if (t->has_fatal) {
			fdpass_links_release(&m.links);
			*err = t->fatal;
			return -1;
		}
	}
	/* Before hiding: that copies the fd lists `as` is written into. */
	fdpass_links_apply(&m.links, t->tr);
	fdpass_links_release(&m.links);
	hide_probe_sockets(t, ps);
	/* A message too big to accept held at least one event the trace now
	 * lacks: say so, as for events the probe itself could not send. */
	t->tr->meta.dropped_events += ps->oversized;
	t->res->probe_messages = m.objects - m.refused;
	return 0;
}

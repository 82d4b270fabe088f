/*
 * merge.c - the probe's messages joined with what ptrace saw.
 *
 * Rules (docs/tracer.md): a message counts only if its "pid" is the
 * connection's SO_PEERCRED pid and, when ptrace ran, a traced process.
 * ptrace is the authority on processes, forks, execs and exits; the probe
 * on pickles, names, roles and start methods (the program's, and each
 * child's from probe.launch). Without ptrace, processes
 * come from probe.hello and probe.spawn. The messages arrive read
 * (json/probe_json.h); finish.c then makes the finished trace.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "json/probe_json.h"
#include "pickle/pickle.h"
#include "tracer/fdpass_links.h"
#include "tracer/probe_server.h"
#include "tracer/tally.h"
#include "tracer/tracer_internal.h"

/* A probe.launch: which method started which child. */
struct launch {
	int child;
	const char *method; /* in the trace's arena */
};

struct merge {
	struct tracer *t;
	bool has_ptrace;
	int peer_pid; /* the sender of the packet being read (SO_PEERCRED) */
	bool is_verified; /* the sender was checked to be ours when it connected */
	uint64_t objects; /* JSON objects read, several per packet when batched */
	uint64_t refused;
	struct fdpass_links links;
	struct launch *launches;
	size_t launch_count, launch_cap;
	int dir_fd; /* the probe's private folder, where tally files are; -1 */
};

static struct tproc *proc_for(struct merge *m, int pid, int64_t when)
{
	struct tproc *p = record_find_proc(m->t, pid);

	if (!p && !m->has_ptrace)
		p = record_add_proc(m->t, pid, 0, when);
	return p;
}

/* argv: the command line a probe.spawn gave (kept when it holds a
 * string), else NULL: a fork child runs its parent's. */
static void add_fork(struct merge *m, int parent, int child, enum fork_via via, int64_t when,
		     const struct strv *argv)
{
	struct tproc *c = proc_for(m, child, when), *pp = record_find_proc(m->t, parent);
	struct event ev = { .t = when, .pid = parent, .kind = EV_FORK };

	if (!c || c->has_fork_event)
		return;
	c->has_fork_event = true;
	c->ppid = parent;
	c->via = via;
	if (argv) {
		if (argv->count > 0)
			c->argv = *argv;
	} else if (pp && c->argv.count == 0) {
		c->argv = pp->argv;
	}
	ev.u.fork.child = child;
	ev.u.fork.via = via;
	record_event(m->t, &ev);
}

/* Without ptrace a fork child's hello ("forked": true) is the only sign
 * of its fork. */
static void on_hello(struct merge *m, struct tproc *p, const struct probe_message *msg)
{
	int ppid = msg->u.hello.ppid;

	if (m->has_ptrace || p->is_root)
		return; /* /proc or the launch already told us, with the real argv */
	if (msg->u.hello.is_forked && ppid && proc_for(m, ppid, msg->t))
		add_fork(m, ppid, p->pid, VIA_FORK, msg->t, NULL);
	if (!p->ppid)
		p->ppid = ppid;
	if (p->argv.count == 0)
		p->argv = msg->u.hello.argv;
	if (!p->exe)
		p->exe = msg->u.hello.executable;
}

/* The parent's Popen._launch named the child and the start method: the
 * method belongs to the child (a program may use several). Kept until every
 * packet is read: without ptrace the child is known only from its own
 * messages, which may come later. */
static void on_launch(struct merge *m, const struct probe_message *msg)
{
	struct launch *grown;

	if (!msg->u.launch.child || !msg->u.launch.method)
		return;
	if (m->launch_count == m->launch_cap) {
		size_t cap = m->launch_cap ? 2 * m->launch_cap : 16;

		grown = realloc(m->launches, cap * sizeof(*grown));
		if (!grown) {
			struct mp_err err;

			mp_err_set(&err, "out of memory while reading %zu process starts",
				   m->launch_count);
			record_failure(m->t, &err);
			return;
		}
		m->launches = grown;
		m->launch_cap = cap;
	}
	m->launches[m->launch_count++] =
		(struct launch){ .child = msg->u.launch.child, .method = msg->u.launch.method };
}

static void apply_launches(struct merge *m)
{
	for (size_t i = 0; i < m->launch_count; i++) {
		struct tproc *c = record_find_proc(m->t, m->launches[i].child);

		if (c)
			c->method = m->launches[i].method;
	}
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

static void on_event(struct merge *m, struct tproc *p, struct probe_message *msg)
{
	struct event *ev = &msg->ev;
	size_t added;

	if (!msg->is_valid) {
		/* A probe bug, not an attack (the sender was checked): the event
		 * is lost, and the trace must say it is incomplete. */
		m->t->tr->meta.dropped_events++;
		return;
	}
	if (m->has_ptrace && is_duplicate_of_ptrace(ev))
		return;
	if (ev->kind == EV_FORK) {
		add_fork(m, p->pid, ev->u.fork.child, ev->u.fork.via, msg->t, NULL);
		return;
	}
	if (ev->kind == EV_PICKLE_DUMP || ev->kind == EV_PICKLE_LOAD)
		fill_globals(m->t, ev);
	ev->pid = p->pid;
	added = m->t->tr->event_count;
	record_event(m->t, ev);
	if (m->t->tr->event_count == added)
		return; /* out of memory: recorded in t->fatal */
	if (ev->kind == EV_FDS_PASS)
		fdpass_links_note_pass(&m->links, added, msg->pass_ref, msg->pickle_ref);
	else if (ev->kind == EV_PICKLE_DUMP)
		fdpass_links_note_dump(&m->links, ev->seq, &msg->pickle_refs);
}

/* The end of process p as the trace will tell it: its exit, or the end of
 * the run for one that never ended (killed with the run, or no ptrace). */
static int64_t end_of(const struct merge *m, const struct tproc *p)
{
	return p->has_end ? p->end : run_now(m->t);
}

/* probe.tally: the pickles p counted without sending, one pickle.summary
 * event per purpose and direction it counted any of. A tally that cannot
 * be read lost what it counted: the trace says it is incomplete. */
static void on_tally(struct merge *m, struct tproc *p, const struct probe_message *msg)
{
	struct tally tally;

	if (m->dir_fd < 0 || tally_read(m->dir_fd, msg->u.tally.file, p->pid, &tally) < 0) {
		m->t->tr->meta.dropped_events++;
		return;
	}
	for (int slot = 0; slot < TALLY_SLOT_COUNT; slot++) {
		struct event ev = { .t = end_of(m, p), .pid = p->pid, .kind = EV_PICKLE_SUMMARY };

		if (!tally.count[slot])
			continue;
		ev.u.pickle_summary.what = tally_what(slot);
		ev.u.pickle_summary.op = tally_direction(slot);
		ev.u.pickle_summary.count = tally.count[slot];
		ev.u.pickle_summary.size = tally.size[slot];
		record_event(m->t, &ev);
	}
}

/* A sender that had ended before its connection could be checked counts as
 * ours when the run knows it (ptrace saw its fork), or, without ptrace,
 * when its hello names a parent the run knows. */
static bool is_known_sender(struct merge *m, const struct probe_message *msg)
{
	if (m->is_verified || record_find_proc(m->t, msg->pid))
		return true;
	return !m->has_ptrace && msg->kind == PROBE_HELLO && msg->u.hello.ppid &&
		record_find_proc(m->t, msg->u.hello.ppid);
}

static void on_message(struct probe_message *msg, void *ctx)
{
	struct merge *m = ctx;
	struct tproc *p;

	m->objects++;
	if (msg->kind == PROBE_NOT_A_MESSAGE) {
		m->refused++;
		return;
	}
	if (msg->pid != m->peer_pid || !is_known_sender(m, msg) ||
	    !(p = proc_for(m, msg->pid, msg->t))) {
		m->refused++; /* not the sender, or not a process of this run */
		return;
	}
	switch (msg->kind) {
	case PROBE_EVENT:
		on_event(m, p, msg);
		break;
	case PROBE_HELLO:
		on_hello(m, p, msg);
		break;
	case PROBE_ROLE:
		if (msg->u.role.has_role) {
			p->role = msg->u.role.role;
			p->has_probe_role = true;
		}
		break;
	case PROBE_SPAWN:
		/* 3.11's _posixsubprocess starts it with vfork; ptrace saw it already. */
		if (!m->has_ptrace && msg->u.spawn.child)
			add_fork(m, p->pid, msg->u.spawn.child, VIA_VFORK, msg->t,
				 &msg->u.spawn.argv);
		break;
	case PROBE_FDS_RECV:
		fdpass_links_note_recv(&m->links, msg->pass_ref, msg->u.fds_recv.fds,
				       msg->u.fds_recv.fd_count);
		break;
	case PROBE_DROPPED:
		m->t->tr->meta.dropped_events += (uint64_t)msg->u.dropped.count;
		break;
	case PROBE_LAUNCH:
		on_launch(m, msg);
		break;
	case PROBE_TALLY:
		on_tally(m, p, msg);
		break;
	default:
		break; /* a probe.* kind with nothing for the trace */
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
	struct probe_json pj;

	m.dir_fd = open(ps->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	probe_json_init(&pj, t->t0);
	fdpass_links_init(&m.links);
	/* A packet holds one message or several (the probe sends a load
	 * together with the find_class events raised while it ran;
	 * docs/probe-protocol.md, "Transport"). */
	for (const struct probe_packet *pkt = ps->head; pkt; pkt = pkt->next) {
		m.peer_pid = pkt->peer_pid;
		m.is_verified = pkt->is_verified;
		probe_json_read_packet(&pj, t->tr, pkt->data, pkt->len, on_message, &m);
		if (t->has_fatal) {
			fdpass_links_release(&m.links);
			free(m.launches);
			if (m.dir_fd >= 0)
				close(m.dir_fd);
			*err = t->fatal;
			return -1;
		}
	}
	apply_launches(&m);
	free(m.launches);
	if (m.dir_fd >= 0)
		close(m.dir_fd);
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

/*
 * narrate_fds.c - the narration of descriptors crossing a process
 * boundary: inherited at a fork, kept or closed at an exec, sent over a
 * Unix socket or the resource sharer.
 *
 * Who closes what is told from the exec's own fds.pass of each process
 * and from its role, never from the trace's start method: the resource
 * tracker and the forkserver are started the same way under every method.
 * What a descriptor is comes from fds.label when the trace has it. Part of
 * replay/ (trace/ -> replay/ -> ui/).
 */
#include "replay/narrate_internal.h"

#include <string.h>

#define LIST_SHOWN 6

/* "4 (the resource tracker's pipe)", "3 (notes.txt)", "2 (pipe)". */
static void add_fd_word(const struct replay *rp, int pid, const struct fd_entry *e,
			struct sbuf *out)
{
	struct fd_role role = replay_fd_role(rp, pid, e);
	const char *phrase = role.kind == FD_ROLE_LABEL ? replay_fd_role_phrase(&role) : NULL;

	if (phrase)
		sbuf_adds(out, phrase);
	else if (e->type == FD_FILE && e->target)
		replay_fd_name(e, false, out);
	else
		sbuf_adds(out, fd_type_name(e->type));
}

/* "8 (pipe) as 10, ..." when by_as: the number the receiver got. */
static void add_fd_list(const struct replay *rp, int pid, const struct fd_entry *fds, size_t count,
			bool by_as, struct sbuf *out)
{
	for (size_t i = 0; i < count && i < LIST_SHOWN; i++) {
		sbuf_addf(out, "%s%d (", i ? ", " : "", fds[i].fd);
		add_fd_word(rp, pid, &fds[i], out);
		sbuf_adds(out, ")");
		if (by_as && fds[i].as_fd >= 0)
			sbuf_addf(out, " as %d", fds[i].as_fd);
	}
	if (count > LIST_SHOWN)
		sbuf_addf(out, " and %zu more", count - LIST_SHOWN);
}

static bool is_std(int fd)
{
	return fd >= 0 && fd <= 2;
}

/* "all but 0, 1, 2 (the standard streams) and 4, 5, 6 (the ones
 * multiprocessing passes: the resource tracker's pipe, ...)". */
static void add_all_but(const struct replay *rp, const struct event *kept, struct sbuf *out)
{
	const struct fd_entry *fds = kept->u.fds_pass.fds;
	size_t n = kept->u.fds_pass.fd_count, std = 0, rest = 0, said = 0;
	const struct process *p = trace_find_proc(rp->tr, kept->pid);
	bool labelled = false;

	for (size_t i = 0; i < n; i++) {
		if (is_std(fds[i].fd))
			std++;
		else
			rest++;
	}
	if (n == 0) {
		sbuf_adds(out, "every one of them");
		return;
	}
	sbuf_adds(out, "all but ");
	for (size_t i = 0; i < n; i++)
		if (is_std(fds[i].fd))
			sbuf_addf(out, "%s%d", said++ ? ", " : "", fds[i].fd);
	if (std)
		sbuf_addf(out, " (the standard stream%s)", std == 1 ? "" : "s");
	if (!rest)
		return;
	sbuf_adds(out, std ? " and " : "");
	said = 0;
	for (size_t i = 0; i < n; i++)
		if (!is_std(fds[i].fd))
			sbuf_addf(out, "%s%d", said++ ? ", " : "", fds[i].fd);
	sbuf_addf(out, " (the one%s %s", rest == 1 ? "" : "s",
		  p && narrate_is_mp_started(rp, p) ? "multiprocessing passes" : "passed to it");
	/* What each one is, when the trace says it of any. */
	for (size_t i = 0; i < n && !labelled; i++)
		labelled = !is_std(fds[i].fd) &&
			replay_fd_role(rp, kept->pid, &fds[i]).kind == FD_ROLE_LABEL;
	said = 0;
	for (size_t i = 0; i < n && labelled; i++) {
		if (is_std(fds[i].fd))
			continue;
		sbuf_adds(out, said++ ? ", " : ": ");
		if (replay_fd_role(rp, kept->pid, &fds[i]).kind != FD_ROLE_LABEL &&
		    fds[i].type != FD_FILE)
			sbuf_adds(out, "a ");
		add_fd_word(rp, kept->pid, &fds[i], out);
	}
	sbuf_adds(out, ")");
}

/* How far after an exec, or a pass to the forkserver, the narration looks
 * for what follows it: the tracer records it at once, so beyond this the
 * trace does not have it and nothing is said. */
#define LOOK_AHEAD_EVENTS 4096

/* The fds.pass via exec that event `exec` (of pid) led to, or NULL. */
static const struct event *exec_pass_after(const struct trace *tr, const struct event *exec,
					   int pid)
{
	size_t from = (size_t)(exec - tr->events) + 1;

	for (size_t i = from; i < tr->event_count && i - from < LOOK_AHEAD_EVENTS; i++) {
		const struct event *ev = &tr->events[i];

		if (ev->pid == pid && ev->kind == EV_EXEC)
			return NULL;
		if (ev->kind == EV_FDS_PASS && ev->u.fds_pass.via == PASS_EXEC && ev->pid == pid)
			return ev;
	}
	return NULL;
}

/* At a fork: a copy of every descriptor - and, when an exec follows, for
 * an instant only. */
static void say_inherited(const struct replay *rp, const struct step *s, const struct event *ev,
			  struct sbuf *out)
{
	int to = ev->u.fds_pass.to ? ev->u.fds_pass.to : s->pid;
	size_t n = ev->u.fds_pass.fd_count;
	const struct replay_proc_facts *f = replay_proc_facts(rp, to);
	bool will_exec = narrate_execs_after(rp, s->ev, to);
	const struct event *kept =
		will_exec ? exec_pass_after(rp->tr, &rp->tr->events[f->first_exec], to) : NULL;

	if (will_exec) {
		sbuf_addf(out, "%d starts as a copy of %d with its %zu descriptor%s", to, s->pid, n,
			  n == 1 ? "" : "s");
		if (kept) {
			sbuf_adds(out, "; its exec then closes ");
			add_all_but(rp, kept, out);
			sbuf_adds(out, ".");
		} else {
			sbuf_adds(out, ", for an instant: it execs at once.");
		}
		return;
	}
	sbuf_addf(out, "%d inherited %zu fd%s from %d by fork: ", to, n, n == 1 ? "" : "s", s->pid);
	add_fd_list(rp, s->pid, ev->u.fds_pass.fds, n, false, out);
	sbuf_adds(out, ". A forked child gets a copy of every open descriptor.");
}

/* Who decided what the exec kept: multiprocessing, for the processes it
 * starts; for others the trace does not say. */
static void say_who_closed(const struct replay *rp, int pid, struct sbuf *out)
{
	const struct process *p = trace_find_proc(rp->tr, pid);
	const char *who;

	if (!p || !narrate_is_mp_started(rp, p))
		return;
	if (p->role == ROLE_RESOURCE_TRACKER)
		who = "The resource tracker";
	else if (p->role == ROLE_FORKSERVER)
		who = "The forkserver";
	else
		who = "A spawned child";
	sbuf_addf(out,
		  " %s gets only the standard streams and the descriptors multiprocessing passes.",
		  who);
}

/* The table process pid had just before the exec that event i reports
 * (its table at fork or start), or NULL when the trace has none. */
static const struct event *table_before_exec(const struct trace *tr, size_t i, int pid)
{
	bool is_past_exec = false;

	while (i-- > 0) {
		const struct event *ev = &tr->events[i];

		if (ev->pid != pid)
			continue;
		if (ev->kind == EV_EXEC)
			is_past_exec = true;
		else if (is_past_exec && ev->kind == EV_FDS)
			return ev;
	}
	return NULL;
}

/* The fds an exec closed: as the tracer recorded them, or else what the
 * table before the exec had and the pass's list lacks. */
static void say_kept(const struct replay *rp, const struct step *s, const struct event *ev,
		     struct sbuf *out)
{
	const struct fd_entry *closed = ev->u.fds_pass.closed;
	size_t n = ev->u.fds_pass.fd_count, count = ev->u.fds_pass.closed_count, said = 0;
	const struct event *before = NULL;

	sbuf_addf(out, "At exec %d kept %zu fd%s", s->pid, n, n == 1 ? "" : "s");
	if (n) {
		sbuf_adds(out, ": ");
		add_fd_list(rp, s->pid, ev->u.fds_pass.fds, n, false, out);
	}
	sbuf_adds(out, ".");
	if (count == 0) {
		before = table_before_exec(rp->tr, s->ev, s->pid);
		if (!before)
			return;
		closed = before->u.fds.fds;
		count = before->u.fds.fd_count;
	}
	for (size_t i = 0; i < count; i++) {
		const struct fd_entry *c = &closed[i];

		if (before && trace_fd_find(ev->u.fds_pass.fds, n, c->fd))
			continue;
		if (++said > 4)
			continue;
		sbuf_adds(out, said == 1 ? " Closed at exec: " : ", ");
		sbuf_addf(out, "%d (", c->fd);
		add_fd_word(rp, s->pid, c, out);
		sbuf_adds(out, ")");
	}
	if (said > 4)
		sbuf_addf(out, " and %zu more", said - 4);
	if (!said)
		return;
	sbuf_adds(out, ".");
	say_who_closed(rp, s->pid, out);
}

/* After a pass to the forkserver: does its next fork give the child every
 * descriptor passed? Then that child is who they were for. */
static int forkserver_child_of(const struct trace *tr, const struct event *pass)
{
	size_t from = (size_t)(pass - tr->events) + 1;

	for (size_t i = from; i < tr->event_count && i - from < LOOK_AHEAD_EVENTS; i++) {
		const struct event *ev = &tr->events[i];
		bool has_all = true;

		if (ev->kind != EV_FDS_PASS || ev->pid != pass->u.fds_pass.to ||
		    ev->u.fds_pass.via != PASS_FORK)
			continue;
		for (size_t j = 0; j < pass->u.fds_pass.fd_count && has_all; j++) {
			const struct fd_entry *p = &pass->u.fds_pass.fds[j];
			const struct fd_entry *got = trace_fd_find(
				ev->u.fds_pass.fds, ev->u.fds_pass.fd_count, p->as_fd);

			has_all = p->as_fd >= 0 && p->target && got && got->target &&
				strcmp(got->target, p->target) == 0;
		}
		return has_all ? ev->u.fds_pass.to : 0;
	}
	return 0;
}

void narrate_fds_pass(const struct replay *rp, const struct step *s, struct sbuf *out)
{
	const struct event *ev = &rp->tr->events[s->ev];
	size_t n = ev->u.fds_pass.fd_count;
	int to = ev->u.fds_pass.to ? ev->u.fds_pass.to : s->pid;
	const struct process *receiver = trace_find_proc(rp->tr, to);
	bool is_server = receiver && receiver->role == ROLE_FORKSERVER;
	int child;

	switch (ev->u.fds_pass.via) {
	case PASS_FORK:
		say_inherited(rp, s, ev, out);
		break;
	case PASS_EXEC:
		say_kept(rp, s, ev, out);
		break;
	case PASS_SCM_RIGHTS:
		sbuf_addf(out, "%d sent %zu fd%s to %s%d over a Unix socket (SCM_RIGHTS): ", s->pid,
			  n, n == 1 ? "" : "s", is_server ? "the forkserver " : "", to);
		add_fd_list(rp, s->pid, ev->u.fds_pass.fds, n, true, out);
		sbuf_adds(out, ". The kernel installs copies in the receiver under new numbers.");
		child = is_server ? forkserver_child_of(rp->tr, ev) : 0;
		if (child)
			sbuf_addf(out, " The forkserver's next child, %d, inherits them by fork.",
				  child);
		break;
	case PASS_RESOURCE_SHARER:
		sbuf_addf(out, "%d handed %zu fd%s to %d through its resource sharer: ", s->pid, n,
			  n == 1 ? "" : "s", to);
		add_fd_list(rp, s->pid, ev->u.fds_pass.fds, n, true, out);
		sbuf_adds(out,
			  ". The pickle carried only a reference; the fd itself came over a "
			  "Unix socket.");
		break;
	case PASS_VIA_COUNT:
		break;
	}
}

/*
 * fdrows.c - a process's descriptors beside its parent's, one object per
 * row: the pure query behind the resources panel, and the property the
 * e2e checker holds every recorded trace to.
 *
 * The parent's side is its table at the moment the descriptors came from
 * (at the process's fork, or what a pass over a socket named), never its
 * table now: a row must never pair two different pipes because the parent
 * opened new ones since. Also the panel's words for how a descriptor came
 * and for a process's memory, which the screen and the exported page share.
 * Part of replay/ (trace/ -> replay/ -> ui/).
 */
#include "replay/replay.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void replay_memory_text(uint64_t bytes, char *buf, size_t len)
{
	if (bytes >= 1000000)
		snprintf(buf, len, "%.1f MB", (double)bytes / 1e6);
	else
		snprintf(buf, len, "%llu kB", (unsigned long long)(bytes / 1000));
}

const char *replay_fd_how_word(enum fd_how how)
{
	static const char *const words[FD_HOW_COUNT] = {
		[FD_HOW_UNKNOWN] = "",
		[FD_HOW_SHELL] = "from the shell",
		[FD_HOW_FORK] = "◄ fork",
		[FD_HOW_KEPT] = "kept",
		[FD_HOW_SOCKET] = "◄ socket",
		[FD_HOW_SHARER] = "◄ sharer",
		[FD_HOW_CLOSED] = "closed at exec",
	};

	return how >= 0 && how < FD_HOW_COUNT ? words[how] : "";
}

static bool same_object(const struct fd_entry *a, const struct fd_entry *b)
{
	if (a->type != b->type)
		return false;
	if (a->target && b->target)
		return strcmp(a->target, b->target) == 0;
	/* Without targets the type and number, of one moment, are all
	 * there is to go by. */
	return true;
}

void fd_rows_init(struct fd_rows *r)
{
	memset(r, 0, sizeof(*r));
	r->first_step_row = SIZE_MAX;
}

void fd_rows_release(struct fd_rows *r)
{
	free(r->rows);
	fd_rows_init(r);
}

/* A table: an fds event's list or an fds.pass's. */
struct table {
	const struct fd_entry *fds;
	size_t count;
};

static struct table table_of(const struct event *ev)
{
	if (!ev)
		return (struct table){ NULL, 0 };
	if (ev->kind == EV_FDS_PASS)
		return (struct table){ ev->u.fds_pass.fds, ev->u.fds_pass.fd_count };
	return (struct table){ ev->u.fds.fds, ev->u.fds.fd_count };
}

/* The entry with number fd in t that is the same object as e, or NULL. */
static const struct fd_entry *find_same(struct table t, int fd, const struct fd_entry *e)
{
	const struct fd_entry *x = trace_fd_find(t.fds, t.count, fd);

	return x && same_object(x, e) ? x : NULL;
}

struct builder {
	struct fd_rows *r;
	size_t cap;
	bool *used; /* per entry of the parent's table: paired with a row */
	bool is_oom;
};

static struct fd_row *add_row(struct builder *b, int fd, enum fd_how how)
{
	struct fd_row *row;

	if (b->is_oom)
		return NULL;
	if (b->r->count == b->cap) {
		size_t ncap = b->cap ? b->cap * 2 : 32;
		struct fd_row *n = realloc(b->r->rows, ncap * sizeof(*n));

		if (!n) {
			b->is_oom = true;
			return NULL;
		}
		b->r->rows = n;
		b->cap = ncap;
	}
	row = &b->r->rows[b->r->count++];
	*row = (struct fd_row){ .fd = fd, .how = how };
	return row;
}

/* The parent's entry for number fd of the same object as e, marked used. */
static const struct fd_entry *pair_parent(struct builder *b, struct table parent, int fd,
					  const struct fd_entry *e)
{
	const struct fd_entry *p = find_same(parent, fd, e);

	if (p && b->used)
		b->used[p - parent.fds] = true;
	return p;
}

/* The newest socket pass to ps that gave it this object as number fd. */
static const struct fd_entry *received(const struct proc_state *ps, int fd,
				       const struct fd_entry *e, const struct event **pass)
{
	for (size_t i = 0; i < REPLAY_SOCK_PASSES && ps->sock_in[i]; i++) {
		const struct event *ev = ps->sock_in[i];

		for (size_t j = 0; j < ev->u.fds_pass.fd_count; j++) {
			const struct fd_entry *p = &ev->u.fds_pass.fds[j];

			if (p->as_fd == fd && same_object(p, e)) {
				*pass = ev;
				return p;
			}
		}
	}
	return NULL;
}

static enum fd_how how_of_pass(const struct event *pass)
{
	return pass->u.fds_pass.via == PASS_RESOURCE_SHARER ? FD_HOW_SHARER : FD_HOW_SOCKET;
}

/* Did a pass newer than the table `own` give the process another object
 * under this number? Then the table's entry is gone, replaced. */
static bool is_replaced(const struct proc_state *ps, const struct event *own,
			const struct fd_entry *e)
{
	for (size_t i = 0; i < REPLAY_SOCK_PASSES && ps->sock_in[i]; i++) {
		const struct event *ev = ps->sock_in[i];

		if (own && ev < own)
			continue;
		for (size_t j = 0; j < ev->u.fds_pass.fd_count; j++)
			if (ev->u.fds_pass.fds[j].as_fd == e->fd &&
			    !same_object(&ev->u.fds_pass.fds[j], e))
				return true;
	}
	return false;
}

/* One row per descriptor of the process's current table. */
static void add_current(struct builder *b, const struct replay *rp, const struct proc_state *ps,
			struct table parent, int parent_pid)
{
	/* Before its own table is recorded, what the fork passed is it. */
	const struct event *own = ps->fds ? ps->fds : ps->fork_pass;
	struct table now = table_of(own);
	struct table kept = table_of(ps->exec_pass ? ps->exec_pass : ps->exec_fds);
	struct table shell = rp->shell_fds && rp->shell_fds->pid == ps->proc->pid
		? table_of(rp->shell_fds)
		: (struct table){ NULL, 0 };
	/* Its first table, at its fork, is what the fork copied, even when
	 * the parent's was not recorded (a later table "at fork" is of a
	 * fork it made itself). */
	bool is_fork_copy = !ps->exec && ps->fork_ev && own &&
		(own->kind == EV_FDS_PASS ||
		 (own == ps->first_fds && own->u.fds.at == FDS_AT_FORK));

	for (size_t i = 0; i < now.count; i++) {
		const struct fd_entry *e = &now.fds[i];
		const struct event *pass = NULL;
		const struct fd_entry *sent = received(ps, e->fd, e, &pass);
		struct fd_row *row;

		if (is_replaced(ps, own, e))
			continue;
		if (sent) {
			row = add_row(b, e->fd, how_of_pass(pass));
			if (row) {
				row->from = pass->pid;
				row->parent = pass->pid == parent_pid ? sent : NULL;
			}
		} else if (find_same(shell, e->fd, e)) {
			row = add_row(b, e->fd, FD_HOW_SHELL);
		} else if (ps->exec && find_same(kept, e->fd, e)) {
			row = add_row(b, e->fd, FD_HOW_KEPT);
			if (row)
				row->parent = pair_parent(b, parent, e->fd, e);
		} else if (!ps->exec && (find_same(parent, e->fd, e) || is_fork_copy)) {
			row = add_row(b, e->fd, FD_HOW_FORK);
			if (row)
				row->parent = pair_parent(b, parent, e->fd, e);
		} else {
			row = add_row(b, e->fd, FD_HOW_UNKNOWN);
		}
		if (!row)
			return;
		row->child = e;
	}
}

/* Descriptors a pass newer than the current table gave the process: the
 * table the pass names, until the process's next table shows them. */
static void add_unrecorded(struct builder *b, const struct proc_state *ps, int parent_pid)
{
	const struct event *own = ps->fds ? ps->fds : ps->fork_pass;
	struct table now = table_of(own);

	for (size_t i = REPLAY_SOCK_PASSES; i-- > 0;) {
		const struct event *ev = ps->sock_in[i];

		if (!ev || (own && ev < own))
			continue;
		for (size_t j = 0; j < ev->u.fds_pass.fd_count; j++) {
			const struct fd_entry *p = &ev->u.fds_pass.fds[j];
			struct fd_row *row;

			if (p->as_fd < 0 || find_same(now, p->as_fd, p))
				continue;
			row = add_row(b, p->as_fd, how_of_pass(ev));
			if (!row)
				return;
			row->from = ev->pid;
			row->child = p;
			row->parent = ev->pid == parent_pid ? p : NULL;
		}
	}
}

/* What the latest exec closed: as the trace lists it, else the table
 * before the exec minus the table right after it. */
static void add_closed(struct builder *b, const struct proc_state *ps, struct table parent)
{
	struct table closed = { NULL, 0 };
	struct table after = table_of(ps->exec_pass ? ps->exec_pass : ps->exec_fds);

	if (!ps->exec)
		return;
	if (ps->exec_pass && ps->exec_pass->u.fds_pass.closed_count > 0)
		closed = (struct table){ ps->exec_pass->u.fds_pass.closed,
					 ps->exec_pass->u.fds_pass.closed_count };
	else if (ps->fds_before && after.fds)
		closed = table_of(ps->fds_before);
	for (size_t i = 0; i < closed.count; i++) {
		const struct fd_entry *c = &closed.fds[i];
		struct fd_row *row;

		if (find_same(after, c->fd, c))
			continue;
		row = add_row(b, c->fd, FD_HOW_CLOSED);
		if (!row)
			return;
		row->closed = c;
		row->parent = pair_parent(b, parent, c->fd, c);
	}
}

/* The events of the current step that say which descriptors of process
 * pid it is about; *all when the step made its table (its fork, its exec). */
#define STEP_FACTS_MAX 32

struct step_facts {
	const struct event *evs[STEP_FACTS_MAX];
	size_t count;
	bool is_all;
};

static void find_step_facts(const struct replay *rp, int pid, struct step_facts *f)
{
	const struct step *s = replay_current(rp);
	const struct trace *tr = rp->tr;
	size_t end = s->ev_end < tr->event_count ? s->ev_end : tr->event_count;

	f->count = 0;
	f->is_all = false;
	for (size_t i = s->ev; i < end && !f->is_all; i++) {
		const struct event *ev = &tr->events[i];

		if ((ev->kind == EV_FORK && ev->u.fork.child == pid) ||
		    (ev->kind == EV_EXEC && ev->pid == pid))
			f->is_all = true;
		else if (((ev->kind == EV_FDS_LABEL && ev->pid == pid) ||
			  (ev->kind == EV_FDS_PASS &&
			   (ev->pid == pid || ev->u.fds_pass.to == pid))) &&
			 f->count < STEP_FACTS_MAX)
			f->evs[f->count++] = ev;
	}
}

static bool lists_fd(const struct fd_entry *fds, size_t count, int fd, bool by_as)
{
	for (size_t i = 0; i < count; i++)
		if ((by_as ? fds[i].as_fd : fds[i].fd) == fd)
			return true;
	return false;
}

/* Did an event of the step pass, keep, close or label this row? */
static bool is_step_row(const struct step_facts *f, int pid, const struct fd_row *row)
{
	if (f->is_all)
		return true;
	for (size_t i = 0; i < f->count; i++) {
		const struct event *ev = f->evs[i];
		bool by_as;

		if (ev->kind == EV_FDS_LABEL) {
			if (ev->u.fds_label.fd == row->fd)
				return true;
			continue;
		}
		by_as = ev->u.fds_pass.via == PASS_SCM_RIGHTS ||
			ev->u.fds_pass.via == PASS_RESOURCE_SHARER;
		/* A received descriptor's number may have named another one
		 * before: the row must hold what was received. */
		if (ev->u.fds_pass.to == pid && by_as && row->child &&
		    lists_fd(ev->u.fds_pass.fds, ev->u.fds_pass.fd_count, row->fd, true) &&
		    (row->how == FD_HOW_SOCKET || row->how == FD_HOW_SHARER))
			return true;
		if (ev->u.fds_pass.to == pid && !by_as &&
		    (lists_fd(ev->u.fds_pass.fds, ev->u.fds_pass.fd_count, row->fd, false) ||
		     lists_fd(ev->u.fds_pass.closed, ev->u.fds_pass.closed_count, row->fd, false)))
			return true;
		/* The sender's side: what it sent. */
		if (ev->pid == pid && ev->u.fds_pass.to != pid &&
		    lists_fd(ev->u.fds_pass.fds, ev->u.fds_pass.fd_count, row->fd, false))
			return true;
	}
	return false;
}

static int row_order(const void *pa, const void *pb)
{
	const struct fd_row *a = pa, *b = pb;
	/* By number; under one number what the exec closed came first, what
	 * the parent alone had comes last. */
	int ra = a->how == FD_HOW_CLOSED ? 0 : a->child ? 1 : 2;
	int rb = b->how == FD_HOW_CLOSED ? 0 : b->child ? 1 : 2;

	if (a->fd != b->fd)
		return a->fd < b->fd ? -1 : 1;
	return ra - rb;
}

int replay_fd_rows(const struct replay *rp, int pid, struct fd_rows *r, struct mp_err *err)
{
	const struct proc_state *ps = replay_proc(rp, pid);
	const struct event *from = NULL;
	struct table parent;
	struct builder b = { .r = r };
	struct step_facts facts;
	int parent_pid = 0;

	fd_rows_release(r);
	r->pid = pid;
	if (!ps || !ps->is_started)
		return 0;
	/* The parent's table of the fork's own instant, or none. */
	from = ps->fork_pass ? ps->fork_pass : ps->fork_table;
	parent = table_of(from);
	if (from && from->pid != pid)
		parent_pid = from->pid;
	r->parent_pid = parent_pid;
	r->has_table = ps->fds != NULL || ps->fork_pass != NULL;
	if (parent.count > 0) {
		b.used = calloc(parent.count, sizeof(*b.used));
		if (!b.used)
			return mp_err_set(err, "out of memory while pairing %zu descriptors",
					  parent.count);
	}
	add_current(&b, rp, ps, parent, parent_pid);
	add_unrecorded(&b, ps, parent_pid);
	add_closed(&b, ps, parent);
	/* What the parent had at the fork and the process has no more. */
	for (size_t i = 0; i < parent.count && b.used && parent_pid; i++) {
		struct fd_row *row;

		if (b.used[i])
			continue;
		row = add_row(&b, parent.fds[i].fd, FD_HOW_UNKNOWN);
		if (row)
			row->parent = &parent.fds[i];
	}
	free(b.used);
	if (b.is_oom) {
		fd_rows_release(r);
		return mp_err_set(err, "out of memory while listing the descriptors of %d", pid);
	}
	if (r->count > 1)
		qsort(r->rows, r->count, sizeof(*r->rows), row_order);
	find_step_facts(rp, pid, &facts);
	for (size_t i = 0; i < r->count; i++) {
		r->rows[i].is_step = is_step_row(&facts, pid, &r->rows[i]);
		if (r->rows[i].is_step && r->first_step_row == SIZE_MAX)
			r->first_step_row = i;
	}
	return 0;
}

/* ---- the property ---- */

static const char *target_or_type(const struct fd_entry *e)
{
	return e->target ? e->target : fd_type_name(e->type);
}

static int check_step(const struct replay *rp, size_t k, struct fd_rows *rows, struct mp_err *err)
{
	for (size_t i = 0; i < rp->tr->proc_count; i++) {
		const struct proc_state *ps = &rp->procs[i];

		if (!ps->is_started)
			continue;
		if (replay_fd_rows(rp, ps->proc->pid, rows, err) < 0)
			return -1;
		size_t shown = 0, table = 0;

		/* Every descriptor of the process's table has its row, but
		 * those a newer pass replaced. */
		for (size_t j = 0; ps->fds && j < ps->fds->u.fds.fd_count; j++)
			table += !is_replaced(ps, ps->fds, &ps->fds->u.fds.fds[j]);

		for (size_t j = 0; j < rows->count; j++) {
			const struct fd_row *row = &rows->rows[j];
			const struct fd_entry *own = row->child ? row->child : row->closed;

			shown += row->child && ps->fds && row->child >= ps->fds->u.fds.fds &&
				row->child < ps->fds->u.fds.fds + ps->fds->u.fds.fd_count;
			if (!row->parent || !own || same_object(row->parent, own))
				continue;
			return mp_err_set(err, "step %zu: %d's fd %d pairs %s (of %d) with %s",
					  k + 1, ps->proc->pid, row->fd,
					  target_or_type(row->parent), rows->parent_pid,
					  target_or_type(own));
		}
		if (shown != table)
			return mp_err_set(err,
					  "step %zu: %d has %zu descriptors but %zu rows show them",
					  k + 1, ps->proc->pid, table, shown);
	}
	return 0;
}

int replay_check_fd_rows(const struct trace *tr, struct mp_err *err)
{
	struct replay rp;
	struct fd_rows rows;
	int rc = 0;

	if (replay_init(&rp, tr, err) < 0)
		return -1;
	fd_rows_init(&rows);
	for (size_t k = 0; k < replay_step_count(&rp) && rc == 0; k++) {
		replay_seek(&rp, k);
		rc = check_step(&rp, k, &rows, err);
	}
	fd_rows_release(&rows);
	replay_release(&rp);
	return rc;
}

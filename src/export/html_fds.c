/*
 * html_fds.c - the resources panel of the page at one step: a process's
 * descriptors beside its parent's at the moment they came from, one object
 * a row (replay_fd_rows, as the screen), each named for what it is and
 * saying how it arrived; then threads and memory. The page has room, so
 * every name is said in full.
 */
#include <stdio.h>
#include <string.h>

#include "export/html_internal.h"

/* The descriptor as the screen's widest form says it: "tracker pipe
 * 2419301", "/dev/null"; `of` is the sender's number when it is not the
 * row's ("8: pipe 2872595"). */
static long entry_string(const struct replay *rp, int pid, const struct fd_entry *e, int of,
			 bool is_shell_said, struct html_strings *strs)
{
	struct fd_role role = replay_fd_role(rp, pid, e);
	/* Where how it arrived says "from the shell", the name need not. */
	const char *word =
		role.kind == FD_ROLE_SHELL && is_shell_said ? "" : replay_fd_role_word(&role);
	struct sbuf t;
	long id;

	sbuf_init(&t);
	if (of >= 0)
		sbuf_addf(&t, "%d: ", of);
	if (*word)
		sbuf_addf(&t, "%s ", word);
	replay_fd_name(e, false, &t);
	id = t.is_oom ? -1 : html_strings_add(strs, t.data ? t.data : "", t.len);
	sbuf_release(&t);
	return id;
}

/* A vfork child runs in its parent's memory until it execs. */
static bool is_borrowing_memory(const struct proc_state *ps)
{
	return ps->fork_ev && ps->fork_ev->u.fork.via == VIA_VFORK && !ps->exec;
}

/* [threads, is_warning, memory, shared or -1] */
static void add_counts(const struct proc_state *ps, bool with_shared, struct html_strings *strs,
		       struct sbuf *out)
{
	char threads[32], size[24], mem[40];

	if (ps->thread_count)
		snprintf(threads, sizeof(threads), "%d thread%s", ps->thread_count,
			 ps->thread_count > 1 ? "s!" : "");
	else
		snprintf(threads, sizeof(threads), "threads ?");
	if (ps->rss) {
		replay_memory_text(ps->rss, size, sizeof(size));
		snprintf(mem, sizeof(mem), "%s rss", size);
	} else {
		snprintf(mem, sizeof(mem), "%s",
			 is_borrowing_memory(ps) ? "parent's memory" : "rss not sampled");
	}
	sbuf_addf(out, "[%ld,%d,%ld,", html_strings_adds(strs, threads), ps->thread_count > 1,
		  html_strings_adds(strs, mem));
	if (with_shared && ps->rss && ps->has_shared) {
		/* After a fork most of a child's pages are still its parent's. */
		replay_memory_text(ps->shared, size, sizeof(size));
		snprintf(mem, sizeof(mem), "%s shared", size);
		sbuf_addf(out, "%ld]", html_strings_adds(strs, mem));
	} else {
		sbuf_adds(out, "-1]");
	}
}

static void add_row(const struct replay *rp, const struct fd_rows *rows, const struct fd_row *row,
		    struct html_strings *strs, struct sbuf *out)
{
	long parent = -1, own = -1;

	if (rows->parent_pid && row->parent)
		parent = entry_string(rp, rows->parent_pid, row->parent,
				      row->parent->fd != row->fd ? row->parent->fd : -1, false,
				      strs);
	/* A closed descriptor is named on its parent's side when there is
	 * one; alone, the process's column names it. */
	if (row->how == FD_HOW_CLOSED && !rows->parent_pid && row->closed)
		own = entry_string(rp, rows->pid, row->closed, -1, false, strs);
	else if (row->how != FD_HOW_CLOSED && row->child)
		own = entry_string(rp, rows->pid, row->child, -1, row->how == FD_HOW_SHELL, strs);
	sbuf_addf(out, "[%d,%ld,%ld,%d,%d]", row->fd, parent, own, (int)row->how,
		  row->is_step ? 1 : 0);
}

int html_fds_json(const struct replay *rp, int pid, struct html_strings *strs, struct sbuf *out,
		  struct mp_err *err)
{
	const struct proc_state *own = replay_proc(rp, pid), *parent;
	struct fd_rows rows;
	char head[48];
	bool with_shared;

	if (!own) {
		sbuf_adds(out, "null");
		return 0;
	}
	fd_rows_init(&rows);
	if (replay_fd_rows(rp, pid, &rows, err) < 0)
		return -1;
	parent = rows.parent_pid ? replay_proc(rp, rows.parent_pid) : NULL;
	with_shared =
		(parent && parent->rss && parent->has_shared) || (own->rss && own->has_shared);
	snprintf(head, sizeof(head), "%d %s", pid, parent ? "child" : role_name(own->proc->role));
	sbuf_addf(out, "[%d,%d,%ld,", pid, parent ? rows.parent_pid : 0,
		  html_strings_adds(strs, head));
	snprintf(head, sizeof(head), "%d parent", rows.parent_pid);
	sbuf_addf(out, "%ld,[", parent ? html_strings_adds(strs, head) : -1L);
	for (size_t i = 0; i < rows.count; i++) {
		if (i)
			sbuf_addc(out, ',');
		add_row(rp, &rows, &rows.rows[i], strs, out);
	}
	sbuf_adds(out, "],[");
	if (parent) {
		add_counts(parent, with_shared, strs, out);
		sbuf_addc(out, ',');
	}
	add_counts(own, with_shared, strs, out);
	sbuf_addc(out, ']');
	sbuf_addc(out, ']');
	fd_rows_release(&rows);
	return 0;
}

/*
 * resources.c - the selected process's descriptor table beside its
 * parent's, at the current step.
 *
 * Each child fd says how it arrived, from the fds.pass events: ◄ fork
 * (inherited), kept (survived exec), ◄ socket (SCM_RIGHTS), ◄ sharer
 * (multiprocessing's resource sharer); fds that exec closed stay listed as
 * "closed at exec", so the cloexec ones visibly disappear. Below the table,
 * threads (forking a multithreaded process is the hazard) and RSS.
 */
#include <stdio.h>
#include <string.h>

#include "ui/app.h"

#define MAX_ROWS 256
#define FD_W 5 /* the fd number column: "%4d " */

struct fd_row {
	int fd;
	const struct fd_entry *parent;
	const struct fd_entry *child;
	const struct fd_entry *closed; /* closed at the child's exec */
};

static struct fd_row *row_for(struct fd_row *rows, size_t *count, int fd)
{
	for (size_t i = 0; i < *count; i++)
		if (rows[i].fd == fd)
			return &rows[i];
	if (*count == MAX_ROWS)
		return NULL;
	rows[*count] = (struct fd_row){ .fd = fd };
	return &rows[(*count)++];
}

static size_t collect(const struct proc_state *parent, const struct proc_state *child,
		      struct fd_row *rows)
{
	size_t count = 0;

	if (parent && parent->fds)
		for (size_t i = 0; i < parent->fds->u.fds.fd_count; i++) {
			const struct fd_entry *e = &parent->fds->u.fds.fds[i];
			struct fd_row *r = row_for(rows, &count, e->fd);

			if (r)
				r->parent = e;
		}
	if (child && child->fds)
		for (size_t i = 0; i < child->fds->u.fds.fd_count; i++) {
			const struct fd_entry *e = &child->fds->u.fds.fds[i];
			struct fd_row *r = row_for(rows, &count, e->fd);

			if (r)
				r->child = e;
		}
	if (child && child->exec_pass)
		for (size_t i = 0; i < child->exec_pass->u.fds_pass.closed_count; i++) {
			const struct fd_entry *e = &child->exec_pass->u.fds_pass.closed[i];
			struct fd_row *r = row_for(rows, &count, e->fd);

			if (r && !r->child)
				r->closed = e;
		}
	/* When the trace does not list what the exec closed, the table before
	 * the exec says it: what it had and the table after lacks. */
	if (child && child->exec_pass && child->exec_pass->u.fds_pass.closed_count == 0 &&
	    child->fds_before && child->fds && child->fds_before != child->fds)
		for (size_t i = 0; i < child->fds_before->u.fds.fd_count; i++) {
			const struct fd_entry *e = &child->fds_before->u.fds.fds[i];
			struct fd_row *r;

			if (trace_fd_find(child->fds->u.fds.fds, child->fds->u.fds.fd_count, e->fd))
				continue;
			r = row_for(rows, &count, e->fd);
			if (r && !r->child)
				r->closed = e;
		}
	/* In fd order: a table reads like /proc/PID/fd. */
	for (size_t i = 1; i < count; i++)
		for (size_t j = i; j > 0 && rows[j - 1].fd > rows[j].fd; j--) {
			struct fd_row tmp = rows[j];

			rows[j] = rows[j - 1];
			rows[j - 1] = tmp;
		}
	return count;
}

/* How the child's fd got there: "" when the trace does not say. */
static const char *arrival(const struct proc_state *child, const struct fd_entry *e)
{
	const struct event *ev = child->pass_in;

	if (child->exec_pass &&
	    trace_fd_find(child->exec_pass->u.fds_pass.fds, child->exec_pass->u.fds_pass.fd_count,
			  e->fd))
		return "kept";
	if (!ev)
		return "";
	for (size_t i = 0; i < ev->u.fds_pass.fd_count; i++) {
		const struct fd_entry *p = &ev->u.fds_pass.fds[i];
		int there = p->as_fd >= 0 ? p->as_fd : p->fd;

		if (there != e->fd)
			continue;
		switch (ev->u.fds_pass.via) {
		case PASS_FORK:
			return "◄ fork";
		case PASS_EXEC:
			return "kept";
		case PASS_SCM_RIGHTS:
			return "◄ socket";
		case PASS_RESOURCE_SHARER:
			return "◄ sharer";
		case PASS_VIA_COUNT:
			break;
		}
	}
	return "";
}

static void describe(char *buf, size_t len, const struct fd_entry *e)
{
	const char *t = e->target ? e->target : "";
	const char *slash = strrchr(t, '/');

	/* "pipe:[1234]" says pipe twice: keep the inode, which tells the two
	 * ends apart; a path says most in its last part, a tty in its name. */
	if (strncmp(t, "pipe:[", 6) == 0 || strncmp(t, "socket:[", 8) == 0) {
		const char *open = strchr(t, '[');

		snprintf(buf, len, "%s %.*s", fd_type_name(e->type), (int)strcspn(open + 1, "]"),
			 open + 1);
		return;
	}
	if (strncmp(t, "anon_inode:", 11) == 0) { /* "anon_inode:[eventpoll]" */
		const char *name = t + 11 + (t[11] == '[');

		snprintf(buf, len, "%s %.*s", fd_type_name(e->type), (int)strcspn(name, "]"), name);
		return;
	}
	if (strncmp(t, "/dev/", 5) == 0)
		t += 5;
	else if (slash && slash[1])
		t = slash + 1;
	snprintf(buf, len, "%s %s", fd_type_name(e->type), t);
}

static int parent_width(const struct proc_state *parent, const struct proc_state *child,
			const struct fd_row *rows, size_t count, int max_w)
{
	char buf[96];
	int w;

	if (!child)
		return max_w * 2;
	/* "12345 parent", "12 thread(s!)", "123.4 MB rss" */
	w = snprintf(buf, sizeof(buf), "%d parent", parent->proc->pid);
	if (w < 12)
		w = 12;
	for (size_t i = 0; i < count; i++)
		if (rows[i].parent) {
			int dw;

			describe(buf, sizeof(buf), rows[i].parent);
			dw = canvas_text_width(buf, strlen(buf));
			w = dw > w ? dw : w;
		}
	return w + 2 < max_w ? w + 2 : max_w;
}

static void draw_counts(struct canvas *cv, struct rect in, int y, int col_w,
			const struct proc_state *parent, const struct proc_state *child)
{
	const struct proc_state *cols[2] = { parent, child };

	for (int c = 0; c < 2; c++) {
		const struct proc_state *ps = cols[c];
		int x = in.x + FD_W + c * col_w;

		if (!ps)
			continue;
		if (ps->thread_count)
			canvas_printf(cv, x, y, col_w - 1,
				      ps->thread_count > 1 ? ST_WARN : ST_NORMAL, "%d thread%s",
				      ps->thread_count, ps->thread_count > 1 ? "s!" : "");
		else
			canvas_prints(cv, x, y, col_w - 1, ST_DIM, "threads ?");
		if (ps->rss >= 1000000)
			canvas_printf(cv, x, y + 1, col_w - 1, ST_NORMAL, "%.1f MB rss",
				      (double)ps->rss / 1e6);
		else if (ps->rss)
			canvas_printf(cv, x, y + 1, col_w - 1, ST_NORMAL, "%llu kB rss",
				      (unsigned long long)(ps->rss / 1000));
		else
			canvas_prints(cv, x, y + 1, col_w - 1, ST_DIM, "rss ?");
	}
}

/* The two columns and their rows: the selected process beside its parent,
 * or alone in the first column (child NULL) when no parent was traced.
 * Returns the row count; false in *shown when the panel shows no table. */
static size_t table_for(const struct ui_app *app, struct rect in, const struct proc_state **parent,
			const struct proc_state **child, struct fd_row *rows, bool *shown)
{
	const struct replay *rp = ui_app_replay(app);

	*child = replay_proc(rp, ui_app_selected_pid(app));
	*parent = *child ? replay_proc(rp, (*child)->proc->ppid) : NULL;
	*shown = in.h >= 4 && *child;
	if (!*shown)
		return 0;
	if (*parent && *parent == *child)
		*parent = NULL;
	if (!*parent) {
		*parent = *child;
		*child = NULL;
	}
	return collect(*parent, *child, rows);
}

/* ---- in motion (app->anim): a fork's child column fills from the top, an
 * exec's closed descriptors are struck out before "closed at exec" ---- */

/* Draws row i's child cell while a transition plays and returns true; false
 * when the row is at rest and is drawn as usual. */
static bool draw_child_in_motion(struct canvas *cv, const struct ui_app *app,
				 const struct proc_state *child, const struct fd_row *row, size_t i,
				 size_t count, int x, int y, int w)
{
	const struct ui_anim *a = ui_app_anim(app);
	double p = ui_anim_progress(a);
	char buf[96];
	int used;

	if (!a || !child || a->pid != child->proc->pid)
		return false;
	if (a->kind == UI_ANIM_FORK_FILL)
		return row->child && (double)i >= p * (double)count; /* not copied yet: blank */
	if (a->kind != UI_ANIM_EXEC_STRIKE || !row->closed)
		return false;
	used = canvas_prints(cv, x, y, w, ST_GONE, glyph_text(GLYPH_STRIKE));
	describe(buf, sizeof(buf), row->closed);
	canvas_prints_cut(cv, x + used + 1, y, w - used - 1, ST_GONE, buf);
	return true;
}

static struct rect inside(struct rect r)
{
	return (struct rect){ r.x + 1, r.y + 1, r.w - 2, r.h - 2 };
}

void ui_resources_settle(struct ui_app *app, struct rect r)
{
	const struct proc_state *parent, *child;
	struct fd_row rows[MAX_ROWS];
	struct rect in = inside(r);
	int *scroll = &app->scroll[FOCUS_RESOURCES];
	int body_h = in.h - 3; /* header + threads + rss */
	bool shown;
	size_t count = table_for(app, in, &parent, &child, rows, &shown);

	if (!shown)
		return;
	if (*scroll > (int)count - body_h)
		*scroll = (int)count - body_h;
	if (*scroll < 0)
		*scroll = 0;
}

void ui_resources_draw(struct canvas *cv, const struct ui_app *app, struct rect r)
{
	const struct proc_state *parent, *child;
	struct rect in = inside(r);
	int col_w, scroll = app->scroll[FOCUS_RESOURCES];
	struct fd_row rows[MAX_ROWS];
	int body_h = in.h - 3; /* header + threads + rss */
	int child_w;
	bool shown;
	size_t count = table_for(app, in, &parent, &child, rows, &shown);

	canvas_box(cv, r, app->focus == FOCUS_RESOURCES ? ST_BORDER_FOCUS : ST_BORDER, "resources");
	if (!shown)
		return;
	/* The parent column as wide as what it holds, so that the child's
	 * column has room for how each fd arrived. */
	col_w = parent_width(parent, child, rows, count, (in.w - FD_W) / 2);
	canvas_prints(cv, in.x, in.y, FD_W, ST_TITLE, "  fd");
	canvas_printf(cv, in.x + FD_W, in.y, col_w - 1, ST_TITLE, "%d %s", parent->proc->pid,
		      child ? "parent" : role_name(parent->proc->role));
	if (child)
		canvas_printf(cv, in.x + FD_W + col_w, in.y, in.w - FD_W - col_w, ST_TITLE,
			      "%d child", child->proc->pid);
	/* The parent column is the parent's table as it is now: what the
	 * child's fork copied, unless the parent changed it since. */
	if (count == 0)
		canvas_prints(cv, in.x + FD_W, in.y + 1, in.w - FD_W, ST_DIM,
			      "no descriptor table recorded yet");
	child_w = in.w - FD_W - col_w;
	for (int i = 0; i < body_h && (size_t)(i + scroll) < count; i++) {
		const struct fd_row *row = &rows[i + scroll];
		int y = in.y + 1 + i;
		char buf[96];

		canvas_printf(cv, in.x, y, FD_W, ST_NORMAL, "%4d", row->fd);
		if (row->parent) {
			describe(buf, sizeof(buf), row->parent);
			canvas_prints_cut(cv, in.x + FD_W, y, col_w - 1, ST_NORMAL, buf);
		} else {
			canvas_prints(cv, in.x + FD_W, y, col_w - 1, ST_DIM,
				      glyph_text(GLYPH_NONE));
		}
		if (!child ||
		    draw_child_in_motion(cv, app, child, row, (size_t)(i + scroll), count,
					 in.x + FD_W + col_w, y, child_w))
			continue;
		if (row->child) {
			const char *how = arrival(child, row->child);
			int how_w = canvas_text_width(how, strlen(how));
			int used;

			/* How it arrived is the point: when both do not fit,
			 * the description gives way. */
			describe(buf, sizeof(buf), row->child);
			used = canvas_prints_cut(cv, in.x + FD_W + col_w, y,
						 *how ? child_w - how_w - 1 : child_w, ST_NORMAL,
						 buf);
			if (*how)
				canvas_prints(cv, in.x + FD_W + col_w + used + 1, y, how_w,
					      ST_INHERITED, how);
		} else if (row->closed) {
			canvas_prints(cv, in.x + FD_W + col_w, y, child_w, ST_GONE,
				      "closed at exec");
		} else {
			canvas_prints(cv, in.x + FD_W + col_w, y, child_w, ST_DIM,
				      glyph_text(GLYPH_NONE));
		}
	}
	draw_counts(cv, in, in.y + in.h - 2, col_w, parent, child);
	/* Rows that do not fit are said, on the frame (↓/↑ scroll). */
	if (body_h > 0 && (int)count - scroll > body_h)
		canvas_printf(cv, r.x + r.w - 14, r.y + r.h - 1, 12, ST_DIM, " %d more %s ",
			      (int)count - scroll - body_h, glyph_text(GLYPH_MORE_BELOW));
}

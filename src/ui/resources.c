/*
 * resources.c - the selected process's descriptors beside its parent's, at
 * the current step, from replay_fd_rows(): each row is one object, the
 * parent's side its table at the moment the descriptor came from.
 *
 * Each descriptor is named for what it is when the trace knows (the
 * resource tracker's pipe, /dev/null, the user's file by its path, the
 * shell's), and the child's says how it arrived: ◄ fork, kept (across
 * exec), ◄ socket (SCM_RIGHTS), ◄ sharer; those the exec closed stay as
 * "closed at exec". A new step scrolls to the descriptors it is about.
 * Below the table, threads (forking a multithreaded process is the hazard)
 * and RSS. A view: it only draws what settle left.
 */
#include <stdio.h>
#include <string.h>

#include "ui/app.h"

#define FD_W 5 /* the fd number column: "%4d " */

static struct rect inside(struct rect r)
{
	return (struct rect){ r.x + 1, r.y + 1, r.w - 2, r.h - 2 };
}

/* The rows of the selected process; false when the panel shows no table
 * (too small, no process, or out of memory: then app->err would need a
 * writable app, so the panel just says it). */
static bool rows_for(const struct ui_app *app, struct rect in, struct fd_rows *rows, bool *is_oom)
{
	const struct replay *rp = ui_app_replay(app);
	int pid = ui_app_selected_pid(app);

	*is_oom = false;
	if (in.h < 4 || !replay_proc(rp, pid))
		return false;
	if (replay_fd_rows(rp, pid, rows, NULL) < 0) {
		*is_oom = true;
		return false;
	}
	return true;
}

/* ---- one descriptor in a cell ---- */

/* The ways to say a descriptor, longest first: "tracker pipe 2872065",
 * "tracker pipe", "notes.txt". `of` is the sender's number when it is not
 * the row's (a descriptor that came over a socket): "8: ...". */
static void entry_text(const struct replay *rp, int pid, const struct fd_entry *e, int of, int form,
		       bool is_shell_said, struct sbuf *out)
{
	struct fd_role role = replay_fd_role(rp, pid, e);
	/* Where how it arrived says "from the shell", the name need not. */
	const char *word =
		role.kind == FD_ROLE_SHELL && is_shell_said ? "" : replay_fd_role_word(&role);

	if (of >= 0)
		sbuf_addf(out, "%d: ", of);
	switch (form) {
	case 0:
		if (*word)
			sbuf_addf(out, "%s ", word);
		replay_fd_name(e, false, out);
		break;
	case 1:
		if (*word)
			sbuf_addf(out, "%s ", word);
		replay_fd_name(e, true, out);
		break;
	case 2: /* what multiprocessing said it is says more than an inode */
		if (role.kind == FD_ROLE_LABEL) {
			sbuf_addf(out, "%s %s", word, fd_type_name(e->type));
			break;
		}
		/* fall through */
	default:
		replay_fd_name(e, true, out);
		break;
	}
}

#define FORM_COUNT 4

static int entry_width(const struct replay *rp, int pid, const struct fd_entry *e, int of, int form,
		       bool is_shell_said)
{
	struct sbuf text;
	int w;

	sbuf_init(&text);
	entry_text(rp, pid, e, of, form, is_shell_said, &text);
	w = text.is_oom ? 0 : canvas_text_width(text.data, text.len);
	sbuf_release(&text);
	return w;
}

/* Draws the descriptor in one form, cut with "…" if it must be. */
static int draw_entry(struct canvas *cv, const struct replay *rp, int pid, const struct fd_entry *e,
		      int of, int form, bool is_shell_said, int x, int y, int w, enum style st)
{
	struct sbuf text;
	int used = 0;

	sbuf_init(&text);
	entry_text(rp, pid, e, of, form, is_shell_said, &text);
	if (!text.is_oom)
		used = canvas_print_cut(cv, x, y, w, st, text.data, text.len);
	sbuf_release(&text);
	return used;
}

/* The sender's number, when a row's parent entry is not under the row's. */
static int parent_number(const struct fd_row *row)
{
	return row->parent && row->parent->fd != row->fd ? row->parent->fd : -1;
}

/* How the columns say their descriptors: one form per column, so that a
 * column reads alike (the longest form every entry fits in). A row of the
 * process's column whose shortest name does not fit beside how it arrived
 * says "same ◄ fork": the row's other side names it, whole. */
struct columns {
	int parent_w; /* 0: the process alone */
	int parent_form;
	int own_form;
	int own_w;
};

static int how_width(const struct fd_row *row)
{
	const char *how = replay_fd_how_word(row->how);

	return *how ? canvas_text_width(how, strlen(how)) + 1 : 0;
}

/* The widest entry of a column in a form (with how it arrived, for the
 * process's own). */
static int column_need(const struct replay *rp, const struct fd_rows *rows, bool is_parent,
		       int form)
{
	int need = 0;

	for (size_t i = 0; i < rows->count; i++) {
		const struct fd_row *row = &rows->rows[i];
		const struct fd_entry *e = is_parent ? row->parent : row->child;
		int w;

		if (!e)
			continue;
		w = is_parent
			? entry_width(rp, rows->parent_pid, e, parent_number(row), form, false)
			: entry_width(rp, rows->pid, e, -1, form, row->how == FD_HOW_SHELL) +
				how_width(row);
		need = w > need ? w : need;
	}
	return need;
}

/* True when any column shows a shared size: the counts then take 3 rows. */
static bool shows_shared(const struct proc_state *parent, const struct proc_state *child)
{
	return (parent && parent->rss && parent->has_shared) ||
		(child && child->rss && child->has_shared);
}

/* A vfork child runs in its parent's memory until it execs: it has no size
 * of its own to show yet. */
static bool is_borrowing_memory(const struct proc_state *ps)
{
	return ps->fork_ev && ps->fork_ev->u.fork.via == VIA_VFORK && !ps->exec;
}

static struct columns plan_columns(const struct replay *rp, const struct fd_rows *rows, int inner_w)
{
	struct columns c = { .own_form = FORM_COUNT - 1, .parent_form = FORM_COUNT - 1 };
	int own_w;

	if (rows->parent_pid) {
		char head[32];
		int max_w = inner_w / 2, need = 0;

		for (c.parent_form = 0; c.parent_form < FORM_COUNT - 1; c.parent_form++)
			if (column_need(rp, rows, true, c.parent_form) + 2 <= max_w)
				break;
		need = column_need(rp, rows, true, c.parent_form);
		/* "12345 parent", "12 threads!", "123.4 MB rss", "123.4 MB shared" */
		const int counts_w =
			shows_shared(replay_proc(rp, rows->parent_pid), replay_proc(rp, rows->pid))
			? 15
			: 12;

		if (need < snprintf(head, sizeof(head), "%d parent", rows->parent_pid))
			need = (int)strlen(head);
		need = need < counts_w ? counts_w : need;
		c.parent_w = need + 2 < max_w ? need + 2 : max_w;
	}
	own_w = inner_w - c.parent_w;
	for (c.own_form = 0; c.own_form < FORM_COUNT - 1; c.own_form++)
		if (column_need(rp, rows, false, c.own_form) <= own_w)
			break;
	c.own_w = own_w;
	return c;
}

static void draw_memory(struct canvas *cv, int x, int y, int w, const struct proc_state *ps,
			bool with_shared)
{
	char size[24];

	if (!ps->rss) {
		canvas_prints(cv, x, y, w, ST_DIM,
			      is_borrowing_memory(ps) ? "parent's memory" : "rss not sampled");
		return;
	}
	replay_memory_text(ps->rss, size, sizeof(size));
	canvas_printf(cv, x, y, w, ST_NORMAL, "%s rss", size);
	if (with_shared && ps->has_shared) {
		/* After a fork most of a child's pages are still its parent's,
		 * shared copy-on-write until one of them writes. */
		replay_memory_text(ps->shared, size, sizeof(size));
		canvas_printf(cv, x, y + 1, w, ST_DIM, "%s shared", size);
	}
}

static void draw_counts(struct canvas *cv, struct rect in, int y, int col_w,
			const struct proc_state *parent, const struct proc_state *child)
{
	const struct proc_state *cols[2] = { parent, child };
	bool with_shared = shows_shared(parent, child);

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
		draw_memory(cv, x, y + 1, col_w - 1, ps, with_shared);
	}
}

/* ---- in motion (app->anim): a fork's child column fills from the top, an
 * exec's closed descriptors are struck out before "closed at exec" ---- */

/* Draws row i's own cell while a transition plays and returns true; false
 * when the row is at rest and is drawn as usual. */
static bool draw_child_in_motion(struct canvas *cv, const struct ui_app *app,
				 const struct fd_rows *rows, size_t i, int x, int y, int w)
{
	const struct ui_anim *a = ui_app_anim(app);
	const struct fd_row *row = &rows->rows[i];
	double p = ui_anim_progress(a);
	int used;

	if (!a || a->pid != rows->pid)
		return false;
	if (a->kind == UI_ANIM_FORK_FILL)
		return row->child && (double)i >= p * (double)rows->count; /* not copied yet */
	if (a->kind != UI_ANIM_EXEC_STRIKE || !row->closed)
		return false;
	used = canvas_prints(cv, x, y, w, ST_GONE, glyph_text(GLYPH_STRIKE));
	draw_entry(cv, ui_app_replay(app), rows->pid, row->closed, -1, FORM_COUNT - 1, false,
		   x + used + 1, y, w - used - 1, ST_GONE);
	return true;
}

/* The process's own cell: the descriptor and how it arrived; how it
 * arrived is the point, so when both do not fit the name gives way. */
static void draw_own(struct canvas *cv, const struct replay *rp, const struct fd_rows *rows,
		     const struct columns *c, const struct fd_row *row, int x, int y, int w)
{
	const char *how = replay_fd_how_word(row->how);
	int how_w = canvas_text_width(how, strlen(how)), used = 0;
	bool is_shell_said = row->how == FD_HOW_SHELL;

	if (row->how == FD_HOW_CLOSED && rows->parent_pid) {
		canvas_prints(cv, x, y, w, ST_GONE, how);
		return;
	}
	if (row->how == FD_HOW_CLOSED) {
		used = draw_entry(cv, rp, rows->pid, row->closed, -1, c->own_form, false, x, y,
				  w - how_w - 1, ST_GONE);
		canvas_prints(cv, x + used + 1, y, how_w, ST_GONE, how);
		return;
	}
	if (!row->child) {
		canvas_prints(cv, x, y, w, ST_DIM, glyph_text(GLYPH_NONE));
		return;
	}
	if (row->parent &&
	    entry_width(rp, rows->pid, row->child, -1, c->own_form, is_shell_said) +
			    how_width(row) >
		    w)
		used = canvas_prints(cv, x, y, w, ST_DIM,
				     row->how == FD_HOW_KEPT ? "same," : "same");
	else
		used = draw_entry(cv, rp, rows->pid, row->child, -1, c->own_form, is_shell_said, x,
				  y, *how ? w - how_w - 1 : w, ST_NORMAL);
	if (*how)
		canvas_prints(cv, x + used + 1, y, how_w, ST_INHERITED, how);
}

/* Rows the threads and memory take at the bottom of the panel. */
static int counts_height(const struct replay *rp, const struct fd_rows *rows)
{
	const struct proc_state *own = replay_proc(rp, rows->pid);
	const struct proc_state *parent =
		rows->parent_pid ? replay_proc(rp, rows->parent_pid) : NULL;

	return shows_shared(parent, own) ? 3 : 2;
}

/* Rows a table shows under its header and above the threads and memory. */
static int body_height(struct rect in, const struct replay *rp, const struct fd_rows *rows)
{
	return in.h - 1 - counts_height(rp, rows);
}

/* The scroll that shows the rows the step is about: the table from its
 * top when they are all there, else from the first of them. */
static int step_scroll(const struct fd_rows *rows, int body_h)
{
	size_t last = rows->first_step_row;

	for (size_t i = rows->first_step_row; i < rows->count; i++)
		if (rows->rows[i].is_step)
			last = i;
	return (int)last < body_h ? 0 : (int)rows->first_step_row;
}

void ui_resources_settle(struct ui_app *app, struct rect r)
{
	const struct replay *rp = ui_app_replay(app);
	struct rect in = inside(r);
	int *scroll = &app->scroll[FOCUS_RESOURCES];
	int body_h, pid = ui_app_selected_pid(app);
	struct fd_rows rows;
	bool is_oom;

	fd_rows_init(&rows);
	if (!rows_for(app, in, &rows, &is_oom)) {
		fd_rows_release(&rows);
		return;
	}
	body_h = body_height(in, rp, &rows);
	/* A new step or process: its descriptors in view, those the step is
	 * about first when they would be below the panel. */
	if (!app->has_resources_place || app->resources_replay != app->current ||
	    app->resources_step != rp->step || app->resources_pid != pid) {
		*scroll = 0;
		if (rows.first_step_row != SIZE_MAX)
			*scroll = step_scroll(&rows, body_h);
		app->has_resources_place = true;
		app->resources_replay = app->current;
		app->resources_step = rp->step;
		app->resources_pid = pid;
	}
	if (*scroll > (int)rows.count - body_h)
		*scroll = (int)rows.count - body_h;
	if (*scroll < 0)
		*scroll = 0;
	fd_rows_release(&rows);
}

void ui_resources_draw(struct canvas *cv, const struct ui_app *app, struct rect r)
{
	const struct replay *rp = ui_app_replay(app);
	struct rect in = inside(r);
	int scroll = app->scroll[FOCUS_RESOURCES], body_h;
	const struct proc_state *own, *parent;
	struct fd_rows rows;
	struct columns cols;
	int col_w, own_x;
	bool is_oom;

	canvas_box(cv, r, app->focus == FOCUS_RESOURCES ? ST_BORDER_FOCUS : ST_BORDER, "resources");
	fd_rows_init(&rows);
	if (!rows_for(app, in, &rows, &is_oom)) {
		if (is_oom)
			canvas_prints(cv, in.x, in.y, in.w, ST_WARN,
				      "out of memory listing the descriptors");
		fd_rows_release(&rows);
		return;
	}
	body_h = body_height(in, rp, &rows);
	own = replay_proc(rp, rows.pid);
	parent = rows.parent_pid ? replay_proc(rp, rows.parent_pid) : NULL;
	cols = plan_columns(rp, &rows, in.w - FD_W);
	/* Alone, the process's own column starts where the parent's would. */
	col_w = parent ? cols.parent_w : 0;
	own_x = in.x + FD_W + col_w;
	canvas_prints(cv, in.x, in.y, FD_W, ST_TITLE, "  fd");
	if (parent)
		canvas_printf(cv, in.x + FD_W, in.y, col_w - 1, ST_TITLE, "%d parent",
			      rows.parent_pid);
	canvas_printf(cv, own_x, in.y, in.x + in.w - own_x, ST_TITLE, "%d %s", rows.pid,
		      parent ? "child" : role_name(own->proc->role));
	if (rows.count == 0)
		canvas_prints(cv, in.x + FD_W, in.y + 1, in.w - FD_W, ST_DIM,
			      "no descriptor table recorded yet");
	for (int i = 0; i < body_h && (size_t)(i + scroll) < rows.count; i++) {
		size_t at = (size_t)(i + scroll);
		const struct fd_row *row = &rows.rows[at];
		int y = in.y + 1 + i;

		/* The descriptors the step is about stand out by their number. */
		canvas_printf(cv, in.x, y, FD_W, row->is_step ? ST_TITLE : ST_NORMAL, "%4d",
			      row->fd);
		if (parent && row->parent)
			draw_entry(cv, rp, rows.parent_pid, row->parent, parent_number(row),
				   cols.parent_form, false, in.x + FD_W, y, col_w - 1, ST_NORMAL);
		else if (parent)
			canvas_prints(cv, in.x + FD_W, y, col_w - 1, ST_DIM,
				      glyph_text(GLYPH_NONE));
		if (!draw_child_in_motion(cv, app, &rows, at, own_x, y, in.x + in.w - own_x))
			draw_own(cv, rp, &rows, &cols, row, own_x, y, in.x + in.w - own_x);
	}
	draw_counts(cv, in, in.y + in.h - counts_height(rp, &rows), parent ? col_w : in.w - FD_W,
		    parent ? parent : own, parent ? own : NULL);
	/* Rows that do not fit are said, on the frame (↑/↓ scroll). */
	if (body_h > 0 && (int)rows.count - scroll > body_h)
		canvas_printf(cv, r.x + r.w - 14, r.y + r.h - 1, 12, ST_DIM, " %d more %s ",
			      (int)rows.count - scroll - body_h, glyph_text(GLYPH_MORE_BELOW));
	if (scroll > 0)
		canvas_printf(cv, r.x + r.w - 14, r.y, 12, ST_DIM, " %d more %s ", scroll,
			      glyph_text(GLYPH_MORE_ABOVE));
	fd_rows_release(&rows);
}

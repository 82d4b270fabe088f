/*
 * lanes.c - the processes panel: one lane per process, time to the right.
 *
 * Each story step is a column (up to three wide on a short story; a window
 * that follows the cursor on a long one). A fork draws ┬ on the parent's
 * lane and └ on the child's, exec and start draw ●, an exit ■, a pickle ◆;
 * at the current step the payload glyph travels from the sender's lane to
 * the receiver's as the beat plays. Only what happened so far is drawn.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/app.h"

static const char *const short_roles[ROLE_COUNT] = {
	[ROLE_MAIN] = "main",         [ROLE_CHILD] = "child",
	[ROLE_FORKSERVER] = "server", [ROLE_RESOURCE_TRACKER] = "tracker",
	[ROLE_MANAGER] = "manager",   [ROLE_OTHER] = "other",
};

static enum style role_style(enum role r)
{
	switch (r) {
	case ROLE_MAIN:
		return ST_MAIN;
	case ROLE_CHILD:
		return ST_CHILD;
	default:
		return ST_SERVER;
	}
}

struct timeline {
	int x, w; /* columns of the time axis */
	int cps; /* columns per step */
	size_t first; /* first step shown */
	size_t shown; /* steps that fit */
};

static struct timeline timeline_for(const struct replay *rp, int x, int w)
{
	struct timeline t = { .x = x, .w = w > 0 ? w : 0 };
	size_t n = replay_step_count(rp);

	t.cps = n > 0 && (size_t)t.w / n >= 3 ? 3 : (n > 0 && (size_t)t.w / n >= 2 ? 2 : 1);
	t.shown = (size_t)(t.w / t.cps);
	if (n > t.shown && t.shown > 0) {
		/* Keep the cursor two thirds across, so what comes next shows. */
		size_t lead = t.shown * 2 / 3;

		t.first = rp->step > lead ? rp->step - lead : 0;
		if (t.first > n - t.shown)
			t.first = n - t.shown;
	}
	return t;
}

static int col_of(const struct timeline *t, size_t k)
{
	return t->x + (int)(k - t->first) * t->cps;
}

static bool is_shown(const struct timeline *t, size_t k)
{
	return k >= t->first && k < t->first + t->shown;
}

/* Visible lanes: processes started by the current step, in tree order.
 * rows[i] is the screen row (relative) of process index i, or -1. */
static size_t visible_lanes(const struct replay *rp, int *rows, size_t *order)
{
	size_t n = 0;

	for (size_t i = 0; i < rp->tr->proc_count; i++)
		rows[i] = -1;
	for (size_t lane = 0; lane < rp->tr->proc_count; lane++) {
		const struct proc_state *ps = replay_lane(rp, lane);

		if (!ps->is_started)
			continue;
		rows[ps->proc - rp->tr->procs] = (int)n;
		order[n++] = (size_t)(ps->proc - rp->tr->procs);
	}
	return n;
}

static int row_of_pid(const struct replay *rp, const int *rows, int pid)
{
	const struct process *p = trace_find_proc(rp->tr, pid);

	return p ? rows[p - rp->tr->procs] : -1;
}

static void draw_vertical(struct canvas *cv, int x, int y0, int y1, enum glyph g, enum style st)
{
	for (int y = y0 + 1; y < y1; y++)
		canvas_set(cv, x, y, glyph_cp(g), st);
}

static void draw_marks(struct canvas *cv, const struct replay *rp, const struct timeline *t,
		       const int *rows, int top, int scroll)
{
	size_t last = rp->step;

	for (size_t k = t->first; k <= last && is_shown(t, k); k++) {
		const struct step *s = &rp->story.steps[k];
		int r = row_of_pid(rp, rows, s->pid);
		int x = col_of(t, k), y = top + r - scroll;
		const struct event *ev = &rp->tr->events[s->ev];

		if (r < 0 || rp->tr->event_count == 0)
			continue;
		switch (s->kind) {
		case STEP_FORK: {
			int rc = row_of_pid(rp, rows, s->peer);
			int yc = top + rc - scroll;

			if (rc < 0)
				break;
			draw_vertical(cv, x, y < yc ? y : yc, y < yc ? yc : y, GLYPH_FORK_LINE,
				      ST_CHILD);
			canvas_set(cv, x, y, glyph_cp(GLYPH_FORK_BRANCH),
				   role_style(trace_find_proc(rp->tr, s->pid)->role));
			canvas_set(cv, x, yc, glyph_cp(GLYPH_FORK_CHILD), ST_CHILD);
			break;
		}
		case STEP_START:
		case STEP_EXEC:
			canvas_set(cv, x, y, glyph_cp(GLYPH_START), ST_TITLE);
			break;
		case STEP_PICKLE_DUMP:
		case STEP_PICKLE_LOAD:
		case STEP_PICKLE_GROUP:
			canvas_set(cv, x, y,
				   glyph_cp(ev->kind == EV_PICKLE_DUMP && ev->u.pickle.error
						    ? GLYPH_PICKLE_FAILED
						    : GLYPH_PICKLE),
				   ev->u.pickle.error ? ST_WARN : ST_PAYLOAD);
			break;
		case STEP_IMPORT_MAIN:
		case STEP_FIND_CLASS:
			canvas_set(cv, x, y, glyph_cp(GLYPH_LOOKUP), ST_REF);
			break;
		case STEP_OUTPUT: {
			/* On the lane of every process that wrote in the run. */
			int pids[16];
			size_t n = replay_output_pids(rp, k, pids, 16);

			for (size_t i = 0; i < n && i < 16; i++) {
				int ro = row_of_pid(rp, rows, pids[i]);

				if (ro >= 0)
					canvas_set(cv, x, top + ro - scroll, glyph_cp(GLYPH_OUTPUT),
						   ST_NORMAL);
			}
			break;
		}
		case STEP_EXIT:
			canvas_set(cv, x, y, glyph_cp(GLYPH_EXIT),
				   ev->u.exit.is_signal || ev->u.exit.code ? ST_WARN : ST_DIM);
			break;
		case STEP_ERROR:
			canvas_set(cv, x, y, glyph_cp(GLYPH_ERROR), ST_WARN);
			break;
		default:
			break;
		}
	}
}

/* Cells an exit status may take: blank, or a fork line or travelling
 * payload's path passing down through the lane (the status matters more
 * there than one cell of a vertical line). */
static bool is_free_cell(const struct canvas *cv, int x, int y)
{
	const struct cell *c = canvas_at(cv, x, y);

	return c &&
		(c->cp == ' ' || c->cp == glyph_cp(GLYPH_FORK_LINE) ||
		 c->cp == glyph_cp(GLYPH_PAYLOAD_PATH));
}

static int blank_run(const struct canvas *cv, int x, int y, int end)
{
	int n = 0;

	while (x + n < end && is_free_cell(cv, x + n, y))
		n++;
	return n;
}

/* After the marks and the payload's path: the exit status beside each ■,
 * in the free cells that follow it, so a line passing by never hides it. */
static void draw_exit_statuses(struct canvas *cv, const struct replay *rp, const struct timeline *t,
			       const int *rows, int top, int scroll, struct rect in)
{
	for (size_t k = t->first; k <= rp->step && is_shown(t, k); k++) {
		const struct step *s = &rp->story.steps[k];
		const struct event *ev = &rp->tr->events[s->ev];
		int r = row_of_pid(rp, rows, s->pid), x = col_of(t, k) + 1, y = top + r - scroll;
		char text[32];
		int room, n;

		if (s->kind != STEP_EXIT || r < 0 || rp->tr->event_count == 0)
			continue;
		room = blank_run(cv, x, y, in.x + in.w) - 1;
		n = trace_exit_format(&ev->u.exit, EXIT_STATUS, text, sizeof(text));
		if (n > room)
			n = trace_exit_format(&ev->u.exit, EXIT_TERSE, text, sizeof(text));
		if (n > 0 && n <= room)
			canvas_prints(cv, x + 1, y, room,
				      ev->u.exit.is_signal || ev->u.exit.code ? ST_WARN : ST_DIM,
				      text);
	}
}

/* The payload of the current step on its way: from the sender's lane down
 * (or up) to the receiver's, as far as the beat has got. A start-up pickle
 * is made before its receiver exists (spawn, forkserver), so it is shown
 * travelling when the receiver reads it: at the load. */
static void draw_travel(struct canvas *cv, const struct replay *rp, const struct timeline *t,
			const int *rows, int top, int scroll)
{
	const struct step *s = replay_current(rp);
	int from, to, x, y;

	if ((s->kind != STEP_PICKLE_DUMP && s->kind != STEP_PICKLE_LOAD) || !s->peer ||
	    !is_shown(t, rp->step))
		return;
	from = row_of_pid(rp, rows, s->kind == STEP_PICKLE_DUMP ? s->pid : s->peer);
	to = row_of_pid(rp, rows, s->kind == STEP_PICKLE_DUMP ? s->peer : s->pid);
	if (from < 0 || to < 0)
		return;
	x = col_of(t, rp->step) + (t->cps > 1 ? 1 : 0);
	y = from + (int)((double)(to - from) * rp->beat_phase + (to > from ? 0.5 : -0.5));
	draw_vertical(cv, x, top + (from < y ? from : y) - scroll,
		      top + (from < y ? y : from) - scroll, GLYPH_PAYLOAD_PATH, ST_PAYLOAD);
	canvas_set(cv, x, top + y - scroll, glyph_cp(GLYPH_PICKLE), ST_PAYLOAD);
}

/* A lane's label: "PID ROLE" always, then what it runs ("example.py",
 * "spawn_main") when the whole of it fits; a name is never cut in half. */
static int lane_label_parts(const struct replay *rp, const struct proc_state *ps, char *head,
			    size_t head_len, struct sbuf *what)
{
	snprintf(head, head_len, "%d %s", ps->proc->pid, short_roles[ps->proc->role]);
	replay_proc_label(rp, ps, what);
	return ps->depth % 4;
}

static void draw_lane(struct canvas *cv, const struct ui_app *app, const struct replay *rp,
		      const struct timeline *t, size_t pi, int y, struct rect in, int label_w)
{
	const struct proc_state *ps = &rp->procs[pi];
	enum style st = role_style(ps->proc->role);
	bool is_sel = ps->proc->pid == ui_app_selected_pid(app);
	size_t born = rp->born_step[pi], end = rp->exit_step[pi];
	size_t from = born == SIZE_MAX || born < t->first ? t->first : born;
	size_t to = end != SIZE_MAX && end <= rp->step ? end : rp->step;
	char head[48];
	struct sbuf what;
	int indent, used;

	if (is_sel)
		canvas_fill(cv, (struct rect){ in.x, y, label_w, 1 }, ' ', ST_SELECTED);
	sbuf_init(&what);
	indent = lane_label_parts(rp, ps, head, sizeof(head), &what);
	used = canvas_prints(cv, in.x + indent, y, label_w - indent, is_sel ? ST_SELECTED : st,
			     head);
	if (!what.is_oom && what.len &&
	    indent + used + 1 + canvas_text_width(what.data, what.len) <= label_w)
		canvas_print(cv, in.x + indent + used + 1, y, label_w - indent - used - 1,
			     is_sel ? ST_SELECTED : ST_DIM, what.data, what.len);
	sbuf_release(&what);
	if (to < from || !is_shown(t, from))
		return;
	for (int x = col_of(t, from);
	     x <= col_of(t, to < t->first + t->shown ? to : t->first + t->shown - 1); x++)
		canvas_set(cv, x, y, glyph_cp(GLYPH_LANE), st);
}

/* Wide enough for the longest whole label of the lanes on screen (lanes
 * `scroll` .. `scroll + in.h` of those started), within a share of the panel
 * that leaves the time axis most of it; at 80 columns that is "PID ROLE".
 * Only the lanes shown are measured, so a thousand processes cost nothing. */
static int label_width(const struct replay *rp, struct rect in, int scroll)
{
	int cap = in.w * 45 / 100, need = 0, row = 0;

	if (cap > 34)
		cap = 34;
	for (size_t lane = 0; lane < rp->tr->proc_count && row < scroll + in.h; lane++) {
		const struct proc_state *ps = replay_lane(rp, lane);
		char head[48];
		struct sbuf what;
		int indent, w, full;

		if (!ps->is_started || row++ < scroll)
			continue;
		sbuf_init(&what);
		indent = lane_label_parts(rp, ps, head, sizeof(head), &what);
		w = indent + canvas_text_width(head, strlen(head));
		full = what.is_oom ? w : w + 1 + canvas_text_width(what.data, what.len);
		sbuf_release(&what);
		/* The head always shows; what it runs only when all of it fits. */
		if (w > need)
			need = w;
		if (full <= cap && full > need)
			need = full;
	}
	return need < cap ? need : cap;
}

long ui_lanes_step_at(const struct ui_app *app, struct rect r, int x)
{
	const struct replay *rp = ui_app_replay(app);
	struct rect in = { r.x + 1, r.y + 1, r.w - 2, r.h - 2 };
	int label_w = label_width(rp, in, app->scroll[FOCUS_LANES]);
	struct timeline t = timeline_for(rp, in.x + label_w + 1, in.w - label_w - 2);
	long k;

	if (x < t.x || t.cps <= 0)
		return -1;
	k = (long)t.first + (x - t.x) / t.cps;
	/* Only what has been told can be clicked: the future is not drawn. */
	return k <= (long)rp->step && (size_t)k < t.first + t.shown ? k : -1;
}

int ui_lanes_pid_at(const struct ui_app *app, struct rect r, int row)
{
	const struct replay *rp = ui_app_replay(app);
	int idx = row - (r.y + 1) + app->scroll[FOCUS_LANES];
	int n = 0;

	if (row <= r.y || row >= r.y + r.h - 1)
		return -1;
	for (size_t lane = 0; lane < rp->tr->proc_count; lane++) {
		const struct proc_state *ps = replay_lane(rp, lane);

		if (ps->is_started && n++ == idx)
			return ps->proc->pid;
	}
	return -1;
}

/* Lanes started by the current step, and the row among them of the lane
 * of `pid` (-1 when it has none): what the scroll is clamped to. */
static size_t count_lanes(const struct replay *rp, int pid, int *row)
{
	const struct process *p = trace_find_proc(rp->tr, pid);
	size_t n = 0;

	*row = -1;
	for (size_t lane = 0; lane < rp->tr->proc_count; lane++) {
		const struct proc_state *ps = replay_lane(rp, lane);

		if (!ps->is_started)
			continue;
		if (p && ps->proc == p)
			*row = (int)n;
		n++;
	}
	return n;
}

void ui_lanes_settle(struct ui_app *app, struct rect r)
{
	int in_h = r.h - 2, sel_row, *scroll = &app->scroll[FOCUS_LANES];
	size_t count;

	if (in_h <= 0)
		return;
	count = count_lanes(ui_app_replay(app), ui_app_selected_pid(app), &sel_row);
	/* Keep the selected lane on screen. */
	if (sel_row >= 0 && sel_row < *scroll)
		*scroll = sel_row;
	if (sel_row >= 0 && sel_row >= *scroll + in_h)
		*scroll = sel_row - in_h + 1;
	if (*scroll > (int)count - 1)
		*scroll = count ? (int)count - 1 : 0;
	if (*scroll < 0)
		*scroll = 0;
}

void ui_lanes_draw(struct canvas *cv, const struct ui_app *app, struct rect r)
{
	const struct replay *rp = ui_app_replay(app);
	struct rect in = { r.x + 1, r.y + 1, r.w - 2, r.h - 2 };
	size_t n = rp->tr->proc_count ? rp->tr->proc_count : 1;
	int *rows = malloc(n * sizeof(*rows));
	size_t *order = malloc(n * sizeof(*order));
	struct timeline t;
	size_t count;
	int label_w, scroll = app->scroll[FOCUS_LANES];

	canvas_box(cv, r, app->focus == FOCUS_LANES ? ST_BORDER_FOCUS : ST_BORDER, "processes");
	if (!rows || !order || in.h <= 0) {
		/* A panel with no inside row has no room to say anything. */
		if (in.h > 0)
			canvas_prints(cv, in.x, in.y, in.w, ST_WARN,
				      "out of memory drawing the lanes");
		free(rows);
		free(order);
		return;
	}
	count = visible_lanes(rp, rows, order);
	label_w = label_width(rp, in, scroll);
	t = timeline_for(rp, in.x + label_w + 1, in.w - label_w - 2);
	/* A fork to a lane scrolled out of view is drawn up to the edge. */
	canvas_set_clip(cv, &in);
	for (size_t i = (size_t)scroll; i < count && (int)i - scroll < in.h; i++)
		draw_lane(cv, app, rp, &t, order[i], in.y + (int)i - scroll, in, label_w);
	draw_marks(cv, rp, &t, rows, in.y, scroll);
	draw_travel(cv, rp, &t, rows, in.y, scroll);
	draw_exit_statuses(cv, rp, &t, rows, in.y, scroll, in);
	canvas_set_clip(cv, NULL);
	if (is_shown(&t, rp->step))
		canvas_set(cv, col_of(&t, rp->step), r.y, glyph_cp(GLYPH_STEP_CURSOR), ST_TITLE);
	if ((int)count - scroll > in.h)
		canvas_printf(cv, r.x + r.w - 14, r.y + r.h - 1, 12, ST_DIM, " %d more %s ",
			      (int)count - scroll - in.h, glyph_text(GLYPH_MORE_BELOW));
	if (scroll > 0)
		canvas_printf(cv, r.x + r.w - 14, r.y, 12, ST_DIM, " %d more %s ", scroll,
			      glyph_text(GLYPH_MORE_ABOVE));
	free(rows);
	free(order);
}

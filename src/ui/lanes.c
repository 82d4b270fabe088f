/*
 * lanes.c - the processes panel: one lane per process, time to the right,
 * and the legend of its glyphs.
 *
 * Each story step is a column (up to three wide on a short story; a window
 * that follows the cursor on a long one). A fork draws ┬ on the parent's
 * lane and └ on the child's, exec and start draw ●, an exit ■, a pickle ◆,
 * the pickles a process counted but did not keep ◇ (after its exit);
 * at the current step the payload, a box with its size and first
 * reference, travels from the sender's lane to the receiver's (ui_anim),
 * beside the lanes in between, never over them. Only what happened so far
 * is drawn. Compare columns draw the same lanes, smaller (ui_lanes_draw_in).
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
		case STEP_PICKLE_SUMMARY:
			canvas_set(cv, x, y, glyph_cp(GLYPH_COUNTED), ST_PAYLOAD);
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

/* The step whose mark an exit status follows: the exit's, or the ◇ of the
 * pickles its process counted, told right after its exit. */
static size_t status_after(const struct replay *rp, const struct timeline *t, size_t k)
{
	const struct step *next = k + 1 < rp->story.step_count ? &rp->story.steps[k + 1] : NULL;

	return next && k + 1 <= rp->step && is_shown(t, k + 1) &&
			next->kind == STEP_PICKLE_SUMMARY && next->pid == rp->story.steps[k].pid
		? k + 1
		: k;
}

/* After the marks and the payload's path: the exit status beside each ■
 * (past the ◇ that may follow it), in the free cells that follow it, so a
 * line passing by never hides it. */
static void draw_exit_statuses(struct canvas *cv, const struct replay *rp, const struct timeline *t,
			       const int *rows, int top, int scroll, struct rect in)
{
	for (size_t k = t->first; k <= rp->step && is_shown(t, k); k++) {
		const struct step *s = &rp->story.steps[k];
		const struct event *ev = &rp->tr->events[s->ev];
		int r = row_of_pid(rp, rows, s->pid), y = top + r - scroll;
		int x = col_of(t, status_after(rp, t, k)) + 1;
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

/* The payload's label: its size and the first name it refers to that is
 * the program's own ("344 B __main__.f"), or just its size. */
static void travel_label(const struct event *ev, bool is_short, struct sbuf *out)
{
	const struct global_ref *g = replay_payload_ref(ev);

	sbuf_adds(out, " ");
	sbuf_add_size(out, ev->u.pickle.size);
	if (g && !is_short)
		sbuf_addf(out, " %s.%s", g->module, g->name);
	sbuf_adds(out, " ");
}

/* The payload of the current step on its way: a box that moves from the
 * sender's lane to the receiver's as the transition plays (progress 0..1,
 * 1 at rest), down the column just after the step's, where no lane has a
 * line yet: it passes the lanes in between and never draws on them. At
 * rest it sits on the receiver's lane, its path back to the sender beside
 * it. A start-up pickle is made before its receiver exists (spawn,
 * forkserver), so it is shown travelling when the receiver reads it: at the
 * load. */
static void draw_travel(struct canvas *cv, const struct replay *rp, const struct timeline *t,
			const int *rows, int top, int scroll, struct rect in, double progress)
{
	const struct step *s = replay_current(rp);
	const struct event *ev;
	int from, to, col, x, y, sy, end = in.x + in.w;
	struct sbuf label;

	if ((s->kind != STEP_PICKLE_DUMP && s->kind != STEP_PICKLE_LOAD) || !s->peer ||
	    !is_shown(t, rp->step) || rp->tr->event_count == 0)
		return;
	ev = &rp->tr->events[s->ev];
	from = row_of_pid(rp, rows, s->kind == STEP_PICKLE_DUMP ? s->pid : s->peer);
	to = row_of_pid(rp, rows, s->kind == STEP_PICKLE_DUMP ? s->peer : s->pid);
	if (from < 0 || to < 0)
		return;
	col = col_of(t, rp->step);
	y = progress >= 1.0
		? to
		: from + (int)((double)(to - from) * progress + (to > from ? 0.5 : -0.5));
	for (int r = from; r != y; r += to > from ? 1 : -1)
		if (canvas_at(cv, col + 1, top + r - scroll) &&
		    canvas_at(cv, col + 1, top + r - scroll)->cp == ' ')
			canvas_set(cv, col + 1, top + r - scroll, glyph_cp(GLYPH_PAYLOAD_PATH),
				   ST_PAYLOAD);
	/* Arrived, it is the receiver's mark; on the way, beside the lanes. */
	x = y == to ? col : col + 1;
	sy = top + y - scroll;
	canvas_set(cv, x, sy, glyph_cp(GLYPH_PICKLE), ST_PAYLOAD);
	sbuf_init(&label);
	travel_label(ev, false, &label);
	if (!label.is_oom &&
	    canvas_text_width(label.data, label.len) > blank_run(cv, x + 1, sy, end)) {
		sbuf_clear(&label);
		travel_label(ev, true, &label);
	}
	if (!label.is_oom &&
	    canvas_text_width(label.data, label.len) <= blank_run(cv, x + 1, sy, end))
		canvas_print(cv, x + 1, sy, end - x - 1, ST_PAYLOAD_BOX, label.data, label.len);
	sbuf_release(&label);
}

/* A lane's label: "PID ROLE" always, then what it runs ("example.py",
 * "spawn_main") when the whole of it fits; a name is never cut in half. In
 * a program that used several start methods, a child's own follows what it
 * runs ("example.py (fork)"). */
static int lane_label_parts(const struct replay *rp, const struct proc_state *ps, char *head,
			    size_t head_len, struct sbuf *what)
{
	const char *methods[2];
	const char *own = replay_proc_method(rp, ps->proc);

	snprintf(head, head_len, "%d %s", ps->proc->pid, short_roles[ps->proc->role]);
	replay_proc_label(rp, ps, what);
	if (own && replay_methods(rp, methods, 2) > 1)
		sbuf_addf(what, " (%s)", own);
	return ps->depth % 4;
}

static void draw_lane(struct canvas *cv, const struct replay *rp, const struct timeline *t,
		      size_t pi, int y, struct rect in, int label_w, int selected)
{
	const struct proc_state *ps = &rp->procs[pi];
	enum style st = role_style(ps->proc->role);
	bool is_sel = ps->proc->pid == selected;
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
	/* In a narrow compare column the pid alone: a role is never cut. */
	if (indent + canvas_text_width(head, strlen(head)) > label_w)
		snprintf(head, sizeof(head), "%d", ps->proc->pid);
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
		if (w > cap)
			w = indent + snprintf(head, sizeof(head), "%d", ps->proc->pid);
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

/* ---- the legend ---- */

static const struct ui_legend_entry legend[] = {
	{ GLYPH_FORK_BRANCH, GLYPH_FORK_CHILD, "fork", "fork: parent, child" },
	{ GLYPH_START, GLYPH_COUNT, "exec", "start / exec" },
	{ GLYPH_PICKLE, GLYPH_COUNT, "pickle", "pickle made or read" },
	{ GLYPH_LOOKUP, GLYPH_COUNT, "find", "name looked up / re-import" },
	{ GLYPH_OUTPUT, GLYPH_COUNT, "out", "output" },
	{ GLYPH_EXIT, GLYPH_COUNT, "exit", "exit" },
	{ GLYPH_PICKLE, GLYPH_PAYLOAD_PATH, "sent", "payload on its way" },
	/* Last: left out where no trace shown has counted pickles. */
	{ GLYPH_COUNTED, GLYPH_COUNT, "counted", "counted, not kept" },
};

#define LEGEND_COUNT (sizeof(legend) / sizeof(legend[0]))

static bool shows_counted(const struct ui_app *app)
{
	if (!app->is_compare)
		return ui_app_replay(app)->has_counted;
	for (size_t c = 0; c < app->replay_count; c++)
		if (app->replays[c].has_counted)
			return true;
	return false;
}

size_t ui_legend(const struct ui_app *app, const struct ui_legend_entry **rows)
{
	*rows = legend;
	return shows_counted(app) ? LEGEND_COUNT : LEGEND_COUNT - 1;
}

static int entry_width(const struct ui_legend_entry *e, bool is_long)
{
	const char *w = is_long ? e->words : e->word;

	return (e->g2 == GLYPH_COUNT ? 1 : 2) + (is_long ? 1 : 0) + canvas_text_width(w, strlen(w));
}

int ui_legend_draw(struct canvas *cv, const struct ui_app *app, int x, int y, int max_w)
{
	const struct ui_legend_entry *rows;
	size_t n = ui_legend(app, &rows);
	int total = 0, used = 0;
	bool is_long;

	for (size_t i = 0; i < n; i++)
		total += entry_width(&legend[i], true) + (i ? 2 : 0);
	is_long = total <= max_w;
	for (size_t i = 0; i < n; i++) {
		const struct ui_legend_entry *e = &legend[i];
		int gap = i ? (is_long ? 2 : 1) : 0;

		if (used + gap + entry_width(e, is_long) > max_w)
			break;
		used += gap;
		canvas_set(cv, x + used++, y, glyph_cp(e->g1), ST_NORMAL);
		if (e->g2 != GLYPH_COUNT)
			canvas_set(cv, x + used++, y, glyph_cp(e->g2), ST_NORMAL);
		used += is_long;
		used += canvas_prints(cv, x + used, y, max_w - used, ST_DIM,
				      is_long ? e->words : e->word);
	}
	return used;
}

/* ---- drawing ---- */

/* What a lanes drawing shows: which replay, where, from which lane, the
 * lane highlighted (0: none) and how far the payload has travelled. */
struct lanes_view {
	const struct replay *rp;
	struct rect in;
	int scroll;
	int selected;
	double travel;
};

/* Draws the lanes; returns how many are started (for the scroll hints). */
static size_t draw_lanes(struct canvas *cv, const struct lanes_view *v, struct timeline *t)
{
	const struct replay *rp = v->rp;
	struct rect in = v->in;
	size_t n = rp->tr->proc_count ? rp->tr->proc_count : 1;
	int *rows = malloc(n * sizeof(*rows));
	size_t *order = malloc(n * sizeof(*order));
	size_t count;
	int label_w;

	if (!rows || !order) {
		canvas_prints(cv, in.x, in.y, in.w, ST_WARN, "out of memory drawing the lanes");
		free(rows);
		free(order);
		return 0;
	}
	count = visible_lanes(rp, rows, order);
	label_w = label_width(rp, in, v->scroll);
	*t = timeline_for(rp, in.x + label_w + 1, in.w - label_w - 2);
	/* A fork to a lane scrolled out of view is drawn up to the edge. */
	canvas_set_clip(cv, &in);
	for (size_t i = (size_t)v->scroll; i < count && (int)i - v->scroll < in.h; i++)
		draw_lane(cv, rp, t, order[i], in.y + (int)i - v->scroll, in, label_w, v->selected);
	draw_marks(cv, rp, t, rows, in.y, v->scroll);
	draw_travel(cv, rp, t, rows, in.y, v->scroll, in, v->travel);
	draw_exit_statuses(cv, rp, t, rows, in.y, v->scroll, in);
	canvas_set_clip(cv, NULL);
	free(rows);
	free(order);
	return count;
}

void ui_lanes_draw_in(struct canvas *cv, const struct ui_app *app, size_t c, struct rect r)
{
	struct lanes_view v = { .rp = &app->replays[c], .in = r, .travel = 1.0 };
	struct timeline t;
	size_t count;

	if (r.h <= 0 || r.w <= 0)
		return;
	count = draw_lanes(cv, &v, &t);
	if ((int)count > r.h)
		canvas_printf(cv, r.x + r.w - 8, r.y + r.h - 1, 8, ST_DIM, " +%d %s",
			      (int)count - r.h, glyph_text(GLYPH_MORE_BELOW));
}

void ui_lanes_draw(struct canvas *cv, const struct ui_app *app, struct rect r)
{
	const struct replay *rp = ui_app_replay(app);
	const struct ui_anim *a = ui_app_anim(app);
	struct lanes_view v = {
		.rp = rp,
		.in = { r.x + 1, r.y + 1, r.w - 2, r.h - 2 },
		.scroll = app->scroll[FOCUS_LANES],
		.selected = ui_app_selected_pid(app),
		.travel = a && a->kind == UI_ANIM_PAYLOAD ? ui_anim_progress(a) : 1.0,
	};
	struct timeline t;
	size_t count;
	int scroll = v.scroll;

	canvas_box(cv, r, app->focus == FOCUS_LANES ? ST_BORDER_FOCUS : ST_BORDER, "processes");
	/* A panel with no inside row has no room to say anything. */
	if (v.in.h <= 0)
		return;
	count = draw_lanes(cv, &v, &t);
	if (is_shown(&t, rp->step))
		canvas_set(cv, col_of(&t, rp->step), r.y, glyph_cp(GLYPH_STEP_CURSOR), ST_TITLE);
	/* The legend on the last row, when the lanes leave it free. */
	if ((int)count - scroll < v.in.h)
		ui_legend_draw(cv, app, v.in.x, v.in.y + v.in.h - 1, v.in.w);
	if ((int)count - scroll > v.in.h)
		canvas_printf(cv, r.x + r.w - 14, r.y + r.h - 1, 12, ST_DIM, " %d more %s ",
			      (int)count - scroll - v.in.h, glyph_text(GLYPH_MORE_BELOW));
	if (scroll > 0)
		canvas_printf(cv, r.x + r.w - 14, r.y, 12, ST_DIM, " %d more %s ", scroll,
			      glyph_text(GLYPH_MORE_ABOVE));
}

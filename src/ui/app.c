/*
 * app.c - the replay screen as a whole: state, layout, time and clicks, and
 * the frame's two steps (settle the state to the screen, then draw it).
 *
 * Layout: status line on top, key bar at the bottom, four panels between.
 * From 80x24: processes over resources | payload over narration, the
 * processes as tall as their lanes need; from UI_WIDE_COLS x UI_WIDE_ROWS
 * the processes span the width and payload | resources over narration
 * share the rest. Compare mode gives the body to the compare columns.
 */
#include <stdio.h>
#include <string.h>

#include "ui/app.h"

void ui_app_init(struct ui_app *app, struct replay *replays, size_t count, const char *title)
{
	memset(app, 0, sizeof(*app));
	app->replays = replays;
	app->replay_count = count;
	app->title = title;
	app->is_following = true;
	app->focus = FOCUS_LANES;
	sbuf_init(&app->payload.text);
	sbuf_init(&app->payload.ref_lines);
	sbuf_init(&app->payload.verdict);
}

void ui_app_release(struct ui_app *app)
{
	sbuf_release(&app->payload.text);
	sbuf_release(&app->payload.ref_lines);
	sbuf_release(&app->payload.verdict);
	alignment_release(&app->align);
}

const struct replay *ui_app_replay(const struct ui_app *app)
{
	return &app->replays[app->current];
}

struct replay *ui_app_replay_rw(struct ui_app *app, size_t c)
{
	/* ui_app_init() was given these replays writable: the const of the
	 * field only keeps views (a const app) from moving them. */
	return (struct replay *)&app->replays[c];
}

int ui_app_selected_pid(const struct ui_app *app)
{
	const struct replay *rp = &app->replays[app->current];
	const struct step *s = replay_current(rp);
	bool goes_to_peer =
		s->kind == STEP_FORK || s->kind == STEP_PICKLE_DUMP || s->kind == STEP_FDS_PASS;
	const struct proc_state *peer = goes_to_peer && s->peer ? replay_proc(rp, s->peer) : NULL;

	if (!app->is_following && replay_proc(rp, app->selected_pid))
		return app->selected_pid;
	/* Following the story: the process the step happens to. */
	return peer && peer->is_started ? s->peer : s->pid;
}

const struct alignment *ui_app_alignment(struct ui_app *app)
{
	size_t key = app->is_folded;

	for (size_t c = 0; c < app->replay_count; c++)
		key += 2 * (replay_step_count(&app->replays[c]) + 1);
	if (app->align.cells && app->align_key == key)
		return &app->align;
	alignment_release(&app->align);
	if (replay_align(app->replays, app->replay_count, &app->align, &app->err) < 0) {
		app->has_err = true;
		return NULL;
	}
	app->align_key = key;
	return &app->align;
}

int ui_app_set_folded(struct ui_app *app, bool is_folded)
{
	const struct alignment *al;

	if (app->is_folded == is_folded)
		return 0;
	for (size_t c = 0; c < app->replay_count; c++)
		if (replay_set_folded(ui_app_replay_rw(app, c), is_folded, &app->err) < 0) {
			/* Back to one kind of story for all: out of memory again
			 * only leaves that trace as it was. */
			while (c-- > 0)
				replay_set_folded(ui_app_replay_rw(app, c), !is_folded, NULL);
			app->has_err = true;
			return -1;
		}
	app->is_folded = is_folded;
	app->payload.is_valid = false;
	app->anim.has_seen = false;
	app->has_compare_left = false;
	app->has_method_origin = false;
	al = app->is_compare ? ui_app_alignment(app) : NULL;
	if (al) {
		size_t r = alignment_row_of(al, app->current, ui_app_replay(app)->step);

		if (r != SIZE_MAX)
			app->compare_row = r;
	}
	return 0;
}

const struct ui_anim *ui_app_anim(const struct ui_app *app)
{
	const struct ui_anim *a = &app->anim;

	if (a->kind == UI_ANIM_NONE || app->is_compare || a->replay != app->current ||
	    a->step != ui_app_replay(app)->step)
		return NULL;
	return a;
}

double ui_anim_progress(const struct ui_anim *a)
{
	if (!a || a->kind == UI_ANIM_NONE || a->duration_ms <= 0 || a->elapsed_ms >= a->duration_ms)
		return 1.0;
	return a->elapsed_ms > 0 ? a->elapsed_ms / a->duration_ms : 0.0;
}

bool ui_app_is_animating(const struct ui_app *app)
{
	return app->anim.kind != UI_ANIM_NONE;
}

/* A move forward to a step starts its transition; any other move (back, a
 * jump to another trace, compare mode) shows the step at rest. */
static void settle_anim(struct ui_app *app)
{
	const struct replay *rp = ui_app_replay(app);
	const struct step *s = replay_current(rp);
	struct ui_anim *a = &app->anim;
	bool has_moved = !a->has_seen || a->seen_replay != app->current || a->seen_step != rp->step;
	bool is_forward = a->has_seen && a->seen_replay == app->current && rp->step > a->seen_step;
	const struct event *ev = rp->tr->event_count ? &rp->tr->events[s->ev] : NULL;

	if (!has_moved)
		return;
	a->has_seen = true;
	a->seen_replay = app->current;
	a->seen_step = rp->step;
	a->kind = UI_ANIM_NONE;
	if (!app->is_animated || app->is_compare || !is_forward || !ev)
		return;
	switch (s->kind) {
	case STEP_PICKLE_DUMP:
	case STEP_PICKLE_LOAD:
		if (!s->peer)
			return;
		a->kind = UI_ANIM_PAYLOAD;
		a->pid = s->kind == STEP_PICKLE_DUMP ? s->peer : s->pid;
		a->duration_ms = UI_ANIM_PAYLOAD_MS;
		break;
	case STEP_FORK:
		a->kind = UI_ANIM_FORK_FILL;
		a->pid = s->peer;
		a->duration_ms = UI_ANIM_FILL_MS;
		break;
	case STEP_EXEC:
		a->kind = UI_ANIM_EXEC_STRIKE;
		a->pid = s->pid;
		a->duration_ms = UI_ANIM_STRIKE_MS;
		break;
	case STEP_FDS_PASS:
		if (ev->u.fds_pass.via != PASS_FORK && ev->u.fds_pass.via != PASS_EXEC)
			return;
		a->kind = ev->u.fds_pass.via == PASS_FORK ? UI_ANIM_FORK_FILL : UI_ANIM_EXEC_STRIKE;
		a->pid = ev->u.fds_pass.to ? ev->u.fds_pass.to : s->pid;
		a->duration_ms = a->kind == UI_ANIM_FORK_FILL ? UI_ANIM_FILL_MS : UI_ANIM_STRIKE_MS;
		break;
	default:
		return;
	}
	a->replay = app->current;
	a->step = rp->step;
	a->elapsed_ms = 0;
	/* Playing fast, a transition ends before the next beat. */
	if (rp->is_playing && a->duration_ms > 0.8 * REPLAY_BEAT_MS / replay_speed(rp))
		a->duration_ms = 0.8 * REPLAY_BEAT_MS / replay_speed(rp);
}

static int clamp(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* The four panels inside body: side by side from 80x24, the processes
 * across the width from UI_WIDE_COLS x UI_WIDE_ROWS (the body of such a
 * screen is two rows shorter), or in classroom proportions. */
static void layout_panels(const struct ui_app *app, struct rect b, struct ui_layout *l)
{
	int top_h = b.h / 2, left_w = b.w / 2;
	/* Every lane of the shown trace, the legend, the frame: the panel
	 * keeps its size while processes come and go. */
	int need = (int)ui_app_replay(app)->tr->proc_count + 3;

	if (app->is_present) {
		int lanes_h = clamp(need, 4, b.h * 2 / 5), below = b.h - lanes_h;
		int pay_w = b.w * 3 / 5, res_h = below / 2;

		l->lanes = (struct rect){ b.x, b.y, b.w, lanes_h };
		l->payload = (struct rect){ b.x, b.y + lanes_h, pay_w, below };
		l->resources = (struct rect){ b.x + pay_w, b.y + lanes_h, b.w - pay_w, res_h };
		l->narration = (struct rect){ b.x + pay_w, b.y + lanes_h + res_h, b.w - pay_w,
					      below - res_h };
		return;
	}
	if (b.w >= UI_WIDE_COLS && b.h + 2 >= UI_WIDE_ROWS) {
		int lanes_h = clamp(need, 4, b.h / 3), below = b.h - lanes_h;
		int res_h = below * 3 / 5;

		l->lanes = (struct rect){ b.x, b.y, b.w, lanes_h };
		l->payload = (struct rect){ b.x, b.y + lanes_h, left_w, below };
		l->resources = (struct rect){ b.x + left_w, b.y + lanes_h, b.w - left_w, res_h };
		l->narration = (struct rect){ b.x + left_w, b.y + lanes_h + res_h, b.w - left_w,
					      below - res_h };
		return;
	}
	{
		int lanes_h = clamp(need, 4, top_h);

		l->lanes = (struct rect){ b.x, b.y, left_w, lanes_h };
		l->resources = (struct rect){ b.x, b.y + lanes_h, left_w, b.h - lanes_h };
		l->payload = (struct rect){ b.x + left_w, b.y, b.w - left_w, top_h };
		l->narration =
			(struct rect){ b.x + left_w, b.y + top_h, b.w - left_w, b.h - top_h };
	}
}

struct ui_layout ui_app_layout(const struct ui_app *app, int cols, int rows)
{
	struct ui_layout l;

	memset(&l, 0, sizeof(l));
	if (app->is_framed) {
		l.body = app->area;
	} else {
		l.status = (struct rect){ 0, 0, cols, 1 };
		l.keys = (struct rect){ 0, rows - 1, cols, 1 };
		l.body = (struct rect){ 0, 1, cols, rows - 2 };
	}
	layout_panels(app, l.body, &l);
	return l;
}

static bool is_too_small(int cols, int rows)
{
	return cols < UI_MIN_COLS || rows < UI_MIN_ROWS;
}

bool ui_draw_too_small(struct canvas *cv)
{
	char msg[128];
	int n, w;

	if (!is_too_small(cv->cols, cv->rows))
		return false;
	n = snprintf(msg, sizeof(msg), "mpscope needs at least %dx%d; this terminal is %dx%d",
		     UI_MIN_COLS, UI_MIN_ROWS, cv->cols, cv->rows);
	w = canvas_text_width(msg, (size_t)n);
	canvas_print(cv, w < cv->cols ? (cv->cols - w) / 2 : 0, cv->rows / 2, cv->cols, ST_WARN,
		     msg, (size_t)n);
	return true;
}

void ui_app_settle(struct ui_app *app, int cols, int rows)
{
	struct ui_layout l = ui_app_layout(app, cols, rows);

	/* Nothing but the size message is shown: nothing to fit. */
	if (is_too_small(cols, rows))
		return;
	if (app->is_compare) {
		ui_compare_settle(app, l.body);
		settle_anim(app);
		return;
	}
	settle_anim(app);
	ui_lanes_settle(app, l.lanes);
	ui_payload_settle(app, l.payload);
	ui_resources_settle(app, l.resources);
	ui_narration_settle(app, l.narration);
}

void ui_app_draw(struct canvas *cv, const struct ui_app *app)
{
	canvas_clear(cv);
	if (!ui_draw_too_small(cv))
		ui_app_draw_in(cv, app);
}

void ui_app_draw_in(struct canvas *cv, const struct ui_app *app)
{
	struct ui_layout l = ui_app_layout(app, cv->cols, cv->rows);

	if (l.status.w > 0)
		ui_status_draw(cv, app, l.status);
	if (app->is_compare) {
		ui_compare_draw(cv, app, l.body);
	} else {
		ui_lanes_draw(cv, app, l.lanes);
		ui_payload_draw(cv, app, l.payload);
		ui_resources_draw(cv, app, l.resources);
		ui_narration_draw(cv, app, l.narration);
	}
	if (l.keys.w > 0)
		ui_keybar_draw(cv, app, l.keys);
	/* Help covers the body: it is an overlay, so it comes last. */
	if (app->show_help)
		ui_help_draw(cv, app, l.body);
}

unsigned ui_app_tick(struct ui_app *app, double elapsed_ms)
{
	struct replay *rp = ui_app_replay_rw(app, app->current);
	size_t before = rp->step;
	bool changed = replay_tick(rp, elapsed_ms);

	if (rp->step != before) {
		app->is_following = true;
		app->scroll[FOCUS_NARRATION] = 0;
		if (app->is_compare)
			app->compare_row++;
	}
	if (app->anim.kind != UI_ANIM_NONE) {
		app->anim.elapsed_ms += elapsed_ms;
		if (app->anim.elapsed_ms >= app->anim.duration_ms)
			app->anim.kind = UI_ANIM_NONE;
		changed = true;
	}
	return changed ? UI_REDRAW : 0;
}

static bool inside(struct rect r, int x, int y)
{
	return x >= r.x && y >= r.y && x < r.x + r.w && y < r.y + r.h;
}

unsigned ui_app_click(struct ui_app *app, int cols, int rows, int x, int y)
{
	struct ui_layout l = ui_app_layout(app, cols, rows);
	const struct rect *panels[FOCUS_COUNT] = {
		[FOCUS_LANES] = &l.lanes,
		[FOCUS_PAYLOAD] = &l.payload,
		[FOCUS_RESOURCES] = &l.resources,
		[FOCUS_NARRATION] = &l.narration,
	};

	if (is_too_small(cols, rows) || app->is_compare)
		return 0;
	app->show_help = false;
	for (int f = 0; f < FOCUS_COUNT; f++)
		if (inside(*panels[f], x, y))
			app->focus = (enum ui_focus)f;
	if (app->focus == FOCUS_LANES && inside(l.lanes, x, y)) {
		int pid = ui_lanes_pid_at(app, l.lanes, y);
		long step = ui_lanes_step_at(app, l.lanes, x);

		/* A click on a mark goes to that step; on a label, selects. */
		if (step >= 0) {
			struct replay *rp = ui_app_replay_rw(app, app->current);

			rp->is_playing = false;
			replay_seek(rp, (size_t)step);
		}
		if (pid > 0) {
			app->selected_pid = pid;
			app->is_following = false;
		}
	}
	return UI_REDRAW;
}

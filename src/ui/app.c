/*
 * app.c - the replay screen as a whole: state, layout, time and clicks, and
 * the frame's two steps (settle the state to the screen, then draw it).
 *
 * Layout (80x24 and up): status line on top, key bar at the bottom, and
 * four panels between - processes | payload over resources | narration.
 * Compare mode gives the body to the compare columns.
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
}

void ui_app_release(struct ui_app *app)
{
	sbuf_release(&app->payload.text);
	sbuf_release(&app->payload.ref_lines);
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
	size_t key = 0;

	for (size_t c = 0; c < app->replay_count; c++)
		key += replay_step_count(&app->replays[c]) + 1;
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

struct ui_layout ui_app_layout(int cols, int rows)
{
	struct ui_layout l;
	int body_h = rows - 2, top_h = body_h / 2, left_w = cols / 2;

	l.status = (struct rect){ 0, 0, cols, 1 };
	l.keys = (struct rect){ 0, rows - 1, cols, 1 };
	l.body = (struct rect){ 0, 1, cols, body_h };
	l.lanes = (struct rect){ 0, 1, left_w, top_h };
	l.payload = (struct rect){ left_w, 1, cols - left_w, top_h };
	l.resources = (struct rect){ 0, 1 + top_h, left_w, body_h - top_h };
	l.narration = (struct rect){ left_w, 1 + top_h, cols - left_w, body_h - top_h };
	return l;
}

static void draw_too_small(struct canvas *cv)
{
	char msg[128];
	int n = snprintf(msg, sizeof(msg), "mpscope needs at least %dx%d; this terminal is %dx%d",
			 UI_MIN_COLS, UI_MIN_ROWS, cv->cols, cv->rows);
	int w = canvas_text_width(msg, (size_t)n);

	canvas_print(cv, w < cv->cols ? (cv->cols - w) / 2 : 0, cv->rows / 2, cv->cols, ST_WARN,
		     msg, (size_t)n);
}

static bool is_too_small(int cols, int rows)
{
	return cols < UI_MIN_COLS || rows < UI_MIN_ROWS;
}

void ui_app_settle(struct ui_app *app, int cols, int rows)
{
	struct ui_layout l = ui_app_layout(cols, rows);

	/* Nothing but the size message is shown: nothing to fit. */
	if (is_too_small(cols, rows))
		return;
	if (app->is_compare) {
		ui_compare_settle(app);
		return;
	}
	ui_lanes_settle(app, l.lanes);
	ui_payload_settle(app, l.payload);
	ui_resources_settle(app, l.resources);
	ui_narration_settle(app, l.narration);
}

void ui_app_draw(struct canvas *cv, const struct ui_app *app)
{
	struct ui_layout l = ui_app_layout(cv->cols, cv->rows);

	canvas_clear(cv);
	if (is_too_small(cv->cols, cv->rows)) {
		draw_too_small(cv);
		return;
	}
	ui_status_draw(cv, app, l.status);
	if (app->is_compare) {
		ui_compare_draw(cv, app, l.body);
	} else {
		ui_lanes_draw(cv, app, l.lanes);
		ui_payload_draw(cv, app, l.payload);
		ui_resources_draw(cv, app, l.resources);
		ui_narration_draw(cv, app, l.narration);
	}
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
	return changed ? UI_REDRAW : 0;
}

static bool inside(struct rect r, int x, int y)
{
	return x >= r.x && y >= r.y && x < r.x + r.w && y < r.y + r.h;
}

unsigned ui_app_click(struct ui_app *app, int cols, int rows, int x, int y)
{
	struct ui_layout l = ui_app_layout(cols, rows);
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

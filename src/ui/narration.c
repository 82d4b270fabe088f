/*
 * narration.c - the narration panel: what the current step means, in
 * sentences from replay_narrate(), word-wrapped; ↑/↓ scroll it when the
 * text is longer than the panel.
 */
#include <stdio.h>

#include "ui/app.h"

void ui_narration_draw(struct canvas *cv, struct ui_app *app, struct rect r)
{
	const struct replay *rp = ui_app_replay(app);
	struct rect in = { r.x + 2, r.y + 1, r.w - 4, r.h - 2 };
	int *scroll = &app->scroll[FOCUS_NARRATION];
	struct sbuf text;
	char title[48];
	int lines;

	snprintf(title, sizeof(title), "narration · %s", step_kind_name(replay_current(rp)->kind));
	canvas_box(cv, r, app->focus == FOCUS_NARRATION ? ST_BORDER_FOCUS : ST_BORDER, title);
	if (in.w <= 0 || in.h <= 0)
		return;
	sbuf_init(&text);
	replay_narrate(rp, rp->step, &text);
	if (replay_current(rp)->expanded_from != SIZE_MAX)
		sbuf_adds(&text, " [Enter: fold the group]");
	if (text.is_oom) {
		canvas_prints(cv, in.x, in.y, in.w, ST_WARN, "out of memory writing the narration");
		sbuf_release(&text);
		return;
	}
	lines = canvas_wrap(cv, in, ST_NORMAL, text.data, text.len, 0);
	if (*scroll > lines - in.h)
		*scroll = lines - in.h;
	if (*scroll < 0)
		*scroll = 0;
	if (*scroll > 0) {
		canvas_fill(cv, in, ' ', ST_NORMAL);
		canvas_wrap(cv, in, ST_NORMAL, text.data, text.len, *scroll);
	}
	if (lines - *scroll > in.h)
		canvas_prints(cv, r.x + r.w - 6, r.y + r.h - 1, 4, ST_DIM, " ↓ ");
	sbuf_release(&text);
}

/*
 * narration.c - the narration panel: what the current step means, in
 * sentences from replay_narrate(), word-wrapped; ↑/↓ scroll it when the
 * text is longer than the panel.
 */
#include <stdio.h>

#include "ui/app.h"

static struct rect inside(struct rect r)
{
	return (struct rect){ r.x + 2, r.y + 1, r.w - 4, r.h - 2 };
}

/* The panel's text; text->is_oom when memory ran out. In a lesson
 * (a framed app) Enter goes on to the next step and e folds a group. */
static void narration_text(const struct ui_app *app, struct sbuf *text)
{
	const struct replay *rp = ui_app_replay(app);

	replay_narrate(rp, rp->step, text);
	if (replay_current(rp)->expanded_from != SIZE_MAX)
		sbuf_adds(text,
			  app->is_framed ? " [e: fold the group]" : " [Enter: fold the group]");
}

void ui_narration_settle(struct ui_app *app, struct rect r)
{
	struct rect in = inside(r);
	int *scroll = &app->scroll[FOCUS_NARRATION];
	struct sbuf text;
	int lines;

	if (in.w <= 0 || in.h <= 0)
		return;
	sbuf_init(&text);
	narration_text(app, &text);
	if (!text.is_oom) {
		lines = canvas_wrap_count(text.data, text.len, in.w);
		if (*scroll > lines - in.h)
			*scroll = lines - in.h;
		if (*scroll < 0)
			*scroll = 0;
	}
	sbuf_release(&text);
}

void ui_narration_draw(struct canvas *cv, const struct ui_app *app, struct rect r)
{
	const struct replay *rp = ui_app_replay(app);
	struct rect in = inside(r);
	int scroll = app->scroll[FOCUS_NARRATION];
	struct sbuf text;
	char title[48];
	int lines;

	snprintf(title, sizeof(title), "narration · %s", step_kind_name(replay_current(rp)->kind));
	canvas_box(cv, r, app->focus == FOCUS_NARRATION ? ST_BORDER_FOCUS : ST_BORDER, title);
	if (in.w <= 0 || in.h <= 0)
		return;
	sbuf_init(&text);
	narration_text(app, &text);
	if (text.is_oom) {
		canvas_prints(cv, in.x, in.y, in.w, ST_WARN, "out of memory writing the narration");
		sbuf_release(&text);
		return;
	}
	lines = canvas_wrap(cv, in, ST_NORMAL, text.data, text.len, scroll);
	if (lines - scroll > in.h)
		canvas_printf(cv, r.x + r.w - 6, r.y + r.h - 1, 4, ST_DIM, " %s ",
			      glyph_text(GLYPH_MORE_BELOW));
	sbuf_release(&text);
}

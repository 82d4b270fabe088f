/*
 * compare.c - the same program under several methods (or Pythons) in
 * columns, one row per aligned story step. A row that not every trace has
 * is highlighted: that is where the methods differ (spawn pickles, fork
 * does not). Below the rows, each column's narration of the row under the
 * cursor.
 */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "ui/app.h"

static bool row_has_gap(const struct alignment *al, size_t r)
{
	for (size_t c = 0; c < al->col_count; c++)
		if (alignment_at(al, r, c) == ALIGN_GAP)
			return true;
	return false;
}

static bool same_meta(const struct ui_app *app, bool is_python)
{
	for (size_t c = 1; c < app->replay_count; c++) {
		const struct trace_meta *a = &app->replays[0].tr->meta,
					*b = &app->replays[c].tr->meta;
		const char *x = is_python ? a->python : a->method,
			   *y = is_python ? b->python : b->method;

		if (!x != !y || (x && strcmp(x, y) != 0))
			return false;
	}
	return true;
}

/* What tells the columns apart comes first: the Python version when the
 * traces are one program under several Pythons, else the start method.
 * What every column shares is said once, in the status line. */
static void column_title(const struct ui_app *app, const struct replay *rp, char *buf, size_t len)
{
	const char *method = rp->tr->meta.method ? rp->tr->meta.method : "?";
	const char *python = rp->tr->meta.python;

	if (python && !same_meta(app, true))
		snprintf(buf, len, "python %s%s%s", python, same_meta(app, false) ? "" : " · ",
			 same_meta(app, false) ? "" : method);
	else
		snprintf(buf, len, "%s", method);
}

void ui_compare_shared(const struct ui_app *app, char *buf, size_t len)
{
	const struct trace_meta *m = &app->replays[0].tr->meta;
	bool same_method = same_meta(app, false), same_python = same_meta(app, true);

	snprintf(buf, len, "%s%s%s%s", same_method && m->method ? " · " : "",
		 same_method && m->method ? m->method : "",
		 same_python && m->python ? " · python " : "",
		 same_python && m->python ? m->python : "");
}

void ui_compare_settle(struct ui_app *app)
{
	const struct alignment *al = ui_app_alignment(app);

	if (!al || al->row_count == 0)
		return;
	if (app->compare_row >= al->row_count)
		app->compare_row = al->row_count - 1;
	/* Every column's replay follows the cursor row, so m and c agree. */
	for (size_t c = 0; c < app->replay_count; c++) {
		size_t k = alignment_at(al, app->compare_row, c);

		if (k != ALIGN_GAP)
			replay_seek(ui_app_replay_rw(app, c), k);
	}
}

void ui_compare_draw(struct canvas *cv, const struct ui_app *app, struct rect r)
{
	const struct alignment *al = &app->align;
	size_t cols = app->replay_count;
	int col_w = r.w / (int)cols, list_h = r.h * 3 / 5, narr_h = r.h - list_h;
	int body_h = list_h - 3, first;
	struct sbuf text;

	/* No rows: the alignment ran out of memory (the status line says so). */
	if (al->row_count == 0)
		return;
	assert(app->compare_row < al->row_count); /* ui_compare_settle() ran */
	first = (int)app->compare_row - body_h / 2;
	if (first > (int)al->row_count - body_h)
		first = (int)al->row_count - body_h;
	if (first < 0)
		first = 0;
	sbuf_init(&text);
	for (size_t c = 0; c < cols; c++) {
		const struct replay *rp = &app->replays[c];
		int x = r.x + (int)c * col_w, w = c + 1 == cols ? r.w - (int)c * col_w : col_w;
		struct rect list = { x, r.y, w, list_h }, narr = { x, r.y + list_h, w, narr_h };
		size_t k = alignment_at(al, app->compare_row, c);
		char title[64];

		column_title(app, rp, title, sizeof(title));
		canvas_box(cv, list, c == app->current ? ST_BORDER_FOCUS : ST_BORDER, title);
		canvas_printf(cv, x + 1, r.y + 1, w - 2, ST_DIM, "%zu steps, %zu processes",
			      replay_step_count(rp), rp->tr->proc_count);
		for (int i = 0; i < body_h && (size_t)(first + i) < al->row_count; i++) {
			size_t row = (size_t)(first + i), step = alignment_at(al, row, c);
			bool is_cur = row == app->compare_row;
			enum style st = is_cur         ? ST_SELECTED
				: row_has_gap(al, row) ? ST_DIFF
						       : ST_NORMAL;
			int y = r.y + 2 + i;

			if (is_cur) { /* marked on the frame too, for monochrome and text */
				canvas_fill(cv, (struct rect){ x + 1, y, w - 2, 1 }, ' ',
					    ST_SELECTED);
				canvas_set(cv, x, y, glyph_cp(GLYPH_ROW_CURSOR), ST_BORDER_FOCUS);
			}
			sbuf_clear(&text);
			if (step == ALIGN_GAP)
				sbuf_addf(&text, "  %s", glyph_text(GLYPH_GAP));
			else
				replay_brief(rp, step, &text);
			if (!text.is_oom)
				canvas_print(cv, x + 1, y, w - 2, st, text.data, text.len);
		}
		canvas_box(cv, narr, ST_BORDER, "narration");
		sbuf_clear(&text);
		if (k == ALIGN_GAP)
			sbuf_adds(&text,
				  "This trace has no such step: nothing like it happens under this "
				  "method.");
		else
			replay_narrate(rp, k, &text);
		if (!text.is_oom)
			canvas_wrap(cv, (struct rect){ x + 1, narr.y + 1, w - 2, narr.h - 2 },
				    k == ALIGN_GAP ? ST_DIFF : ST_NORMAL, text.data, text.len, 0);
	}
	sbuf_release(&text);
}

/*
 * bars.c - the status line (program, method, step k/n, play state, speed,
 * time), the key bar at the bottom, and the help box built from the key
 * table and the lanes' legend.
 */
#include <stdio.h>
#include <string.h>

#include "ui/app.h"

static const char *program_name(const struct ui_app *app, const struct replay *rp)
{
	const char *p = app->title ? app->title : rp->tr->meta.program;
	const char *slash = p ? strrchr(p, '/') : NULL;

	return slash && !app->title ? slash + 1 : p ? p : "trace";
}

/* The `e` prompt: "export 3 traces as: j json · c chrome · t text - Esc
 * cancels", built from the exporter's formats. */
static void draw_export_prompt(struct canvas *cv, const struct ui_app *app, struct rect r)
{
	const struct ui_exporter *x = app->exporter;
	int x0 = r.x + 1, end = r.x + r.w - 1;

	if (app->is_compare)
		x0 += canvas_printf(cv, x0, r.y, end - x0, ST_BAR,
				    "export %zu traces as: ", app->replay_count);
	else
		x0 += canvas_prints(cv, x0, r.y, end - x0, ST_BAR, "export as: ");
	for (size_t f = 0; f < x->format_count; f++) {
		char k[2] = { (char)ui_export_key(x, f), '\0' };

		if (f)
			x0 += canvas_prints(cv, x0, r.y, end - x0, ST_BAR, " · ");
		x0 += canvas_prints(cv, x0, r.y, end - x0, ST_BAR_KEY, k);
		x0 += canvas_printf(cv, x0, r.y, end - x0, ST_BAR, " %s", x->formats[f]);
	}
	canvas_prints(cv, x0, r.y, end - x0, ST_BAR, " — Esc cancels");
}

void ui_status_draw(struct canvas *cv, const struct ui_app *app, struct rect r)
{
	const struct replay *rp = ui_app_replay(app);
	char right[96];
	int right_w, x;
	double ms = (double)replay_time(rp) / 1e6;
	const char *play = glyph_text(rp->is_playing ? GLYPH_PLAYING : GLYPH_PAUSED);
	const char *methods[4];
	size_t method_count = replay_methods(rp, methods, 4);
	char method[64] = "";

	/* A program may use several methods (get_context('spawn') beside the
	 * default): name them all, "fork+spawn". */
	for (size_t i = 0; i < method_count && i < 4; i++)
		snprintf(method + strlen(method), sizeof(method) - strlen(method), "%s%s",
			 i ? "+" : "", methods[i]);
	if (!*method)
		snprintf(method, sizeof(method), "%s",
			 rp->tr->meta.method ? rp->tr->meta.method : "?");

	canvas_fill(cv, r, ' ', ST_BAR);
	/* "(folded)": the count is of the steps shown; `a` shows them all. */
	if (app->is_compare)
		snprintf(right, sizeof(right), "row %zu/%zu%s  %s %g×", app->compare_row + 1,
			 app->align.row_count, app->is_folded ? " (folded)" : "", play,
			 replay_speed(rp));
	else
		snprintf(right, sizeof(right), "step %zu/%zu%s  %s %g×  t=%.1f ms", rp->step + 1,
			 replay_step_count(rp), app->is_folded ? " (folded)" : "", play,
			 replay_speed(rp), ms);
	right_w = canvas_text_width(right, strlen(right));
	if (app->has_err) {
		canvas_printf_cut(cv, r.x + 1, r.y, r.w - 2, ST_WARN, "%s", app->err.msg);
		return;
	}
	if (app->is_export_prompt && app->exporter) {
		draw_export_prompt(cv, app, r);
		return;
	}
	if (app->has_note) {
		canvas_printf_cut(cv, r.x + 1, r.y, r.w - 2, ST_BAR, "%s", app->note);
		return;
	}
	x = r.x + 1;
	x += canvas_prints(cv, x, r.y, r.w - right_w - 3, ST_BAR, "mpscope · ");
	x += canvas_prints_cut(cv, x, r.y, r.x + r.w - right_w - 3 - x, ST_BAR,
			       program_name(app, rp));
	if (app->is_compare) {
		char shared[96];

		replay_shared_text(app->replays, app->replay_count, shared, sizeof(shared));
		canvas_printf_cut(cv, x, r.y, r.x + r.w - right_w - 3 - x, ST_BAR,
				  " · compare %zu traces%s", app->replay_count, shared);
	} else
		canvas_printf_cut(cv, x, r.y, r.x + r.w - right_w - 3 - x, ST_BAR, " · %s%s",
				  method, app->replay_count > 1 ? " (m: next)" : "");
	canvas_prints(cv, r.x + r.w - right_w - 1, r.y, right_w, ST_BAR, right);
}

void ui_keybar_draw(struct canvas *cv, const struct ui_app *app, struct rect r)
{
	/* In order of need: what does not fit is left out, "q quit" never. */
	static const char *const items[][2] = {
		{ "space", "play" }, { "n/N", "moment" }, { "←→", "step" },  { "m", "method" },
		{ "c", "compare" },  { "a", "all" },      { "?", "help" },   { "p/d/x", "payload" },
		{ "tab", "panel" },  { "↑↓", "scroll" },  { "e", "export" }, { "q", "quit" },
	};
	int x = r.x + 1, end = r.x + r.w;

	(void)app;
	canvas_fill(cv, r, ' ', ST_BAR);
	for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++) {
		int w = canvas_text_width(items[i][0], strlen(items[i][0])) + 1 +
			(int)strlen(items[i][1]) + 2;

		/* Keep "q quit" always: leave room for it. */
		if (x + w > end - (i + 1 < sizeof(items) / sizeof(items[0]) ? 8 : 0))
			continue;
		x += canvas_prints(cv, x, r.y, end - x, ST_BAR_KEY, items[i][0]);
		x += canvas_printf(cv, x, r.y, end - x, ST_BAR, " %s  ", items[i][1]);
	}
}

/* The legend under the keys: one glyph (or two) and what it means. */
static void draw_legend_rows(struct canvas *cv, const struct ui_app *app, struct rect box, int y,
			     int cols)
{
	const struct ui_legend_entry *rows;
	size_t n = ui_legend(app, &rows);
	int cw = (box.w - 4) / cols;

	for (size_t i = 0; i < n; i++) {
		int x = box.x + 2 + (int)(i % (size_t)cols) * cw, row = y + (int)(i / (size_t)cols);
		int used = 0;

		if (row >= box.y + box.h - 1)
			break;
		used += canvas_prints(cv, x, row, 2, ST_PAYLOAD, glyph_text(rows[i].g1));
		if (rows[i].g2 != GLYPH_COUNT)
			used += canvas_prints(cv, x + used, row, 2, ST_PAYLOAD,
					      glyph_text(rows[i].g2));
		canvas_prints_cut(cv, x + 3, row, cw - 4, ST_NORMAL, rows[i].words);
	}
}

void ui_help_draw(struct canvas *cv, const struct ui_app *app, struct rect r)
{
	const struct ui_key_help *rows;
	const struct ui_legend_entry *legend;
	size_t n = ui_key_help(&rows), legend_n = ui_legend(app, &legend);
	/* One column when keys and legend fit, else two. */
	int cols = (int)n + (int)legend_n + 5 <= r.h ? 1 : 2;
	int per_col = ((int)n + cols - 1) / cols;
	int legend_rows = ((int)legend_n + cols - 1) / cols;
	int w = cols == 1 ? 56 : 78, h = per_col + legend_rows + 5;
	struct rect box;

	(void)app;
	w = w < r.w ? w : r.w;
	h = h < r.h ? h : r.h;
	box = (struct rect){ r.x + (r.w - w) / 2, r.y + (r.h - h) / 2, w, h };
	/* A page of its own: what is under it would only show at its edges. */
	canvas_fill(cv, r, ' ', ST_NORMAL);
	canvas_box(cv, box, ST_BORDER_FOCUS, "keys · q quits · any other key closes");
	for (size_t i = 0; i < n; i++) {
		int col = (int)i / per_col, row = (int)i % per_col;
		int x = box.x + 2 + col * (w - 2) / cols, cw = (w - 4) / cols;

		if (row >= h - 3)
			continue;
		canvas_prints(cv, x, box.y + 2 + row, 6, ST_BAR_KEY, rows[i].label);
		canvas_prints_cut(cv, x + 7, box.y + 2 + row, cw - 8, ST_NORMAL, rows[i].what);
	}
	if (box.y + 3 + per_col < box.y + box.h - 1)
		draw_legend_rows(cv, app, box, box.y + 3 + per_col, cols);
}

/*
 * compare.c - the same program under several methods (or Pythons) in
 * columns, one row per aligned story step. Each column shows its lanes at
 * the cursor row, the payload facts that matter (what was pickled, its
 * size, the program's name it refers to), what each child has got, then the
 * aligned rows; a row that not every trace has is highlighted: that is
 * where the methods differ (spawn pickles, fork does not). Below the
 * columns, each one's narration of the row under the cursor, or (p d x) the
 * selected column's payload.
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

/* Where the parts of the compare screen go; the same in every column, so
 * the aligned rows line up. Heights are rows inside a column's frame. */
struct compare_layout {
	int col_w;
	int top_h; /* the columns' frames */
	int lanes_h, facts_h, got_h, rows_h;
	int legend_y; /* -1: no room */
	struct rect bottom; /* narrations, or the payload */
};

static size_t child_count(const struct trace *tr)
{
	size_t n = 0;

	for (size_t i = 0; i < tr->proc_count; i++)
		n += tr->procs[i].role == ROLE_CHILD;
	return n;
}

static int at_most(int v, int hi)
{
	return v < hi ? v : hi;
}

static struct compare_layout layout_of(const struct ui_app *app, struct rect r)
{
	struct compare_layout l = { .legend_y = -1 };
	int procs = 1, children = 0, inner, bottom_h;

	for (size_t c = 0; c < app->replay_count; c++) {
		const struct trace *tr = app->replays[c].tr;

		procs = (int)tr->proc_count > procs ? (int)tr->proc_count : procs;
		children = (int)child_count(tr) > children ? (int)child_count(tr) : children;
	}
	l.col_w = r.w / (int)(app->replay_count ? app->replay_count : 1);
	bottom_h = app->is_compare_payload ? r.h / 2 : (r.h * 2 / 7 > 5 ? r.h * 2 / 7 : 5);
	l.top_h = r.h - bottom_h;
	if (r.h >= 30) {
		l.top_h--;
		l.legend_y = r.y + l.top_h;
	}
	l.bottom = (struct rect){ r.x, r.y + r.h - bottom_h, r.w, bottom_h };
	inner = l.top_h - 2;
	l.lanes_h = at_most(procs, inner * 2 / 5 > 2 ? inner * 2 / 5 : 2);
	l.facts_h = at_most(2, inner - l.lanes_h);
	l.got_h = at_most(children, (inner - l.lanes_h - l.facts_h - 3) / 2);
	if (l.got_h < 0)
		l.got_h = 0;
	l.rows_h = inner - l.lanes_h - l.facts_h - l.got_h;
	if (l.rows_h < 0)
		l.rows_h = 0;
	return l;
}

void ui_compare_settle(struct ui_app *app, struct rect r)
{
	const struct alignment *al = ui_app_alignment(app);

	if (!al || al->row_count == 0)
		return;
	if (app->compare_row >= al->row_count)
		app->compare_row = al->row_count - 1;
	/* Every column's replay follows the cursor row, so m and c agree; a
	 * column with no step on the row shows what it has told so far. */
	for (size_t c = 0; c < app->replay_count; c++)
		replay_seek(ui_app_replay_rw(app, c), alignment_step_near(al, app->compare_row, c));
	if (app->is_compare_payload)
		ui_payload_settle(app, layout_of(app, r).bottom);
}

/* The payload so far: what it is, its size, between whom; then the name of
 * the program's code it refers to - by reference, never as code. */
static void draw_facts(struct canvas *cv, const struct replay *rp, int x, int y, int w, int h)
{
	const struct event *ev = rp->payload;
	const struct global_ref *g = ev ? replay_payload_ref(ev) : NULL;
	struct sbuf t;

	if (h <= 0)
		return;
	if (!ev) {
		canvas_prints_cut(cv, x, y, w, ST_DIM, "nothing pickled so far");
		return;
	}
	sbuf_init(&t);
	sbuf_addf(&t, "%s %s ", glyph_text(GLYPH_PICKLE),
		  ev->u.pickle.what ? ev->u.pickle.what : "object");
	sbuf_add_size(&t, ev->u.pickle.size);
	if (ev->u.pickle.peer)
		sbuf_addf(&t, " %s %d",
			  glyph_text(ev->kind == EV_PICKLE_DUMP ? GLYPH_ARROW_RIGHT
								: GLYPH_ARROW_LEFT),
			  ev->u.pickle.peer);
	if (!t.is_oom)
		canvas_print_cut(cv, x, y, w, ST_PAYLOAD, t.data, t.len);
	sbuf_clear(&t);
	if (g)
		sbuf_addf(&t, "%s %s.%s", glyph_text(GLYPH_ARROW_RIGHT), g->module, g->name);
	/* "by reference" when there is room; the name always. */
	if (h > 1 && g && !t.is_oom) {
		int used = canvas_print_cut(cv, x + 1, y + 1, w - 1, ST_REF, t.data, t.len);

		if (used + 13 <= w - 1)
			canvas_prints(cv, x + 1 + used, y + 1, w - 1 - used, ST_REF,
				      " by reference");
	} else if (h > 1)
		canvas_prints_cut(cv, x + 1, y + 1, w - 1, ST_DIM, "no name of the program in it");
	sbuf_release(&t);
}

static const char *via_word(const struct replay_got *g)
{
	if (!g->has_via)
		return "";
	switch (g->via) {
	case PASS_FORK:
		return " inherited";
	case PASS_EXEC:
		return " kept at exec";
	case PASS_SCM_RIGHTS:
		return " via socket";
	case PASS_RESOURCE_SHARER:
		return " via sharer";
	case PASS_VIA_COUNT:
		break;
	}
	return "";
}

/* What each child has got so far: the pickles it read and its descriptors
 * ("31587: 963 B, 6 fds"; wider, how they came). */
static void draw_got(struct canvas *cv, const struct replay *rp, int x, int y, int w, int h)
{
	struct replay_got got[16];
	size_t n = replay_children_got(rp, got, 16);
	bool is_wide = w >= 40;
	struct sbuf t;

	sbuf_init(&t);
	for (size_t i = 0; i < n && i < 16 && (int)i < h; i++) {
		const struct replay_got *g = &got[i];

		sbuf_clear(&t);
		if ((int)i == h - 1 && n > (size_t)h) {
			canvas_printf_cut(cv, x, y + (int)i, w, ST_DIM, "+%zu children", n - i);
			break;
		}
		sbuf_addf(&t, "%d%s", g->pid, is_wide ? " got " : ": ");
		if (g->pickle_count) {
			if (is_wide)
				sbuf_addf(&t, "%zu pickle%s, ", g->pickle_count,
					  g->pickle_count > 1 ? "s" : "");
			sbuf_add_size(&t, g->pickle_bytes);
		} else {
			sbuf_adds(&t, "no pickle");
		}
		if (g->has_fds)
			sbuf_addf(&t, ", %zu fds%s", g->fd_count, is_wide ? via_word(g) : "");
		if (!t.is_oom)
			canvas_print_cut(cv, x, y + (int)i, w, ST_NORMAL, t.data, t.len);
	}
	sbuf_release(&t);
}

static void draw_rows(struct canvas *cv, const struct ui_app *app, const struct alignment *al,
		      size_t c, struct rect in, struct sbuf *text)
{
	const struct replay *rp = &app->replays[c];
	int first = (int)app->compare_row - in.h / 2;

	if (first > (int)al->row_count - in.h)
		first = (int)al->row_count - in.h;
	if (first < 0)
		first = 0;
	for (int i = 0; i < in.h && (size_t)(first + i) < al->row_count; i++) {
		size_t row = (size_t)(first + i), step = alignment_at(al, row, c);
		bool is_cur = row == app->compare_row;
		enum style st = is_cur ? ST_SELECTED : row_has_gap(al, row) ? ST_DIFF : ST_NORMAL;
		int y = in.y + i;

		if (is_cur) { /* marked on the frame too, for monochrome and text */
			canvas_fill(cv, (struct rect){ in.x, y, in.w, 1 }, ' ', ST_SELECTED);
			canvas_set(cv, in.x - 1, y, glyph_cp(GLYPH_ROW_CURSOR), ST_BORDER_FOCUS);
		}
		sbuf_clear(text);
		if (step == ALIGN_GAP)
			sbuf_addf(text, "  %s", glyph_text(GLYPH_GAP));
		else
			replay_brief(rp, step, text);
		if (!text->is_oom)
			canvas_print_cut(cv, in.x, y, in.w, st, text->data, text->len);
	}
}

static void draw_column(struct canvas *cv, const struct ui_app *app, const struct alignment *al,
			const struct compare_layout *l, size_t c, struct rect r, struct sbuf *text)
{
	const struct replay *rp = &app->replays[c];
	size_t cols = app->replay_count;
	int x = r.x + (int)c * l->col_w, w = c + 1 == cols ? r.w - (int)c * l->col_w : l->col_w;
	struct rect frame = { x, r.y, w, l->top_h };
	struct rect in = { x + 1, r.y + 1, w - 2, l->top_h - 2 };
	char title[96], name[64];

	replay_column_title(app->replays, app->replay_count, rp, name, sizeof(name));
	snprintf(title, sizeof(title), "%s · %zu steps", name, replay_step_count(rp));
	canvas_box(cv, frame, c == app->current ? ST_BORDER_FOCUS : ST_BORDER, title);
	if (in.w <= 0 || in.h <= 0)
		return;
	ui_lanes_draw_in(cv, app, c, (struct rect){ in.x, in.y, in.w, l->lanes_h });
	draw_facts(cv, rp, in.x, in.y + l->lanes_h, in.w, l->facts_h);
	draw_got(cv, rp, in.x, in.y + l->lanes_h + l->facts_h, in.w, l->got_h);
	draw_rows(cv, app, al, c,
		  (struct rect){ in.x, in.y + l->lanes_h + l->facts_h + l->got_h, in.w, l->rows_h },
		  text);
}

/* Text wrapped into r that needed more lines than r has ends in "…" (c
 * shows one trace, with room for all of it). */
static void mark_cut(struct canvas *cv, struct rect r, int lines)
{
	int y = r.y + r.h - 1, x = r.x + r.w - 1;

	if (lines <= r.h || r.w <= 0 || r.h <= 0)
		return;
	while (x > r.x && canvas_at(cv, x, y) && canvas_at(cv, x, y)->cp == ' ')
		x--;
	if (x + 1 < r.x + r.w)
		x++;
	canvas_set(cv, x, y, glyph_cp(GLYPH_ELLIPSIS), ST_DIM);
}

static void draw_narrations(struct canvas *cv, const struct ui_app *app, const struct alignment *al,
			    const struct compare_layout *l, struct sbuf *text)
{
	size_t cols = app->replay_count;
	struct rect b = l->bottom;

	for (size_t c = 0; c < cols; c++) {
		const struct replay *rp = &app->replays[c];
		int x = b.x + (int)c * l->col_w,
		    w = c + 1 == cols ? b.w - (int)c * l->col_w : l->col_w;
		struct rect narr = { x, b.y, w, b.h };
		size_t k = alignment_at(al, app->compare_row, c);

		canvas_box(cv, narr, ST_BORDER, "narration");
		sbuf_clear(text);
		if (k == ALIGN_GAP)
			sbuf_adds(text,
				  "This trace has no such step: nothing like it happens under this "
				  "method.");
		else
			replay_narrate(rp, k, text);
		if (!text->is_oom)
			mark_cut(cv, (struct rect){ x + 1, narr.y + 1, w - 2, narr.h - 2 },
				 canvas_wrap(cv,
					     (struct rect){ x + 1, narr.y + 1, w - 2, narr.h - 2 },
					     k == ALIGN_GAP ? ST_DIFF : ST_NORMAL, text->data,
					     text->len, 0));
	}
}

void ui_compare_draw(struct canvas *cv, const struct ui_app *app, struct rect r)
{
	const struct alignment *al = &app->align;
	struct compare_layout l = layout_of(app, r);
	struct sbuf text;

	/* No rows: the alignment ran out of memory (the status line says so). */
	if (al->row_count == 0)
		return;
	assert(app->compare_row < al->row_count); /* ui_compare_settle() ran */
	sbuf_init(&text);
	for (size_t c = 0; c < app->replay_count; c++)
		draw_column(cv, app, al, &l, c, r, &text);
	if (l.legend_y >= 0)
		ui_legend_draw(cv, app, r.x + 1, l.legend_y, r.w - 2);
	if (app->is_compare_payload)
		ui_payload_draw(cv, app, l.bottom);
	else
		draw_narrations(cv, app, al, &l, &text);
	sbuf_release(&text);
}

/*
 * test_ui_canvas.c - the cell grid and its sanitiser, the glyph table, the
 * whole screen at every size from 1x1 up, views that only draw (the same
 * frame however often and in whatever order they draw), keys and clicks;
 * no terminal. Golden frames are made in one place, tests/e2e/ui-frames.sh.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "common/utf8.h"
#include "fixtures/replay/builder.h"
#include "ui/app.h"

static char *render(const struct canvas *cv, bool is_ascii, struct sbuf *sb)
{
	sbuf_init(sb);
	canvas_to_text(cv, is_ascii, sb);
	assert_false(sb->is_oom);
	return sb->data;
}

/* Every byte value, alone and inside text, must come out as a printable
 * glyph: nothing below 0x20 but the row breaks, no DEL, no C1, no ESC. */
static void all_256_bytes_are_sanitised(void **state)
{
	struct canvas *cv = canvas_new(300, 3);
	char bytes[256];
	struct sbuf sb;
	const char *c1_csi = "a\xc2\x9b"
			     "31mb\xe2\x80\xae"
			     "c\x1b[2Jd";

	(void)state;
	assert_non_null(cv);
	for (int i = 0; i < 256; i++)
		bytes[i] = (char)i;
	canvas_print(cv, 0, 0, 300, ST_NORMAL, bytes, sizeof(bytes));
	canvas_prints(cv, 0, 1, 300, ST_NORMAL, c1_csi);
	for (int y = 0; y < 2; y++)
		for (int x = 0; x < 256; x++) {
			uint32_t cp = canvas_at(cv, x, y)->cp;

			assert_true(cp >= 0x20 && cp != 0x7f && !(cp >= 0x80 && cp < 0xa0));
			assert_true(cp != 0x202e);
		}
	render(cv, false, &sb);
	for (size_t i = 0; i < sb.len; i++)
		assert_true((unsigned char)sb.data[i] >= 0x20 || sb.data[i] == '\n');
	assert_null(strchr(sb.data, 0x1b));
	assert_non_null(strstr(sb.data, " !\"#$%&'()*+,-./0123456789:;<=>?@ABC"));
	/* Escape sequences keep their harmless letters, lose their power. */
	assert_non_null(strstr(sb.data, "a?31mb?c?[2Jd"));
	sbuf_release(&sb);
	canvas_free(cv);
}

static void wide_glyphs_take_two_cells_and_clip(void **state)
{
	struct canvas *cv = canvas_new(5, 1);
	struct sbuf sb;

	(void)state;
	assert_int_equal(canvas_prints(cv, 0, 0, 5, ST_NORMAL, "a漢字b"), 5);
	assert_string_equal(render(cv, false, &sb), "a漢字\n");
	sbuf_release(&sb);
	assert_string_equal(render(cv, true, &sb), "a????\n");
	sbuf_release(&sb);
	/* Overwriting half of a wide glyph blanks the other half. */
	canvas_set(cv, 2, 0, 'x', ST_NORMAL);
	assert_string_equal(render(cv, false, &sb), "a x字\n");
	sbuf_release(&sb);
	canvas_free(cv);
}

static void wrap_breaks_at_spaces_and_long_words(void **state)
{
	struct canvas *cv = canvas_new(10, 4);
	struct sbuf sb;
	const char *text = "pickled by reference abcdefghijklmno";

	(void)state;
	assert_int_equal(
		canvas_wrap(cv, (struct rect){ 0, 0, 10, 4 }, ST_NORMAL, text, strlen(text), 0), 4);
	assert_string_equal(render(cv, false, &sb), "pickled by\nreference\nabcdefghij\nklmno\n");
	sbuf_release(&sb);
	canvas_free(cv);
	/* A dotted name wider than the line breaks after a dot, not mid-name. */
	cv = canvas_new(16, 3);
	text = "ref multiprocessing.process.Authkey";
	assert_int_equal(
		canvas_wrap(cv, (struct rect){ 0, 0, 16, 3 }, ST_NORMAL, text, strlen(text), 0), 3);
	assert_string_equal(render(cv, false, &sb), "ref\nmultiprocessing.\nprocess.Authkey\n");
	sbuf_release(&sb);
	canvas_free(cv);
}

static void box_is_unicode_with_ascii_fallback(void **state)
{
	struct canvas *cv = canvas_new(12, 3);
	struct sbuf sb;

	(void)state;
	canvas_box(cv, (struct rect){ 0, 0, 12, 3 }, ST_BORDER, "fds");
	assert_string_equal(render(cv, false, &sb), "┌ fds ─────┐\n│          │\n└──────────┘\n");
	sbuf_release(&sb);
	assert_string_equal(render(cv, true, &sb), "+ fds -----+\n|          |\n+----------+\n");
	sbuf_release(&sb);
	canvas_free(cv);
}

/* Each row's UTF-8 is its code point, one glyph; its ASCII is printable;
 * rows that share a code point share their ASCII, since the canvas keeps
 * code points and glyph_ascii() finds the first row. */
static void glyph_rows_agree(void **state)
{
	(void)state;
	for (int g = 0; g < GLYPH_COUNT; g++) {
		const struct glyph_row *row = &glyph_table[g];
		const unsigned char *t = (const unsigned char *)row->text;
		size_t n;

		assert_non_null(row->text);
		n = utf8_valid_prefix(t, strlen(row->text));
		assert_int_equal(n, strlen(row->text));
		assert_int_equal(utf8_decode(t, n), row->cp);
		assert_true(row->ascii >= 0x20 && row->ascii < 0x7f);
		assert_int_equal(glyph_ascii(row->cp), (uint32_t)row->ascii);
	}
	assert_int_equal(glyph_ascii('a'), 'a');
	assert_int_equal(glyph_ascii(0x4E00), '?');
}

struct fixture {
	struct trace tr[2];
	struct replay rp[2];
	struct ui_app app;
};

static void open_fixture(struct fixture *fx)
{
	assert_int_equal(builder_classic(&fx->tr[0], "fork"), 0);
	assert_int_equal(builder_classic(&fx->tr[1], "spawn"), 0);
	assert_int_equal(replay_init(&fx->rp[0], &fx->tr[0], NULL), 0);
	assert_int_equal(replay_init(&fx->rp[1], &fx->tr[1], NULL), 0);
	ui_app_init(&fx->app, fx->rp, 2, NULL);
}

static void close_fixture(struct fixture *fx)
{
	ui_app_release(&fx->app);
	for (int i = 0; i < 2; i++) {
		replay_release(&fx->rp[i]);
		trace_release(&fx->tr[i]);
	}
}

/* Resizing to 1x1 and back never crashes, at every step and in every mode. */
static void settle_and_draw(struct canvas *cv, struct ui_app *app)
{
	ui_app_settle(app, cv->cols, cv->rows);
	ui_app_draw(cv, app);
}

static void every_size_draws(void **state)
{
	struct fixture fx;
	struct canvas *cv = canvas_new(1, 1);
	static const int sizes[][2] = { { 1, 1 },    { 2, 1 },    { 1, 30 },  { 79, 24 },
					{ 80, 23 },  { 80, 24 },  { 81, 25 }, { 120, 30 },
					{ 160, 48 }, { 300, 100 } };

	(void)state;
	open_fixture(&fx);
	for (int mode = 0; mode < 3; mode++) {
		fx.app.is_compare = mode == 1;
		fx.app.show_help = mode == 2;
		for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
			assert_int_equal(canvas_resize(cv, sizes[s][0], sizes[s][1]), 0);
			for (size_t k = 0; k < 14; k++) {
				fx.app.compare_row = k;
				replay_seek(ui_app_replay_rw(&fx.app, fx.app.current), k);
				settle_and_draw(cv, &fx.app);
			}
		}
	}
	close_fixture(&fx);
	canvas_free(cv);
}

static void too_small_says_the_size_it_needs(void **state)
{
	struct fixture fx;
	struct canvas *cv = canvas_new(60, 20);
	struct sbuf sb;

	(void)state;
	open_fixture(&fx);
	settle_and_draw(cv, &fx.app);
	assert_non_null(strstr(render(cv, false, &sb),
			       "mpscope needs at least 80x24; this terminal is 60x20"));
	sbuf_release(&sb);
	close_fixture(&fx);
	canvas_free(cv);
}

static void assert_same_cells(const struct canvas *a, const struct canvas *b)
{
	assert_int_equal(a->cols, b->cols);
	assert_int_equal(a->rows, b->rows);
	for (int y = 0; y < a->rows; y++)
		for (int x = 0; x < a->cols; x++) {
			const struct cell *p = canvas_at(a, x, y), *q = canvas_at(b, x, y);

			if (p->cp != q->cp || p->style != q->style)
				fail_msg(
					"cell %d,%d differs: U+%04X style %d, then U+%04X style %d",
					x, y, (unsigned)p->cp, p->style, (unsigned)q->cp, q->style);
		}
}

/* The views one by one, the reverse of ui_app_draw's order (help, an
 * overlay, stays last). */
static void draw_backwards(struct canvas *cv, const struct ui_app *app)
{
	struct ui_layout l = ui_app_layout(app, cv->cols, cv->rows);

	canvas_clear(cv);
	ui_keybar_draw(cv, app, l.keys);
	if (app->is_compare) {
		ui_compare_draw(cv, app, l.body);
	} else {
		ui_narration_draw(cv, app, l.narration);
		ui_resources_draw(cv, app, l.resources);
		ui_payload_draw(cv, app, l.payload);
		ui_lanes_draw(cv, app, l.lanes);
	}
	ui_status_draw(cv, app, l.status);
	if (app->show_help)
		ui_help_draw(cv, app, l.body);
}

/* Every non-ASCII glyph on screen has a row in the glyph table, so a
 * terminal without UTF-8 shows its fallback rather than '?'. The built
 * traces hold only ASCII text: whatever else is drawn is ours. */
static void assert_glyphs_in_table(const struct canvas *cv)
{
	for (int y = 0; y < cv->rows; y++)
		for (int x = 0; x < cv->cols; x++) {
			uint32_t cp = canvas_at(cv, x, y)->cp;

			if (cp >= 0x80 && glyph_ascii(cp) == '?')
				fail_msg("U+%04X at %d,%d has no row in the glyph table",
					 (unsigned)cp, x, y);
		}
}

/* A view only reads the settled state: drawing twice, or the views in
 * another order, or after settling again, gives the same cells. */
static void views_only_draw(void **state)
{
	static const char *const keys[] = { "",   "d",  "x", "\t\t", "c",  "c>>", "?",
					    "c?", "a>", "n", "acn",  "cp", "cd",  "a" };
	static const int sizes[][2] = { { 80, 24 }, { 160, 48 } };
	struct fixture fx;
	struct canvas *a = canvas_new(80, 24), *b = canvas_new(80, 24);

	(void)state;
	assert_non_null(a);
	assert_non_null(b);
	open_fixture(&fx);
	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++)
		for (size_t cur = 0; cur < 2; cur++)
			for (size_t k = 0; k < replay_step_count(&fx.rp[cur]); k++)
				for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
					assert_int_equal(canvas_resize(a, sizes[s][0], sizes[s][1]),
							 0);
					assert_int_equal(canvas_resize(b, sizes[s][0], sizes[s][1]),
							 0);
					ui_app_release(&fx.app);
					ui_app_init(&fx.app, fx.rp, 2, NULL);
					ui_app_set_folded(&fx.app, false);
					/* Moves forward start transitions: drawn
					 * at their first frame. */
					fx.app.is_animated = true;
					fx.app.current = cur;
					replay_seek(&fx.rp[cur], k);
					settle_and_draw(a, &fx.app);
					for (const char *c = keys[i]; *c; c++)
						ui_app_key(&fx.app,
							   *c == '>'            ? UI_KEY_RIGHT
								   : *c == '\t' ? UI_KEY_TAB
										: *c);
					settle_and_draw(a, &fx.app);
					ui_app_draw(b, &fx.app);
					assert_same_cells(a, b);
					draw_backwards(b, &fx.app);
					assert_same_cells(a, b);
					settle_and_draw(b, &fx.app);
					assert_same_cells(a, b);
					assert_glyphs_in_table(a);
				}
	close_fixture(&fx);
	canvas_free(a);
	canvas_free(b);
}

static void keys_move_the_story(void **state)
{
	struct fixture fx;

	(void)state;
	open_fixture(&fx);
	assert_true(ui_app_key(&fx.app, UI_KEY_RIGHT) & UI_REDRAW);
	assert_int_equal(fx.rp[0].step, 1);
	ui_app_key(&fx.app, UI_KEY_END);
	assert_int_equal(fx.rp[0].step, replay_step_count(&fx.rp[0]) - 1);
	ui_app_key(&fx.app, UI_KEY_HOME);
	assert_int_equal(fx.rp[0].step, 0);
	ui_app_key(&fx.app, ' ');
	assert_true(fx.rp[0].is_playing);
	assert_true(ui_app_tick(&fx.app, REPLAY_BEAT_MS + 1) & UI_REDRAW);
	assert_int_equal(fx.rp[0].step, 1);
	ui_app_key(&fx.app, UI_KEY_RIGHT); /* fork: the fork step */
	assert_int_equal(fx.rp[0].story.steps[fx.rp[0].step].kind, STEP_FORK);
	ui_app_key(&fx.app, 'm'); /* spawn: the same moment of the story */
	assert_int_equal(fx.app.current, 1);
	assert_int_equal(fx.rp[1].story.steps[fx.rp[1].step].kind, STEP_FORK);
	ui_app_key(&fx.app, UI_KEY_TAB);
	assert_int_equal(fx.app.focus, FOCUS_PAYLOAD);
	ui_app_key(&fx.app, 'x');
	assert_int_equal(fx.app.payload_mode, PAYLOAD_HEX);
	assert_true(ui_app_key(&fx.app, 'q') & UI_QUIT);
	close_fixture(&fx);
}

static void click_selects_a_lane(void **state)
{
	struct fixture fx;
	struct canvas *cv = canvas_new(80, 24);
	int fork_x;

	(void)state;
	open_fixture(&fx);
	replay_seek(&fx.rp[0], 3); /* both processes are on screen */
	fx.app.focus = FOCUS_NARRATION;
	/* Lanes panel: rows 2.. hold the lanes; row 3 is the child. */
	assert_true(ui_app_click(&fx.app, 80, 24, 5, 3) & UI_REDRAW);
	assert_int_equal(fx.app.focus, FOCUS_LANES);
	assert_int_equal(ui_app_selected_pid(&fx.app), 101);
	ui_app_click(&fx.app, 80, 24, 5, 2);
	assert_int_equal(ui_app_selected_pid(&fx.app), 100);
	/* A click on the fork mark, where the screen shows ┬ on the parent's
	 * lane, goes back to the fork step. */
	settle_and_draw(cv, &fx.app);
	for (fork_x = 1; fork_x < 39 && canvas_at(cv, fork_x, 2)->cp != glyph_cp(GLYPH_FORK_BRANCH);
	     fork_x++)
		;
	assert_true(fork_x < 39);
	ui_app_click(&fx.app, 80, 24, fork_x, 2);
	assert_int_equal(fx.rp[0].story.steps[fx.rp[0].step].kind, STEP_FORK);
	assert_int_equal(fx.rp[0].step, 2);
	/* A click on the payload panel moves the focus there. */
	ui_app_click(&fx.app, 80, 24, 60, 5);
	assert_int_equal(fx.app.focus, FOCUS_PAYLOAD);
	close_fixture(&fx);
	canvas_free(cv);
}

/* The text of row y of a canvas. */
static void row_text(const struct canvas *cv, int y, char *buf, size_t len)
{
	struct sbuf sb;
	const char *p;
	size_t n;

	render(cv, false, &sb);
	p = sb.data;
	for (int i = 0; i < y && p; i++) {
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	n = p ? strcspn(p, "\n") : 0;
	snprintf(buf, len, "%.*s", (int)n, p ? p : "");
	sbuf_release(&sb);
}

static bool screen_has(const struct canvas *cv, const char *text)
{
	struct sbuf sb;
	bool has = strstr(render(cv, false, &sb), text) != NULL;

	sbuf_release(&sb);
	return has;
}

static long step_of_kind(const struct replay *rp, enum step_kind kind)
{
	for (size_t k = 0; k < replay_step_count(rp); k++)
		if (rp->story.steps[k].kind == kind)
			return (long)k;
	return -1;
}

/* The column of the last glyph cp on row y inside the lanes panel. */
static int last_on_row(const struct canvas *cv, int y, uint32_t cp)
{
	for (int x = 38; x > 0; x--)
		if (canvas_at(cv, x, y)->cp == cp)
			return x;
	return -1;
}

/* The unpickle plays as a transition: at 0 ms the payload box sits on the
 * sender's lane (row 2), labelled with its size and first reference;
 * halfway and at the end it is on the receiver's (row 3, one lane down);
 * then all is at rest. Time comes only from ui_app_tick. */
static void payload_travels_in_time(void **state)
{
	struct fixture fx;
	struct canvas *cv = canvas_new(80, 24);
	long load;
	int x;

	(void)state;
	open_fixture(&fx);
	fx.app.current = 1;
	fx.app.is_animated = true;
	load = step_of_kind(&fx.rp[1], STEP_PICKLE_LOAD);
	replay_seek(&fx.rp[1], (size_t)load - 1);
	settle_and_draw(cv, &fx.app);
	ui_app_key(&fx.app, UI_KEY_RIGHT);
	settle_and_draw(cv, &fx.app);
	assert_non_null(ui_app_anim(&fx.app));
	assert_int_equal(ui_app_anim(&fx.app)->kind, UI_ANIM_PAYLOAD);
	assert_true(ui_anim_progress(ui_app_anim(&fx.app)) == 0.0);
	x = last_on_row(cv, 2, glyph_cp(GLYPH_PICKLE));
	assert_true(x > 20);
	assert_int_equal(canvas_at(cv, x + 1, 2)->style, ST_PAYLOAD_BOX);
	assert_true(screen_has(cv, "◆ 344 B "));
	assert_true(ui_app_tick(&fx.app, UI_ANIM_PAYLOAD_MS / 2) & UI_REDRAW);
	settle_and_draw(cv, &fx.app);
	/* Halfway down one lane is there: the receiver's mark, one column
	 * left of the way it came, its path on the sender's row. */
	assert_true(ui_anim_progress(ui_app_anim(&fx.app)) > 0.4);
	assert_int_equal(canvas_at(cv, x - 1, 3)->cp, glyph_cp(GLYPH_PICKLE));
	assert_int_equal(canvas_at(cv, x, 2)->cp, glyph_cp(GLYPH_PAYLOAD_PATH));
	x--;
	assert_true(ui_app_tick(&fx.app, UI_ANIM_PAYLOAD_MS) & UI_REDRAW);
	assert_false(ui_app_is_animating(&fx.app));
	assert_null(ui_app_anim(&fx.app));
	assert_int_equal(ui_app_tick(&fx.app, 40) & UI_REDRAW, 0);
	settle_and_draw(cv, &fx.app);
	assert_int_equal(canvas_at(cv, x, 3)->cp, glyph_cp(GLYPH_PICKLE));
	/* Back a step and forward again: back shows rest, forward plays. */
	ui_app_key(&fx.app, UI_KEY_LEFT);
	settle_and_draw(cv, &fx.app);
	assert_false(ui_app_is_animating(&fx.app));
	/* Without animation the step is at rest at once. */
	fx.app.is_animated = false;
	ui_app_key(&fx.app, UI_KEY_RIGHT);
	settle_and_draw(cv, &fx.app);
	assert_false(ui_app_is_animating(&fx.app));
	assert_int_equal(canvas_at(cv, x, 3)->cp, glyph_cp(GLYPH_PICKLE));
	close_fixture(&fx);
	canvas_free(cv);
}

/* Counts the rows of the resources panel's child column (from column 20
 * to the panel's edge, at 80x24) that show `what`. */
static int child_cells(const struct canvas *cv, const char *what)
{
	int n = 0;

	for (int y = 1; y < cv->rows - 1; y++) {
		char line[256];
		size_t len = 0;

		for (int x = 20; x < 39; x++)
			len += utf8_encode(canvas_at(cv, x, y)->cp, line + len);
		line[len] = '\0';
		if (strstr(line, what))
			n++;
	}
	return n;
}

/* A fork's child column fills from the top as the transition plays. */
static void fork_fills_the_child_column(void **state)
{
	struct fixture fx;
	struct canvas *cv = canvas_new(80, 24);
	long fork;

	(void)state;
	open_fixture(&fx);
	fx.app.is_animated = true;
	fork = step_of_kind(&fx.rp[0], STEP_FORK);
	replay_seek(&fx.rp[0], (size_t)fork - 1);
	settle_and_draw(cv, &fx.app);
	ui_app_key(&fx.app, UI_KEY_RIGHT);
	settle_and_draw(cv, &fx.app);
	assert_int_equal(ui_app_anim(&fx.app)->kind, UI_ANIM_FORK_FILL);
	assert_int_equal(ui_app_anim(&fx.app)->pid, 101);
	assert_true(screen_has(cv, "101 child"));
	assert_int_equal(child_cells(cv, "tty"), 0);
	ui_app_tick(&fx.app, UI_ANIM_FILL_MS / 2);
	settle_and_draw(cv, &fx.app);
	assert_int_equal(child_cells(cv, "tty"), 2); /* 0 and 1 of 0, 1, 2, 9 */
	ui_app_tick(&fx.app, UI_ANIM_FILL_MS);
	settle_and_draw(cv, &fx.app);
	assert_int_equal(child_cells(cv, "tty"), 3);
	assert_int_equal(child_cells(cv, "notes.txt"), 1);
	close_fixture(&fx);
	canvas_free(cv);
}

/* Folded, the exec step holds what it kept and closed: the closed fd is
 * struck out while the transition plays, then says "closed at exec". */
static void exec_strikes_out_what_it_closes(void **state)
{
	struct fixture fx;
	struct canvas *cv = canvas_new(80, 24);
	long exec;

	(void)state;
	open_fixture(&fx);
	fx.app.current = 1;
	fx.app.is_animated = true;
	ui_app_key(&fx.app, 'a');
	exec = step_of_kind(&fx.rp[1], STEP_EXEC);
	replay_seek(&fx.rp[1], (size_t)exec - 1);
	settle_and_draw(cv, &fx.app);
	ui_app_key(&fx.app, UI_KEY_RIGHT);
	settle_and_draw(cv, &fx.app);
	assert_int_equal(ui_app_anim(&fx.app)->kind, UI_ANIM_EXEC_STRIKE);
	assert_int_equal(child_cells(cv, "╳ notes.txt"), 1);
	assert_int_equal(child_cells(cv, "closed at exec"), 0);
	ui_app_tick(&fx.app, UI_ANIM_STRIKE_MS);
	settle_and_draw(cv, &fx.app);
	assert_int_equal(child_cells(cv, "╳"), 0);
	assert_int_equal(child_cells(cv, "closed at exec"), 1);
	close_fixture(&fx);
	canvas_free(cv);
}

/* n and N go from key moment to key moment; at the last one n says so. */
static void n_goes_to_key_moments(void **state)
{
	static const enum step_kind want[] = {
		STEP_PICKLE_DUMP, STEP_FORK,        STEP_EXEC,
		STEP_IMPORT_MAIN, STEP_PICKLE_LOAD, STEP_FIND_CLASS
	};
	struct fixture fx;
	struct replay *rp;

	(void)state;
	open_fixture(&fx);
	fx.app.current = 1;
	rp = &fx.rp[1];
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		ui_app_key(&fx.app, 'n');
		assert_int_equal(rp->story.steps[rp->step].kind, want[i]);
		assert_false(fx.app.has_err);
	}
	ui_app_key(&fx.app, 'n');
	assert_int_equal(rp->story.steps[rp->step].kind, STEP_FIND_CLASS);
	assert_true(fx.app.has_err);
	assert_non_null(strstr(fx.app.err.msg, "no key moment after"));
	ui_app_key(&fx.app, 'N');
	assert_int_equal(rp->story.steps[rp->step].kind, STEP_PICKLE_LOAD);
	/* In compare mode n moves the cursor to the next row with one. */
	ui_app_key(&fx.app, UI_KEY_HOME);
	ui_app_key(&fx.app, 'c');
	ui_app_settle(&fx.app, 80, 24);
	ui_app_key(&fx.app, 'n');
	ui_app_settle(&fx.app, 80, 24);
	assert_int_equal(rp->story.steps[rp->step].kind, STEP_PICKLE_DUMP);
	close_fixture(&fx);
}

/* a folds the bookkeeping (the fds the exec kept) and back, staying at
 * the same moment; the status line says the count is of folded steps. */
static void a_folds_and_keeps_the_step(void **state)
{
	struct fixture fx;
	struct canvas *cv = canvas_new(80, 24);
	char line[256];
	size_t all;

	(void)state;
	open_fixture(&fx);
	fx.app.current = 1;
	all = replay_step_count(&fx.rp[1]);
	replay_seek(&fx.rp[1], (size_t)step_of_kind(&fx.rp[1], STEP_PICKLE_LOAD));
	ui_app_key(&fx.app, 'a');
	assert_true(fx.app.is_folded);
	assert_int_equal(replay_step_count(&fx.rp[1]), all - 1);
	assert_int_equal(replay_step_count(&fx.rp[0]), replay_step_count(&fx.rp[0]));
	assert_int_equal(fx.rp[1].story.steps[fx.rp[1].step].kind, STEP_PICKLE_LOAD);
	settle_and_draw(cv, &fx.app);
	row_text(cv, 0, line, sizeof(line));
	assert_non_null(strstr(line, "/11 (folded)"));
	ui_app_key(&fx.app, 'a');
	assert_false(fx.app.is_folded);
	assert_int_equal(replay_step_count(&fx.rp[1]), all);
	assert_int_equal(fx.rp[1].story.steps[fx.rp[1].step].kind, STEP_PICKLE_LOAD);
	settle_and_draw(cv, &fx.app);
	row_text(cv, 0, line, sizeof(line));
	assert_null(strstr(line, "folded"));
	close_fixture(&fx);
	canvas_free(cv);
}

/* c and m keep the place: compare opens on the row of the shown step and c
 * comes back to it; m lands on the matching step of the next trace; on a
 * row the shown trace has no step in, c goes to the matching one and c
 * again returns to that row. */
static void c_and_m_keep_the_place(void **state)
{
	struct fixture fx;
	size_t pickle, row;
	const struct alignment *al;

	(void)state;
	open_fixture(&fx);
	fx.app.current = 1; /* spawn */
	pickle = (size_t)step_of_kind(&fx.rp[1], STEP_PICKLE_DUMP);
	replay_seek(&fx.rp[1], pickle);
	ui_app_key(&fx.app, 'c');
	ui_app_settle(&fx.app, 80, 24);
	al = ui_app_alignment(&fx.app);
	assert_int_equal(alignment_at(al, fx.app.compare_row, 1), pickle);
	ui_app_key(&fx.app, 'c');
	assert_false(fx.app.is_compare);
	assert_int_equal(fx.rp[1].step, pickle);
	/* fork has no pickle: the row above, where the method was chosen; m
	 * again, without moving, comes back to the pickle, not the method. */
	ui_app_key(&fx.app, 'm');
	assert_int_equal(fx.app.current, 0);
	assert_int_equal(fx.rp[0].story.steps[fx.rp[0].step].kind, STEP_METHOD);
	ui_app_key(&fx.app, 'm');
	assert_int_equal(fx.app.current, 1);
	assert_int_equal(fx.rp[1].step, pickle);
	ui_app_key(&fx.app, 'm');
	/* fork's exit of the child is spawn's exit of the child. */
	replay_seek(&fx.rp[0], replay_step_count(&fx.rp[0]) - 2);
	ui_app_key(&fx.app, 'm');
	assert_int_equal(fx.app.current, 1);
	assert_int_equal(fx.rp[1].step, replay_step_count(&fx.rp[1]) - 2);
	/* From fork, compare, then down to spawn's exec: a row fork has no
	 * step in. c shows fork at the step matching it, c again the row. */
	ui_app_key(&fx.app, 'm');
	ui_app_key(&fx.app, UI_KEY_HOME);
	ui_app_key(&fx.app, 'c');
	ui_app_settle(&fx.app, 80, 24);
	al = ui_app_alignment(&fx.app);
	row = alignment_row_of(al, 1, (size_t)step_of_kind(&fx.rp[1], STEP_EXEC));
	assert_int_equal(alignment_at(al, row, 0), ALIGN_GAP);
	fx.app.compare_row = row;
	ui_app_settle(&fx.app, 80, 24);
	ui_app_key(&fx.app, 'c');
	assert_int_equal(fx.rp[0].story.steps[fx.rp[0].step].kind, STEP_FORK);
	ui_app_key(&fx.app, 'c');
	ui_app_settle(&fx.app, 80, 24);
	assert_int_equal(fx.app.compare_row, row);
	close_fixture(&fx);
}

/* The legend under the lanes at 80x24; at 160x48 the processes span the
 * width and the payload gets the rows below them. */
static void legend_and_layout_use_the_space(void **state)
{
	struct fixture fx;
	struct canvas *cv = canvas_new(80, 24);
	struct ui_layout l;

	(void)state;
	open_fixture(&fx);
	settle_and_draw(cv, &fx.app);
	assert_true(screen_has(cv, "┬└fork ●exec ◆pickle ○find •out ■exit"));
	l = ui_app_layout(&fx.app, 80, 24);
	assert_int_equal(l.lanes.h, 5); /* two lanes, the legend, the frame */
	assert_int_equal(l.resources.h, 22 - 5);
	l = ui_app_layout(&fx.app, 160, 48);
	assert_int_equal(l.lanes.w, 160);
	assert_true(l.payload.h > 48 / 2);
	assert_true(l.resources.w >= 80 && l.narration.w >= 80);
	assert_int_equal(canvas_resize(cv, 160, 48), 0);
	settle_and_draw(cv, &fx.app);
	assert_true(screen_has(cv, "┬└ fork: parent, child  ● start / exec"));
	/* Help says how to leave it and lists the glyphs too. */
	ui_app_key(&fx.app, '?');
	settle_and_draw(cv, &fx.app);
	assert_true(screen_has(cv, "q quits · any other key closes"));
	assert_true(screen_has(cv, "payload on its way"));
	/* Nothing was counted: no word about it. */
	assert_false(screen_has(cv, "counted"));
	close_fixture(&fx);
	canvas_free(cv);
}

/* Pickles counted, not kept: ◇ on the process's lane right after its
 * exit, the exit status past it; the legend and the help explain ◇ when
 * the trace has counted pickles. */
static void counted_pickles_are_marked_and_explained(void **state)
{
	struct trace tr;
	struct replay rp;
	struct ui_app app;
	struct canvas *cv = canvas_new(160, 48);
	struct sbuf sb;

	(void)state;
	assert_int_equal(builder_pool_counted(&tr, 3, 19968, true), 0);
	assert_int_equal(replay_init(&rp, &tr, NULL), 0);
	ui_app_init(&app, &rp, 1, NULL);
	replay_seek(ui_app_replay_rw(&app, 0), 4);
	settle_and_draw(cv, &app);
	assert_true(screen_has(cv, "■  ◇ exit 0"));
	assert_true(screen_has(cv, "◇ counted, not kept"));
	assert_true(screen_has(cv, "19,968 more pool tasks unpickled by 201"));
	assert_non_null(strstr(render(cv, true, &sb), "#  = exit 0"));
	sbuf_release(&sb);
	ui_app_key(&app, '?');
	settle_and_draw(cv, &app);
	assert_true(screen_has(cv, "counted, not kept"));
	ui_app_release(&app);
	replay_release(&rp);
	trace_release(&tr);
	canvas_free(cv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(all_256_bytes_are_sanitised),
		cmocka_unit_test(wide_glyphs_take_two_cells_and_clip),
		cmocka_unit_test(wrap_breaks_at_spaces_and_long_words),
		cmocka_unit_test(box_is_unicode_with_ascii_fallback),
		cmocka_unit_test(glyph_rows_agree),
		cmocka_unit_test(every_size_draws),
		cmocka_unit_test(too_small_says_the_size_it_needs),
		cmocka_unit_test(views_only_draw),
		cmocka_unit_test(keys_move_the_story),
		cmocka_unit_test(click_selects_a_lane),
		cmocka_unit_test(payload_travels_in_time),
		cmocka_unit_test(fork_fills_the_child_column),
		cmocka_unit_test(exec_strikes_out_what_it_closes),
		cmocka_unit_test(n_goes_to_key_moments),
		cmocka_unit_test(a_folds_and_keeps_the_step),
		cmocka_unit_test(c_and_m_keep_the_place),
		cmocka_unit_test(legend_and_layout_use_the_space),
		cmocka_unit_test(counted_pickles_are_marked_and_explained),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

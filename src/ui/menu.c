/*
 * menu.c - the lesson menu, what `mpscope` alone opens: one row per
 * lesson of the course (number, done ✓, title, the student's progress,
 * its question when there is room), the selected lesson's question and
 * the claims it proves below; a lesson whose lesson.json cannot be read is
 * listed with its one-line problem and cannot be opened. Also the page
 * shown while a lesson is recorded live (ui_notice). Reads the course and
 * the progress; opening a lesson is the caller's (cli/).
 */
#include <stdio.h>
#include <string.h>

#include "ui/lesson_player.h"
#include "ui/screen.h"

struct menu {
	const struct course *c;
	const struct progress *pg; /* may be NULL */
	const char *note; /* may be NULL */
	size_t cursor;
	size_t top; /* first row shown */
	bool is_chosen;
	struct mp_err err;
	bool has_err;
};

struct menu_layout {
	struct rect bar, note, list, detail, keys;
};

static struct menu_layout menu_layout(const struct menu *m, int cols, int rows)
{
	struct menu_layout l;
	int y = 1, avail, list_h;

	memset(&l, 0, sizeof(l));
	l.bar = (struct rect){ 0, 0, cols, 1 };
	l.keys = (struct rect){ 0, rows - 1, cols, 1 };
	if (m->note && *m->note) {
		int n = canvas_wrap_count(m->note, strlen(m->note), cols - 2);

		l.note = (struct rect){ 0, y, cols, n < 2 ? 1 : 2 };
		y += l.note.h;
	}
	avail = rows - 1 - y;
	/* The list takes what it needs, leaving the details five rows. */
	list_h = (int)m->c->count < avail - 5 ? (int)m->c->count : avail - 5;
	if (list_h < 1)
		list_h = 1;
	l.list = (struct rect){ 0, y, cols, list_h };
	l.detail = (struct rect){ 0, y + list_h, cols, avail - list_h };
	return l;
}

static const struct course_entry *selected(const struct menu *m)
{
	return &m->c->entries[m->cursor];
}

/* ---- drawing ---- */

static void draw_bar(struct canvas *cv, const struct menu *m, struct rect r)
{
	char right[64] = "";
	size_t done = 0;
	int right_w;

	canvas_fill(cv, r, ' ', ST_BAR);
	for (size_t i = 0; m->pg && i < m->c->count; i++) {
		const struct progress_lesson *pl = progress_find(m->pg, m->c->entries[i].folder);

		done += pl && pl->is_done;
	}
	if (m->pg)
		snprintf(right, sizeof(right), "%zu of %zu done", done, m->c->count);
	right_w = canvas_text_width(right, strlen(right));
	if (m->has_err)
		canvas_prints_cut(cv, r.x + 1, r.y, r.w - right_w - 3, ST_WARN, m->err.msg);
	else
		canvas_prints_cut(cv, r.x + 1, r.y, r.w - right_w - 3, ST_BAR,
				  "mpscope · lessons: what multiprocessing really does");
	canvas_prints(cv, r.x + r.w - right_w - 1, r.y, right_w, ST_BAR, right);
}

/* "fork-copies, spawn-pickles" */
static void proves_ids(const struct lesson *l, char *buf, size_t len)
{
	buf[0] = '\0';
	for (size_t i = 0; i < l->prove_count; i++)
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%s", i ? ", " : "",
			 lesson_claim_id(l->proves[i]));
}

static void draw_row(struct canvas *cv, const struct menu *m, size_t i, int y, struct rect r)
{
	const struct course_entry *e = &m->c->entries[i];
	bool is_cursor = i == m->cursor;
	enum style st = is_cursor ? ST_SELECTED : ST_NORMAL;
	const struct progress_lesson *pl = m->pg ? progress_find(m->pg, e->folder) : NULL;
	/* Title, then progress, then (when wide) the question. */
	int status_w = 24, question_x = r.w >= 120 ? 72 : r.w, title_w;
	int x = r.x;
	struct sbuf words;

	if (is_cursor)
		canvas_fill(cv, (struct rect){ r.x, y, r.w, 1 }, ' ', ST_SELECTED);
	x += canvas_prints(cv, x, y, 2, st, is_cursor ? glyph_text(GLYPH_ROW_CURSOR) : " ");
	x += canvas_printf(cv, x + 1, y, 3, is_cursor ? ST_SELECTED : ST_DIM, "%02d", e->number) +
		2;
	if (!e->is_loaded) {
		canvas_prints(cv, x, y, 2, ST_WARN, glyph_text(GLYPH_WRONG));
		canvas_printf_cut(cv, x + 2, y, r.x + r.w - x - 3, ST_WARN, "cannot be read: %s",
				  e->problem);
		return;
	}
	if (pl && pl->is_done)
		canvas_prints(cv, x, y, 2, is_cursor ? ST_SELECTED : ST_CHILD,
			      glyph_text(GLYPH_CHECK));
	x += 2;
	title_w = question_x - x - status_w - 2;
	canvas_prints_cut(cv, x, y, title_w, is_cursor ? ST_SELECTED : ST_TITLE, e->lesson.title);
	x += title_w + 1;
	if (m->pg) {
		sbuf_init(&words);
		progress_describe(m->pg, e->folder, e->lesson.quiz_count, &words);
		if (!words.is_oom && words.data)
			canvas_prints_cut(cv, x, y, status_w, is_cursor ? ST_SELECTED : ST_DIM,
					  words.data);
		sbuf_release(&words);
	}
	if (question_x < r.w)
		canvas_prints_cut(cv, r.x + question_x, y, r.w - question_x - 1,
				  is_cursor ? ST_SELECTED : ST_DIM, e->lesson.question);
}

static void draw_detail(struct canvas *cv, const struct menu *m, struct rect r)
{
	const struct course_entry *e = selected(m);
	const struct lesson *l = &e->lesson;
	struct lp_pen pen = { cv, { r.x + 2, r.y + 1, r.w - 4, r.h - 2 }, 0 };
	char title[64], buf[512];
	struct sbuf words;

	snprintf(title, sizeof(title), "lesson %02d · %s", e->number, e->folder);
	canvas_box(cv, r, ST_BORDER, title);
	if (!e->is_loaded) {
		lp_put(&pen, 0, NULL, ST_NORMAL, ST_WARN, e->problem);
		lp_put(&pen, 0, NULL, ST_NORMAL, ST_DIM,
		       "It cannot be opened until its lesson.json is fixed ('mpscope lesson "
		       "--check').");
		return;
	}
	lp_put(&pen, 0, NULL, ST_NORMAL, ST_TITLE, l->question);
	if (l->prove_count > 0) {
		proves_ids(l, buf, sizeof(buf));
		lp_put(&pen, 8, "proves:", ST_DIM, ST_NORMAL, buf);
	} else {
		lp_put(&pen, 8, "proves:", ST_DIM, ST_DIM,
		       "none of the course's claims: it goes beyond them");
	}
	if (m->pg) {
		sbuf_init(&words);
		progress_describe(m->pg, e->folder, l->quiz_count, &words);
		if (!words.is_oom && words.data)
			lp_put(&pen, 8, "you:", ST_DIM, ST_NORMAL, words.data);
		sbuf_release(&words);
	}
	if (pen.y + 2 < pen.r.h && l->prove_count > 0) {
		pen.y++;
		for (size_t i = 0; i < l->prove_count; i++) {
			snprintf(buf, sizeof(buf), " %s", glyph_text(GLYPH_BULLET));
			lp_put(&pen, 3, buf, ST_PAYLOAD, ST_NORMAL,
			       lesson_claim_sentence(l->proves[i]));
		}
	}
}

static void draw_keys(struct canvas *cv, struct rect r)
{
	static const char *const items[][2] = {
		{ "↑↓", "choose" },
		{ "Enter", "open" },
		{ "q", "quit" },
	};
	int x = r.x + 1;

	canvas_fill(cv, r, ' ', ST_BAR);
	for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++) {
		x += canvas_prints(cv, x, r.y, r.w - x, ST_BAR_KEY, items[i][0]);
		x += canvas_printf(cv, x, r.y, r.w - x, ST_BAR, " %s  ", items[i][1]);
	}
	canvas_prints(cv, x, r.y, r.w - x, ST_BAR, "·  mpscope lesson N --present: classroom mode");
}

static void menu_draw(struct canvas *cv, const void *state)
{
	const struct menu *m = state;
	struct menu_layout l;

	canvas_clear(cv);
	if (ui_draw_too_small(cv))
		return;
	l = menu_layout(m, cv->cols, cv->rows);
	draw_bar(cv, m, l.bar);
	if (l.note.h > 0)
		canvas_wrap(cv, (struct rect){ 1, l.note.y, l.note.w - 2, l.note.h }, ST_WARN,
			    m->note, strlen(m->note), 0);
	for (int row = 0; row < l.list.h && m->top + (size_t)row < m->c->count; row++)
		draw_row(cv, m, m->top + (size_t)row, l.list.y + row, l.list);
	if (m->top > 0)
		canvas_prints(cv, l.list.w - 2, l.list.y, 1, ST_DIM, glyph_text(GLYPH_MORE_ABOVE));
	if (m->top + (size_t)l.list.h < m->c->count)
		canvas_prints(cv, l.list.w - 2, l.list.y + l.list.h - 1, 1, ST_DIM,
			      glyph_text(GLYPH_MORE_BELOW));
	draw_detail(cv, m, l.detail);
	draw_keys(cv, l.keys);
}

/* ---- state ---- */

static void menu_settle(void *state, int cols, int rows)
{
	struct menu *m = state;
	struct menu_layout l = menu_layout(m, cols, rows);
	size_t h = (size_t)(l.list.h > 0 ? l.list.h : 1);

	if (m->cursor < m->top)
		m->top = m->cursor;
	if (m->cursor >= m->top + h)
		m->top = m->cursor - h + 1;
	if (m->top + h > m->c->count)
		m->top = m->c->count > h ? m->c->count - h : 0;
}

static void move(struct menu *m, long delta)
{
	long k = (long)m->cursor + delta;

	if (k < 0)
		k = 0;
	if (k >= (long)m->c->count)
		k = (long)m->c->count - 1;
	m->cursor = (size_t)k;
}

static unsigned menu_key(void *state, int key)
{
	struct menu *m = state;
	const struct course_entry *e = selected(m);

	m->has_err = false;
	switch (key) {
	case UI_KEY_UP:
	case 'k':
		move(m, -1);
		break;
	case UI_KEY_DOWN:
	case 'j':
		move(m, +1);
		break;
	case UI_KEY_PGUP:
		move(m, -10);
		break;
	case UI_KEY_PGDN:
		move(m, +10);
		break;
	case UI_KEY_HOME:
	case 'g':
		m->cursor = 0;
		break;
	case UI_KEY_END:
	case 'G':
		m->cursor = m->c->count - 1;
		break;
	case UI_KEY_ENTER:
	case UI_KEY_RIGHT:
	case 'l':
		if (!e->is_loaded) {
			mp_err_set(&m->err,
				   "lesson %02d cannot be opened: its lesson.json is broken",
				   e->number);
			m->has_err = true;
			break;
		}
		m->is_chosen = true;
		return UI_QUIT;
	case 'q':
	case 'Q':
		return UI_QUIT;
	default:
		return 0;
	}
	return UI_REDRAW;
}

static unsigned menu_tick(void *state, double elapsed_ms)
{
	(void)state;
	(void)elapsed_ms;
	return 0;
}

static unsigned menu_click(void *state, int cols, int rows, int x, int y)
{
	struct menu *m = state;
	struct menu_layout l = menu_layout(m, cols, rows);

	(void)x;
	if (y < l.list.y || y >= l.list.y + l.list.h ||
	    m->top + (size_t)(y - l.list.y) >= m->c->count)
		return 0;
	m->cursor = m->top + (size_t)(y - l.list.y);
	return UI_REDRAW;
}

static bool menu_is_moving(const void *state)
{
	(void)state;
	return false;
}

int ui_menu(struct ui_term *t, const struct course *c, const struct progress *pg, const char *note,
	    size_t *cursor, struct mp_err *err)
{
	struct menu m = { .c = c, .pg = pg, .note = note };
	struct ui_screen s = { &m,        menu_settle, menu_draw,     menu_key,
			       menu_tick, menu_click,  menu_is_moving };

	if (c->count == 0)
		return mp_err_set(err, "the course has no lessons");
	m.cursor = *cursor < c->count ? *cursor : 0;
	if (ui_term_run(t, &s, err) < 0)
		return -1;
	*cursor = m.cursor;
	return m.is_chosen ? 1 : 0;
}

int ui_menu_render(const struct course *c, const struct progress *pg, const char *note,
		   size_t cursor, const struct ui_frame_opts *o, struct sbuf *out,
		   struct mp_err *err)
{
	struct menu m = { .c = c, .pg = pg, .note = note };
	struct canvas *cv;

	if (c->count == 0)
		return mp_err_set(err, "the course has no lessons");
	cv = canvas_new(o->cols, o->rows);
	if (!cv)
		return mp_err_set(err, "out of memory for a %dx%d screen", o->cols, o->rows);
	m.cursor = cursor < c->count ? cursor : 0;
	for (const char *k = o->keys; k && *k; k++)
		menu_key(&m, *k == '\n' ? UI_KEY_ENTER : (unsigned char)*k);
	menu_settle(&m, cv->cols, cv->rows);
	menu_draw(cv, &m);
	canvas_to_text(cv, o->is_ascii, out);
	canvas_free(cv);
	return out->is_oom ? mp_err_set(err, "out of memory while rendering a frame") : 0;
}

/* ---- a page while the caller works ---- */

struct notice {
	const char *title;
	const char *text;
};

static void notice_settle(void *state, int cols, int rows)
{
	(void)state;
	(void)cols;
	(void)rows;
}

static void notice_draw(struct canvas *cv, const void *state)
{
	const struct notice *n = state;
	int w = cv->cols > 72 ? 68 : cv->cols - 4;
	int lines = canvas_wrap_count(n->text, strlen(n->text), w - 4);
	struct rect box = { (cv->cols - w) / 2, cv->rows / 2 - (lines + 2) / 2, w, lines + 2 };

	canvas_clear(cv);
	if (ui_draw_too_small(cv))
		return;
	canvas_fill(cv, (struct rect){ 0, 0, cv->cols, 1 }, ' ', ST_BAR);
	canvas_prints_cut(cv, 1, 0, cv->cols - 2, ST_BAR, n->title);
	canvas_box(cv, box, ST_BORDER_FOCUS, NULL);
	canvas_wrap(cv, (struct rect){ box.x + 2, box.y + 1, w - 4, lines }, ST_NORMAL, n->text,
		    strlen(n->text), 0);
}

static unsigned notice_key(void *state, int key)
{
	(void)state;
	(void)key;
	return 0;
}

void ui_notice(struct ui_term *t, const char *title, const char *text)
{
	struct notice n = { title, text };
	struct ui_screen s = { &n,        notice_settle, notice_draw,   notice_key,
			       menu_tick, NULL,          menu_is_moving };

	ui_term_show(t, &s);
}

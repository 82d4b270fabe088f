/*
 * lesson_view.c - the lesson player drawn (lesson_player.h): the lesson
 * bar on top ("lesson 1 · step 3/8 · What gets pickled?"), the notice of
 * a live run that could not be used, the panel with the step's words (or
 * the open quiz, quiz.c), the replay's panels below (the framed app), the
 * key bar, and the pages that cover them: the summary and the help.
 * Classroom mode gives the story the screen: a larger padded text, the
 * replay in classroom proportions, no key bar. Only reads the state.
 */
#include <stdio.h>
#include <string.h>

#include "ui/lesson_player.h"

void lp_put(struct lp_pen *pen, int indent, const char *prefix, enum style prefix_st, enum style st,
	    const char *text)
{
	int w = pen->r.w - indent;
	int rows;

	if (w <= 0)
		return;
	rows = canvas_wrap_count(text, strlen(text), w);
	if (rows == 0)
		rows = 1;
	if (pen->cv && pen->y < pen->r.h) {
		struct rect in = { pen->r.x + indent, pen->r.y + pen->y, w, pen->r.h - pen->y };

		if (prefix)
			canvas_prints(pen->cv, pen->r.x, in.y, indent, prefix_st, prefix);
		canvas_wrap(pen->cv, in, st, text, strlen(text), 0);
	}
	pen->y += rows;
}

/* The panel's text: inside the frame, and in classroom mode indented. */
static int text_indent(const struct lesson_player *p)
{
	return p->is_present ? 4 : 2;
}

static const char *say(const struct lesson_player *p)
{
	return p->b->steps[p->step].say;
}

static bool has_quiz_panel(const struct lesson_player *p)
{
	return p->phase == LP_QUIZ || p->phase == LP_FEEDBACK;
}

static int clampi(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

struct lp_layout lp_layout(const struct lesson_player *p, int cols, int rows)
{
	struct lp_layout l;
	int y = 1, bottom = rows, avail, want, cap, w = cols - 2 * text_indent(p);

	memset(&l, 0, sizeof(l));
	l.bar = (struct rect){ 0, 0, cols, 1 };
	if (!p->is_present) {
		l.keys = (struct rect){ 0, rows - 1, cols, 1 };
		bottom = rows - 1;
	}
	if (p->show_notice) {
		int n = canvas_wrap_count(p->spec.notice, strlen(p->spec.notice), cols - 2);

		l.notice = (struct rect){ 0, y, cols, clampi(n, 1, 3) };
		y += l.notice.h;
	}
	avail = bottom - y;
	if (has_quiz_panel(p)) {
		want = lp_quiz_rows(p, w) + 2;
		cap = avail / 2;
	} else {
		want = canvas_wrap_count(say(p), strlen(say(p)), w) + 2;
		/* Classroom text has a blank row above and below. */
		want += p->is_present ? 2 : 0;
		cap = p->is_present ? avail * 2 / 5 : avail * 3 / 10;
	}
	l.panel = (struct rect){ 0, y, cols, clampi(want, 3, cap > 3 ? cap : 3) };
	y += l.panel.h;
	l.body = (struct rect){ 0, y, cols, bottom - y };
	return l;
}

/* ---- the bar ---- */

static void draw_bar(struct canvas *cv, const struct lesson_player *p, struct rect r)
{
	const struct replay *rp = ui_app_replay(&p->app);
	const struct lesson *l = p->l;
	char left[160], right[160], jump[32] = "";
	int right_w;
	const char *play =
		glyph_text(p->is_travelling && !p->is_held ? GLYPH_PLAYING : GLYPH_PAUSED);

	canvas_fill(cv, r, ' ', ST_BAR);
	if (p->phase == LP_SUMMARY)
		snprintf(left, sizeof(left), "lesson %d · done · ", l->number);
	else if (p->phase == LP_SEE)
		snprintf(left, sizeof(left), "lesson %d · step %zu/%zu · why, for quiz %zu · ",
			 l->number, p->step + 1, l->step_count, p->quiz + 1);
	else
		snprintf(left, sizeof(left), "lesson %d · step %zu/%zu · ", l->number, p->step + 1,
			 l->step_count);
	if (p->jump_len > 0)
		snprintf(jump, sizeof(jump), "go to step %.*s%s  ", (int)p->jump_len, p->jump,
			 glyph_text(GLYPH_INPUT_CURSOR));
	snprintf(right, sizeof(right), "%s%s %zu/%zu  %s %g×%s%s", jump,
		 l->keys.items[p->app.current], rp->step + 1, replay_step_count(rp), play,
		 replay_speed(rp), p->spec.source ? "  " : "",
		 p->spec.source ? p->spec.source : "");
	right_w = canvas_text_width(right, strlen(right));
	if (p->has_err || p->app.has_err) {
		canvas_printf_cut(cv, r.x + 1, r.y, r.w - right_w - 3, ST_WARN, "%s",
				  p->has_err ? p->err.msg : p->app.err.msg);
	} else {
		int x = r.x + 1;

		x += canvas_prints_cut(cv, x, r.y, r.w - right_w - 3, ST_BAR, left);
		canvas_prints_cut(cv, x, r.y, r.x + r.w - right_w - 3 - x, ST_BAR_KEY, l->title);
	}
	canvas_prints(cv, r.x + r.w - right_w - 1, r.y, right_w, ST_BAR, right);
}

/* ---- the panel ---- */

static void draw_say(struct canvas *cv, const struct lesson_player *p, struct rect r)
{
	const char *text = say(p);
	int pad = p->is_present ? 1 : 0, ind = text_indent(p);
	struct rect in = { r.x + ind, r.y + 1 + pad, r.w - 2 * ind, r.h - 2 - 2 * pad };
	int lines;

	if (in.h <= 0) {
		in.y = r.y + 1;
		in.h = r.h - 2;
	}
	lines = canvas_wrap(cv, in, ST_TITLE, text, strlen(text), 0);
	if (lines > in.h)
		canvas_printf(cv, r.x + r.w - 6, r.y + r.h - 1, 4, ST_DIM, " %s ",
			      glyph_text(GLYPH_MORE_BELOW));
}

static void draw_panel(struct canvas *cv, const struct lesson_player *p, struct rect r)
{
	char title[96];
	int ind = text_indent(p);

	if (has_quiz_panel(p)) {
		snprintf(title, sizeof(title), "quiz %zu of %zu%s", p->quiz + 1, p->l->quiz_count,
			 p->is_present ? " · answer aloud" : "");
		canvas_box(cv, r, ST_BORDER_FOCUS, title);
		lp_quiz_draw(cv, p, (struct rect){ r.x + ind, r.y + 1, r.w - 2 * ind, r.h - 2 });
		return;
	}
	snprintf(title, sizeof(title), "%s", p->l->keys.items[p->b->steps[p->step].key]);
	canvas_box(cv, r, ST_BORDER_FOCUS, title);
	draw_say(cv, p, r);
}

static void draw_notice(struct canvas *cv, const struct lesson_player *p, struct rect r)
{
	canvas_wrap(cv, (struct rect){ r.x + 1, r.y, r.w - 2, r.h }, ST_WARN, p->spec.notice,
		    strlen(p->spec.notice), 0);
}

/* ---- the key bar ---- */

struct bar_item {
	const char *key;
	const char *what;
};

static size_t bar_items(const struct lesson_player *p, struct bar_item *it)
{
	const struct lesson_bound_quiz *q = &p->b->quizzes[p->quiz];
	const char *quit = p->is_from_menu ? "menu" : "quit";
	size_t n = 0;

	switch (p->phase) {
	case LP_STEP:
		it[n++] = (struct bar_item){ "→", "next" };
		it[n++] = (struct bar_item){ "←", "back" };
		it[n++] = (struct bar_item){ "h/l", "story" };
		it[n++] = (struct bar_item){ "n/N", "moment" };
		it[n++] = (struct bar_item){ "p/d/x", "payload" };
		it[n++] = (struct bar_item){ "m", "trace" };
		break;
	case LP_QUIZ:
		if (q->reply == LESSON_REPLY_CHOICE) {
			it[n++] = (struct bar_item){ "1-9", "answer" };
			it[n++] = (struct bar_item){ "↑↓ Enter", "pick" };
		} else {
			it[n++] = (struct bar_item){ "0-9", "type" };
			it[n++] = (struct bar_item){ "Enter", "check" };
		}
		it[n++] = (struct bar_item){ "Esc", "later" };
		it[n++] = (struct bar_item){ "h/l n/N", "look" };
		break;
	case LP_FEEDBACK:
		it[n++] = (struct bar_item){ "→", "go on" };
		if (p->verdict != LESSON_RIGHT)
			it[n++] = (struct bar_item){ "s", "see why" };
		break;
	case LP_SEE:
		it[n++] = (struct bar_item){ "Enter", "back to the quiz" };
		it[n++] = (struct bar_item){ "h/l", "story" };
		it[n++] = (struct bar_item){ "p/d/x", "payload" };
		break;
	case LP_SUMMARY:
		if (p->spec.next)
			it[n++] = (struct bar_item){ "n", "next lesson" };
		it[n++] = (struct bar_item){ "←", "last step" };
		break;
	}
	it[n++] = (struct bar_item){ "?", "help" };
	it[n++] = (struct bar_item){ "q", quit };
	return n;
}

static void draw_keys(struct canvas *cv, const struct lesson_player *p, struct rect r)
{
	struct bar_item it[12];
	size_t n = bar_items(p, it);
	int x = r.x + 1, end = r.x + r.w;

	canvas_fill(cv, r, ' ', ST_BAR);
	for (size_t i = 0; i < n; i++) {
		int w = canvas_text_width(it[i].key, strlen(it[i].key)) + 1 +
			(int)strlen(it[i].what) + 2;

		/* What does not fit is left out; the last item, q, never. */
		if (x + w > end - (i + 1 < n ? 8 : 0))
			continue;
		x += canvas_prints(cv, x, r.y, end - x, ST_BAR_KEY, it[i].key);
		x += canvas_printf(cv, x, r.y, end - x, ST_BAR, " %s  ", it[i].what);
	}
}

/* ---- pages over the panel and the story ---- */

static struct rect page_of(const struct lp_layout *l)
{
	return (struct rect){ 0, l->panel.y, l->panel.w, l->panel.h + l->body.h };
}

static void bullets(struct lp_pen *pen, const char *text)
{
	char prefix[8];

	snprintf(prefix, sizeof(prefix), " %s", glyph_text(GLYPH_BULLET));
	lp_put(pen, 3, prefix, ST_PAYLOAD, ST_NORMAL, text);
}

static void summary_score(struct lp_pen *pen, const struct lesson_player *p)
{
	char line[160];
	size_t right = 0, answered = 0;

	if (p->l->quiz_count == 0)
		return;
	if (p->is_present) {
		lp_put(pen, 0, NULL, ST_NORMAL, ST_DIM,
		       "Classroom mode: the answers were given aloud and are not recorded.");
		pen->y++;
		return;
	}
	if (p->spec.progress) {
		struct progress_score sc =
			progress_score(p->spec.progress, p->l->folder, p->l->quiz_count);

		right = sc.right;
		answered = sc.right + sc.wrong;
	} else {
		for (size_t q = 0; q < p->l->quiz_count; q++) {
			answered += p->answers[q].is_answered;
			right += p->answers[q].is_right;
		}
	}
	snprintf(line, sizeof(line), "Quiz: %zu of %zu right%s", right, p->l->quiz_count,
		 answered < p->l->quiz_count ? " (some not answered yet)." : ".");
	lp_put(pen, 0, NULL, ST_NORMAL, right == p->l->quiz_count ? ST_CHILD : ST_TITLE, line);
	pen->y++;
}

/* Lays the summary out down pen: what matters most first, the score and
 * the next lesson, so that a small screen cuts only the lists. */
static void lay_summary(struct lp_pen *pen, const struct lesson_player *p)
{
	const struct lesson *l = p->l;
	char line[256];

	lp_put(pen, 0, NULL, ST_NORMAL, ST_TITLE, l->title);
	pen->y++;
	summary_score(pen, p);
	if (p->spec.next)
		snprintf(line, sizeof(line), "Next: %s %s press n.", p->spec.next,
			 glyph_text(GLYPH_EM_DASH));
	else
		snprintf(line, sizeof(line), "That was the last lesson of the course.");
	lp_put(pen, 0, NULL, ST_NORMAL, ST_TITLE, line);
	snprintf(line, sizeof(line), "%s the last step again %s q %s", glyph_text(GLYPH_ARROW_LEFT),
		 glyph_text(GLYPH_MIDDLE_DOT), p->is_from_menu ? "back to the menu" : "quits");
	lp_put(pen, 0, NULL, ST_NORMAL, ST_DIM, line);
	if (l->prove_count > 0) {
		pen->y++;
		lp_put(pen, 0, NULL, ST_NORMAL, ST_TITLE, "What it proved:");
		for (size_t i = 0; i < l->prove_count; i++)
			bullets(pen, lesson_claim_sentence(l->proves[i]));
	}
	if (l->goals.count > 0) {
		pen->y++;
		lp_put(pen, 0, NULL, ST_NORMAL, ST_TITLE, "Its goals:");
		for (size_t i = 0; i < l->goals.count; i++)
			bullets(pen, l->goals.items[i]);
	}
}

static void draw_summary(struct canvas *cv, const struct lesson_player *p, struct rect r)
{
	struct lp_pen count = { NULL, { 0, 0, r.w - 6, 0 }, 0 };
	struct lp_pen pen;
	char title[64];

	/* A page of its own, its box as tall as its text. */
	canvas_fill(cv, r, ' ', ST_NORMAL);
	lay_summary(&count, p);
	if (count.y + 2 < r.h)
		r.h = count.y + 2;
	pen = (struct lp_pen){ cv, { r.x + 3, r.y + 1, r.w - 6, r.h - 2 }, 0 };
	snprintf(title, sizeof(title), "lesson %d done", p->l->number);
	canvas_box(cv, r, ST_BORDER_FOCUS, title);
	lay_summary(&pen, p);
}

static void draw_help(struct canvas *cv, const struct lesson_player *p, struct rect r)
{
	struct lp_key_help rows[40];
	size_t n = lp_key_help(p, rows, sizeof(rows) / sizeof(rows[0]));
	int cols = (int)n + 4 <= r.h ? 1 : 2;
	int per_col = ((int)n + cols - 1) / cols;
	int w = cols == 1 ? 64 : r.w - 4, h = per_col + 4;
	struct rect box;

	w = w < r.w ? w : r.w;
	h = h < r.h ? h : r.h;
	box = (struct rect){ r.x + (r.w - w) / 2, r.y + (r.h - h) / 2, w, h };
	canvas_fill(cv, r, ' ', ST_NORMAL);
	canvas_box(cv, box, ST_BORDER_FOCUS,
		   p->is_present ? "classroom keys · any key closes"
				 : "lesson keys · q quits · any other key closes");
	for (size_t i = 0; i < n; i++) {
		int col = (int)i / per_col, row = (int)i % per_col;
		int cw = (w - 4) / cols, x = box.x + 2 + col * cw;

		if (row >= h - 3)
			continue;
		canvas_prints(cv, x, box.y + 2 + row, 10, ST_BAR_KEY, rows[i].label);
		canvas_prints_cut(cv, x + 11, box.y + 2 + row, cw - 12, ST_NORMAL, rows[i].what);
	}
}

void lp_draw(struct canvas *cv, const struct lesson_player *p)
{
	struct lp_layout l;

	canvas_clear(cv);
	if (ui_draw_too_small(cv))
		return;
	l = lp_layout(p, cv->cols, cv->rows);
	if (l.body.h > 0)
		ui_app_draw_in(cv, &p->app);
	draw_bar(cv, p, l.bar);
	if (l.notice.h > 0)
		draw_notice(cv, p, l.notice);
	draw_panel(cv, p, l.panel);
	if (l.keys.h > 0)
		draw_keys(cv, p, l.keys);
	if (p->phase == LP_SUMMARY)
		draw_summary(cv, p, page_of(&l));
	if (p->show_help)
		draw_help(cv, p, page_of(&l));
}

/*
 * quiz.c - a lesson's questions on the screen (lesson_player.h): a choice
 * picked by its number or with ↑↓ and Enter, or a number typed; judged by
 * the lesson engine (lesson_judge), handed to the host at once; then the
 * feedback: right or wrong, the explanation with the right answer, and
 * for a wrong one the step that shows why (s goes there, Enter comes
 * back). In classroom mode the question is shown and a key reveals the
 * answer, for a class that answers aloud; nothing is recorded. Keys that
 * are not the quiz's look around the replay, as at a step.
 */
#include <stdio.h>
#include <string.h>

#include "ui/lesson_player.h"

void lp_quiz_open(struct lesson_player *p, size_t q)
{
	p->phase = LP_QUIZ;
	p->quiz = q;
	p->choice = 0;
	p->typed_len = 0;
	p->typed[0] = '\0';
	p->given[0] = '\0';
	p->verdict = LESSON_UNREADABLE;
}

static const struct lesson_bound_quiz *open_quiz(const struct lesson_player *p)
{
	return &p->b->quizzes[p->quiz];
}

static void answered(struct lesson_player *p, enum lesson_verdict v, const char *given)
{
	const struct ui_lesson_host *h = p->spec.host;
	struct mp_err err;

	p->verdict = v;
	snprintf(p->given, sizeof(p->given), "%s", given);
	p->is_asked[p->quiz] = true;
	p->answers[p->quiz] = (struct lp_answer){ true, v == LESSON_RIGHT };
	p->phase = LP_FEEDBACK;
	if (h && h->answer && h->answer(h->ctx, p->quiz, v == LESSON_RIGHT, given, &err) < 0)
		lp_fail(p, &err);
}

static unsigned pick(struct lesson_player *p, size_t c)
{
	const struct lesson_bound_quiz *q = open_quiz(p);

	answered(p, lesson_judge_choice(q, c), q->choices[c]);
	return UI_REDRAW;
}

static unsigned check_typed(struct lesson_player *p)
{
	const struct lesson_bound_quiz *q = open_quiz(p);
	enum lesson_verdict v;
	struct mp_err err;

	if (p->typed_len == 0)
		return 0;
	p->typed[p->typed_len] = '\0';
	v = lesson_judge(q, p->typed);
	if (v == LESSON_UNREADABLE) {
		mp_err_set(&err, "'%s' is not a number: type digits, then Enter", p->typed);
		lp_fail(p, &err);
		return UI_REDRAW;
	}
	answered(p, v, p->typed);
	return UI_REDRAW;
}

static bool is_typable(const struct lesson_bound_quiz *q, int key)
{
	if (q->reply == LESSON_REPLY_NUMBER)
		return (key >= '0' && key <= '9') || key == '.' || key == '-';
	return q->reply == LESSON_REPLY_TEXT && key >= 0x20 && key < 0x7f;
}

static unsigned quit(struct lesson_player *p)
{
	p->end = UI_LESSON_QUIT;
	return UI_QUIT;
}

/* Classroom mode: the question is on screen; a key shows the answer. */
static unsigned ask_class_key(struct lesson_player *p, int key)
{
	switch (key) {
	case ' ':
	case UI_KEY_ENTER:
	case UI_KEY_RIGHT:
		p->is_asked[p->quiz] = true;
		p->phase = LP_FEEDBACK;
		return UI_REDRAW;
	case UI_KEY_ESC:
		p->phase = LP_STEP;
		return UI_REDRAW;
	case 'q':
	case 'Q':
		return quit(p);
	default:
		return lp_look(p, key);
	}
}

static unsigned ask_key(struct lesson_player *p, int key)
{
	const struct lesson_bound_quiz *q = open_quiz(p);

	if (p->is_present)
		return ask_class_key(p, key);
	if (key == UI_KEY_ESC) {
		p->phase = LP_STEP; /* asked again when the student goes on */
		return UI_REDRAW;
	}
	if (q->reply == LESSON_REPLY_CHOICE) {
		if (key >= '1' && key < '1' + (int)q->choice_count)
			return pick(p, (size_t)(key - '1'));
		if (key == UI_KEY_UP || key == 'k') {
			p->choice -= p->choice > 0;
			return UI_REDRAW;
		}
		if (key == UI_KEY_DOWN || key == 'j') {
			p->choice += p->choice + 1 < q->choice_count;
			return UI_REDRAW;
		}
		if (key == UI_KEY_ENTER)
			return pick(p, p->choice);
	} else {
		if (is_typable(q, key)) {
			if (p->typed_len < LP_TYPED_MAX)
				p->typed[p->typed_len++] = (char)key;
			p->typed[p->typed_len] = '\0';
			return UI_REDRAW;
		}
		if (key == UI_KEY_BACKSPACE) {
			p->typed_len -= p->typed_len > 0;
			p->typed[p->typed_len] = '\0';
			return UI_REDRAW;
		}
		if (key == UI_KEY_ENTER)
			return check_typed(p);
	}
	if (key == 'q' || key == 'Q')
		return quit(p);
	return lp_look(p, key);
}

static unsigned feedback_key(struct lesson_player *p, int key)
{
	switch (key) {
	case ' ':
	case UI_KEY_ENTER:
	case UI_KEY_RIGHT:
		lp_forward(p);
		return UI_REDRAW;
	case 's':
		p->see_from = p->step;
		p->phase = LP_SEE;
		lp_go(p, p->l->quizzes[p->quiz].see, false);
		return UI_REDRAW;
	case 'q':
	case 'Q':
		return quit(p);
	default:
		return lp_look(p, key);
	}
}

static unsigned see_key(struct lesson_player *p, int key)
{
	switch (key) {
	case ' ':
	case 's':
	case UI_KEY_ENTER:
	case UI_KEY_RIGHT:
	case UI_KEY_LEFT:
	case UI_KEY_ESC:
		p->phase = LP_FEEDBACK;
		lp_go(p, p->see_from, false);
		return UI_REDRAW;
	case 'q':
	case 'Q':
		return quit(p);
	default:
		return lp_look(p, key);
	}
}

unsigned lp_quiz_key(struct lesson_player *p, int key)
{
	switch (p->phase) {
	case LP_QUIZ:
		return ask_key(p, key);
	case LP_FEEDBACK:
		return feedback_key(p, key);
	case LP_SEE:
		return see_key(p, key);
	default:
		return 0;
	}
}

/* ---- the quiz panel ---- */

static void blank(struct lp_pen *pen)
{
	pen->y++;
}

static void put_choices(struct lp_pen *pen, const struct lesson_player *p, bool is_revealed)
{
	const struct lesson_bound_quiz *q = open_quiz(p);

	for (size_t c = 0; c < q->choice_count; c++) {
		bool is_cursor = !p->is_present && p->phase == LP_QUIZ && c == p->choice;
		bool is_right = is_revealed && c == q->right_choice;
		char prefix[32];

		snprintf(prefix, sizeof(prefix), "%s %zu",
			 is_cursor          ? glyph_text(GLYPH_ROW_CURSOR)
				 : is_right ? glyph_text(GLYPH_CHECK)
					    : " ",
			 c + 1);
		lp_put(pen, 5, prefix, is_right ? ST_CHILD : ST_BAR_KEY,
		       is_right            ? ST_TITLE
			       : is_cursor ? ST_SELECTED
					   : ST_NORMAL,
		       q->choices[c]);
	}
}

/* The question, as asked. */
static void lay_ask(struct lp_pen *pen, const struct lesson_player *p)
{
	const struct lesson_bound_quiz *q = open_quiz(p);
	char line[LP_TYPED_MAX + 64];

	lp_put(pen, 0, NULL, ST_NORMAL, ST_TITLE, q->ask);
	blank(pen);
	if (q->reply == LESSON_REPLY_CHOICE) {
		put_choices(pen, p, false);
		blank(pen);
	} else if (!p->is_present) {
		snprintf(line, sizeof(line), "%s%s", p->typed, glyph_text(GLYPH_INPUT_CURSOR));
		lp_put(pen, 13, "your answer:", ST_DIM, ST_SELECTED, line);
		blank(pen);
	}
	if (p->is_present)
		lp_put(pen, 0, NULL, ST_NORMAL, ST_DIM, "space: show the answer");
	else if (q->reply == LESSON_REPLY_CHOICE)
		lp_put(pen, 0, NULL, ST_NORMAL, ST_DIM,
		       "press its number, or ↑↓ and Enter · Esc: answer later");
	else
		lp_put(pen, 0, NULL, ST_NORMAL, ST_DIM,
		       "type a number, Enter to check · Backspace erases · Esc: answer later");
}

/* After the answer: right or wrong, the explanation, where to look. */
static void lay_feedback(struct lp_pen *pen, const struct lesson_player *p)
{
	const struct lesson_bound_quiz *q = open_quiz(p);
	const struct lesson_quiz *lq = &p->l->quizzes[p->quiz];
	char line[512];

	if (p->is_present) {
		lp_put(pen, 0, NULL, ST_NORMAL, ST_TITLE, q->ask);
		if (q->reply == LESSON_REPLY_CHOICE) {
			blank(pen);
			put_choices(pen, p, true);
		} else {
			blank(pen);
			snprintf(line, sizeof(line), "%s The answer: %s", glyph_text(GLYPH_CHECK),
				 q->answer);
			lp_put(pen, 0, NULL, ST_NORMAL, ST_CHILD, line);
		}
	} else if (p->verdict == LESSON_RIGHT) {
		snprintf(line, sizeof(line), "%s Right: %s.", glyph_text(GLYPH_CHECK), q->answer);
		lp_put(pen, 0, NULL, ST_NORMAL, ST_CHILD, line);
	} else {
		snprintf(line, sizeof(line), "%s Not quite: you said %s; the answer is %s.",
			 glyph_text(GLYPH_WRONG), p->given, q->answer);
		lp_put(pen, 0, NULL, ST_NORMAL, ST_WARN, line);
	}
	blank(pen);
	lp_put(pen, 0, NULL, ST_NORMAL, ST_NORMAL, q->explain);
	blank(pen);
	if (p->is_present || p->verdict != LESSON_RIGHT) {
		snprintf(line, sizeof(line), "Step %zu shows why %s press s to see it.",
			 lq->see + 1, glyph_text(GLYPH_EM_DASH));
		lp_put(pen, 0, NULL, ST_NORMAL, ST_TITLE, line);
	}
	lp_put(pen, 0, NULL, ST_NORMAL, ST_DIM,
	       p->is_present ? "space: go on" : "→ or Enter: go on");
}

static int lay(struct canvas *cv, const struct lesson_player *p, struct rect r)
{
	struct lp_pen pen = { cv, r, 0 };

	if (p->phase == LP_QUIZ)
		lay_ask(&pen, p);
	else
		lay_feedback(&pen, p);
	return pen.y;
}

int lp_quiz_rows(const struct lesson_player *p, int w)
{
	return lay(NULL, p, (struct rect){ 0, 0, w, 0 });
}

void lp_quiz_draw(struct canvas *cv, const struct lesson_player *p, struct rect r)
{
	lay(cv, p, r);
}

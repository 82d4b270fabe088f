/*
 * quiz.c - a quiz's answer computed from a trace (how many events match,
 * the sum of a field over them, a field of one of them, a text filled
 * from one) and a student's reply judged against it. See bind.h.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lesson/bind.h"
#include "lesson/internal.h"

/* Counts or sums over every match; the first match fills the texts. */
static int compute_all(const struct lesson_scene *sc, const struct lesson_quiz *q,
		       struct quiz_result *r, struct mp_err *err)
{
	struct sbuf scratch;
	bool is_oom;

	sbuf_init(&scratch);
	r->is_number = true;
	for (size_t i = 0; i < sc->tr->event_count; i++) {
		struct field_value v;

		if (!match_event(sc, &q->of, i, &scratch))
			continue;
		if (r->ev == SIZE_MAX)
			r->ev = i;
		if (q->answer == LESSON_ANSWER_COUNT)
			r->number++;
		else if (match_field(sc, i, q->field, &scratch, &v))
			r->number += v.number;
	}
	is_oom = scratch.is_oom;
	sbuf_release(&scratch);
	return is_oom ? mp_err_set(err, "out of memory while computing an answer") : 0;
}

static int compute_value(const struct lesson_scene *sc, const struct lesson_quiz *q,
			 struct quiz_result *r, struct mp_err *err)
{
	struct field_value v;
	struct sbuf scratch;
	bool has;

	sbuf_init(&scratch);
	has = match_field(sc, r->ev, q->field, &scratch, &v);
	if (has && v.type == LFT_TEXT)
		sbuf_add(&r->text, v.text, v.text_len);
	else if (has && v.type == LFT_BOOL)
		sbuf_adds(&r->text, v.is_true ? "true" : "false");
	r->is_number = has && (v.type == LFT_NUMBER || v.type == LFT_PID);
	r->number = v.number;
	sbuf_release(&scratch);
	if (!has)
		return mp_err_set(err, "this %s has no %s (%s)",
				  ev_kind_name(sc->tr->events[r->ev].kind),
				  lesson_field_name(q->field), sc->name);
	return 0;
}

int quiz_compute(const struct lesson_scene *sc, const struct lesson_quiz *q, struct quiz_result *r,
		 const char **where, struct mp_err *err)
{
	size_t found;

	r->ev = SIZE_MAX;
	r->is_number = false;
	r->number = 0;
	*where = "answer.of";
	if (q->answer == LESSON_ANSWER_CHOICE)
		return 0;
	if (match_check_pids(sc, &q->of, err) < 0)
		return -1;
	if (q->answer == LESSON_ANSWER_COUNT || q->answer == LESSON_ANSWER_SUM)
		return compute_all(sc, q, r, err);
	r->ev = match_find(sc, &q->of, &found);
	if (r->ev == SIZE_MAX)
		return match_err(sc, &q->of, found, err);
	if (q->answer == LESSON_ANSWER_VALUE) {
		*where = "answer.value";
		return compute_value(sc, q, r, err);
	}
	*where = "answer.text";
	return say_fill(sc, r->ev, q->text, NULL, NULL, &r->text, err);
}

/* ---- judging ---- */

static void trim(const char **s, size_t *len)
{
	while (*len && strchr(" \t\r\n", (*s)[0])) {
		(*s)++;
		(*len)--;
	}
	while (*len && strchr(" \t\r\n", (*s)[*len - 1]))
		(*len)--;
}

/* The whole of the text must be the number: "963", "-2", "0.5", "1e3". */
static bool read_number(const char *s, size_t len, double *out)
{
	char buf[64];
	char *end;

	if (len == 0 || len >= sizeof(buf))
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	/* strtod also reads "inf", "nan" and hex; a student means none. */
	for (size_t i = 0; i < len; i++)
		if (!strchr("0123456789+-.eE", buf[i]))
			return false;
	*out = strtod(buf, &end);
	return *end == '\0';
}

enum lesson_verdict lesson_judge(const struct lesson_bound_quiz *q, const char *typed)
{
	size_t len = strlen(typed);
	double x, diff;

	trim(&typed, &len);
	if (q->reply == LESSON_REPLY_TEXT)
		return len && strlen(q->answer) == len && memcmp(q->answer, typed, len) == 0
			? LESSON_RIGHT
			: LESSON_WRONG;
	if (q->reply != LESSON_REPLY_NUMBER || !read_number(typed, len, &x))
		return LESSON_UNREADABLE;
	diff = x > q->number ? x - q->number : q->number - x;
	return diff <= q->tolerance ? LESSON_RIGHT : LESSON_WRONG;
}

enum lesson_verdict lesson_judge_choice(const struct lesson_bound_quiz *q, size_t choice)
{
	if (q->reply != LESSON_REPLY_CHOICE || choice >= q->choice_count)
		return LESSON_UNREADABLE;
	return choice == q->right_choice ? LESSON_RIGHT : LESSON_WRONG;
}

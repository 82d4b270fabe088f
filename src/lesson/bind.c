/*
 * bind.c - a lesson tied to its traces (see bind.h): every step to the
 * event its trigger names and the story step that tells it, every
 * template filled, every quiz's answer computed and its right choice
 * found. The first problem stops the binding and is named with its place
 * in lesson.json and the trace at fault.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lesson/bind.h"
#include "lesson/internal.h"

void lesson_binding_init(struct lesson_binding *b)
{
	memset(b, 0, sizeof(*b));
	arena_init(&b->arena);
}

void lesson_binding_release(struct lesson_binding *b)
{
	arena_release(&b->arena);
	lesson_binding_init(b);
}

struct binder {
	const struct lesson *l;
	struct lesson_binding *b;
	struct lesson_scene *scenes; /* one per key */
	struct sbuf text;
	struct mp_err *err;
};

/* Keeps the text built so far in the binding's arena and empties it. */
static const char *keep(struct binder *bd)
{
	const char *s;

	if (bd->text.is_oom) {
		mp_err_set(bd->err, "out of memory while binding a lesson");
		return NULL;
	}
	s = arena_strndup(&bd->b->arena, bd->text.data ? bd->text.data : "", bd->text.len);
	sbuf_clear(&bd->text);
	if (!s)
		mp_err_set(bd->err, "out of memory while binding a lesson");
	return s;
}

static int fill(struct binder *bd, const struct lesson_scene *sc, size_t ev, const char *tmpl,
		const char *answer, const char *no_event, const char **out)
{
	sbuf_clear(&bd->text);
	if (say_fill(sc, ev, tmpl, answer, no_event, &bd->text, bd->err) < 0)
		return -1;
	*out = keep(bd);
	return *out ? 0 : -1;
}

static int bind_step(struct binder *bd, size_t i)
{
	const struct lesson_step *s = &bd->l->steps[i];
	const struct lesson_scene *sc = &bd->scenes[s->key];
	struct lesson_bound_step *out = &bd->b->steps[i];
	size_t found;

	out->key = s->key;
	if (s->at == LESSON_AT_START) {
		out->story_step = 0;
		out->ev = sc->story.steps[0].ev;
	} else if (s->at == LESSON_AT_END) {
		out->story_step = sc->story.step_count - 1;
		out->ev = sc->story.steps[out->story_step].ev;
	} else {
		if (match_check_pids(sc, &s->match, bd->err) < 0)
			return mp_err_prefix(bd->err, "steps[%zu].at", i);
		out->ev = match_find(sc, &s->match, &found);
		if (out->ev == SIZE_MAX) {
			match_err(sc, &s->match, found, bd->err);
			return mp_err_prefix(bd->err, "steps[%zu].at", i);
		}
		out->story_step = scene_step_of(sc, out->ev);
	}
	if (fill(bd, sc, out->ev, s->say, NULL, NULL, &out->say) < 0)
		return mp_err_prefix(bd->err, "steps[%zu].say", i);
	return 0;
}

/* With choices, the right one is the choice that reads as the answer. */
static int find_right_choice(struct binder *bd, size_t i, const struct lesson_scene *sc,
			     struct lesson_bound_quiz *out, const char *words)
{
	char quoted[128];

	for (size_t c = 0; c < out->choice_count; c++)
		if (strcmp(out->choices[c], words) == 0) {
			out->right_choice = c;
			return 0;
		}
	mp_quote(quoted, sizeof(quoted), words, strlen(words));
	return mp_err_set(bd->err,
			  "quiz[%zu].answer: the answer in %s, \"%s\", is none of the choices", i,
			  sc->name, quoted);
}

static int fill_choices(struct binder *bd, size_t i, const struct lesson_scene *sc,
			const struct quiz_result *r, const char *no_event,
			struct lesson_bound_quiz *out)
{
	const struct lesson_quiz *q = &bd->l->quizzes[i];
	const char **choices = arena_calloc(&bd->b->arena, q->choices.count + 1, sizeof(*choices));

	if (!choices)
		return mp_err_set(bd->err, "out of memory while binding a lesson");
	for (size_t c = 0; c < q->choices.count; c++)
		if (fill(bd, sc, r->ev, q->choices.items[c], NULL, no_event, &choices[c]) < 0)
			return mp_err_prefix(bd->err, "quiz[%zu].choices[%zu]", i, c);
	out->choices = choices;
	out->choice_count = q->choices.count;
	return 0;
}

/* The answer in words ({answer}) and what the student gives. */
static int settle_answer(struct binder *bd, size_t i, const struct lesson_scene *sc,
			 struct quiz_result *r, struct lesson_bound_quiz *out)
{
	const struct lesson_quiz *q = &bd->l->quizzes[i];
	const char *words;

	if (q->answer == LESSON_ANSWER_CHOICE) {
		out->reply = LESSON_REPLY_CHOICE;
		out->right_choice = q->choice;
		out->answer = out->choices[q->choice];
		return 0;
	}
	sbuf_clear(&bd->text);
	if (r->is_number)
		say_number(r->number, &bd->text);
	else
		sbuf_add(&bd->text, r->text.data ? r->text.data : "", r->text.len);
	words = keep(bd);
	if (!words)
		return -1;
	out->answer = words;
	out->number = r->number;
	out->tolerance = q->tolerance;
	if (out->choice_count) {
		out->reply = LESSON_REPLY_CHOICE;
		return find_right_choice(bd, i, sc, out, words);
	}
	out->reply = r->is_number ? LESSON_REPLY_NUMBER : LESSON_REPLY_TEXT;
	return 0;
}

static int bind_quiz(struct binder *bd, size_t i)
{
	const struct lesson_quiz *q = &bd->l->quizzes[i];
	const struct lesson_scene *sc = &bd->scenes[q->key];
	struct lesson_bound_quiz *out = &bd->b->quizzes[i];
	const char *no_event = q->answer == LESSON_ANSWER_CHOICE
		? "the answer is a fixed choice, not an event"
		: "no event matches the answer's \"of\"";
	struct quiz_result r;
	const char *where;
	int rc = -1;

	out->key = q->key;
	sbuf_init(&r.text);
	if (quiz_compute(sc, q, &r, &where, bd->err) < 0) {
		mp_err_prefix(bd->err, "quiz[%zu].%s", i, where);
		goto out;
	}
	if (fill(bd, sc, r.ev, q->ask, NULL, no_event, &out->ask) < 0) {
		mp_err_prefix(bd->err, "quiz[%zu].ask", i);
		goto out;
	}
	/* These two name their own places. */
	if (fill_choices(bd, i, sc, &r, no_event, out) < 0 || settle_answer(bd, i, sc, &r, out) < 0)
		goto out;
	if (fill(bd, sc, r.ev, q->explain, out->answer, no_event, &out->explain) < 0) {
		mp_err_prefix(bd->err, "quiz[%zu].explain", i);
		goto out;
	}
	rc = 0;
out:
	sbuf_release(&r.text);
	return rc;
}

static int bind_all(struct binder *bd)
{
	const struct lesson *l = bd->l;

	bd->b->steps = arena_calloc(&bd->b->arena, l->step_count, sizeof(*bd->b->steps));
	bd->b->quizzes = arena_calloc(&bd->b->arena, l->quiz_count + 1, sizeof(*bd->b->quizzes));
	if (!bd->b->steps || !bd->b->quizzes)
		return mp_err_set(bd->err, "out of memory while binding a lesson");
	bd->b->step_count = l->step_count;
	bd->b->quiz_count = l->quiz_count;
	for (size_t i = 0; i < l->step_count; i++)
		if (bind_step(bd, i) < 0)
			return -1;
	for (size_t i = 0; i < l->quiz_count; i++)
		if (bind_quiz(bd, i) < 0)
			return -1;
	return 0;
}

int lesson_bind(struct lesson_binding *b, const struct lesson *l, const struct lesson_trace *traces,
		struct mp_err *err)
{
	struct binder bd;
	size_t ready = 0;
	int rc = -1;

	lesson_binding_init(b);
	bd.l = l;
	bd.b = b;
	bd.err = err;
	sbuf_init(&bd.text);
	bd.scenes = calloc(l->keys.count + 1, sizeof(*bd.scenes));
	if (!bd.scenes) {
		mp_err_set(err, "out of memory while binding a lesson");
	} else {
		while (ready < l->keys.count &&
		       scene_init(&bd.scenes[ready], traces[ready].tr, traces[ready].name, err) ==
			       0)
			ready++;
		if (ready == l->keys.count)
			rc = bind_all(&bd);
	}
	for (size_t k = 0; k < ready; k++)
		scene_release(&bd.scenes[k]);
	free(bd.scenes);
	sbuf_release(&bd.text);
	if (rc < 0) {
		lesson_binding_release(b);
		return mp_err_prefix(err, "%s", l->path ? l->path : "lesson");
	}
	return 0;
}

int lesson_check(const struct lesson *l, const struct lesson_trace *traces, struct mp_err *err)
{
	struct lesson_binding b;
	int rc = lesson_bind(&b, l, traces, err);

	lesson_binding_release(&b);
	return rc;
}

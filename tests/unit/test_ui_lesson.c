/*
 * test_ui_lesson.c - the lesson player and the menu without a terminal,
 * over lessons and traces built in C (tests/fixtures/replay/builder.h):
 * it pauses on the story step of each bound event (the group opened at
 * the matched pickle, an output's line brought into the narration), asks
 * quizzes when the student leaves a step going forward and hands every
 * answer to the host at once (right, wrong, unreadable, later), shows the
 * step a wrong answer points to and comes back, ends on a summary and
 * tells the host once; classroom mode plays by itself by ticks, holds on
 * space, stops at each step, reveals answers and records nothing; the
 * menu shows progress and refuses a broken lesson. Frames are rendered to
 * text and read.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "fixtures/replay/builder.h"
#include "lesson/bind.h"
#include "ui/lesson_player.h"

/* ---- a lesson of four steps over the classic fork and spawn traces ---- */

static const struct lesson_value v_child[] = { { .kind = LV_TEXT, .text = "child" } };
static const struct lesson_value v_hello[] = { { .kind = LV_TEXT, .text = "hello world" } };
static const struct lesson_value v_process[] = { { .kind = LV_TEXT, .text = "process" } };
static const struct lesson_value v_yes[] = { { .kind = LV_BOOL, .is_true = true } };
static const struct lesson_value v_task[] = { { .kind = LV_TEXT, .text = "pool_task" } };
static const struct lesson_value v_marker[] = { { .kind = LV_TEXT, .text = "MARKER" } };

static const struct lesson_matcher m_fork[] = { { LF_CHILD_ROLE, v_child, 1 } };
static const struct lesson_matcher m_hello[] = { { LF_TEXT, v_hello, 1 } };
static const struct lesson_matcher m_process[] = { { LF_WHAT, v_process, 1 } };
static const struct lesson_matcher m_own[] = { { LF_OWN, v_yes, 1 } };
static const struct lesson_matcher m_task[] = { { LF_WHAT, v_task, 1 } };
static const struct lesson_matcher m_marker[] = { { LF_TEXT, v_marker, 1 } };

static const struct lesson_step classic_steps[] = {
	{ 0, LESSON_AT_EVENT, { EV_FORK, m_fork, 1, 1, false }, "{pid} forks {child}" },
	{ 0, LESSON_AT_EVENT, { EV_OUTPUT, m_hello, 1, 1, false }, "{pid} printed {text}" },
	{ 1, LESSON_AT_EVENT, { EV_PICKLE_DUMP, m_process, 1, 1, false }, "{size} bytes for {to}" },
	{ 1,
	  LESSON_AT_EVENT,
	  { EV_PICKLE_FIND_CLASS, m_own, 1, 1, false },
	  "the child looks up {module}.{name}" },
};

static const char *two_choices[] = { "__main__.f", "helper.g" };

static const struct lesson_quiz classic_quizzes[] = {
	{ .after = 1,
	  .key = 0,
	  .ask = "How many process objects were pickled under fork?",
	  .answer = LESSON_ANSWER_COUNT,
	  .of = { EV_PICKLE_DUMP, m_process, 1, 1, false },
	  .explain = "{answer}: a forked child is a copy.",
	  .see = 0 },
	{ .after = 2,
	  .key = 1,
	  .ask = "Which name does the child look up?",
	  .choices = { two_choices, 2 },
	  .answer = LESSON_ANSWER_TEXT,
	  .of = { EV_PICKLE_FIND_CLASS, m_own, 1, 1, false },
	  .text = "{module}.{name}",
	  .explain = "{answer}, a name and no code.",
	  .see = 3 },
};

static const char *classic_keys[] = { "fork", "spawn" };
static const char *one_key[] = { "fork" };
static const enum lesson_claim proves[] = { CLAIM_FORK_COPIES };

/* What the host was told. */
struct told {
	size_t answers;
	size_t quiz[8];
	bool is_right[8];
	char answer[8][64];
	size_t finished;
};

static int on_answer(void *ctx, size_t quiz, bool is_right, const char *answer, struct mp_err *err)
{
	struct told *t = ctx;

	(void)err;
	t->quiz[t->answers] = quiz;
	t->is_right[t->answers] = is_right;
	snprintf(t->answer[t->answers], sizeof(t->answer[0]), "%s", answer);
	t->answers++;
	return 0;
}

static int on_finish(void *ctx, struct mp_err *err)
{
	struct told *t = ctx;

	(void)err;
	t->finished++;
	return 0;
}

struct fixture {
	struct trace traces[2];
	size_t trace_count;
	struct lesson l;
	struct lesson_binding b;
	struct told told;
	struct ui_lesson_host host;
	struct ui_lesson_spec spec;
	struct lesson_player p;
	struct sbuf frame;
};

static void lesson_over(struct fixture *fx, const char **keys, size_t key_count,
			const struct lesson_step *steps, size_t step_count,
			const struct lesson_quiz *quizzes, size_t quiz_count)
{
	struct lesson_trace named[2];
	struct mp_err err;

	memset(&fx->l, 0, sizeof(fx->l));
	fx->l.path = "lessons/01-t/lesson.json";
	fx->l.folder = "01-t";
	fx->l.slug = "t";
	fx->l.number = 1;
	fx->l.title = "What gets pickled?";
	fx->l.question = "What is sent?";
	fx->l.proves = proves;
	fx->l.prove_count = 1;
	fx->l.keys = (struct strv){ keys, key_count };
	fx->l.methods = fx->l.keys;
	fx->l.steps = steps;
	fx->l.step_count = step_count;
	fx->l.quizzes = quizzes;
	fx->l.quiz_count = quiz_count;
	for (size_t k = 0; k < key_count; k++)
		named[k] = (struct lesson_trace){ &fx->traces[k], keys[k] };
	if (lesson_bind(&fx->b, &fx->l, named, &err) < 0)
		fail_msg("the test lesson does not bind: %s", err.msg);
	fx->host = (struct ui_lesson_host){ &fx->told, on_answer, on_finish };
	fx->spec = (struct ui_lesson_spec){ .lesson = &fx->l,
					    .binding = &fx->b,
					    .traces = fx->traces,
					    .source = "recorded",
					    .next = "lesson 2 · Functions travel by name",
					    .host = &fx->host };
	sbuf_init(&fx->frame);
}

static void open_player(struct fixture *fx, unsigned flags, bool is_animated)
{
	struct mp_err err;

	fx->spec.flags = flags;
	if (flags & UI_LESSON_PRESENT)
		fx->spec.host = NULL;
	if (lp_init(&fx->p, &fx->spec, is_animated, &err) < 0)
		fail_msg("lp_init: %s", err.msg);
}

static int setup_classic(void **state)
{
	static struct fixture fx;

	memset(&fx, 0, sizeof(fx));
	assert_int_equal(builder_classic(&fx.traces[0], "fork"), 0);
	assert_int_equal(builder_classic(&fx.traces[1], "spawn"), 0);
	fx.trace_count = 2;
	lesson_over(&fx, classic_keys, 2, classic_steps, 4, classic_quizzes, 2);
	*state = &fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	lp_release(&fx->p);
	lesson_binding_release(&fx->b);
	for (size_t k = 0; k < fx->trace_count; k++)
		trace_release(&fx->traces[k]);
	sbuf_release(&fx->frame);
	return 0;
}

/* The player's frame at cols x rows, as text. */
static const char *render(struct fixture *fx, int cols, int rows)
{
	struct canvas *cv = canvas_new(cols, rows);

	assert_non_null(cv);
	lp_settle(&fx->p, cols, rows);
	lp_draw(cv, &fx->p);
	sbuf_clear(&fx->frame);
	canvas_to_text(cv, false, &fx->frame);
	assert_false(fx->frame.is_oom);
	canvas_free(cv);
	return fx->frame.data;
}

static void assert_shows(struct fixture *fx, const char *text)
{
	const char *frame = render(fx, 80, 24);

	if (!strstr(frame, text))
		fail_msg("the frame does not show \"%s\":\n%s", text, frame);
}

static void keys(struct fixture *fx, const char *ks)
{
	for (const char *k = ks; *k; k++)
		lp_key(&fx->p,
		       *k == '>'              ? UI_KEY_RIGHT
			       : *k == '<'    ? UI_KEY_LEFT
			       : *k == '\n'   ? UI_KEY_ENTER
			       : *k == '\x1b' ? UI_KEY_ESC
			       : *k == '\b'   ? UI_KEY_BACKSPACE
					      : (unsigned char)*k);
}

static const struct replay *shown(const struct fixture *fx)
{
	return ui_app_replay(&fx->p.app);
}

/* The shown replay is at the pause of lesson step i: its trace, and the
 * story step that tells the bound event. */
static void assert_paused_at(const struct fixture *fx, size_t i)
{
	const struct lesson_bound_step *bs = &fx->b.steps[i];
	const struct replay *rp = shown(fx);
	const struct step *s = replay_current(rp);

	assert_int_equal(fx->p.step, i);
	assert_int_equal(fx->p.app.current, bs->key);
	assert_false(fx->p.is_travelling);
	assert_int_equal(rp->step, story_step_of_event(&rp->story, bs->ev));
	assert_true(s->ev <= bs->ev && bs->ev < s->ev_end);
}

/* ---- pausing ---- */

static void pauses_at_each_bound_step(void **state)
{
	struct fixture *fx = *state;
	char bar[96];

	open_player(fx, 0, false);
	for (size_t i = 0; i < fx->l.step_count; i++) {
		lp_go(&fx->p, i, true);
		assert_paused_at(fx, i);
		assert_shows(fx, fx->b.steps[i].say);
		snprintf(bar, sizeof(bar), "lesson 1 · step %zu/4 · What gets pickled?", i + 1);
		assert_shows(fx, bar);
		assert_shows(fx, classic_keys[fx->b.steps[i].key]);
	}
	/* The filled words, not the template. */
	assert_shows(fx, "the child looks up __main__.f");
	/* Back goes one step at a time, to the same pauses. */
	keys(fx, "<<");
	assert_paused_at(fx, 1);
	assert_shows(fx, "101 printed hello world! 1");
}

/* Going forward plays the story from one pause to the next, one story
 * step per beat, in the next step's trace; → ends the way at once. */
static void moving_forward_plays_to_the_next_pause(void **state)
{
	struct fixture *fx = *state;
	const struct replay *rp;
	double beat;
	size_t before;

	open_player(fx, 0, true);
	rp = shown(fx);
	beat = REPLAY_BEAT_MS / replay_speed(rp);
	while (fx->p.is_travelling)
		lp_tick(&fx->p, beat);
	assert_paused_at(fx, 0);
	/* Quiz 0 is after step 1: step 0 → step 1 plays. */
	keys(fx, ">");
	assert_true(fx->p.is_travelling);
	before = rp->step;
	lp_tick(&fx->p, beat / 2);
	assert_int_equal(rp->step, before);
	lp_tick(&fx->p, beat / 2 + 1);
	assert_int_equal(rp->step, before + 1);
	while (fx->p.is_travelling)
		lp_tick(&fx->p, beat);
	assert_paused_at(fx, 1);
	/* Into the spawn trace, from its start; → ends the way at once. */
	lp_go(&fx->p, 2, true);
	assert_int_equal(fx->p.app.current, 1);
	assert_true(fx->p.is_travelling);
	assert_true(shown(fx)->step + 1 < fx->p.travel_to);
	keys(fx, ">");
	assert_paused_at(fx, 2);
	assert_int_equal(fx->p.phase, LP_STEP);
}

/* Under --no-animation a student's move goes at once. */
static void without_animation_a_step_is_at_once(void **state)
{
	struct fixture *fx = *state;

	open_player(fx, UI_LESSON_NO_ANIMATION, false);
	assert_paused_at(fx, 0);
	keys(fx, ">");
	assert_paused_at(fx, 1);
}

/* ---- quizzes ---- */

static void a_quiz_right_then_one_wrong_then_the_summary(void **state)
{
	struct fixture *fx = *state;

	open_player(fx, 0, false);
	keys(fx, ">");
	assert_paused_at(fx, 1);
	/* Leaving step 1 forward asks quiz 0. */
	keys(fx, ">");
	assert_int_equal(fx->p.phase, LP_QUIZ);
	assert_shows(fx, "quiz 1 of 2");
	assert_shows(fx, "How many process objects were pickled under fork?");
	keys(fx, "7\b0");
	assert_shows(fx, "your answer: 0");
	keys(fx, "\n");
	assert_int_equal(fx->p.phase, LP_FEEDBACK);
	assert_int_equal(fx->told.answers, 1);
	assert_int_equal(fx->told.quiz[0], 0);
	assert_true(fx->told.is_right[0]);
	assert_string_equal(fx->told.answer[0], "0");
	assert_shows(fx, "Right: 0.");
	assert_shows(fx, "0: a forked child is a copy.");
	/* Going on: step 2, in the spawn trace. */
	keys(fx, ">");
	assert_paused_at(fx, 2);
	keys(fx, ">");
	assert_int_equal(fx->p.phase, LP_QUIZ);
	assert_shows(fx, "1  __main__.f");
	assert_shows(fx, "2  helper.g");
	keys(fx, "2");
	assert_int_equal(fx->told.answers, 2);
	assert_false(fx->told.is_right[1]);
	assert_string_equal(fx->told.answer[1], "helper.g");
	assert_shows(fx, "Not quite: you said helper.g; the answer is __main__.f.");
	assert_shows(fx, "__main__.f, a name and no code.");
	assert_shows(fx, "Step 4 shows why — press s to see it.");
	/* s shows step 4, Enter comes back to the feedback at step 3. */
	keys(fx, "s");
	assert_int_equal(fx->p.phase, LP_SEE);
	assert_paused_at(fx, 3);
	assert_shows(fx, "why, for quiz 2");
	keys(fx, "\n");
	assert_int_equal(fx->p.phase, LP_FEEDBACK);
	assert_paused_at(fx, 2);
	keys(fx, ">");
	assert_paused_at(fx, 3);
	assert_int_equal(fx->told.finished, 0);
	/* Leaving the last step: done, told once, the summary. */
	keys(fx, ">");
	assert_int_equal(fx->p.phase, LP_SUMMARY);
	assert_int_equal(fx->told.finished, 1);
	assert_shows(fx, "lesson 1 done");
	assert_shows(fx, "Quiz: 1 of 2 right.");
	assert_shows(fx, "Next: lesson 2 · Functions travel by name — press n.");
	assert_shows(fx, "under fork nothing is pickled to start a Process");
	/* n asks for the next lesson. */
	assert_int_equal(lp_key(&fx->p, 'n'), UI_QUIT);
	assert_int_equal(fx->p.end, UI_LESSON_NEXT);
}

/* Esc leaves a question for later: nothing is recorded, and going on
 * asks it again; a quiz answered is not asked twice; what is not a number
 * is refused in one sentence. */
static void later_unreadable_and_asked_once(void **state)
{
	struct fixture *fx = *state;

	open_player(fx, 0, false);
	keys(fx, ">>");
	assert_int_equal(fx->p.phase, LP_QUIZ);
	keys(fx, "\x1b");
	assert_int_equal(fx->p.phase, LP_STEP);
	assert_int_equal(fx->told.answers, 0);
	keys(fx, ">");
	assert_int_equal(fx->p.phase, LP_QUIZ);
	keys(fx, ".\n");
	assert_int_equal(fx->p.phase, LP_QUIZ);
	assert_int_equal(fx->told.answers, 0);
	assert_shows(fx, "'.' is not a number: type digits, then Enter");
	keys(fx, "\b3\n");
	assert_int_equal(fx->told.answers, 1);
	assert_false(fx->told.is_right[0]);
	/* Back over the step and forward again: no second asking. */
	keys(fx, "><>");
	assert_int_equal(fx->p.phase, LP_STEP);
	assert_paused_at(fx, 2);
	/* q quits from a question too. */
	keys(fx, ">");
	assert_int_equal(lp_key(&fx->p, 'q'), UI_QUIT);
	assert_int_equal(fx->p.end, UI_LESSON_QUIT);
}

/* ---- classroom mode ---- */

static void present_plays_by_itself_and_stops_at_each_step(void **state)
{
	struct fixture *fx = *state;
	const struct replay *rp;
	double beat;
	size_t pause0, before, ticks = 0;

	open_player(fx, UI_LESSON_PRESENT, false);
	rp = shown(fx);
	beat = REPLAY_BEAT_MS / replay_speed(rp);
	pause0 = story_step_of_event(&rp->story, fx->b.steps[0].ev);
	/* It opens at the story's start and plays to the first pause by
	 * itself, one story step per beat, even without animation. */
	assert_true(pause0 > 0);
	assert_true(fx->p.is_travelling);
	assert_true(lp_is_moving(&fx->p));
	assert_int_equal(rp->step, 0);
	while (fx->p.is_travelling && ticks < 1000) {
		before = rp->step;
		lp_tick(&fx->p, beat / 4);
		assert_true(rp->step == before || rp->step == before + 1);
		ticks++;
	}
	assert_int_equal(ticks, 4 * pause0);
	assert_paused_at(fx, 0);
	/* It stays there until a key. */
	lp_tick(&fx->p, 100 * beat);
	assert_paused_at(fx, 0);
	assert_false(lp_is_moving(&fx->p));
	/* space goes on; space again holds the way, and again lets it go. */
	keys(fx, " ");
	assert_true(fx->p.is_travelling);
	before = rp->step;
	keys(fx, " ");
	lp_tick(&fx->p, 10 * beat);
	assert_int_equal(rp->step, before);
	assert_false(lp_is_moving(&fx->p));
	keys(fx, " ");
	while (fx->p.is_travelling)
		lp_tick(&fx->p, beat);
	assert_paused_at(fx, 1);
	/* The question is shown; a key reveals the answer; nothing recorded. */
	keys(fx, " ");
	assert_int_equal(fx->p.phase, LP_QUIZ);
	assert_shows(fx, "quiz 1 of 2 · answer aloud");
	assert_shows(fx, "space: show the answer");
	keys(fx, " ");
	assert_int_equal(fx->p.phase, LP_FEEDBACK);
	assert_shows(fx, "The answer: 0");
	assert_int_equal(fx->told.answers, 0);
	/* The teacher jumps: digits then Enter, ], [, Home, End. */
	keys(fx, " ");
	while (fx->p.is_travelling)
		lp_tick(&fx->p, beat);
	keys(fx, "4");
	assert_shows(fx, "go to step 4");
	keys(fx, "\n");
	assert_paused_at(fx, 3);
	keys(fx, "[");
	assert_paused_at(fx, 2);
	keys(fx, "]");
	assert_paused_at(fx, 3);
	lp_key(&fx->p, UI_KEY_HOME);
	assert_paused_at(fx, 0);
	lp_key(&fx->p, UI_KEY_END);
	assert_paused_at(fx, 3);
	keys(fx, ">");
	assert_int_equal(fx->p.phase, LP_SUMMARY);
	assert_int_equal(fx->told.finished, 0);
	assert_shows(fx, "answers were given aloud and are not recorded");
	/* No key bar; the story fills the screen. */
	assert_null(strstr(render(fx, 80, 24), "? help"));
}

/* + and − change the pace: a beat is shorter. */
static void plus_and_minus_change_the_pace(void **state)
{
	struct fixture *fx = *state;
	double before;

	open_player(fx, UI_LESSON_PRESENT, false);
	before = replay_speed(shown(fx));
	keys(fx, "+");
	assert_true(replay_speed(shown(fx)) > before);
	assert_true(replay_speed(&fx->p.app.replays[1]) > before);
	keys(fx, "--");
	assert_true(replay_speed(shown(fx)) < before);
}

/* ---- where a pause puts the eye ---- */

static int setup_pool(void **state)
{
	static struct fixture fx;

	memset(&fx, 0, sizeof(fx));
	assert_int_equal(builder_pool(&fx.traces[0], 5), 0);
	fx.trace_count = 1;
	*state = &fx;
	return 0;
}

static void a_pause_in_a_group_opens_it_at_the_pickle(void **state)
{
	struct fixture *fx = *state;
	static const struct lesson_step steps[] = {
		{ 0, LESSON_AT_EVENT, { EV_PICKLE_DUMP, m_task, 1, 3, true }, "task {size} B" },
	};
	const struct replay *rp;
	struct story st = { 0 };
	struct mp_err err;

	lesson_over(fx, one_key, 1, steps, 1, NULL, 0);
	/* The story tells the tasks as one group step. */
	assert_int_equal(story_build(&st, &fx->traces[0], &err), 0);
	assert_true(st.steps[fx->b.steps[0].story_step].is_group);
	story_release(&st);
	open_player(fx, 0, false);
	rp = shown(fx);
	assert_int_not_equal(replay_current(rp)->expanded_from, SIZE_MAX);
	assert_ptr_equal(rp->payload, &rp->tr->events[fx->b.steps[0].ev]);
	assert_non_null(strstr(render(fx, 160, 48), "[e: fold the group]"));
	/* e folds it back, as Enter does in the replay. */
	keys(fx, "e");
	assert_int_equal(replay_current(rp)->expanded_from, SIZE_MAX);
	assert_true(replay_current(rp)->is_group);
}

static int setup_traceback(void **state)
{
	static struct fixture fx;
	struct trace *tr = &fx.traces[0];
	char line[64];

	memset(&fx, 0, sizeof(fx));
	trace_init(tr);
	builder_t = 0;
	tr->meta.method = "spawn";
	builder_proc(tr, 100, 1, ROLE_MAIN, false);
	builder_ev(tr, 100, EV_PROC_START, (struct event){ 0 });
	for (int i = 0; i < 40; i++) {
		snprintf(line, sizeof(line), "line %d of a long output\n", i);
		builder_output(tr, 100, trace_strdup(tr, line));
	}
	builder_output(tr, 100, "RuntimeError: \n        An attempt MARKER was made\n");
	builder_output(tr, 100, "        during the bootstrapping phase.\n");
	builder_ev(tr, 100, EV_EXIT, (struct event){ .u.exit = { .code = 1 } });
	assert_int_equal(trace_finish(tr, NULL), 0);
	fx.trace_count = 1;
	*state = &fx;
	return 0;
}

static void an_output_pause_shows_its_line_and_the_message_above_it(void **state)
{
	struct fixture *fx = *state;
	static const struct lesson_step steps[] = {
		{ 0, LESSON_AT_EVENT, { EV_OUTPUT, m_marker, 1, 1, false }, "it fails: {text}" },
	};
	const char *frame;

	lesson_over(fx, one_key, 1, steps, 1, NULL, 0);
	open_player(fx, 0, false);
	frame = render(fx, 80, 24);
	assert_true(fx->p.app.scroll[FOCUS_NARRATION] > 0);
	assert_int_equal(fx->p.app.focus, FOCUS_NARRATION);
	assert_non_null(strstr(frame, "RuntimeError:"));
	assert_non_null(strstr(frame, "MARKER"));
	assert_null(strstr(frame, "line 0 of"));
	frame = render(fx, 160, 48);
	assert_non_null(strstr(frame, "RuntimeError:"));
}

/* Every screen size from too small to large draws, and below 80x24 the
 * one-line message. */
static void every_size_draws(void **state)
{
	struct fixture *fx = *state;

	open_player(fx, 0, false);
	keys(fx, ">>");
	for (int cols = 1; cols <= 170; cols += 13)
		for (int rows = 1; rows <= 50; rows += 7)
			render(fx, cols, rows);
	assert_non_null(strstr(render(fx, 60, 20), "mpscope needs at least 80x24"));
	assert_non_null(strstr(render(fx, 160, 48), "quiz 1 of 2"));
}

/* ---- the menu ---- */

static void the_menu_shows_progress_and_refuses_a_broken_lesson(void **state)
{
	struct course c;
	struct course_entry *e;
	struct progress pg;
	struct ui_frame_opts o = { .cols = 80, .rows = 24 };
	struct sbuf out;
	struct mp_err err;
	const char *row;

	(void)state;
	course_init(&c);
	progress_init(&pg);
	e = course_add(&c, "lessons/01-t", "01-t", 1, &err);
	assert_non_null(e);
	e->is_loaded = true;
	e->lesson.title = "What gets pickled?";
	e->lesson.question = "What is sent?";
	e->lesson.quiz_count = 2;
	e->lesson.proves = proves;
	e->lesson.prove_count = 1;
	e = course_add(&c, "lessons/02-x", "02-x", 2, &err);
	assert_non_null(e);
	snprintf(e->problem, sizeof(e->problem),
		 "lessons/02-x/lesson.json: line 3, byte 13: not valid JSON");
	assert_int_equal(progress_answer(&pg, "01-t", 0, true, "0", 0, &err), 0);
	assert_int_equal(progress_answer(&pg, "01-t", 1, false, "9", 0, &err), 0);
	assert_int_equal(progress_finish(&pg, "01-t", 0, &err), 0);
	sbuf_init(&out);
	assert_int_equal(ui_menu_render(&c, &pg, NULL, 0, &o, &out, &err), 0);
	row = strstr(out.data, "01 ✓ What gets pickled?");
	assert_non_null(row);
	assert_non_null(strstr(row, "done, quiz 1/2 right"));
	assert_non_null(strstr(out.data, "02 ✗ cannot be read: lessons/02-x/lesson.json"));
	assert_non_null(strstr(out.data, "proves: fork-copies"));
	assert_non_null(strstr(out.data, "1 of 2 done"));
	/* Down to the broken one, Enter: it cannot be opened. */
	sbuf_clear(&out);
	o.keys = "j\n";
	assert_int_equal(ui_menu_render(&c, &pg, NULL, 0, &o, &out, &err), 0);
	assert_non_null(strstr(out.data, "lesson 02 cannot be opened"));
	sbuf_release(&out);
	for (size_t i = 0; i < c.count; i++)
		memset(&c.entries[i].lesson, 0, sizeof(c.entries[i].lesson));
	course_release(&c);
	progress_release(&pg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(pauses_at_each_bound_step, setup_classic, teardown),
		cmocka_unit_test_setup_teardown(moving_forward_plays_to_the_next_pause,
						setup_classic, teardown),
		cmocka_unit_test_setup_teardown(without_animation_a_step_is_at_once, setup_classic,
						teardown),
		cmocka_unit_test_setup_teardown(a_quiz_right_then_one_wrong_then_the_summary,
						setup_classic, teardown),
		cmocka_unit_test_setup_teardown(later_unreadable_and_asked_once, setup_classic,
						teardown),
		cmocka_unit_test_setup_teardown(present_plays_by_itself_and_stops_at_each_step,
						setup_classic, teardown),
		cmocka_unit_test_setup_teardown(plus_and_minus_change_the_pace, setup_classic,
						teardown),
		cmocka_unit_test_setup_teardown(a_pause_in_a_group_opens_it_at_the_pickle,
						setup_pool, teardown),
		cmocka_unit_test_setup_teardown(
			an_output_pause_shows_its_line_and_the_message_above_it, setup_traceback,
			teardown),
		cmocka_unit_test_setup_teardown(every_size_draws, setup_classic, teardown),
		cmocka_unit_test(the_menu_shows_progress_and_refuses_a_broken_lesson),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

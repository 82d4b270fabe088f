/*
 * test_lesson.c - the lesson engine over traces built in C (it links no
 * JSON reader): the claims and fields tables, folder names and trace
 * keys, template syntax, triggers (derived fields, symbolic pids, nth,
 * lines of output, own code), binding a step to its story step,
 * placeholders filled or refused with their reason, quiz answers computed
 * from a trace and a student's reply judged.
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
#include "lesson/lesson.h"

/* ---- building lessons in C ---- */

#define TEXT(s)                                                                                    \
	{                                                                                          \
		.kind = LV_TEXT, .text = (s)                                                       \
	}
#define NUM(n)                                                                                     \
	{                                                                                          \
		.kind = LV_NUMBER, .number = (n)                                                   \
	}
#define YES                                                                                        \
	{                                                                                          \
		.kind = LV_BOOL, .is_true = true                                                   \
	}
#define CHILD(n)                                                                                   \
	{                                                                                          \
		.kind = LV_CHILD, .child = (n)                                                     \
	}
#define MAIN_PID                                                                                   \
	{                                                                                          \
		.kind = LV_MAIN                                                                    \
	}
#define LIST(type, ...) ((const type[]){ __VA_ARGS__ })
#define COUNT_OF(type, ...) (sizeof(LIST(type, __VA_ARGS__)) / sizeof(type))
/* One matcher: a field and its values (any of). */
#define MATCHER(f, ...)                                                                            \
	{                                                                                          \
		(f), LIST(struct lesson_value, __VA_ARGS__),                                       \
			COUNT_OF(struct lesson_value, __VA_ARGS__)                                 \
	}
/* A match of a kind with its matchers, nth 1. */
#define MATCH(k, ...)                                                                              \
	((struct lesson_match){ (k), LIST(struct lesson_matcher, __VA_ARGS__),                     \
				COUNT_OF(struct lesson_matcher, __VA_ARGS__), 1, false })
#define MATCH_ANY(k) ((struct lesson_match){ (k), NULL, 0, 1, false })

static const char *one_key[] = { "spawn" };

static void lesson_of(struct lesson *l, const struct lesson_step *steps, size_t step_count,
		      const struct lesson_quiz *quizzes, size_t quiz_count)
{
	memset(l, 0, sizeof(*l));
	l->path = "lessons/01-t/lesson.json";
	l->folder = "01-t";
	l->slug = "t";
	l->number = 1;
	l->keys = (struct strv){ one_key, 1 };
	l->steps = steps;
	l->step_count = step_count;
	l->quizzes = quizzes;
	l->quiz_count = quiz_count;
}

/* Binds a lesson of one step to tr: 0 with the step in *out (its say
 * copied to say), or -1 with the sentence in err. */
static int bind_step(const struct trace *tr, struct lesson_step step, struct lesson_bound_step *out,
		     char *say, size_t say_len, struct mp_err *err)
{
	struct lesson_trace t = { tr, "T" };
	struct lesson_binding b;
	struct lesson l;

	lesson_of(&l, &step, 1, NULL, 0);
	if (lesson_bind(&b, &l, &t, err) < 0)
		return -1;
	*out = b.steps[0];
	snprintf(say, say_len, "%s", b.steps[0].say);
	out->say = NULL;
	lesson_binding_release(&b);
	return 0;
}

static struct lesson_step at_event(struct lesson_match m, const char *say)
{
	return (struct lesson_step){ .at = LESSON_AT_EVENT, .match = m, .say = say };
}

/* The index of the event with this seq (builder seqs are indexes before
 * sorting; traces are sorted by time, then seq). */
static size_t event_of(const struct trace *tr, enum ev_kind kind, size_t nth)
{
	for (size_t i = 0; i < tr->event_count; i++)
		if (tr->events[i].kind == kind && --nth == 0)
			return i;
	fail_msg("no such event");
	return SIZE_MAX;
}

/* ---- tables and names ---- */

static void every_claim_has_an_id_and_a_sentence(void **state)
{
	(void)state;
	for (int c = 0; c < CLAIM_COUNT; c++) {
		assert_non_null(lesson_claim_sentence((enum lesson_claim)c));
		assert_int_equal(lesson_claim_from_id(lesson_claim_id((enum lesson_claim)c)), c);
	}
	assert_int_equal(CLAIM_COUNT, 10);
	assert_string_equal(lesson_claim_id(CLAIM_FORK_COPIES), "fork-copies");
	assert_string_equal(lesson_claim_id(CLAIM_FDS_OVER_SOCKET), "fds-over-socket");
	assert_int_equal(lesson_claim_from_id("fork-copy"), -1);
	assert_null(lesson_claim_id(CLAIM_COUNT));
}

static void fields_know_their_kinds_and_words(void **state)
{
	char buf[256];

	(void)state;
	for (int f = 0; f < LESSON_FIELD_COUNT; f++)
		assert_int_equal(lesson_field_from_name(lesson_field_name((enum lesson_field)f)),
				 f);
	assert_true(lesson_field_applies(LF_SIZE, EV_PICKLE_DUMP));
	assert_false(lesson_field_applies(LF_SIZE, EV_FORK));
	assert_true(lesson_field_applies(LF_ROLE, EV_PROC_START));
	assert_false(lesson_field_applies(LF_ROLE, EV_UNKNOWN));
	lesson_field_list(EV_FORK, buf, sizeof(buf));
	assert_string_equal(buf, "pid, role, proc_method, child, child_role, via");
	/* A fork's via and a pass's via are different words. */
	assert_true(lesson_field_word_ok(LF_VIA, EV_FORK, "vfork", buf, sizeof(buf)));
	assert_false(lesson_field_word_ok(LF_VIA, EV_FDS_PASS, "vfork", buf, sizeof(buf)));
	assert_string_equal(buf, "fork, exec, scm_rights, resource_sharer");
	assert_false(lesson_field_word_ok(LF_CHILD_ROLE, EV_FORK, "chld", buf, sizeof(buf)));
	assert_string_equal(buf, "main, child, forkserver, resource_tracker, manager, other");
	assert_true(
		lesson_field_word_ok(LF_MODULE, EV_IMPORT, "anything.at.all", buf, sizeof(buf)));
}

static void folder_names_and_trace_paths(void **state)
{
	static const char *methods[] = { "spawn" };
	static const char *pythons[] = { "3.8", "3.13" };
	const char *slug;
	struct lesson l;
	char path[128];
	int number;

	(void)state;
	assert_true(lesson_folder_parse("01-what-gets-pickled", &number, &slug));
	assert_int_equal(number, 1);
	assert_string_equal(slug, "what-gets-pickled");
	assert_true(lesson_folder_parse("42-fds2", &number, &slug));
	assert_int_equal(number, 42);
	assert_false(lesson_folder_parse("1-x", &number, &slug));
	assert_false(lesson_folder_parse("001-x", &number, &slug));
	assert_false(lesson_folder_parse("01-", &number, &slug));
	assert_false(lesson_folder_parse("01-Fork", &number, &slug));
	assert_false(lesson_folder_parse("01--x", &number, &slug));
	assert_false(lesson_folder_parse("01-x-", &number, &slug));
	assert_false(lesson_folder_parse("01-x_y", &number, &slug));

	lesson_init(&l);
	l.folder = "04-several-pythons";
	l.methods = (struct strv){ methods, 1 };
	l.pythons = (struct strv){ pythons, 2 };
	assert_int_equal(lesson_keys_make(&l, &l.arena, NULL), 0);
	assert_int_equal(l.keys.count, 2);
	assert_string_equal(l.keys.items[1], "python3.13");
	assert_int_equal(lesson_key_index(&l, "python3.8"), 0);
	assert_int_equal(lesson_key_index(&l, "spawn"), -1);
	assert_true(lesson_trace_path(&l, 1, "traces", path, sizeof(path)));
	assert_string_equal(path, "traces/04-several-pythons.python3.13.json");
	assert_false(lesson_trace_path(&l, 2, "traces", path, sizeof(path)));
	assert_false(lesson_trace_path(&l, 0, "traces", path, 10));
	l.pythons.count = 0;
	assert_int_equal(lesson_keys_make(&l, &l.arena, NULL), 0);
	assert_string_equal(l.keys.items[0], "spawn");
	lesson_release(&l);
}

static void pid_symbols_are_main_and_children_in_order(void **state)
{
	struct lesson_value v;

	(void)state;
	assert_true(lesson_pid_symbol("main", &v));
	assert_int_equal(v.kind, LV_MAIN);
	assert_true(lesson_pid_symbol("first_child", &v));
	assert_int_equal(v.child, 1);
	assert_true(lesson_pid_symbol("twelfth_child", &v));
	assert_int_equal(v.child, 12);
	assert_string_equal(lesson_pid_symbol_name(&v), "twelfth_child");
	assert_false(lesson_pid_symbol("thirteenth_child", &v));
	assert_false(lesson_pid_symbol("child", &v));
}

static void template_syntax(void **state)
{
	struct mp_err err;

	(void)state;
	assert_int_equal(lesson_text_check("{pid} sent {size} bytes to {to}: {{x}}",
					   LESSON_TEXT_EVENT, &err),
			 0);
	assert_int_equal(lesson_text_check("{answer}, from {python}", LESSON_TEXT_EXPLAIN, &err),
			 0);
	assert_int_equal(lesson_text_check("{answer}", LESSON_TEXT_EVENT, &err), -1);
	assert_string_equal(err.msg, "{answer} can be used only in \"explain\"");
	assert_int_equal(lesson_text_check("{sise}", LESSON_TEXT_EVENT, &err), -1);
	assert_string_equal(err.msg, "{sise} is not a placeholder (docs/lessons.md lists them)");
	assert_int_equal(lesson_text_check("{}", LESSON_TEXT_EVENT, &err), -1);
	assert_int_equal(lesson_text_check("{pid", LESSON_TEXT_EVENT, &err), -1);
	assert_string_equal(err.msg, "a \"{\" is not closed (write {{ for a brace)");
	assert_int_equal(lesson_text_check("a } b", LESSON_TEXT_EVENT, &err), -1);
	assert_string_equal(err.msg, "a \"}\" closes nothing (write }} for a brace)");
}

/* ---- triggers ---- */

static void a_trigger_matches_derived_fields(void **state)
{
	struct lesson_bound_step s;
	struct mp_err err;
	struct trace tr;
	char say[256];

	(void)state;
	assert_int_equal(builder_classic(&tr, "spawn"), 0);
	assert_int_equal(
		bind_step(&tr,
			  at_event(MATCH(EV_PICKLE_DUMP, MATCHER(LF_TO_ROLE, TEXT("child")),
					 MATCHER(LF_ROLE, TEXT("main")), MATCHER(LF_OWN, YES),
					 MATCHER(LF_GLOBAL, TEXT("helper.g"), TEXT("__main__.f"))),
				   "{pid} ({role}) pickled {size} bytes of {what} for {to} "
				   "({to_role}): {ref}; all: {globals}"),
			  &s, say, sizeof(say), &err),
		0);
	assert_int_equal(s.ev, event_of(&tr, EV_PICKLE_DUMP, 1));
	assert_string_equal(say,
			    "100 (main) pickled 344 bytes of process for 101 (child): "
			    "__main__.f; all: multiprocessing.context.Process, __main__.f");
	/* A fork and its child's role; nothing matches a child's own fork. */
	assert_int_equal(bind_step(&tr,
				   at_event(MATCH(EV_FORK, MATCHER(LF_CHILD_ROLE, TEXT("child"))),
					    "{pid} forked {child}, a {child_role}, by {via}"),
				   &s, say, sizeof(say), &err),
			 0);
	assert_string_equal(say, "100 forked 101, a child, by vfork");
	assert_int_equal(bind_step(&tr,
				   at_event(MATCH(EV_FORK, MATCHER(LF_ROLE, TEXT("child"))), "x"),
				   &s, say, sizeof(say), &err),
			 -1);
	assert_string_equal(
		err.msg,
		"lessons/01-t/lesson.json: steps[0].at: no fork with role = \"child\" in T");
	trace_release(&tr);
}

static void pids_may_be_symbolic(void **state)
{
	struct lesson_bound_step s;
	struct mp_err err;
	struct trace tr;
	char say[128];

	(void)state;
	assert_int_equal(builder_fork_two(&tr), 0);
	assert_int_equal(bind_step(&tr,
				   at_event(MATCH(EV_FORK, MATCHER(LF_CHILD, CHILD(2)),
						  MATCHER(LF_PID, MAIN_PID)),
					    "{pid} forked {child}"),
				   &s, say, sizeof(say), &err),
			 0);
	assert_string_equal(say, "400 forked 402");
	/* A number is a pid too. */
	assert_int_equal(bind_step(&tr,
				   at_event(MATCH(EV_EXIT, MATCHER(LF_PID, NUM(401))),
					    "{pid} exited with {code}"),
				   &s, say, sizeof(say), &err),
			 0);
	assert_string_equal(say, "401 exited with 0");
	assert_int_equal(bind_step(&tr, at_event(MATCH(EV_FORK, MATCHER(LF_CHILD, CHILD(3))), "x"),
				   &s, say, sizeof(say), &err),
			 -1);
	assert_string_equal(err.msg,
			    "lessons/01-t/lesson.json: steps[0].at: child = third_child, "
			    "but T has 2 child processes");
	trace_release(&tr);
}

static void nth_counts_matches_in_time_order(void **state)
{
	struct lesson_match third = MATCH_ANY(EV_PICKLE_DUMP);
	struct lesson_bound_step s;
	struct mp_err err;
	struct trace tr;
	char say[128];

	(void)state;
	assert_int_equal(builder_pool(&tr, 5), 0);
	third.nth = 3;
	assert_int_equal(bind_step(&tr, at_event(third, "task {what} of {size}"), &s, say,
				   sizeof(say), &err),
			 0);
	assert_int_equal(s.ev, event_of(&tr, EV_PICKLE_DUMP, 3));
	assert_string_equal(say, "task pool_task of 100");
	/* Pool tasks are one group step in the unfolded story: the third
	 * task's step is the group's. */
	assert_int_equal(s.story_step, 2);
	third.nth = 9;
	assert_int_equal(bind_step(&tr, at_event(third, "x"), &s, say, sizeof(say), &err), -1);
	assert_string_equal(err.msg,
			    "lessons/01-t/lesson.json: steps[0].at: only 5 events match "
			    "pickle.dump in T (nth is 9)");
	trace_release(&tr);
}

static void text_matches_the_line_a_print_makes(void **state)
{
	struct lesson_match again =
		MATCH(EV_OUTPUT, MATCHER(LF_TEXT, TEXT("1")), MATCHER(LF_STREAM, TEXT("stdout")));
	struct lesson_bound_step s;
	struct mp_err err;
	struct trace tr;
	char say[128];

	(void)state;
	/* "hello world!", " 1", "\n": three writes, one line. */
	assert_int_equal(builder_classic(&tr, "fork"), 0);
	assert_int_equal(
		bind_step(&tr,
			  at_event(MATCH(EV_OUTPUT, MATCHER(LF_TEXT, TEXT("hello world! 1"))),
				   "{pid} printed \"{text}\" on {stream}"),
			  &s, say, sizeof(say), &err),
		0);
	assert_int_equal(s.ev, event_of(&tr, EV_OUTPUT, 1));
	assert_string_equal(say, "101 printed \"hello world! 1\" on stdout");
	/* The line counts once, where it begins. */
	again.nth = 2;
	assert_int_equal(bind_step(&tr, at_event(again, "x"), &s, say, sizeof(say), &err), -1);
	assert_string_equal(err.msg,
			    "lessons/01-t/lesson.json: steps[0].at: only 1 event matches "
			    "output with text containing \"1\" and stream = \"stdout\" in "
			    "T (nth is 2)");
	trace_release(&tr);
}

static void own_code_and_the_method_of_a_process(void **state)
{
	struct lesson_bound_step s;
	struct mp_err err;
	struct trace tr;
	char say[128];

	(void)state;
	/* Of the imports, only the re-import of the main module is the
	 * program's own (encodings is the interpreter's). */
	assert_int_equal(builder_classic(&tr, "spawn"), 0);
	assert_int_equal(bind_step(&tr,
				   at_event(MATCH(EV_IMPORT, MATCHER(LF_OWN, YES)), "{module}"), &s,
				   say, sizeof(say), &err),
			 0);
	assert_string_equal(say, "__mp_main__");
	assert_int_equal(bind_step(&tr,
				   at_event(MATCH(EV_PICKLE_FIND_CLASS, MATCHER(LF_OWN, YES)),
					    "{module}.{name}"),
				   &s, say, sizeof(say), &err),
			 0);
	assert_string_equal(say, "__main__.f");
	trace_release(&tr);

	assert_int_equal(builder_two_methods(&tr, true), 0);
	assert_int_equal(
		bind_step(&tr,
			  at_event(MATCH(EV_PICKLE_LOAD, MATCHER(LF_PROC_METHOD, TEXT("spawn"))),
				   "{pid} ({proc_method}) read it from {from} ({from_role})"),
			  &s, say, sizeof(say), &err),
		0);
	assert_string_equal(say, "602 (spawn) read it from 600 (main)");
	trace_release(&tr);
}

static void start_end_and_state_events_find_their_story_step(void **state)
{
	struct lesson_bound_step s;
	struct mp_err err;
	struct trace tr;
	char say[128];

	(void)state;
	assert_int_equal(builder_classic(&tr, "spawn"), 0);
	assert_int_equal(bind_step(&tr,
				   (struct lesson_step){ .at = LESSON_AT_START, .say = "{pid}" },
				   &s, say, sizeof(say), &err),
			 0);
	assert_int_equal(s.story_step, 0);
	assert_int_equal(s.ev, 0);
	assert_int_equal(bind_step(&tr,
				   (struct lesson_step){ .at = LESSON_AT_END,
							 .say = "{pid} ended with {code}" },
				   &s, say, sizeof(say), &err),
			 0);
	assert_int_equal(s.ev, tr.event_count - 1);
	assert_int_equal(s.story_step, 11);
	assert_string_equal(say, "100 ended with 0");
	/* A thread count is state: the step whose state first holds it. */
	assert_int_equal(bind_step(&tr,
				   at_event(MATCH(EV_THREADS, MATCHER(LF_PID, CHILD(1))),
					    "{pid} runs {count} thread"),
				   &s, say, sizeof(say), &err),
			 0);
	assert_string_equal(say, "101 runs 1 thread");
	assert_int_equal(s.story_step, 8); /* the lookups, after which the count was taken */
	trace_release(&tr);
}

static void placeholders_a_trace_cannot_fill_are_errors(void **state)
{
	struct lesson_bound_step s;
	struct mp_err err;
	struct trace tr;
	char say[128];

	(void)state;
	assert_int_equal(builder_classic(&tr, "spawn"), 0);
	assert_int_equal(
		bind_step(&tr, at_event(MATCH_ANY(EV_FORK), "{size}"), &s, say, sizeof(say), &err),
		-1);
	assert_string_equal(err.msg,
			    "lessons/01-t/lesson.json: steps[0].say: {size} cannot be "
			    "filled: a fork has no size (T)");
	/* The child's load names no type. */
	assert_int_equal(bind_step(&tr, at_event(MATCH_ANY(EV_PICKLE_LOAD), "{type}"), &s, say,
				   sizeof(say), &err),
			 -1);
	assert_string_equal(err.msg,
			    "lessons/01-t/lesson.json: steps[0].say: {type} cannot be "
			    "filled: this pickle.load has no type (T)");
	/* Built traces do not say which Python recorded them. */
	assert_int_equal(bind_step(&tr, at_event(MATCH_ANY(EV_FORK), "under {python}"), &s, say,
				   sizeof(say), &err),
			 -1);
	assert_string_equal(err.msg,
			    "lessons/01-t/lesson.json: steps[0].say: {python} cannot be "
			    "filled: the trace does not say which Python ran (T)");
	assert_int_equal(bind_step(&tr,
				   at_event(MATCH_ANY(EV_FDS_PASS),
					    "{fds} of {count} under {trace_method}, {{literally}}"),
				   &s, say, sizeof(say), &err),
			 0);
	assert_string_equal(say, "0, 1, 2 of 3 under spawn, {literally}");
	trace_release(&tr);
}

static void a_trace_without_events_is_refused(void **state)
{
	struct lesson_bound_step s;
	struct mp_err err;
	struct trace tr;
	char say[16];

	(void)state;
	trace_init(&tr);
	assert_int_equal(trace_finish(&tr, NULL), 0);
	assert_int_equal(bind_step(&tr, (struct lesson_step){ .at = LESSON_AT_START, .say = "x" },
				   &s, say, sizeof(say), &err),
			 -1);
	assert_string_equal(err.msg, "lessons/01-t/lesson.json: T has no events");
	trace_release(&tr);
}

/* ---- quizzes ---- */

static const char *choices3[] = { "0", "1", "2" };

static void quiz_answers_are_computed_from_the_trace(void **state)
{
	const struct lesson_step step = { .at = LESSON_AT_START, .say = "start" };
	struct lesson_quiz q[] = {
		{ .ask = "How many tasks did {pid} pickle?",
		  .answer = LESSON_ANSWER_COUNT,
		  .of = MATCH(EV_PICKLE_DUMP, MATCHER(LF_WHAT, TEXT("pool_task"))),
		  .explain = "{answer} tasks." },
		{ .ask = "How many bytes?",
		  .answer = LESSON_ANSWER_SUM,
		  .field = LF_SIZE,
		  .of = MATCH_ANY(EV_PICKLE_LOAD),
		  .tolerance = 50,
		  .explain = "{answer} bytes." },
		{ .ask = "Who read the second task?",
		  .answer = LESSON_ANSWER_VALUE,
		  .field = LF_ROLE,
		  .of = MATCH_ANY(EV_PICKLE_LOAD),
		  .explain = "The {answer}, {pid}." },
		{ .ask = "Which name?",
		  .choices = { (const char *[]){ "the code", "{module}.{name}" }, 2 },
		  .answer = LESSON_ANSWER_TEXT,
		  .text = "__main__.{name}",
		  .of = MATCH_ANY(EV_PICKLE_FIND_CLASS),
		  .explain = "{answer}" },
		{ .ask = "Forks?",
		  .choices = { choices3, 3 },
		  .answer = LESSON_ANSWER_COUNT,
		  .of = MATCH_ANY(EV_FORK),
		  .explain = "{answer}" },
		{ .ask = "Fixed",
		  .choices = { choices3, 3 },
		  .answer = LESSON_ANSWER_CHOICE,
		  .choice = 2,
		  .explain = "{answer}" },
	};
	struct lesson_trace t;
	struct lesson_binding b;
	struct mp_err err;
	struct lesson l;
	struct trace tr;

	(void)state;
	q[2].of.nth = 2;
	assert_int_equal(builder_pool(&tr, 4), 0);
	t = (struct lesson_trace){ &tr, "T" };
	lesson_of(&l, &step, 1, q, sizeof(q) / sizeof(q[0]));
	assert_int_equal(lesson_bind(&b, &l, &t, &err), 0);

	assert_int_equal(b.quizzes[0].reply, LESSON_REPLY_NUMBER);
	assert_string_equal(b.quizzes[0].ask, "How many tasks did 200 pickle?");
	assert_string_equal(b.quizzes[0].explain, "4 tasks.");
	assert_int_equal(lesson_judge(&b.quizzes[0], "4"), LESSON_RIGHT);
	assert_int_equal(lesson_judge(&b.quizzes[0], " 4.0\n"), LESSON_RIGHT);
	assert_int_equal(lesson_judge(&b.quizzes[0], "5"), LESSON_WRONG);
	assert_int_equal(lesson_judge(&b.quizzes[0], "four"), LESSON_UNREADABLE);
	assert_int_equal(lesson_judge(&b.quizzes[0], "inf"), LESSON_UNREADABLE);
	assert_int_equal(lesson_judge(&b.quizzes[0], ""), LESSON_UNREADABLE);

	/* Within the stated tolerance. */
	assert_string_equal(b.quizzes[1].answer, "400");
	assert_int_equal(lesson_judge(&b.quizzes[1], "450"), LESSON_RIGHT);
	assert_int_equal(lesson_judge(&b.quizzes[1], "349.5"), LESSON_WRONG);

	/* A text value, typed: exact, spaces around it ignored. */
	assert_int_equal(b.quizzes[2].reply, LESSON_REPLY_TEXT);
	assert_string_equal(b.quizzes[2].explain, "The child, 201.");
	assert_int_equal(lesson_judge(&b.quizzes[2], " child "), LESSON_RIGHT);
	assert_int_equal(lesson_judge(&b.quizzes[2], "Child"), LESSON_WRONG);

	/* Choices are filled too; the right one reads as the answer. */
	assert_int_equal(b.quizzes[3].reply, LESSON_REPLY_CHOICE);
	assert_string_equal(b.quizzes[3].choices[1], "__main__.square");
	assert_int_equal(b.quizzes[3].right_choice, 1);
	assert_int_equal(lesson_judge_choice(&b.quizzes[3], 1), LESSON_RIGHT);
	assert_int_equal(lesson_judge_choice(&b.quizzes[3], 0), LESSON_WRONG);
	assert_int_equal(lesson_judge_choice(&b.quizzes[3], 2), LESSON_UNREADABLE);
	assert_int_equal(lesson_judge(&b.quizzes[3], "1"), LESSON_UNREADABLE);

	assert_int_equal(b.quizzes[4].right_choice, 1);
	assert_string_equal(b.quizzes[5].answer, "2");
	assert_int_equal(lesson_judge_choice(&b.quizzes[5], 2), LESSON_RIGHT);
	lesson_binding_release(&b);

	/* The trace has 2 exits, and the choices stop at "1". */
	q[4].of = MATCH_ANY(EV_EXIT);
	q[4].choices.count = 2;
	assert_int_equal(lesson_bind(&b, &l, &t, &err), -1);
	assert_string_equal(err.msg,
			    "lessons/01-t/lesson.json: quiz[4].answer: the answer in T, "
			    "\"2\", is none of the choices");
	trace_release(&tr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_claim_has_an_id_and_a_sentence),
		cmocka_unit_test(fields_know_their_kinds_and_words),
		cmocka_unit_test(folder_names_and_trace_paths),
		cmocka_unit_test(pid_symbols_are_main_and_children_in_order),
		cmocka_unit_test(template_syntax),
		cmocka_unit_test(a_trigger_matches_derived_fields),
		cmocka_unit_test(pids_may_be_symbolic),
		cmocka_unit_test(nth_counts_matches_in_time_order),
		cmocka_unit_test(text_matches_the_line_a_print_makes),
		cmocka_unit_test(own_code_and_the_method_of_a_process),
		cmocka_unit_test(start_end_and_state_events_find_their_story_step),
		cmocka_unit_test(placeholders_a_trace_cannot_fill_are_errors),
		cmocka_unit_test(a_trace_without_events_is_refused),
		cmocka_unit_test(quiz_answers_are_computed_from_the_trace),
	};

	return cmocka_run_group_tests_name("lesson", tests, NULL, NULL);
}

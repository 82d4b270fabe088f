/*
 * test_lesson_progress.c - the student's progress as a model: answers
 * recorded (the latest wins, earlier quizzes stay unanswered), a lesson
 * marked done, the score counted over the quizzes a lesson has, and the
 * words shown beside a lesson.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "lesson/progress.h"

/* 2026-12-06T10:00:00Z */
#define NOON ((time_t)1796551200)

static void describe(const struct progress *pg, const char *folder, size_t quizzes, char *buf,
		     size_t len)
{
	struct sbuf sb;

	sbuf_init(&sb);
	progress_describe(pg, folder, quizzes, &sb);
	assert_false(sb.is_oom);
	snprintf(buf, len, "%s", sb.data ? sb.data : "");
	sbuf_release(&sb);
}

static void times_are_utc_and_readable(void **state)
{
	char buf[PROGRESS_TIME_LEN];

	(void)state;
	progress_time(NOON, buf);
	assert_string_equal(buf, "2026-12-06T10:00:00Z");
	progress_time(0, buf);
	assert_string_equal(buf, "1970-01-01T00:00:00Z");
}

static void answers_are_recorded_latest_first(void **state)
{
	const struct progress_lesson *pl;
	struct progress pg;
	char words[64];

	(void)state;
	progress_init(&pg);
	describe(&pg, "01-x", 3, words, sizeof(words));
	assert_string_equal(words, "not started");
	assert_null(progress_find(&pg, "01-x"));

	/* Quiz 2 first: quizzes 0 and 1 stay unanswered. */
	assert_int_equal(progress_answer(&pg, "01-x", 2, false, "helper.f", NOON, NULL), 0);
	pl = progress_find(&pg, "01-x");
	assert_non_null(pl);
	assert_int_equal(pl->quiz_count, 3);
	assert_false(pl->quiz[0].is_answered);
	assert_true(pl->quiz[2].is_answered);
	assert_string_equal(pl->quiz[2].at, "2026-12-06T10:00:00Z");
	describe(&pg, "01-x", 3, words, sizeof(words));
	assert_string_equal(words, "started, quiz 0/3 right");

	/* Answered again, right this time: the latest answer counts. */
	assert_int_equal(progress_answer(&pg, "01-x", 2, true, "__main__.f", NOON + 60, NULL), 0);
	assert_int_equal(progress_answer(&pg, "01-x", 0, true, "963", NOON + 90, NULL), 0);
	pl = progress_find(&pg, "01-x");
	assert_string_equal(pl->quiz[2].answer, "__main__.f");
	assert_string_equal(pl->quiz[2].at, "2026-12-06T10:01:00Z");
	assert_int_equal(progress_score(&pg, "01-x", 3).right, 2);
	assert_int_equal(progress_score(&pg, "01-x", 3).wrong, 0);
	assert_int_equal(progress_score(&pg, "01-x", 3).unanswered, 1);

	/* A lesson that lost a quiz does not count its old answer. */
	assert_int_equal(progress_score(&pg, "01-x", 2).right, 1);
	assert_int_equal(progress_score(&pg, "01-x", 2).unanswered, 1);

	assert_int_equal(progress_finish(&pg, "01-x", NOON + 120, NULL), 0);
	describe(&pg, "01-x", 3, words, sizeof(words));
	assert_string_equal(words, "done, quiz 2/3 right");
	assert_string_equal(progress_find(&pg, "01-x")->finished_at, "2026-12-06T10:02:00Z");

	/* Other lessons are kept apart; a lesson without quizzes is done or not. */
	assert_int_equal(progress_finish(&pg, "02-y", NOON, NULL), 0);
	describe(&pg, "02-y", 0, words, sizeof(words));
	assert_string_equal(words, "done");
	assert_int_equal(pg.lesson_count, 2);
	assert_int_equal(progress_score(&pg, "03-z", 4).unanswered, 4);
	progress_release(&pg);
	assert_int_equal(pg.lesson_count, 0);
}

static void wrong_answers_are_counted(void **state)
{
	struct progress pg;
	struct progress_score s;

	(void)state;
	progress_init(&pg);
	assert_int_equal(progress_answer(&pg, "01-x", 0, false, "1", NOON, NULL), 0);
	assert_int_equal(progress_answer(&pg, "01-x", 1, true, "2", NOON, NULL), 0);
	assert_int_equal(progress_answer(&pg, "01-x", 3, false, "3", NOON, NULL), 0);
	s = progress_score(&pg, "01-x", 4);
	assert_int_equal(s.right, 1);
	assert_int_equal(s.wrong, 2);
	assert_int_equal(s.unanswered, 1);
	progress_release(&pg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(times_are_utc_and_readable),
		cmocka_unit_test(answers_are_recorded_latest_first),
		cmocka_unit_test(wrong_answers_are_counted),
	};

	return cmocka_run_group_tests_name("lesson_progress", tests, NULL, NULL);
}

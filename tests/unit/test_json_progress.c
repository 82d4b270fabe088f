/*
 * test_json_progress.c - progress.json: where it lives (XDG_STATE_HOME,
 * else HOME), written atomically into a folder made for it and read back,
 * a corrupt file moved aside so the student starts afresh, and a newer
 * mpscope's file left alone.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "json/progress_json.h"
#include "support/support.h"

/* 2026-12-06T10:00:00Z */
#define NOON ((time_t)1796551200)

static char root[] = "/tmp/mpscope-progress-XXXXXX";

static int make_root(void **state)
{
	(void)state;
	return mkdtemp(root) ? 0 : -1;
}

static int remove_root(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	return system(cmd) == 0 ? 0 : -1;
}

static void progress_lives_under_xdg_state_home(void **state)
{
	char path[256];
	struct mp_err err;

	(void)state;
	setenv("XDG_STATE_HOME", "/srv/state", 1);
	setenv("HOME", "/home/student", 1);
	assert_int_equal(progress_json_path(path, sizeof(path), &err), 0);
	assert_string_equal(path, "/srv/state/mpscope/progress.json");
	/* The XDG spec ignores a relative path. */
	setenv("XDG_STATE_HOME", "state", 1);
	assert_int_equal(progress_json_path(path, sizeof(path), &err), 0);
	assert_string_equal(path, "/home/student/.local/state/mpscope/progress.json");
	unsetenv("XDG_STATE_HOME");
	assert_int_equal(progress_json_path(path, sizeof(path), &err), 0);
	assert_string_equal(path, "/home/student/.local/state/mpscope/progress.json");
	unsetenv("HOME");
	assert_int_equal(progress_json_path(path, sizeof(path), &err), -1);
	assert_string_equal(err.msg,
			    "cannot tell where to keep progress: neither XDG_STATE_HOME "
			    "nor HOME is set");
	setenv("XDG_STATE_HOME", "/srv/state", 1);
	assert_int_equal(progress_json_path(path, 10, &err), -1);
}

static void progress_is_written_and_read_back(void **state)
{
	char path[256], *text;
	struct progress pg, back;
	const struct progress_lesson *pl;
	struct mp_err err;
	bool is_corrupt;
	size_t len;

	(void)state;
	snprintf(path, sizeof(path), "%s/state/mpscope/progress.json", root);
	progress_init(&pg);
	progress_init(&back);
	/* No file yet: no progress, and not an error. */
	assert_int_equal(progress_json_load(path, &back, &is_corrupt, &err), 0);
	assert_int_equal(back.lesson_count, 0);

	assert_int_equal(
		progress_answer(&pg, "01-what-gets-pickled", 1, false, "helper.f", NOON, NULL), 0);
	assert_int_equal(progress_answer(&pg, "01-what-gets-pickled", 0, true, "963", NOON, NULL),
			 0);
	assert_int_equal(progress_finish(&pg, "01-what-gets-pickled", NOON + 60, NULL), 0);
	assert_int_equal(progress_answer(&pg, "02-descriptors", 2, true, "\"quoted\"", NOON, NULL),
			 0);
	/* The folders above it are made. */
	assert_int_equal(progress_json_save(path, &pg, &err), 0);
	text = support_read_file(path, &len);
	assert_non_null(text);
	assert_non_null(strstr(text, "\"format\":\t\"mpscope-progress\""));
	assert_non_null(strstr(text, "\"finished_at\":\t\"2026-12-06T10:01:00Z\""));
	free(text);

	assert_int_equal(progress_json_load(path, &back, &is_corrupt, &err), 0);
	assert_int_equal(back.lesson_count, 2);
	pl = progress_find(&back, "01-what-gets-pickled");
	assert_non_null(pl);
	assert_true(pl->is_done);
	assert_string_equal(pl->finished_at, "2026-12-06T10:01:00Z");
	assert_int_equal(pl->quiz_count, 2);
	assert_true(pl->quiz[0].is_right);
	assert_string_equal(pl->quiz[0].answer, "963");
	assert_false(pl->quiz[1].is_right);
	assert_string_equal(pl->quiz[1].at, "2026-12-06T10:00:00Z");
	pl = progress_find(&back, "02-descriptors");
	assert_false(pl->is_done);
	assert_null(pl->finished_at);
	/* Unanswered quizzes are null in the file and read back unanswered. */
	assert_int_equal(pl->quiz_count, 3);
	assert_false(pl->quiz[0].is_answered);
	assert_string_equal(pl->quiz[2].answer, "\"quoted\"");
	progress_release(&pg);
	progress_release(&back);
}

static void write_text(const char *path, const char *text)
{
	assert_int_equal(support_write_file(path, text, strlen(text)), 0);
}

static void a_corrupt_file_is_moved_aside(void **state)
{
	char path[256], aside[300], note[1024], want[1024];
	struct progress pg;
	struct mp_err err;

	(void)state;
	snprintf(path, sizeof(path), "%s/progress.json", root);
	write_text(path,
		   "{\"format\": \"mpscope-progress\", \"version\": 1, \"lessons\": {\"01-x\": "
		   "{\"quiz\": [null, {\"right\": 3}]}}}");
	progress_init(&pg);
	assert_int_equal(progress_json_open(path, &pg, NOON, note, sizeof(note), &err), 0);
	snprintf(want, sizeof(want),
		 "%s: lessons.01-x.quiz[1].right: expected true or false, got 3; moved it to "
		 "'%s.corrupt-20261206T100000' and starting afresh",
		 path, path);
	assert_string_equal(note, want);
	assert_int_equal(pg.lesson_count, 0);
	assert_int_not_equal(access(path, F_OK), 0);
	snprintf(aside, sizeof(aside), "%s.corrupt-20261206T100000", path);
	assert_int_equal(access(aside, F_OK), 0);

	/* Twice in one second: both copies are kept. */
	write_text(path, "not json");
	assert_int_equal(progress_json_open(path, &pg, NOON, note, sizeof(note), &err), 0);
	snprintf(want, sizeof(want),
		 "%s: not valid JSON (at byte 1); moved it to '%s.corrupt-20261206T100000-2' and "
		 "starting afresh",
		 path, path);
	assert_string_equal(note, want);

	write_text(path, "[1, 2]");
	assert_int_equal(progress_json_open(path, &pg, NOON + 1, note, sizeof(note), &err), 0);
	assert_non_null(strstr(note, "expected a JSON object at the top; moved it to"));
	write_text(path, "{\"format\": \"mpscope-trace\", \"version\": 1}");
	assert_int_equal(progress_json_open(path, &pg, NOON + 2, note, sizeof(note), &err), 0);
	assert_non_null(
		strstr(note, "not a progress file (\"format\" is not \"mpscope-progress\")"));

	/* A good file opens with no note. */
	write_text(path,
		   "{\"format\": \"mpscope-progress\", \"version\": 1, \"lessons\": {}, "
		   "\"later\": true}");
	assert_int_equal(progress_json_open(path, &pg, NOON, note, sizeof(note), &err), 0);
	assert_string_equal(note, "");
	progress_release(&pg);
}

static void a_newer_file_is_left_alone(void **state)
{
	char path[256], note[1024], want[600];
	struct progress pg;
	struct mp_err err;

	(void)state;
	snprintf(path, sizeof(path), "%s/newer.json", root);
	write_text(path, "{\"format\": \"mpscope-progress\", \"version\": 2, \"lessons\": []}");
	progress_init(&pg);
	assert_int_equal(progress_json_open(path, &pg, NOON, note, sizeof(note), &err), -1);
	snprintf(want, sizeof(want), "%s: written by a newer mpscope (version 2; this one reads 1)",
		 path);
	assert_string_equal(err.msg, want);
	assert_int_equal(access(path, F_OK), 0);
	progress_release(&pg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(progress_lives_under_xdg_state_home),
		cmocka_unit_test(progress_is_written_and_read_back),
		cmocka_unit_test(a_corrupt_file_is_moved_aside),
		cmocka_unit_test(a_newer_file_is_left_alone),
	};

	return cmocka_run_group_tests_name("json_progress", tests, make_root, remove_root);
}

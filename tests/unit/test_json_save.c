/*
 * test_json_save.c - saving is atomic: a saved trace loads back the same,
 * and a save that fails half-way (the disk fills: RLIMIT_FSIZE) leaves the
 * old file byte for byte and no temporary file behind.
 */
#include <dirent.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "json/trace_json.h"
#include "support/support.h"

#define FIXTURE "tests/fixtures/traces/small-spawn.json"

static void load(const char *path, struct trace *tr)
{
	struct mp_err err = { { 0 } };

	trace_init(tr);
	if (trace_json_load(path, tr, &err) < 0)
		fail_msg("%s", err.msg);
}

static size_t count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t n = 0;

	assert_non_null(d);
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

static void saved_trace_loads_back(void **state)
{
	char dir[] = "/tmp/mpscope-save-XXXXXX";
	char path[128];
	struct trace tr, again;
	struct mp_err err = { { 0 } };
	char *want, *got;
	size_t want_len, got_len;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/run.json", dir);
	load(FIXTURE, &tr);
	assert_int_equal(trace_json_save(path, &tr, &err), 0);
	load(path, &again);
	assert_int_equal(again.event_count, tr.event_count);
	want = support_read_file(FIXTURE, &want_len);
	got = support_read_file(path, &got_len);
	assert_int_equal(got_len, want_len);
	assert_memory_equal(got, want, got_len);
	assert_int_equal(count_entries(dir), 1);
	free(want);
	free(got);
	trace_release(&again);
	trace_release(&tr);
	unlink(path);
	rmdir(dir);
}

static void failed_save_keeps_the_old_file(void **state)
{
	char dir[] = "/tmp/mpscope-save-XXXXXX";
	char path[128];
	struct trace tr;
	struct mp_err err = { { 0 } };
	char *before, *after;
	size_t before_len, after_len;
	int status = 0;
	pid_t child;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/run.json", dir);
	assert_int_equal(support_write_file(path, "{\"old\": true}\n", 14), 0);
	before = support_read_file(path, &before_len);
	load(FIXTURE, &tr);
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		/* Files may not grow past 1 KB: the write fails with EFBIG. */
		struct rlimit lim = { 1024, 1024 };

		signal(SIGXFSZ, SIG_IGN);
		setrlimit(RLIMIT_FSIZE, &lim);
		if (trace_json_save(path, &tr, &err) == 0)
			_exit(1);
		_exit(strncmp(err.msg, "cannot write '", 14) == 0 ? 0 : 2);
	}
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	after = support_read_file(path, &after_len);
	assert_int_equal(after_len, before_len);
	assert_memory_equal(after, before, before_len);
	assert_int_equal(count_entries(dir), 1); /* no temporary file left */
	free(before);
	free(after);
	trace_release(&tr);
	unlink(path);
	rmdir(dir);
}

static void save_into_missing_folder_is_a_sentence(void **state)
{
	struct trace tr;
	struct mp_err err = { { 0 } };

	(void)state;
	load(FIXTURE, &tr);
	assert_int_equal(trace_json_save("/nonexistent-mpscope/run.json", &tr, &err), -1);
	assert_string_equal(
		err.msg, "cannot write '/nonexistent-mpscope/run.json': No such file or directory");
	trace_release(&tr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(saved_trace_loads_back),
		cmocka_unit_test(failed_save_keeps_the_old_file),
		cmocka_unit_test(save_into_missing_folder_is_a_sentence),
	};

	return cmocka_run_group_tests_name("json_save", tests, NULL, NULL);
}

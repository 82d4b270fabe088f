/*
 * test_e2e_info.c - `mpscope info` as a user runs it: the summary of a good
 * trace, one clear line and exit 1 for a broken or missing file, exit 2 for
 * a usage error.
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

#include "support/support.h"

static int run_info(const char *args, char **out, int merge_stderr)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd), "'%s' info %s", support_mpscope(), args);
	return support_run(cmd, out, merge_stderr);
}

static void assert_contains(const char *text, const char *want)
{
	if (!strstr(text, want))
		fail_msg("expected to find '%s' in:\n%s", want, text);
}

static void summarises_a_good_trace(void **state)
{
	char *out = NULL;

	(void)state;
	assert_int_equal(run_info("tests/fixtures/traces/small-spawn.json", &out, 0), 0);
	assert_contains(out, "program    lessons/01-what-gets-pickled/example.py\n");
	assert_contains(out, "method     spawn (requested: spawn)\n");
	assert_contains(out, "python     3.11.2 on linux\n");
	assert_contains(out, "capture    ptrace + probe\n");
	assert_contains(out, "processes (4)\n  4211   main              python3 example.py");
	/* children are indented under their parent */
	assert_contains(out,
			"\n    4213   child             python3.11 -c from multiprocessing.spawn");
	assert_contains(out, "killed by SIGKILL\n");
	assert_contains(out, "events (28)\n  proc.start 1, fork 3, exec 3, exit 4,");
	assert_contains(out, "fds.pass 1\n");
	assert_contains(out, "pickled    223 bytes in 4 payloads (2 unpickled)\n");
	/* A trace from before pickles were counted says nothing of it. */
	if (strstr(out, "kept") || strstr(out, "counted"))
		fail_msg("a trace without the policy got a line about it:\n%s", out);
	free(out);
}

/* Under "pickled": what was kept, then each purpose and direction that
 * was only counted, in the words every view uses. */
static void says_what_was_counted_not_kept(void **state)
{
	char *out = NULL;

	(void)state;
	assert_int_equal(run_info("tests/fixtures/replay/pool-counted.fork.json", &out, 0), 0);
	assert_contains(out,
			"pickled    204 bytes in 6 payloads (6 unpickled)\n"
			"           kept the first 3 of each kind per process; the rest only "
			"counted:\n"
			"             19,965 more pool results pickled (599.0 kB)\n"
			"             19,965 more pool results unpickled (599.0 kB)\n"
			"             19,965 more pool tasks pickled (1.7 MB)\n"
			"             19,965 more pool tasks unpickled (1.7 MB)\n");
	assert_contains(out, "pickle.summary 4\n");
	free(out);
}

/* The policy said, nothing counted: every pickle is in the events. */
static void says_the_policy_when_nothing_was_counted(void **state)
{
	static const char *const metas[][2] = {
		{ "\"payload_keep_first\": 32",
		  "\n           kept the first 32 of each kind per process; no process went "
		  "past that\n" },
		{ "\"all_payloads\": true", "\n           kept every pickle\n" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(metas) / sizeof(metas[0]); i++) {
		char path[] = "/tmp/mpscope-info-XXXXXX";
		int fd = mkstemp(path);
		FILE *f = fdopen(fd, "w");
		char *out = NULL;

		assert_non_null(f);
		fprintf(f,
			"{\"format\": \"mpscope-trace\", \"version\": 1, \"meta\": "
			"{\"program\": \"p.py\", \"method\": \"fork\", %s}, \"processes\": "
			"[{\"pid\": 1, \"role\": \"main\", \"start\": 0}], \"events\": []}",
			metas[i][0]);
		assert_int_equal(fclose(f), 0);
		assert_int_equal(run_info(path, &out, 0), 0);
		unlink(path);
		assert_contains(out, metas[i][1]);
		free(out);
	}
}

static void explains_a_broken_trace_in_one_line(void **state)
{
	char *out = NULL;

	(void)state;
	assert_int_equal(run_info("tests/bad/pid-string.json 2>&1 >/dev/null", &out, 0), 1);
	assert_string_equal(out,
			    "mpscope: tests/bad/pid-string.json: events[2].pid: expected a "
			    "positive integer, got \"101\"\n");
	free(out);
	assert_int_equal(run_info("tests/bad/truncated.json", &out, 1), 1);
	assert_string_equal(out,
			    "mpscope: tests/bad/truncated.json: the file ends too early: the "
			    "JSON is incomplete (truncated?)\n");
	free(out);
}

/* 100 workers under one main, one event of a kind from a newer mpscope:
 * the tree is cut after 64 lines and the unknown kind is counted. */
static void big_pool_is_summarised_briefly(void **state)
{
	char path[] = "/tmp/mpscope-info-XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");
	char cmd[128];
	char *out = NULL;

	(void)state;
	assert_non_null(f);
	fputs("{\"format\": \"mpscope-trace\", \"version\": 1, \"meta\": {\"program\": \"pool.py\","
	      " \"method\": \"fork\"}, \"processes\": [{\"pid\": 1, \"role\": \"main\", \"start\": "
	      "0}",
	      f);
	for (int pid = 2; pid <= 101; pid++)
		fprintf(f, ", {\"pid\": %d, \"ppid\": 1, \"role\": \"child\", \"start\": 1}", pid);
	fputs("], \"events\": [{\"t\": 3, \"pid\": 7, \"kind\": \"gc.collect\", \"gen\": 2}]}", f);
	assert_int_equal(fclose(f), 0);
	snprintf(cmd, sizeof(cmd), "%s", path);
	assert_int_equal(run_info(cmd, &out, 0), 0);
	unlink(path);
	assert_contains(out, "processes (101)\n  1      main");
	assert_contains(out, "\n    64     child");
	assert_contains(out, "  ... and 37 more processes\n");
	assert_contains(out, "events (1)\n  (unknown kinds) 1\n");
	free(out);
}

static void missing_file_and_usage_errors(void **state)
{
	char *out = NULL;

	(void)state;
	assert_int_equal(run_info("tests/no-such-trace.json", &out, 1), 1);
	assert_string_equal(out,
			    "mpscope: cannot open 'tests/no-such-trace.json': No such file "
			    "or directory\n");
	free(out);
	assert_int_equal(run_info("", &out, 1), 2);
	assert_contains(out, "usage: mpscope info FILE");
	free(out);
	assert_int_equal(run_info("--frobnicate x.json", &out, 1), 2);
	free(out);
	assert_int_equal(run_info("--help", &out, 0), 0);
	assert_contains(out, "usage: mpscope info FILE");
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(summarises_a_good_trace),
		cmocka_unit_test(says_what_was_counted_not_kept),
		cmocka_unit_test(says_the_policy_when_nothing_was_counted),
		cmocka_unit_test(explains_a_broken_trace_in_one_line),
		cmocka_unit_test(big_pool_is_summarised_briefly),
		cmocka_unit_test(missing_file_and_usage_errors),
	};

	return cmocka_run_group_tests_name("e2e_info", tests, NULL, NULL);
}

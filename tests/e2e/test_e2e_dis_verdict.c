/*
 * test_e2e_dis_verdict.c - `mpscope dis --verdict` as a user runs it, and
 * the verdict of every pickle the recorded traces carry: no multiprocessing
 * payload (spawn preparation data, Process objects under every start
 * method, Pool tasks and results, Queue items, manager messages) is
 * dangerous, except lesson 16's deliberate os.system one, which is; the report of a spawn payload and of a getattr(__import__)
 * chain match their golden files; exit status 0 for data, imports and
 * calls, 3 for dangerous, 1 for malformed input; nothing is ever run.
 */
#include <dirent.h>
#include <glob.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "json/trace_json.h"
#include "pickle/pickle.h"
#include "support/support.h"

#define FIXTURES "tests/fixtures/verdict"
#define SPAWN "tests/golden/dis/spawn-process.pickle"

/* Lesson 16 ("a pickle is a program") sends, on purpose, an object whose
 * __reduce__ calls os.system: the one dangerous payload the traces hold. */
static bool is_lesson_16_innocent(const char *path, const struct event *ev)
{
	return strstr(path, "16-a-pickle-is-a-program") && ev->u.pickle.what &&
		strcmp(ev->u.pickle.what, "queue_item") == 0 && ev->u.pickle.global_count == 1 &&
		strcmp(ev->u.pickle.globals[0].module, "posix") == 0 &&
		strcmp(ev->u.pickle.globals[0].name, "system") == 0;
}

static void no_trace_payload_is_dangerous(void **state)
{
	static const char *const whats[] = { "preparation", "process", "pool_task", "pool_result",
					     "queue_item" };
	size_t seen[sizeof(whats) / sizeof(whats[0])] = { 0 }, payloads = 0, by_verdict[4] = { 0 };
	size_t innocents = 0;
	glob_t g;

	(void)state;
	assert_int_equal(glob("traces/*.json", 0, NULL, &g), 0);
	assert_true(g.gl_pathc >= 20);
	for (size_t f = 0; f < g.gl_pathc; f++) {
		struct trace tr;
		struct mp_err err;

		trace_init(&tr);
		if (trace_json_load(g.gl_pathv[f], &tr, &err) < 0)
			fail_msg("%s: %s", g.gl_pathv[f], err.msg);
		for (size_t i = 0; i < tr.event_count; i++) {
			const struct event *ev = &tr.events[i];
			struct pickle_analysis an;
			struct arena a;
			int rc;

			/* a failed pickling has no bytes to judge */
			if ((ev->kind != EV_PICKLE_DUMP && ev->kind != EV_PICKLE_LOAD) ||
			    !ev->u.pickle.bytes || ev->u.pickle.error)
				continue;
			arena_init(&a);
			rc = pickle_analyze(ev->u.pickle.bytes, ev->u.pickle.bytes_len, &a, &an,
					    &err);
			if (rc < 0 && !ev->u.pickle.is_truncated)
				fail_msg("%s seq %llu: %s", g.gl_pathv[f],
					 (unsigned long long)ev->seq, err.msg);
			if (an.verdict == PK_VERDICT_DANGEROUS &&
			    is_lesson_16_innocent(g.gl_pathv[f], ev))
				innocents++;
			else if (an.verdict == PK_VERDICT_DANGEROUS)
				fail_msg("%s seq %llu (%s): %s", g.gl_pathv[f],
					 (unsigned long long)ev->seq, ev->u.pickle.what, an.reason);
			else if (is_lesson_16_innocent(g.gl_pathv[f], ev))
				fail_msg("%s seq %llu: lesson 16's os.system pickle is rated %s",
					 g.gl_pathv[f], (unsigned long long)ev->seq,
					 pickle_verdict_name(an.verdict));
			for (size_t w = 0; w < sizeof(whats) / sizeof(whats[0]); w++)
				seen[w] += ev->u.pickle.what &&
					strcmp(ev->u.pickle.what, whats[w]) == 0;
			by_verdict[an.verdict]++;
			payloads++;
			arena_release(&a);
		}
		trace_release(&tr);
	}
	globfree(&g);
	assert_true(payloads >= 100);
	/* Lesson 16 sends one on purpose under each of three methods: dumped
	 * by the parent and loaded by the child, so six, and every one seen. */
	assert_int_equal(innocents, 6);
	for (size_t w = 0; w < sizeof(whats) / sizeof(whats[0]); w++)
		if (seen[w] == 0)
			fail_msg("no %s payload in traces/", whats[w]);
	print_message("trace payloads: %zu data, %zu imports, %zu calls, %zu dangerous\n",
		      by_verdict[0], by_verdict[1], by_verdict[2], by_verdict[3]);
}

static void spawn_payload_report_is_golden(void **state)
{
	char *out;

	(void)state;
	assert_int_equal(support_runf(&out, "'%s' dis --verdict " SPAWN, support_mpscope()), 0);
	support_assert_golden(out, strlen(out), FIXTURES "/spawn-process.verdict");
	free(out);
}

static void dangerous_chain_report_is_golden_and_exits_3(void **state)
{
	char *out;

	(void)state;
	assert_int_equal(support_runf(&out,
				      "'%s' dis --verdict " FIXTURES
				      "/dangerous/20-getattr-import-os-p0.pickle",
				      support_mpscope()),
			 3);
	support_assert_golden(out, strlen(out), FIXTURES "/getattr-import-os.verdict");
	free(out);
}

/* One shell loop for all files: the exit status of each, one per line. */
static void exit_statuses(const char *sub, int want)
{
	char *out;
	size_t lines = 0;

	assert_int_equal(support_runf(&out,
				      "for f in " FIXTURES
				      "/%s/*.pickle; do '%s' dis --verdict \"$f\" "
				      ">/dev/null 2>&1; echo \"$? $f\"; done",
				      sub, support_mpscope()),
			 0);
	for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
		if (atoi(line) != want)
			fail_msg("exit status %s, expected %d", line, want);
		lines++;
	}
	assert_true(lines >= 10);
	free(out);
}

static void exit_3_for_dangerous_0_for_looked_up(void **state)
{
	char *out;

	(void)state;
	exit_statuses("dangerous", 3);
	exit_statuses("lookup", 0);
	/* data and calls exit 0 as well */
	assert_int_equal(support_runf(&out, "printf '(lp0\\nI1\\na.' | '%s' dis --verdict -",
				      support_mpscope()),
			 0);
	assert_non_null(strstr(out, "verdict: data \xe2\x80\x94 "));
	free(out);
	assert_int_equal(support_runf(&out,
				      "printf 'c__main__\\nPoint\\n(tR.' | '%s' dis --verdict -",
				      support_mpscope()),
			 0);
	assert_non_null(strstr(out,
			       "verdict: calls \xe2\x80\x94 calls code mpscope cannot judge: "
			       "__main__.Point at byte 18\n"));
	free(out);
}

static void malformed_input_exits_1_unless_dangerous_before(void **state)
{
	char *out;

	(void)state;
	assert_int_equal(support_runf(&out,
				      "'%s' dis --verdict tests/bad-pickles/empty.pickle 2>&1",
				      support_mpscope()),
			 1);
	assert_non_null(strstr(out, "mpscope: byte 0: truncated"));
	free(out);
	/* loading would call posix.system before it finds the pickle cut */
	assert_int_equal(
		support_runf(&out,
			     "printf 'cposix\\nsystem\\n(S\"id\"\\ntR(' | '%s' dis --verdict - "
			     "2>/dev/null",
			     support_mpscope()),
		3);
	assert_non_null(strstr(out, "(as far as byte 24, where the pickle is malformed)\n"));
	free(out);
}

static void a_command_in_a_pickle_is_never_run(void **state)
{
	char dir[] = "/tmp/mpscope-verdict-XXXXXX", sentinel[128], pickle[256], body[256], *out;
	FILE *f;
	int n;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(sentinel, sizeof(sentinel), "%s/sentinel", dir);
	snprintf(pickle, sizeof(pickle), "%s/evil.pickle", dir);
	n = snprintf(body, sizeof(body),
		     "c__builtin__\ngetattr\n(c__builtin__\n__import__\n(S'os'\ntRS'system'\ntR"
		     "(Vtouch %s\ntR.",
		     sentinel);
	f = fopen(pickle, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(body, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	assert_int_equal(support_runf(&out, "'%s' dis --verdict '%s'", support_mpscope(), pickle),
			 3);
	assert_non_null(strstr(out, "calls os.system('touch "));
	free(out);
	assert_int_equal(access(sentinel, F_OK), -1);
	unlink(pickle);
	rmdir(dir);
}

static void write_errors_exit_1(void **state)
{
	char *out;

	(void)state;
	assert_int_equal(support_runf(&out, "'%s' dis --verdict " SPAWN " 2>&1 >/dev/full",
				      support_mpscope()),
			 1);
	assert_non_null(strstr(out, "mpscope: cannot write"));
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(no_trace_payload_is_dangerous),
		cmocka_unit_test(spawn_payload_report_is_golden),
		cmocka_unit_test(dangerous_chain_report_is_golden_and_exits_3),
		cmocka_unit_test(exit_3_for_dangerous_0_for_looked_up),
		cmocka_unit_test(malformed_input_exits_1_unless_dangerous_before),
		cmocka_unit_test(a_command_in_a_pickle_is_never_run),
		cmocka_unit_test(write_errors_exit_1),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

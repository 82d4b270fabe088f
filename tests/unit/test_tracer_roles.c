/*
 * test_tracer_roles.c - roles read from a command line when the probe did
 * not say (Python < 3.8, or a probe that never connected): how CPython
 * 3.8-3.13 starts its spawn children, forkserver and resource tracker.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "tracer/tracer_internal.h"

static enum role role_of(const char **items, size_t count, bool *is_known)
{
	struct strv argv = { .items = items, .count = count };

	return roles_from_argv(&argv, is_known);
}

static void multiprocessing_helpers_are_recognised(void **state)
{
	const char *spawn[] = {
		"/usr/bin/python3", "-B", "-c",
		"from multiprocessing.spawn import spawn_main; spawn_main(tracker_fd=6, "
		"pipe_handle=8)",
		"--multiprocessing-fork"
	};
	const char *server[] = {
		"python3", "-c",
		"from multiprocessing.forkserver import main; main(3, 5, ['__main__'])"
	};
	const char *tracker[] = { "python3", "-B", "-c",
				  "from multiprocessing.resource_tracker import main;main(5)" };
	bool is_known;

	(void)state;
	assert_int_equal(role_of(spawn, 5, &is_known), ROLE_CHILD);
	assert_true(is_known);
	assert_int_equal(role_of(server, 3, &is_known), ROLE_FORKSERVER);
	assert_true(is_known);
	assert_int_equal(role_of(tracker, 4, &is_known), ROLE_RESOURCE_TRACKER);
	assert_true(is_known);
}

static void other_command_lines_are_not_guessed(void **state)
{
	const char *script[] = { "python3", "example.py", "spawn_main" };
	const char *shell[] = { "sh", "-c", "echo from multiprocessing" };
	bool is_known = true;

	(void)state;
	assert_int_equal(role_of(script, 3, &is_known), ROLE_OTHER);
	assert_false(is_known);
	assert_int_equal(role_of(shell, 3, &is_known), ROLE_OTHER);
	assert_false(is_known);
	assert_int_equal(role_of(NULL, 0, &is_known), ROLE_OTHER);
	assert_false(is_known);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(multiprocessing_helpers_are_recognised),
		cmocka_unit_test(other_command_lines_are_not_guessed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

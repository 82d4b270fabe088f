/*
 * test_e2e_run_versions.c - `mpscope run` across interpreters and capture
 * modes: the classic example under spawn with every CPython 3.8-3.13 that
 * pyenv has here, Python 3.7 (no audit hooks: ptrace only, one warning
 * line), and --no-ptrace (the probe alone).
 */
#include <glob.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "run_support.h"

/* The newest pyenv interpreter of version `minor` (3.minor), or NULL. */
static const char *pyenv_python(int minor, char *buf, size_t len)
{
	const char *root = getenv("PYENV_ROOT");
	const char *home = getenv("HOME");
	char pattern[512];
	glob_t g;

	if (root)
		snprintf(pattern, sizeof(pattern), "%s/versions/3.%d.*/bin/python3", root, minor);
	else
		snprintf(pattern, sizeof(pattern), "%s/.pyenv/versions/3.%d.*/bin/python3",
			 home ? home : "/root", minor);
	if (glob(pattern, 0, NULL, &g) != 0)
		return NULL;
	snprintf(buf, len, "%s", g.gl_pathv[g.gl_pathc - 1]);
	globfree(&g);
	return buf;
}

static void spawn_pickles_f_on_every_python_3_8_to_3_13(void **state)
{
	int tested = 0;

	(void)state;
	for (int minor = 8; minor <= 13; minor++) {
		char py[512], opts[600], want[16];
		struct run r;
		const struct event *dump;
		const struct process *child;

		if (!pyenv_python(minor, py, sizeof(py))) {
			print_message("skipped: no Python 3.%d under pyenv here\n", minor);
			continue;
		}
		snprintf(opts, sizeof(opts), "-m spawn --python '%s'", py);
		run_program(&r, opts, "classic.py", "");
		snprintf(want, sizeof(want), "3.%d.", minor);
		assert_int_equal(r.status, 0);
		assert_int_equal(strncmp(r.tr.meta.python, want, strlen(want)), 0);
		dump = find_dump(&r.tr, "process");
		assert_non_null(dump);
		assert_true(has_global(dump, "__main__", "f"));
		assert_int_equal(count_role(&r.tr, ROLE_CHILD), 2);
		child = proc_with_role(&r.tr, ROLE_CHILD, 0);
		assert_true(asked_find_class(&r.tr, child->pid, "__main__", "f"));
		assert_none_left(&r.tr);
		run_release(&r);
		tested++;
	}
	if (tested == 0)
		skip();
}

static void python_3_7_runs_with_ptrace_only_and_says_so(void **state)
{
	char py[512], opts[600];
	struct run r;

	(void)state;
	if (!pyenv_python(7, py, sizeof(py))) {
		print_message("skipped: no Python 3.7 under pyenv here\n");
		skip();
	}
	snprintf(opts, sizeof(opts), "-m fork --python '%s'", py);
	run_program(&r, opts, "classic.py", "");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "has no audit hooks"));
	assert_true(r.tr.meta.has_ptrace);
	assert_false(r.tr.meta.has_probe);
	assert_int_equal(strncmp(r.tr.meta.python, "3.7.", 4), 0);
	assert_int_equal(count_role(&r.tr, ROLE_CHILD), 2);
	assert_int_equal(count_events(&r.tr, EV_PICKLE_DUMP, 0), 0);
	assert_true(count_events(&r.tr, EV_OUTPUT, proc_with_role(&r.tr, ROLE_CHILD, 0)->pid) > 0);
	assert_none_left(&r.tr);
	run_release(&r);
}

static void no_ptrace_gives_a_probe_only_trace(void **state)
{
	struct run r;
	const struct event *dump;

	(void)state;
	run_program(&r, "-m spawn --no-ptrace", "classic.py", "");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "--no-ptrace, so processes come from the probe alone"));
	assert_false(r.tr.meta.has_ptrace);
	assert_true(r.tr.meta.has_probe);
	/* processes come from probe.spawn: main, resource tracker, two children */
	assert_int_equal(count_role(&r.tr, ROLE_CHILD), 2);
	assert_int_equal(count_role(&r.tr, ROLE_RESOURCE_TRACKER), 1);
	assert_int_equal(count_events(&r.tr, EV_FORK, trace_root(&r.tr)->pid), 3);
	dump = find_dump(&r.tr, "process");
	assert_non_null(dump);
	assert_true(has_global(dump, "__main__", "f"));
	assert_int_equal(count_events(&r.tr, EV_OUTPUT, 0), 0);
	assert_none_left(&r.tr);
	run_release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(spawn_pickles_f_on_every_python_3_8_to_3_13),
		cmocka_unit_test(python_3_7_runs_with_ptrace_only_and_says_so),
		cmocka_unit_test(no_ptrace_gives_a_probe_only_trace),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

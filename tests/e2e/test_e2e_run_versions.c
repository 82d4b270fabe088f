/*
 * test_e2e_run_versions.c - `mpscope run` across interpreters and capture
 * modes: the classic example under spawn, and descriptors crossing the
 * process boundary under all three methods, with every CPython 3.8-3.13
 * that pyenv has here (skipped with a message where absent); several
 * --python in one command; Python 3.7 (no audit hooks: ptrace only, one
 * warning line), and --no-ptrace (the probe alone).
 */
#include <glob.h>
#include <limits.h>
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

/* The targets pass_fds.py printed for the two pipe ends it hands over. */
struct passed_pipes {
	char argument[64]; /* given as an argument of the Process */
	char queued[64]; /* put on a Queue while the child runs */
};

static void read_passed_pipes(const struct trace *tr, struct passed_pipes *pp)
{
	char *out = output_of(tr, trace_root(tr)->pid);
	const char *a = strstr(out, "argument pipe "), *q = strstr(out, "queued pipe ");

	assert_non_null(a);
	assert_non_null(q);
	assert_int_equal(sscanf(a, "argument pipe %63s", pp->argument), 1);
	assert_int_equal(sscanf(q, "queued pipe %63s", pp->queued), 1);
	free(out);
}

static const struct fd_entry *passed(const struct event *pass, const char *suffix)
{
	assert_non_null(pass);
	return entry_with_target(pass->u.fds_pass.fds, pass->u.fds_pass.fd_count, suffix);
}

/* fork: the child is a copy, the file opened before start() included. */
static void assert_fork_copies_everything(const struct trace *tr, const struct passed_pipes *pp)
{
	const struct process *child = proc_with_role(tr, ROLE_CHILD, 0);
	const struct event *copied = find_pass(tr, PASS_FORK, trace_root(tr)->pid, child->pid);

	assert_non_null(passed(copied, "/pass_fds.py"));
	assert_non_null(passed(copied, pp->argument));
	assert_true(fds_have_target(fds_of(tr, child->pid, FDS_AT_FORK), "/pass_fds.py"));
}

/* spawn: the exec keeps only what was passed (the argument pipe). */
static void assert_spawn_keeps_only_the_passed(const struct trace *tr,
					       const struct passed_pipes *pp)
{
	const struct process *child = proc_with_role(tr, ROLE_CHILD, 0);
	const struct event *kept = find_pass(tr, PASS_EXEC, child->pid, child->pid);

	assert_non_null(find_pass(tr, PASS_FORK, trace_root(tr)->pid, child->pid));
	assert_non_null(passed(kept, pp->argument));
	assert_null(passed(kept, "/pass_fds.py"));
	assert_false(fds_have_target(fds_of(tr, child->pid, FDS_AT_EXEC), "/pass_fds.py"));
}

/* forkserver: the argument pipe goes to the server over SCM_RIGHTS (with
 * the number it got there), and the server's fork hands it to the child. */
static void assert_forkserver_sends_to_the_server(const struct trace *tr,
						  const struct passed_pipes *pp)
{
	const struct process *server = proc_with_role(tr, ROLE_FORKSERVER, 0);
	const struct process *child = proc_with_role(tr, ROLE_CHILD, 0);
	const struct fd_entry *sent;

	assert_non_null(server);
	assert_int_equal(child->ppid, server->pid);
	sent = passed(find_pass(tr, PASS_SCM_RIGHTS, trace_root(tr)->pid, server->pid),
		      pp->argument);
	assert_non_null(sent);
	assert_true(sent->as_fd >= 0);
	assert_non_null(passed(find_pass(tr, PASS_FORK, server->pid, child->pid), pp->argument));
	assert_false(fds_have_target(fds_of(tr, child->pid, FDS_AT_FORK), "/pass_fds.py"));
}

/* Every method: the queued Connection crosses through the resource sharer,
 * linked to the queue item that carried the reference. */
static void assert_queue_uses_the_resource_sharer(const struct trace *tr,
						  const struct passed_pipes *pp)
{
	int main_pid = trace_root(tr)->pid;
	const struct process *child = proc_with_role(tr, ROLE_CHILD, 0);
	const struct event *shared = find_pass(tr, PASS_RESOURCE_SHARER, main_pid, child->pid);
	const struct fd_entry *conn = passed(shared, pp->queued);
	const struct event *carrier;

	assert_non_null(conn);
	assert_true(conn->as_fd >= 0);
	carrier = event_with_seq(tr, shared->u.fds_pass.pickle_seq);
	assert_non_null(carrier);
	assert_int_equal(carrier->kind, EV_PICKLE_DUMP);
	assert_int_equal(carrier->pid, main_pid);
	assert_string_equal(carrier->u.pickle.what, "queue_item");
}

static void descriptors_cross_as_each_method_says_on_every_python(void **state)
{
	static const char *const methods[] = { "fork", "spawn", "forkserver" };
	int tested = 0;

	(void)state;
	for (int minor = 8; minor <= 13; minor++) {
		char py[512], opts[600];

		if (!pyenv_python(minor, py, sizeof(py))) {
			print_message("skipped: no Python 3.%d under pyenv here\n", minor);
			continue;
		}
		for (size_t m = 0; m < 3; m++) {
			struct run r;
			struct passed_pipes pp;
			char *out;

			/* says which case a failing assertion below belongs to */
			print_message("Python 3.%d, %s\n", minor, methods[m]);
			snprintf(opts, sizeof(opts), "-m %s --python '%s'", methods[m], py);
			run_program(&r, opts, "pass_fds.py", "");
			assert_int_equal(r.status, 0);
			out = output_of(&r.tr, trace_root(&r.tr)->pid);
			assert_non_null(strstr(out, "through the argument\nthrough the queue\n"));
			free(out);
			read_passed_pipes(&r.tr, &pp);
			if (m == 0)
				assert_fork_copies_everything(&r.tr, &pp);
			else if (m == 1)
				assert_spawn_keeps_only_the_passed(&r.tr, &pp);
			else
				assert_forkserver_sends_to_the_server(&r.tr, &pp);
			assert_queue_uses_the_resource_sharer(&r.tr, &pp);
			assert_none_left(&r.tr);
			run_release(&r);
		}
		tested++;
	}
	if (tested == 0)
		skip();
}

/* Loads DIR/NAME, checks it ran under the Python `want` ("3.8.") and the
 * method, and removes it. */
static void assert_trace_file(const char *dir, const char *name, const char *want,
			      const char *method)
{
	char path[PATH_MAX];
	struct trace tr;
	struct mp_err err;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	trace_init(&tr);
	if (trace_json_load(path, &tr, &err) < 0)
		fail_msg("no valid %s: %s", name, err.msg);
	assert_int_equal(strncmp(tr.meta.python, want, strlen(want)), 0);
	assert_string_equal(tr.meta.method, method);
	trace_release(&tr);
	unlink(path);
}

/* One command, two interpreters: one trace each, the version in the name. */
static void several_pythons_record_the_script_once_each(void **state)
{
	static const char *const methods[] = { "fork", "spawn", "forkserver" };
	char py8[512], py13[512], dir[] = "/tmp/mpscope-e2e-pythons-XXXXXX";
	char top[PATH_MAX], mpscope[PATH_MAX], cmd[3 * PATH_MAX], name[64], *out;

	(void)state;
	if (!pyenv_python(8, py8, sizeof(py8)) || !pyenv_python(13, py13, sizeof(py13))) {
		print_message("skipped: needs Python 3.8 and 3.13 under pyenv\n");
		skip();
	}
	assert_non_null(getcwd(top, sizeof(top)));
	assert_non_null(realpath(support_mpscope(), mpscope));
	assert_non_null(mkdtemp(dir));

	/* default names: <stem>.<method>.py<version>.json in the current folder */
	snprintf(cmd, sizeof(cmd),
		 "cd '%s' && '%s' run --no-ui -m spawn --python '%s' --python '%s' "
		 "'%s/tests/programs/classic.py'",
		 dir, mpscope, py8, py13, top);
	assert_int_equal(support_run(cmd, &out, 1), 0);
	assert_non_null(strstr(out, "trace written to classic.spawn.py3.8.json"));
	assert_non_null(strstr(out, "trace written to classic.spawn.py3.13.json"));
	free(out);
	assert_trace_file(dir, "classic.spawn.py3.8.json", "3.8.", "spawn");
	assert_trace_file(dir, "classic.spawn.py3.13.json", "3.13.", "spawn");

	/* -m all -o: method and version before the extension, six traces */
	snprintf(cmd, sizeof(cmd),
		 "cd '%s' && '%s' run --no-ui -m all -o out.json --python '%s' --python '%s' "
		 "'%s/tests/programs/classic.py'",
		 dir, mpscope, py8, py13, top);
	assert_int_equal(support_run(cmd, &out, 1), 0);
	free(out);
	for (size_t m = 0; m < 3; m++) {
		snprintf(name, sizeof(name), "out.%s.py3.8.json", methods[m]);
		assert_trace_file(dir, name, "3.8.", methods[m]);
		snprintf(name, sizeof(name), "out.%s.py3.13.json", methods[m]);
		assert_trace_file(dir, name, "3.13.", methods[m]);
	}
	assert_int_equal(rmdir(dir), 0);
}

/* The same version twice would write the same names: refused up front. */
static void the_same_version_twice_is_refused(void **state)
{
	char py[512], cmd[2048], *out;

	(void)state;
	if (!pyenv_python(8, py, sizeof(py))) {
		print_message("skipped: no Python 3.8 under pyenv here\n");
		skip();
	}
	snprintf(cmd, sizeof(cmd),
		 "'%s' run --no-ui --python '%s' --python '%s' tests/programs/classic.py",
		 support_mpscope(), py, py);
	assert_int_equal(support_run(cmd, &out, 1), 2);
	assert_non_null(strstr(out, "give each version once"));
	assert_null(strstr(out, "hello world"));
	free(out);
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
		cmocka_unit_test(descriptors_cross_as_each_method_says_on_every_python),
		cmocka_unit_test(several_pythons_record_the_script_once_each),
		cmocka_unit_test(the_same_version_twice_is_refused),
		cmocka_unit_test(python_3_7_runs_with_ptrace_only_and_says_so),
		cmocka_unit_test(no_ptrace_gives_a_probe_only_trace),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

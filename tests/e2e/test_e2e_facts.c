/*
 * test_e2e_facts.c - `mpscope run` on real programs, for the facts the
 * probe adds at process starts: which method started each child
 * (processes[].method, meta.methods), the children's imports of the
 * program's own modules (import "by"), and what multiprocessing's
 * descriptors are (fds.label), under fork, spawn and forkserver, and the
 * sibling-module program on every CPython 3.8-3.13 pyenv has here.
 */
#include <glob.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "run_support.h"

static const char *const methods[] = { "fork", "spawn", "forkserver" };

/* Runs `mpscope run --no-ui OPTS tests/programs/PROGRAM` (PROGRAM may sit
 * in a folder) into a trace named after tag. */
static void run_facts(struct run *r, const char *opts, const char *program, const char *tag)
{
	char cmd[2048], why[1024];
	struct mp_err err;

	snprintf(r->path, sizeof(r->path), "/tmp/mpscope-e2e-facts-%d-%s.json", (int)getpid(), tag);
	snprintf(cmd, sizeof(cmd), "'%s' run --no-ui %s -o '%s' tests/programs/%s",
		 support_mpscope(), opts, r->path, program);
	r->status = support_run(cmd, &r->out, 1);
	trace_init(&r->tr);
	if (trace_json_load(r->path, &r->tr, &err) < 0)
		fail_msg("%s wrote no valid trace: %s\nits output:\n%s", cmd, err.msg,
			 r->out ? r->out : "");
	if (trace_props_check(&r->tr, why, sizeof(why)) < 0)
		fail_msg("%s wrote a trace (kept in %s) that breaks the property %s", cmd, r->path,
			 why);
}

/* The newest pyenv interpreter of version 3.minor, or NULL. */
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

static bool ends_with(const char *s, const char *suffix)
{
	size_t sl = s ? strlen(s) : 0, xl = strlen(suffix);

	return sl >= xl && strcmp(s + sl - xl, suffix) == 0;
}

/* Index of pid's first import of module (in trace order), or -1. */
static long import_index(const struct trace *tr, int pid, const char *module)
{
	for (size_t i = 0; i < tr->event_count; i++) {
		const struct event *ev = &tr->events[i];

		if (ev->kind == EV_IMPORT && ev->pid == pid &&
		    strcmp(ev->u.import.module, module) == 0)
			return (long)i;
	}
	return -1;
}

/* Index of pid's first output containing text, or -1. */
static long output_index(const struct trace *tr, int pid, const char *text)
{
	for (size_t i = 0; i < tr->event_count; i++) {
		const struct event *ev = &tr->events[i];

		if (ev->kind == EV_OUTPUT && ev->pid == pid &&
		    memmem(ev->u.output.text, ev->u.output.text_len, text, strlen(text)))
			return (long)i;
	}
	return -1;
}

/* No pickle of the run names anything of helper.py: f is pickled by
 * reference and randomfunction is found through f's module. */
static void assert_helper_never_pickled(const struct trace *tr)
{
	for (size_t i = 0; i < tr->event_count; i++) {
		const struct event *ev = &tr->events[i];

		if (ev->kind == EV_PICKLE_DUMP || ev->kind == EV_PICKLE_LOAD)
			for (size_t g = 0; g < ev->u.pickle.global_count; g++)
				assert_string_not_equal(ev->u.pickle.globals[g].module, "helper");
		if (ev->kind == EV_PICKLE_FIND_CLASS)
			assert_string_not_equal(ev->u.find_class.module, "helper");
	}
}

static void assert_methods(const struct trace *tr, const char *first, const char *second)
{
	assert_string_equal(tr->meta.method, first);
	assert_int_equal(tr->meta.methods.count, second ? 2 : 1);
	assert_string_equal(tr->meta.methods.items[0], first);
	if (second)
		assert_string_equal(tr->meta.methods.items[1], second);
}

/* The facts of sibling/example.py under method, for any interpreter. */
static void assert_sibling_facts(const struct trace *tr, const char *method)
{
	const struct process *root = trace_root(tr);
	long parent_import = import_index(tr, root->pid, "helper");

	assert_methods(tr, method, NULL);
	assert_null(root->method);
	assert_true(parent_import >= 0);
	assert_string_equal(tr->events[parent_import].u.import.by, "__main__");
	assert_true(ends_with(tr->events[parent_import].u.import.file, "/sibling/helper.py"));
	assert_int_equal(count_role(tr, ROLE_CHILD), 2);
	for (size_t c = 0; c < 2; c++) {
		const struct process *child = proc_with_role(tr, ROLE_CHILD, c);
		long main_import = import_index(tr, child->pid, "__mp_main__");
		long helper = import_index(tr, child->pid, "helper");
		long ran = output_index(tr, child->pid, "rolled");

		assert_non_null(child->method);
		assert_string_equal(child->method, method);
		assert_true(ran >= 0);
		if (strcmp(method, "fork") == 0) {
			/* A fork child is a copy: helper is already there. */
			assert_int_equal(count_events(tr, EV_IMPORT, child->pid), 0);
			continue;
		}
		assert_true(main_import >= 0);
		assert_true(helper > main_import);
		assert_true(ran > helper);
		assert_string_equal(tr->events[helper].u.import.by, "__mp_main__");
		assert_true(ends_with(tr->events[helper].u.import.file, "/sibling/helper.py"));
		assert_int_equal(count_events(tr, EV_IMPORT, child->pid), 2);
	}
	/* The forkserver is not given the script's path (3.8-3.13): it
	 * imports nothing of the program, each child does. */
	for (size_t s = 0; s < count_role(tr, ROLE_FORKSERVER); s++)
		assert_int_equal(
			count_events(tr, EV_IMPORT, proc_with_role(tr, ROLE_FORKSERVER, s)->pid),
			0);
	assert_helper_never_pickled(tr);
	assert_none_left(tr);
}

static void sibling_module_is_imported_not_pickled(void **state)
{
	(void)state;
	for (size_t m = 0; m < sizeof(methods) / sizeof(methods[0]); m++) {
		char opts[64];
		struct run r;

		snprintf(opts, sizeof(opts), "-m %s", methods[m]);
		run_facts(&r, opts, "sibling/example.py", methods[m]);
		assert_int_equal(r.status, 0);
		assert_sibling_facts(&r.tr, methods[m]);
		run_release(&r);
	}
}

static void sibling_module_on_every_python_3_8_to_3_13(void **state)
{
	int tested = 0;

	(void)state;
	for (int minor = 8; minor <= 13; minor++) {
		char py[512];

		if (!pyenv_python(minor, py, sizeof(py))) {
			print_message("skipped: no Python 3.%d under pyenv here\n", minor);
			continue;
		}
		for (size_t m = 0; m < sizeof(methods) / sizeof(methods[0]); m++) {
			char opts[600], tag[32], want[16];
			struct run r;

			snprintf(opts, sizeof(opts), "-m %s --python '%s'", methods[m], py);
			snprintf(tag, sizeof(tag), "%s-3.%d", methods[m], minor);
			run_facts(&r, opts, "sibling/example.py", tag);
			snprintf(want, sizeof(want), "3.%d.", minor);
			assert_int_equal(r.status, 0);
			assert_int_equal(strncmp(r.tr.meta.python, want, strlen(want)), 0);
			assert_sibling_facts(&r.tr, methods[m]);
			run_release(&r);
		}
		tested++;
	}
	if (tested == 0)
		skip();
}

/* ---- labels ---- */

/* The label of pid for what; with peer != 0, the one naming that peer.
 * Fails unless there is exactly one. */
static const struct event *label_of(const struct trace *tr, int pid, enum fd_purpose what, int peer)
{
	const struct event *found = NULL;

	for (size_t i = 0; i < tr->event_count; i++) {
		const struct event *ev = &tr->events[i];

		if (ev->kind != EV_FDS_LABEL || ev->pid != pid || ev->u.fds_label.what != what ||
		    (peer && ev->u.fds_label.peer != peer))
			continue;
		if (found)
			fail_msg("pid %d labels %s twice", pid, fd_purpose_name(what));
		found = ev;
	}
	if (!found)
		fail_msg("pid %d has no %s label (peer %d)", pid, fd_purpose_name(what), peer);
	return found;
}

/* How many labels pid gives for what (with target, when not NULL). */
static size_t count_labels(const struct trace *tr, int pid, enum fd_purpose what,
			   const char *target)
{
	size_t n = 0;

	for (size_t i = 0; i < tr->event_count; i++) {
		const struct event *ev = &tr->events[i];

		n += ev->kind == EV_FDS_LABEL && ev->pid == pid && ev->u.fds_label.what == what &&
			(!target ||
			 (ev->u.fds_label.target && strcmp(ev->u.fds_label.target, target) == 0));
	}
	return n;
}

/* The label names the object /proc showed for that fd in that process:
 * the latest table read at or before the label has it (labels come after
 * the fd exists, tables are read at start, fork and exec). */
static void assert_label_true(const struct trace *tr, const struct event *label)
{
	const struct event *table = trace_fds_at(tr, label->pid, label->t);
	const struct fd_entry *e;

	assert_non_null(table);
	e = trace_fd_find(table->u.fds.fds, table->u.fds.fd_count, label->u.fds_label.fd);
	if (!e || !e->target || strcmp(e->target, label->u.fds_label.target) != 0)
		fail_msg("pid %d labels fd %d as %s (%s), /proc showed %s", label->pid,
			 label->u.fds_label.fd, fd_purpose_name(label->u.fds_label.what),
			 label->u.fds_label.target, e && e->target ? e->target : "nothing");
}

/* Both ends of one object: labelled what in the parent (naming the child)
 * and in the child (naming the parent), with the same target. */
static void assert_both_ends(const struct trace *tr, int parent, int child, enum fd_purpose what)
{
	const struct event *mine = label_of(tr, parent, what, child);
	const struct event *theirs = label_of(tr, child, what, parent);

	assert_string_equal(mine->u.fds_label.target, theirs->u.fds_label.target);
	assert_label_true(tr, theirs);
}

static void fork_labels_sentinels_on_both_sides(void **state)
{
	struct run r;

	(void)state;
	run_facts(&r, "-m fork", "sibling/example.py", "labels-fork");
	assert_int_equal(r.status, 0);
	for (size_t c = 0; c < 2; c++) {
		int root = trace_root(&r.tr)->pid,
		    child = proc_with_role(&r.tr, ROLE_CHILD, c)->pid;

		assert_both_ends(&r.tr, root, child, FD_SENTINEL);
		assert_both_ends(&r.tr, root, child, FD_PARENT_SENTINEL);
		assert_label_true(&r.tr, label_of(&r.tr, root, FD_SENTINEL, child));
	}
	assert_int_equal(count_events(&r.tr, EV_FDS_LABEL, 0), 8);
	run_release(&r);
}

static void spawn_labels_start_up_pipe_sentinel_and_tracker(void **state)
{
	struct run r;
	int root, tracker;
	const struct event *pipe;

	(void)state;
	run_facts(&r, "-m spawn", "sibling/example.py", "labels-spawn");
	assert_int_equal(r.status, 0);
	root = trace_root(&r.tr)->pid;
	tracker = proc_with_role(&r.tr, ROLE_RESOURCE_TRACKER, 0)->pid;
	pipe = label_of(&r.tr, root, FD_RESOURCE_TRACKER, tracker);
	assert_label_true(&r.tr, pipe);
	assert_string_equal(label_of(&r.tr, tracker, FD_RESOURCE_TRACKER, 0)->u.fds_label.target,
			    pipe->u.fds_label.target);
	for (size_t c = 0; c < 2; c++) {
		int child = proc_with_role(&r.tr, ROLE_CHILD, c)->pid;
		const struct event *theirs = label_of(&r.tr, child, FD_RESOURCE_TRACKER, 0);

		assert_both_ends(&r.tr, root, child, FD_STARTUP_DATA);
		assert_both_ends(&r.tr, root, child, FD_SENTINEL);
		assert_string_equal(theirs->u.fds_label.target, pipe->u.fds_label.target);
		assert_label_true(&r.tr, theirs);
		/* spawn_main's parent sentinel is a dup of the start-up pipe */
		assert_string_equal(
			label_of(&r.tr, child, FD_PARENT_SENTINEL, root)->u.fds_label.target,
			label_of(&r.tr, child, FD_STARTUP_DATA, root)->u.fds_label.target);
	}
	run_release(&r);
}

static void forkserver_labels_its_socket_pipes_and_sentinels(void **state)
{
	struct run r;
	int root, server;
	const struct event *alive;

	(void)state;
	run_facts(&r, "-m forkserver", "sibling/example.py", "labels-forkserver");
	assert_int_equal(r.status, 0);
	root = trace_root(&r.tr)->pid;
	server = proc_with_role(&r.tr, ROLE_FORKSERVER, 0)->pid;
	assert_label_true(&r.tr, label_of(&r.tr, server, FD_FORKSERVER_LISTENER, 0));
	alive = label_of(&r.tr, server, FD_FORKSERVER_ALIVE, root);
	assert_label_true(&r.tr, alive);
	assert_string_equal(label_of(&r.tr, root, FD_FORKSERVER_ALIVE, server)->u.fds_label.target,
			    alive->u.fds_label.target);
	for (size_t c = 0; c < 2; c++) {
		int child = proc_with_role(&r.tr, ROLE_CHILD, c)->pid;
		const struct event *data = label_of(&r.tr, child, FD_STARTUP_DATA, root);

		assert_string_equal(
			label_of(&r.tr, root, FD_STARTUP_DATA, child)->u.fds_label.target,
			data->u.fds_label.target);
		assert_label_true(&r.tr, data);
		assert_string_equal(
			label_of(&r.tr, child, FD_FORKSERVER_ALIVE, server)->u.fds_label.target,
			alive->u.fds_label.target);
		assert_string_equal(
			label_of(&r.tr, child, FD_RESOURCE_TRACKER, 0)->u.fds_label.target,
			label_of(&r.tr, root, FD_RESOURCE_TRACKER, 0)->u.fds_label.target);
	}
	/* The server, not the child, holds each child's sentinel end and
	 * writes the child's pid and exit status into it; the client watches
	 * the other end. */
	assert_int_equal(count_labels(&r.tr, root, FD_SENTINEL, NULL), 2);
	for (size_t i = 0; i < r.tr.event_count; i++) {
		const struct event *ev = &r.tr.events[i];

		if (ev->kind == EV_FDS_LABEL && ev->pid == root &&
		    ev->u.fds_label.what == FD_SENTINEL) {
			assert_int_equal(ev->u.fds_label.peer, server);
			assert_int_equal(
				count_labels(&r.tr, server, FD_SENTINEL, ev->u.fds_label.target),
				1);
		}
	}
	for (size_t c = 0; c < 2; c++)
		assert_int_equal(count_labels(&r.tr, proc_with_role(&r.tr, ROLE_CHILD, c)->pid,
					      FD_SENTINEL, NULL),
				 0);
	assert_int_equal(count_labels(&r.tr, root, FD_FORKSERVER_CLIENT, NULL), 2);
	assert_int_equal(count_labels(&r.tr, server, FD_FORKSERVER_CLIENT, NULL), 2);
	run_release(&r);
}

/* ---- two methods in one program ---- */

static void mixed_methods_say_each_childs_method(void **state)
{
	struct run r;
	const struct process *spawned = NULL, *forked = NULL;
	int root, tracker;

	(void)state;
	run_facts(&r, "", "mixed_methods.py", "mixed");
	assert_int_equal(r.status, 0);
	assert_methods(&r.tr, "spawn", "fork");
	assert_null(r.tr.meta.requested_method);
	root = trace_root(&r.tr)->pid;
	assert_null(trace_root(&r.tr)->method);
	for (size_t c = 0; c < count_role(&r.tr, ROLE_CHILD); c++) {
		const struct process *p = proc_with_role(&r.tr, ROLE_CHILD, c);

		assert_non_null(p->method);
		if (strcmp(p->method, "spawn") == 0)
			spawned = p;
		else if (strcmp(p->method, "fork") == 0)
			forked = p;
	}
	assert_non_null(spawned);
	assert_non_null(forked);
	assert_int_equal(count_role(&r.tr, ROLE_CHILD), 2);
	assert_int_equal(count_events(&r.tr, EV_EXEC, forked->pid), 0);
	assert_true(count_events(&r.tr, EV_EXEC, spawned->pid) > 0);
	tracker = proc_with_role(&r.tr, ROLE_RESOURCE_TRACKER, 0)->pid;
	assert_null(trace_find_proc(&r.tr, tracker)->method);
	/* The tracker, started for the spawn child, is inherited by the fork
	 * child, which labels its copy. */
	assert_string_equal(
		label_of(&r.tr, forked->pid, FD_RESOURCE_TRACKER, tracker)->u.fds_label.target,
		label_of(&r.tr, root, FD_RESOURCE_TRACKER, tracker)->u.fds_label.target);
	assert_label_true(&r.tr, label_of(&r.tr, forked->pid, FD_RESOURCE_TRACKER, tracker));
	assert_both_ends(&r.tr, root, spawned->pid, FD_STARTUP_DATA);
	assert_both_ends(&r.tr, root, forked->pid, FD_PARENT_SENTINEL);
	assert_none_left(&r.tr);
	run_release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sibling_module_is_imported_not_pickled),
		cmocka_unit_test(fork_labels_sentinels_on_both_sides),
		cmocka_unit_test(spawn_labels_start_up_pipe_sentinel_and_tracker),
		cmocka_unit_test(forkserver_labels_its_socket_pipes_and_sentinels),
		cmocka_unit_test(mixed_methods_say_each_childs_method),
		cmocka_unit_test(sibling_module_on_every_python_3_8_to_3_13),
	};

	return cmocka_run_group_tests_name("e2e_facts", tests, NULL, NULL);
}

/*
 * test_e2e_run.c - `mpscope run` on the classic example under the three
 * start methods (real CPython 3.11): the textbook facts, read back from the
 * trace the binary wrote. Every recording is also checked for the
 * properties of trace_props.h (run_support.h), once with both cores busy.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include <cmocka.h>

#include "run_support.h"

/* Both children print their line, and the output belongs to the child. */
static void assert_children_greet(const struct trace *tr, enum role child_role)
{
	const struct process *a = proc_with_role(tr, child_role, 0);
	const struct process *b = proc_with_role(tr, child_role, 1);
	char *oa, *ob, *om;

	assert_non_null(a);
	assert_non_null(b);
	oa = output_of(tr, a->pid);
	ob = output_of(tr, b->pid);
	assert_true(strstr(oa, "hello world! 0\n") || strstr(ob, "hello world! 0\n"));
	assert_true(strstr(oa, "hello world! 1\n") || strstr(ob, "hello world! 1\n"));
	om = output_of(tr, trace_root(tr)->pid);
	assert_null(strstr(om, "hello world!"));
	free(oa);
	free(ob);
	free(om);
	assert_true(a->has_exit && !a->exit.is_signal && a->exit.code == 0);
	assert_true(b->has_exit && !b->exit.is_signal && b->exit.code == 0);
}

static void fork_pickles_nothing_to_start_a_process(void **state)
{
	struct run r;
	const struct event *fds;

	(void)state;
	run_program(&r, "-m fork", "classic.py", "");
	assert_int_equal(r.status, 0);
	assert_string_equal(r.tr.meta.method, "fork");
	assert_true(r.tr.meta.has_ptrace && r.tr.meta.has_probe);
	assert_null(find_dump(&r.tr, "process"));
	assert_int_equal(count_role(&r.tr, ROLE_CHILD), 2);
	assert_children_greet(&r.tr, ROLE_CHILD);
	/* the program opens no socket: the probe's own connection must not
	 * show as something the child inherited */
	fds = fds_of(&r.tr, proc_with_role(&r.tr, ROLE_CHILD, 0)->pid, FDS_AT_FORK);
	assert_non_null(fds);
	for (size_t i = 0; i < fds->u.fds.fd_count; i++)
		assert_int_not_equal(fds->u.fds.fds[i].type, FD_SOCKET);
	/* a forked child does not exec */
	assert_int_equal(count_events(&r.tr, EV_EXEC, proc_with_role(&r.tr, ROLE_CHILD, 0)->pid),
			 0);
	assert_none_left(&r.tr);
	run_release(&r);
}

static void spawn_pickles_f_by_reference_and_execs(void **state)
{
	struct run r;
	const struct event *dump;
	const struct process *child;

	(void)state;
	run_program(&r, "-m spawn", "classic.py", "");
	assert_int_equal(r.status, 0);
	assert_string_equal(r.tr.meta.method, "spawn");
	dump = find_dump(&r.tr, "process");
	assert_non_null(dump);
	assert_int_equal(dump->pid, trace_root(&r.tr)->pid);
	assert_true(has_global(dump, "__main__", "f"));
	assert_int_equal(count_role(&r.tr, ROLE_CHILD), 2);
	child = proc_with_role(&r.tr, ROLE_CHILD, 0);
	assert_true(asked_find_class(&r.tr, child->pid, "__main__", "f"));
	/* the child is a fresh interpreter: it execs the same python */
	assert_int_equal(count_events(&r.tr, EV_EXEC, child->pid), 1);
	assert_non_null(child->exe);
	assert_non_null(strstr(child->exe, "python"));
	assert_children_greet(&r.tr, ROLE_CHILD);
	assert_none_left(&r.tr);
	run_release(&r);
}

static void forkserver_forks_children_from_the_server(void **state)
{
	struct run r;
	const struct process *server, *child;
	const struct event *dump;

	(void)state;
	run_program(&r, "-m forkserver", "classic.py", "");
	assert_int_equal(r.status, 0);
	assert_string_equal(r.tr.meta.method, "forkserver");
	assert_int_equal(count_role(&r.tr, ROLE_FORKSERVER), 1);
	server = proc_with_role(&r.tr, ROLE_FORKSERVER, 0);
	assert_int_equal(server->ppid, trace_root(&r.tr)->pid);
	assert_int_equal(count_role(&r.tr, ROLE_CHILD), 2);
	for (size_t i = 0; i < 2; i++) {
		child = proc_with_role(&r.tr, ROLE_CHILD, i);
		assert_int_equal(child->ppid, server->pid);
		assert_true(asked_find_class(&r.tr, child->pid, "__main__", "f"));
	}
	assert_int_equal(count_events(&r.tr, EV_FORK, server->pid), 2);
	dump = find_dump(&r.tr, "process");
	assert_non_null(dump);
	assert_true(has_global(dump, "__main__", "f"));
	assert_children_greet(&r.tr, ROLE_CHILD);
	assert_none_left(&r.tr);
	run_release(&r);
}

static void open_file_is_inherited_under_fork_only(void **state)
{
	struct run r;
	const struct process *child;

	(void)state;
	run_program(&r, "-m fork", "open_file.py", "");
	assert_int_equal(r.status, 0);
	child = proc_with_role(&r.tr, ROLE_CHILD, 0);
	assert_non_null(child);
	assert_true(fds_have_target(fds_of(&r.tr, child->pid, FDS_AT_FORK), "/open_file.py"));
	run_release(&r);

	run_program(&r, "-m spawn", "open_file.py", "");
	assert_int_equal(r.status, 0);
	child = proc_with_role(&r.tr, ROLE_CHILD, 0);
	assert_non_null(child);
	assert_non_null(fds_of(&r.tr, child->pid, FDS_AT_EXEC));
	assert_false(fds_have_target(fds_of(&r.tr, child->pid, FDS_AT_EXEC), "/open_file.py"));
	assert_none_left(&r.tr);
	run_release(&r);
}

static void exit_codes_and_signals_are_recorded(void **state)
{
	struct run r;
	bool saw_three = false, saw_kill = false;

	(void)state;
	run_program(&r, "-m spawn", "exit_codes.py", "");
	assert_int_equal(r.status, 5); /* mpscope exits with the program's status */
	assert_true(trace_root(&r.tr)->has_exit);
	assert_int_equal(trace_root(&r.tr)->exit.code, 5);
	for (size_t i = 0; i < r.tr.proc_count; i++) {
		const struct process *p = &r.tr.procs[i];

		if (p->role != ROLE_CHILD || !p->has_exit)
			continue;
		saw_three |= !p->exit.is_signal && p->exit.code == 3;
		saw_kill |= p->exit.is_signal && p->exit.signal == SIGKILL;
	}
	assert_true(saw_three);
	assert_true(saw_kill);
	assert_none_left(&r.tr);
	run_release(&r);
}

static void lambda_target_fails_to_pickle_under_spawn(void **state)
{
	struct run r;
	const struct event *dump;

	(void)state;
	run_program(&r, "-m spawn", "lambda_target.py", "");
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.out, "pickle"));
	dump = find_dump(&r.tr, "process");
	assert_non_null(dump);
	assert_non_null(dump->u.pickle.error);
	assert_int_equal(count_role(&r.tr, ROLE_CHILD), 0);
	assert_none_left(&r.tr);
	run_release(&r);
}

/* At a fork the parent's own table is recorded at that moment (with the
 * file it opened after it started), and each process's last memory sample
 * is its size as it exits, not the few kB of a process that just exec'd. */
static void forks_snapshot_the_parent_and_exits_the_real_size(void **state)
{
	struct run r;
	const struct event *at_fork;
	int root;

	(void)state;
	run_program(&r, "-m spawn", "open_file.py", "");
	assert_int_equal(r.status, 0);
	root = trace_root(&r.tr)->pid;
	assert_false(fds_have_target(fds_of(&r.tr, root, FDS_AT_START), "/open_file.py"));
	at_fork = fds_of(&r.tr, root, FDS_AT_FORK);
	assert_true(fds_have_target(at_fork, "/open_file.py"));
	assert_non_null(last_before(&r.tr, EV_FORK, root, at_fork->t));
	assert_int_equal(last_before(&r.tr, EV_FORK, root, at_fork->t)->t, at_fork->t);
	for (size_t i = 0; i < r.tr.proc_count; i++) {
		const struct process *p = &r.tr.procs[i];
		const struct event *mem = last_before(&r.tr, EV_MEMORY, p->pid, p->end);
		const struct event *threads = last_before(&r.tr, EV_THREADS, p->pid, p->end);

		assert_true(p->has_exit && !p->exit.is_signal);
		assert_non_null(mem);
		if (mem->u.memory.rss < 1024 * 1024)
			fail_msg("%s %d ends with %llu bytes of RSS: not read at its exit",
				 role_name(p->role), p->pid, (unsigned long long)mem->u.memory.rss);
		assert_non_null(threads);
		assert_int_equal(threads->t, mem->t);
	}
	assert_none_left(&r.tr);
	run_release(&r);
}

/* --payload-cap keeps that many bytes of each pickle, and its full size. */
static void payload_cap_cuts_the_bytes_but_keeps_the_size(void **state)
{
	struct run r;
	const struct event *dump;
	size_t cut = 0;

	(void)state;
	run_program(&r, "-m spawn --payload-cap 100", "classic.py", "");
	assert_int_equal(r.status, 0);
	assert_int_equal(r.tr.meta.payload_cap, 100);
	dump = find_dump(&r.tr, "process");
	assert_non_null(dump);
	assert_true(dump->u.pickle.size > 300); /* the whole process object */
	assert_int_equal(dump->u.pickle.bytes_len, 100);
	assert_true(dump->u.pickle.is_truncated);
	for (size_t i = 0; i < r.tr.event_count; i++) {
		const struct event *ev = &r.tr.events[i];

		if (ev->kind != EV_PICKLE_DUMP && ev->kind != EV_PICKLE_LOAD)
			continue;
		assert_true(ev->u.pickle.bytes_len <= 100);
		assert_int_equal(ev->u.pickle.is_truncated, ev->u.pickle.size > 100);
		cut += ev->u.pickle.is_truncated;
	}
	assert_true(cut >= 4); /* preparation and process object, dumped and loaded */
	assert_none_left(&r.tr);
	run_release(&r);
}

/* The probe socket sits in a private folder that is gone afterwards, and a
 * message in another process's name is refused. */
static void probe_socket_is_private_and_checks_senders(void **state)
{
	struct run r;
	char folder[256] = "", mode[16] = "";
	const char *line;
	bool genuine = false, forged = false;

	(void)state;
	run_program(&r, "", "probe_socket.py", "");
	assert_int_equal(r.status, 0);
	line = strstr(r.out, "folder ");
	assert_non_null(line);
	assert_int_equal(sscanf(line, "folder %255s %15s", folder, mode), 2);
	assert_string_equal(mode, "0o700");
	assert_int_equal(access(folder, F_OK), -1);
	for (size_t i = 0; i < r.tr.event_count; i++) {
		const struct event *ev = &r.tr.events[i];

		if (ev->kind != EV_PICKLE_FIND_CLASS)
			continue;
		genuine |= strcmp(ev->u.find_class.module, "genuine") == 0;
		forged |= strcmp(ev->u.find_class.module, "forged") == 0;
	}
	assert_true(genuine);
	assert_false(forged);
	run_release(&r);
}

/* An exec drops close-on-exec descriptors: the trace shows which were
 * closed and which were kept. */
static void exec_shows_what_close_on_exec_dropped(void **state)
{
	struct run r;
	const struct event *pass = NULL;
	bool file_closed = false, pipe_kept = false;

	(void)state;
	run_program(&r, "", "exec_cloexec.py", "");
	assert_int_equal(r.status, 0);
	for (size_t i = 0; i < r.tr.event_count && !pass; i++)
		if (r.tr.events[i].kind == EV_FDS_PASS &&
		    r.tr.events[i].u.fds_pass.via == PASS_EXEC)
			pass = &r.tr.events[i];
	assert_non_null(pass);
	assert_int_equal(pass->pid, trace_root(&r.tr)->pid);
	for (size_t i = 0; i < pass->u.fds_pass.closed_count; i++) {
		const struct fd_entry *e = &pass->u.fds_pass.closed[i];

		file_closed |= e->is_cloexec && e->target && strstr(e->target, "exec_cloexec.py");
	}
	for (size_t i = 0; i < pass->u.fds_pass.fd_count; i++)
		pipe_kept |= pass->u.fds_pass.fds[i].type == FD_PIPE;
	assert_true(file_closed);
	assert_true(pipe_kept);
	assert_none_left(&r.tr);
	run_release(&r);
}

/* -m is only a default: a program that chooses its method wins, and the
 * trace says both what was asked and what ran. */
static void the_programs_own_method_wins_over_m(void **state)
{
	struct run r;
	const struct event *sm = NULL;

	(void)state;
	run_program(&r, "-m fork", "classic_method.py", "spawn");
	assert_int_equal(r.status, 0);
	assert_string_equal(r.tr.meta.requested_method, "fork");
	assert_string_equal(r.tr.meta.method, "spawn");
	for (size_t i = 0; i < r.tr.event_count && !sm; i++)
		if (r.tr.events[i].kind == EV_START_METHOD)
			sm = &r.tr.events[i];
	assert_non_null(sm);
	assert_string_equal(sm->u.start_method.method, "spawn");
	assert_true(sm->u.start_method.is_explicit);
	assert_non_null(find_dump(&r.tr, "process"));
	assert_none_left(&r.tr);
	run_release(&r);
}

/* SIGSTOP/SIGCONT (group-stops), SIGUSR1 and terminate() reach the program
 * as untraced: the program checks it and exits 0 only then. */
static void signals_and_job_control_behave_as_untraced(void **state)
{
	static const char *const methods[] = { "-m fork", "-m spawn", "-m forkserver" };

	(void)state;
	for (size_t i = 0; i < 3; i++) {
		struct run r;
		bool saw_sigterm = false;

		run_program(&r, methods[i], "stop_signals.py", "");
		if (r.status != 0)
			fail_msg("%s: the program saw signals differently:\n%s", methods[i], r.out);
		for (size_t k = 0; k < r.tr.proc_count; k++)
			saw_sigterm |= r.tr.procs[k].role == ROLE_CHILD &&
				r.tr.procs[k].exit.is_signal &&
				r.tr.procs[k].exit.signal == SIGTERM;
		assert_true(saw_sigterm);
		assert_none_left(&r.tr);
		run_release(&r);
	}
}

/* The memory events of pid with this `at`, in time order: how many, and the
 * first in *first. */
static size_t memory_at(const struct trace *tr, int pid, enum mem_at at, const struct event **first)
{
	size_t n = 0;

	*first = NULL;
	for (size_t i = 0; i < tr->event_count; i++) {
		const struct event *ev = &tr->events[i];

		if (ev->kind != EV_MEMORY || ev->pid != pid || ev->u.memory.at != at)
			continue;
		if (n++ == 0)
			*first = ev;
	}
	return n;
}

/* Memory is read when it means something: main's first sample is its
 * running interpreter (start), a fork child's is taken at its fork with
 * nearly all of it shared with its parent, a long-lived process is sampled
 * every 250 ms, and a spawn child (vfork) has none until its interpreter
 * runs. */
static void memory_is_sampled_when_it_means_something(void **state)
{
	struct run r;
	const struct event *ev, *mem = NULL;
	const struct process *root, *child;
	int64_t last = -1;

	(void)state;
	run_program(&r, "-m fork --timeout 1", "hang.py", "");
	root = trace_root(&r.tr);
	child = proc_with_role(&r.tr, ROLE_CHILD, 0);
	assert_non_null(child);
	for (size_t i = 0; i < r.tr.event_count && !mem; i++)
		if (r.tr.events[i].kind == EV_MEMORY && r.tr.events[i].pid == root->pid)
			mem = &r.tr.events[i];
	assert_non_null(mem);
	assert_int_equal(mem->u.memory.at, MEM_AT_START);
	assert_int_equal(memory_at(&r.tr, child->pid, MEM_AT_FORK, &ev), 1);
	if (ev->u.memory.shared > ev->u.memory.rss ||
	    ev->u.memory.shared < ev->u.memory.rss / 10 * 9)
		fail_msg("the fork child's %llu bytes are not nearly all shared (%llu)",
			 (unsigned long long)ev->u.memory.rss,
			 (unsigned long long)ev->u.memory.shared);
	assert_true(memory_at(&r.tr, child->pid, MEM_AT_SAMPLE, &ev) >= 2);
	assert_true(memory_at(&r.tr, root->pid, MEM_AT_SAMPLE, &ev) >= 2);
	for (size_t i = 0; i < r.tr.event_count; i++) {
		ev = &r.tr.events[i];
		if (ev->kind != EV_MEMORY || ev->pid != root->pid ||
		    ev->u.memory.at != MEM_AT_SAMPLE)
			continue;
		if (last >= 0 && ev->t - last < 250000000)
			fail_msg("samples of %d at %lld and %lld ns are less than 250 ms apart",
				 root->pid, (long long)last, (long long)ev->t);
		last = ev->t;
	}
	assert_none_left(&r.tr);
	run_release(&r);

	run_program(&r, "-m spawn", "classic.py", "");
	for (size_t i = 0; i < 2; i++) {
		const struct event *start, *exit_mem;

		child = proc_with_role(&r.tr, ROLE_CHILD, i);
		assert_non_null(child);
		assert_int_equal(memory_at(&r.tr, child->pid, MEM_AT_FORK, &ev), 0);
		assert_int_equal(memory_at(&r.tr, child->pid, MEM_AT_START, &start), 1);
		assert_int_equal(memory_at(&r.tr, child->pid, MEM_AT_EXIT, &exit_mem), 1);
		assert_true(start->t < exit_mem->t);
		assert_true(start->u.memory.shared > 0);
	}
	assert_int_equal(memory_at(&r.tr, trace_root(&r.tr)->pid, MEM_AT_FORK, &ev), 3);
	run_release(&r);
}

static pid_t busy[2];

static int stop_busy_loops(void **state)
{
	(void)state;
	for (size_t i = 0; i < 2; i++)
		if (busy[i] > 0) {
			kill(busy[i], SIGKILL);
			waitpid(busy[i], NULL, 0);
			busy[i] = 0;
		}
	return 0;
}

/* With both cores kept busy, ptrace's reports reach the tracer late (the
 * first traces had a vfork child's exec after its parent's next pickle);
 * every recording must still put causes before effects, which run_program
 * checks. */
static void causes_come_first_on_a_busy_machine(void **state)
{
	static const char *const methods[] = { "fork", "spawn", "forkserver" };

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		busy[i] = fork();
		if (busy[i] == 0) {
			volatile unsigned long spin = 0;

			prctl(PR_SET_PDEATHSIG, SIGKILL);
			for (;;)
				spin++;
		}
		assert_true(busy[i] > 0);
	}
	for (size_t round = 0; round < 3; round++)
		for (size_t m = 0; m < 3; m++) {
			struct run r;

			run_program(&r, "", "classic_method.py", methods[m]);
			assert_int_equal(r.status, 0);
			assert_string_equal(r.tr.meta.method, methods[m]);
			if (count_role(&r.tr, ROLE_CHILD) != 2)
				fail_msg("%zu children under %s, not 2 (trace kept in %s)",
					 count_role(&r.tr, ROLE_CHILD), methods[m], r.path);
			assert_none_left(&r.tr);
			run_release(&r);
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fork_pickles_nothing_to_start_a_process),
		cmocka_unit_test(spawn_pickles_f_by_reference_and_execs),
		cmocka_unit_test(forkserver_forks_children_from_the_server),
		cmocka_unit_test(open_file_is_inherited_under_fork_only),
		cmocka_unit_test(exit_codes_and_signals_are_recorded),
		cmocka_unit_test(lambda_target_fails_to_pickle_under_spawn),
		cmocka_unit_test(signals_and_job_control_behave_as_untraced),
		cmocka_unit_test(the_programs_own_method_wins_over_m),
		cmocka_unit_test(exec_shows_what_close_on_exec_dropped),
		cmocka_unit_test(probe_socket_is_private_and_checks_senders),
		cmocka_unit_test(forks_snapshot_the_parent_and_exits_the_real_size),
		cmocka_unit_test(payload_cap_cuts_the_bytes_but_keeps_the_size),
		cmocka_unit_test(memory_is_sampled_when_it_means_something),
		cmocka_unit_test_teardown(causes_come_first_on_a_busy_machine, stop_busy_loops),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

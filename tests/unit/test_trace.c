/*
 * test_trace.c - the in-memory model: ordering, lookups, cross-checks and
 * the queries replay relies on.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "common/sbuf.h"
#include "trace/trace.h"

static void add_proc(struct trace *tr, int pid, int ppid, enum role role, int64_t start,
		     int64_t end)
{
	struct process p = { .pid = pid,
			     .ppid = ppid,
			     .role = role,
			     .start = start,
			     .end = end,
			     .has_end = end >= 0 };
	struct mp_err err;

	assert_int_equal(trace_add_process(tr, &p, &err), 0);
}

static void add_ev(struct trace *tr, uint64_t seq, int64_t t, int pid, enum ev_kind kind)
{
	struct event ev = { .seq = seq, .t = t, .pid = pid, .kind = kind };
	struct mp_err err;

	assert_int_equal(trace_add_event(tr, &ev, &err), 0);
}

/* main 100 forks child 101 at t=10; the child exits at t=50. */
static void build_small(struct trace *tr)
{
	struct event fork_ev = { .seq = 1,
				 .t = 10,
				 .pid = 100,
				 .kind = EV_FORK,
				 .u.fork = { .child = 101, .via = VIA_CLONE } };
	struct fd_entry *fds;
	struct event fds_ev = { .seq = 2, .t = 11, .pid = 101, .kind = EV_FDS };
	struct mp_err err;

	trace_init(tr);
	add_proc(tr, 101, 100, ROLE_CHILD, 10, 50);
	add_proc(tr, 100, 0, ROLE_MAIN, 0, 60);
	add_ev(tr, 3, 50, 101, EV_EXIT);
	add_ev(tr, 0, 0, 100, EV_PROC_START);
	assert_int_equal(trace_add_event(tr, &fork_ev, &err), 0);
	fds = trace_alloc(tr, sizeof(*fds));
	assert_non_null(fds);
	fds[0] = (struct fd_entry){ .fd = 7, .type = FD_PIPE, .target = "pipe:[1]", .as_fd = -1 };
	fds_ev.u.fds.at = FDS_AT_FORK;
	fds_ev.u.fds.fds = fds;
	fds_ev.u.fds.fd_count = 1;
	assert_int_equal(trace_add_event(tr, &fds_ev, &err), 0);
	assert_int_equal(trace_finish(tr, &err), 0);
}

static void events_come_out_in_time_order(void **state)
{
	struct trace tr;

	(void)state;
	build_small(&tr);
	assert_int_equal(tr.event_count, 4);
	for (size_t i = 1; i < tr.event_count; i++)
		assert_true(tr.events[i - 1].t <= tr.events[i].t);
	assert_int_equal(tr.events[0].kind, EV_PROC_START);
	assert_int_equal(tr.events[3].kind, EV_EXIT);
	trace_release(&tr);
}

static void lookups_and_tree(void **state)
{
	struct trace tr;
	const struct process *kids[4];

	(void)state;
	build_small(&tr);
	assert_non_null(trace_find_proc(&tr, 100));
	assert_null(trace_find_proc(&tr, 102));
	assert_int_equal(trace_root(&tr)->pid, 100);
	assert_int_equal(trace_children(&tr, 100, kids, 4), 1);
	assert_int_equal(kids[0]->pid, 101);
	assert_int_equal(trace_children(&tr, 101, kids, 4), 0);
	trace_release(&tr);
}

static void alive_at_and_fds_at(void **state)
{
	struct trace tr;
	const struct process *child;
	const struct event *fds;

	(void)state;
	build_small(&tr);
	child = trace_find_proc(&tr, 101);
	assert_false(trace_proc_alive_at(child, 5));
	assert_true(trace_proc_alive_at(child, 10));
	assert_false(trace_proc_alive_at(child, 50));
	assert_null(trace_fds_at(&tr, 101, 10));
	fds = trace_fds_at(&tr, 101, 30);
	assert_non_null(fds);
	assert_int_equal(fds->u.fds.fds[0].fd, 7);
	trace_release(&tr);
}

static bool collect(const struct event *ev, void *ctx)
{
	size_t *n = ctx;

	(void)ev;
	(*n)++;
	return true;
}

static void payloads_to_a_process(void **state)
{
	struct trace tr;
	struct event dump = { .seq = 9,
			      .t = 9,
			      .pid = 100,
			      .kind = EV_PICKLE_DUMP,
			      .u.pickle = { .size = 354, .peer = 101 } };
	struct event load = { .seq = 10,
			      .t = 20,
			      .pid = 101,
			      .kind = EV_PICKLE_LOAD,
			      .u.pickle = { .size = 354, .peer = 100 } };
	struct mp_err err;
	size_t n = 0;
	size_t counts[EV_KIND_COUNT];

	(void)state;
	build_small(&tr);
	assert_int_equal(trace_add_event(&tr, &dump, &err), 0);
	assert_int_equal(trace_add_event(&tr, &load, &err), 0);
	assert_int_equal(trace_finish(&tr, &err), 0);
	trace_payloads_to(&tr, 101, collect, &n);
	assert_int_equal(n, 2);
	assert_int_equal(trace_bytes_pickled(&tr), 354);
	assert_int_equal(trace_bytes_counted(&tr), 0);
	trace_count_kinds(&tr, counts);
	assert_int_equal(counts[EV_PICKLE_DUMP], 1);
	assert_int_equal(counts[EV_FORK], 1);
	trace_release(&tr);
}

static void refuses_event_of_unknown_pid(void **state)
{
	struct trace tr;
	struct mp_err err;

	(void)state;
	trace_init(&tr);
	add_proc(&tr, 100, 0, ROLE_MAIN, 0, -1);
	add_ev(&tr, 0, 0, 100, EV_PROC_START);
	add_ev(&tr, 1, 5, 4242, EV_EXIT);
	assert_int_equal(trace_finish(&tr, &err), -1);
	assert_string_equal(err.msg, "events[1].pid: 4242 is not a process of this trace");
	trace_release(&tr);
}

/* A refused trace must not claim to be finished (queries need a finished one). */
static void refused_trace_is_not_finished(void **state)
{
	struct trace tr;
	struct mp_err err;

	(void)state;
	trace_init(&tr);
	add_proc(&tr, 100, 0, ROLE_MAIN, 0, -1);
	add_ev(&tr, 0, 0, 4242, EV_PROC_START);
	assert_int_equal(trace_finish(&tr, &err), -1);
	assert_false(tr.is_finished);
	trace_release(&tr);
}

static void refuses_fork_of_unknown_child(void **state)
{
	struct trace tr;
	struct event fork_ev = {
		.seq = 0, .t = 1, .pid = 100, .kind = EV_FORK, .u.fork = { .child = 555 }
	};
	struct mp_err err;

	(void)state;
	trace_init(&tr);
	add_proc(&tr, 100, 0, ROLE_MAIN, 0, -1);
	assert_int_equal(trace_add_event(&tr, &fork_ev, &err), 0);
	assert_int_equal(trace_finish(&tr, &err), -1);
	assert_string_equal(err.msg, "events[0].child: 555 is not a process of this trace");
	trace_release(&tr);
}

static void refuses_ppid_cycle_and_duplicates(void **state)
{
	struct trace tr;
	struct mp_err err;

	(void)state;
	trace_init(&tr);
	add_proc(&tr, 10, 11, ROLE_CHILD, 0, -1);
	add_proc(&tr, 11, 10, ROLE_CHILD, 0, -1);
	assert_int_equal(trace_finish(&tr, &err), -1);
	assert_string_equal(err.msg, "processes: pid 10 is its own ancestor (ppid cycle)");
	trace_release(&tr);

	trace_init(&tr);
	add_proc(&tr, 10, 0, ROLE_MAIN, 0, -1);
	add_proc(&tr, 10, 0, ROLE_MAIN, 0, -1);
	assert_int_equal(trace_finish(&tr, &err), -1);
	assert_string_equal(err.msg, "processes: pid 10 is listed twice");
	trace_release(&tr);
}

static void sorts_many_events_stably(void **state)
{
	struct trace tr;
	struct mp_err err;

	(void)state;
	trace_init(&tr);
	add_proc(&tr, 1, 0, ROLE_MAIN, 0, -1);
	/* Two interleaved streams, as ptrace and the probe deliver them. */
	for (uint64_t i = 0; i < 100000; i++)
		add_ev(&tr, i, (int64_t)((i % 2) ? i : 100000 - i), 1, EV_OUTPUT);
	assert_int_equal(trace_finish(&tr, &err), 0);
	for (size_t i = 1; i < tr.event_count; i++) {
		assert_true(tr.events[i - 1].t <= tr.events[i].t);
		if (tr.events[i - 1].t == tr.events[i].t)
			assert_true(tr.events[i - 1].seq < tr.events[i].seq);
	}
	trace_release(&tr);
}

static void names_round_trip(void **state)
{
	(void)state;
	for (int k = 0; k < EV_UNKNOWN; k++)
		assert_int_equal(ev_kind_from_name(ev_kind_name((enum ev_kind)k)), k);
	assert_int_equal(ev_kind_from_name("unknown"), -1);
	assert_int_equal(ev_kind_from_name("fds.pass"), EV_FDS_PASS);
	assert_int_equal(role_from_name("forkserver"), ROLE_FORKSERVER);
	assert_int_equal(role_from_name("wizard"), -1);
	assert_string_equal(fd_type_name(FD_SOCKET), "socket");
	assert_null(fd_type_name(FD_TYPE_COUNT));
}

static void fd_find_in_a_table(void **state)
{
	const struct fd_entry table[] = {
		{ .fd = 0, .type = FD_TTY },
		{ .fd = 7, .type = FD_PIPE },
		{ .fd = 9, .type = FD_FILE },
	};

	(void)state;
	assert_ptr_equal(trace_fd_find(table, 3, 7), &table[1]);
	assert_null(trace_fd_find(table, 3, 8));
	assert_null(trace_fd_find(table, 0, 0));
}

/* One wording of an exit status everywhere: info, narration, lanes, run. */
/* Counted pickles are worded once: each purpose by its name, one or
 * several, made or read, the count exact with separators. */
/* The bytes a run pickled are the kept ones plus the counted dumps (a
 * load's bytes are the same pickle, read). */
static void counted_bytes_are_the_counted_dumps(void **state)
{
	struct trace tr;
	struct event dumps = { .t = 6,
			       .pid = 100,
			       .kind = EV_PICKLE_SUMMARY,
			       .u.pickle_summary = { "pool_task", DIRECTION_DUMP, 3, 1000 } };
	struct event loads = { .t = 6,
			       .pid = 101,
			       .kind = EV_PICKLE_SUMMARY,
			       .u.pickle_summary = { "pool_task", DIRECTION_LOAD, 3, 1000 } };
	struct mp_err err;

	(void)state;
	build_small(&tr);
	assert_int_equal(trace_add_event(&tr, &dumps, &err), 0);
	assert_int_equal(trace_add_event(&tr, &loads, &err), 0);
	assert_int_equal(trace_finish(&tr, &err), 0);
	assert_int_equal(trace_bytes_counted(&tr), 1000);
	assert_int_equal(trace_bytes_pickled(&tr), 0);
	trace_release(&tr);
}

static void counted_pickles_words(void **state)
{
	static const struct {
		const char *what;
		enum pickle_direction op;
		uint64_t count;
		const char *want;
	} rows[] = {
		{ "pool_task", DIRECTION_DUMP, 19968, "19,968 more pool tasks pickled" },
		{ "pool_result", DIRECTION_LOAD, 1, "1 more pool result unpickled" },
		{ "queue_item", DIRECTION_LOAD, 1204, "1,204 more queue items unpickled" },
		{ "process", DIRECTION_DUMP, 2, "2 more process objects pickled" },
		{ "preparation", DIRECTION_LOAD, 1, "1 more set of preparation data unpickled" },
		{ "other", DIRECTION_DUMP, 40, "40 more other objects pickled" },
		{ "future_kind", DIRECTION_DUMP, 3, "3 more objects (future_kind) pickled" },
	};
	struct sbuf b;

	(void)state;
	sbuf_init(&b);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		sbuf_clear(&b);
		trace_counted_format(rows[i].what, rows[i].op, rows[i].count, &b);
		assert_string_equal(b.data, rows[i].want);
	}
	sbuf_release(&b);
}

/* The policy is said when the trace says it, and only then. */
static void keep_policy_words(void **state)
{
	struct trace_meta m = { 0 };
	struct sbuf b;

	(void)state;
	sbuf_init(&b);
	assert_false(trace_keep_format(&m, &b));
	assert_int_equal(b.len, 0);
	m.has_payload_keep_first = true;
	m.payload_keep_first = 32;
	assert_true(trace_keep_format(&m, &b));
	assert_string_equal(b.data, "kept the first 32 of each kind per process");
	sbuf_clear(&b);
	m.is_all_payloads = true;
	assert_true(trace_keep_format(&m, &b));
	assert_string_equal(b.data, "kept every pickle");
	sbuf_release(&b);
}

static void exit_status_words(void **state)
{
	struct exit_status code3 = { .code = 3 };
	struct exit_status killed = { .is_signal = true, .signal = 9, .core_dumped = true };
	struct exit_status rt = { .is_signal = true, .signal = 34 };
	struct exit_status odd = { .is_signal = true, .signal = 99 };
	char buf[64];

	(void)state;
	trace_exit_format(&code3, EXIT_SENTENCE, buf, sizeof(buf));
	assert_string_equal(buf, "exited with status 3");
	trace_exit_format(&code3, EXIT_STATUS, buf, sizeof(buf));
	assert_string_equal(buf, "exit 3");
	trace_exit_format(&code3, EXIT_TERSE, buf, sizeof(buf));
	assert_string_equal(buf, "3");
	trace_exit_format(&killed, EXIT_SENTENCE, buf, sizeof(buf));
	assert_string_equal(buf, "was killed by SIGKILL (core dumped)");
	trace_exit_format(&killed, EXIT_STATUS, buf, sizeof(buf));
	assert_string_equal(buf, "killed by SIGKILL (core dumped)");
	trace_exit_format(&killed, EXIT_TERSE, buf, sizeof(buf));
	assert_string_equal(buf, "SIGKILL");
	trace_exit_format(&rt, EXIT_STATUS, buf, sizeof(buf));
	assert_string_equal(buf, "killed by SIGRTMIN+2");
	trace_exit_format(&odd, EXIT_STATUS, buf, sizeof(buf));
	assert_string_equal(buf, "killed by signal 99");
	/* A short buffer is cut, never overrun, and the needed length returned. */
	assert_int_equal(trace_exit_format(&killed, EXIT_STATUS, buf, 8), 31);
	assert_string_equal(buf, "killed ");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(events_come_out_in_time_order),
		cmocka_unit_test(lookups_and_tree),
		cmocka_unit_test(alive_at_and_fds_at),
		cmocka_unit_test(payloads_to_a_process),
		cmocka_unit_test(refuses_event_of_unknown_pid),
		cmocka_unit_test(refused_trace_is_not_finished),
		cmocka_unit_test(refuses_fork_of_unknown_child),
		cmocka_unit_test(refuses_ppid_cycle_and_duplicates),
		cmocka_unit_test(sorts_many_events_stably),
		cmocka_unit_test(names_round_trip),
		cmocka_unit_test(fd_find_in_a_table),
		cmocka_unit_test(exit_status_words),
		cmocka_unit_test(counted_pickles_words),
		cmocka_unit_test(counted_bytes_are_the_counted_dumps),
		cmocka_unit_test(keep_policy_words),
	};

	return cmocka_run_group_tests_name("trace", tests, NULL, NULL);
}

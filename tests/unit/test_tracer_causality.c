/*
 * test_tracer_causality.c - the repair pass (causality.c) on recorded
 * events built by hand: the spawn case (a vfork child's exec stamped
 * after its parent's next pickles), a child's event before its fork, a load
 * before its dump, a trace already in order, the probe-only rule for vfork,
 * and contradictory stamps (a cycle) left alone.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tracer/tracer_internal.h"

struct fixture {
	struct tracer t;
	struct trace tr;
	struct tracer_result res;
};

static void setup(struct fixture *f, bool is_traced)
{
	memset(f, 0, sizeof(*f));
	trace_init(&f->tr);
	f->t.tr = &f->tr;
	f->t.res = &f->res;
	f->t.is_traced = is_traced;
	arena_init(&f->t.proc_arena);
	pidmap_init(&f->t.proc_index);
	pidmap_init(&f->t.tasks);
}

static void teardown(struct fixture *f)
{
	pidmap_release(&f->t.proc_index);
	pidmap_release(&f->t.tasks);
	free(f->t.procs);
	arena_release(&f->t.proc_arena);
	trace_release(&f->tr);
}

static struct tproc *proc(struct fixture *f, int pid, int64_t start)
{
	struct tproc *p = record_add_proc(&f->t, pid, 0, start);

	assert_non_null(p);
	return p;
}

/* Records an event; returns its seq (its index: events are not reordered). */
static uint64_t ev(struct fixture *f, int64_t t, int pid, enum ev_kind kind)
{
	struct event e = { .t = t, .pid = pid, .kind = kind };

	record_event(&f->t, &e);
	assert_false(f->t.has_fatal);
	return f->tr.events[f->tr.event_count - 1].seq;
}

static uint64_t fork_ev(struct fixture *f, int64_t t, int parent, int child, enum fork_via via)
{
	uint64_t seq = ev(f, t, parent, EV_FORK);

	f->tr.events[seq].u.fork.child = child;
	f->tr.events[seq].u.fork.via = via;
	return seq;
}

static uint64_t pickle_ev(struct fixture *f, int64_t t, int pid, enum ev_kind kind, int peer,
			  uint64_t size)
{
	uint64_t seq = ev(f, t, pid, kind);

	f->tr.events[seq].u.pickle.peer = peer;
	f->tr.events[seq].u.pickle.size = size;
	return seq;
}

static int64_t t_of(const struct fixture *f, uint64_t seq)
{
	return f->tr.events[seq].t;
}

/* traces/01-what-gets-pickled.spawn.json as first recorded: main (10)
 * vforks child 11 at 31.4 ms, pickles for child 12 at 38.64 and 38.67 ms
 * (probe stamps), then vforks 12; the tracer saw 11's exec only at 38.87 ms,
 * in the same batch as that second vfork. */
static void a_late_vfork_exec_moves_the_parents_next_events_after_it(void **state)
{
	struct fixture f;
	struct tproc *c2;
	uint64_t fork1, exec1, fork2, start2, prep, obj, exit2;

	(void)state;
	setup(&f, true);
	proc(&f, 10, 0);
	proc(&f, 11, 31400000);
	c2 = proc(&f, 12, 38870000);
	fork1 = fork_ev(&f, 31400000, 10, 11, VIA_VFORK);
	ev(&f, 31400000, 11, EV_PROC_START);
	fork2 = fork_ev(&f, 38870000, 10, 12, VIA_VFORK);
	start2 = ev(&f, 38870000, 12, EV_PROC_START);
	exec1 = ev(&f, 38870000, 11, EV_EXEC);
	exit2 = ev(&f, 96000000, 12, EV_EXIT);
	prep = pickle_ev(&f, 38640000, 10, EV_PICKLE_DUMP, 12, 619);
	obj = pickle_ev(&f, 38670000, 10, EV_PICKLE_DUMP, 12, 344);
	causality_repair(&f.t);
	/* the cause stays; the parent's pickles come just after it, in their
	 * order; the fork that follows them, and its child, after them */
	assert_int_equal(t_of(&f, fork1), 31400000);
	assert_int_equal(t_of(&f, exec1), 38870000);
	assert_int_equal(t_of(&f, prep), 38870001);
	assert_int_equal(t_of(&f, obj), 38870001);
	assert_int_equal(t_of(&f, fork2), 38870002);
	assert_int_equal(t_of(&f, start2), 38870002);
	assert_int_equal(c2->start, 38870002);
	assert_int_equal(t_of(&f, exit2), 96000000);
	assert_int_equal(f.tr.meta.reordered_events, 4);
	teardown(&f);
}

static void a_childs_event_before_its_fork_moves_after_it(void **state)
{
	struct fixture f;
	uint64_t fork, load, out;

	(void)state;
	setup(&f, true);
	proc(&f, 10, 0);
	proc(&f, 11, 5000);
	fork = fork_ev(&f, 5000, 10, 11, VIA_FORK);
	out = ev(&f, 4500, 11, EV_OUTPUT);
	load = ev(&f, 4000, 11, EV_PICKLE_FIND_CLASS);
	causality_repair(&f.t);
	/* 4000 then 4500 in the child: both after the fork, still in order
	 * (the first at the fork's time, after it by seq; the second recorded
	 * earlier, so a nanosecond later) */
	assert_int_equal(t_of(&f, fork), 5000);
	assert_int_equal(t_of(&f, load), 5000);
	assert_int_equal(t_of(&f, out), 5001);
	assert_int_equal(f.tr.meta.reordered_events, 2);
	teardown(&f);
}

static void a_load_before_its_dump_moves_after_it(void **state)
{
	struct fixture f;
	uint64_t dump, other, load, later;

	(void)state;
	setup(&f, true);
	proc(&f, 10, 0);
	proc(&f, 11, 0);
	/* a dump of another size, and one to another process, do not count */
	other = pickle_ev(&f, 50, 10, EV_PICKLE_DUMP, 11, 99);
	pickle_ev(&f, 60, 10, EV_PICKLE_DUMP, 12, 344);
	dump = pickle_ev(&f, 300, 10, EV_PICKLE_DUMP, 11, 344);
	load = pickle_ev(&f, 200, 11, EV_PICKLE_LOAD, 10, 344);
	later = ev(&f, 250, 11, EV_PICKLE_FIND_CLASS);
	causality_repair(&f.t);
	assert_int_equal(t_of(&f, other), 50);
	assert_int_equal(t_of(&f, dump), 300);
	assert_int_equal(t_of(&f, load), 301);
	assert_int_equal(t_of(&f, later), 301);
	assert_int_equal(f.tr.meta.reordered_events, 2);
	teardown(&f);
}

static void a_trace_in_causal_order_is_left_as_it_is(void **state)
{
	static const int64_t recorded[] = { 100, 100, 150, 200, 400, 500 };
	struct fixture f;

	(void)state;
	setup(&f, true);
	proc(&f, 10, 0);
	proc(&f, 11, 100);
	fork_ev(&f, 100, 10, 11, VIA_VFORK);
	ev(&f, 100, 11, EV_PROC_START);
	ev(&f, 150, 11, EV_EXEC);
	pickle_ev(&f, 200, 10, EV_PICKLE_DUMP, 11, 10);
	pickle_ev(&f, 400, 11, EV_PICKLE_LOAD, 10, 10);
	ev(&f, 500, 11, EV_EXIT);
	causality_repair(&f.t);
	for (size_t i = 0; i < f.tr.event_count; i++)
		assert_int_equal(f.tr.events[i].t, recorded[i]);
	assert_int_equal(f.tr.meta.reordered_events, 0);
	teardown(&f);
}

/* Without ptrace no exec is recorded for a spawn child: its exit, long
 * after, says nothing about when its parent was released. With ptrace, a
 * vfork child that never exec'd released its parent by exiting. */
static void a_vfork_childs_exit_counts_only_with_ptrace(void **state)
{
	for (int traced = 0; traced < 2; traced++) {
		struct fixture f;
		uint64_t next;

		setup(&f, traced);
		proc(&f, 10, 0);
		proc(&f, 11, 100);
		fork_ev(&f, 100, 10, 11, VIA_VFORK);
		next = pickle_ev(&f, 200, 10, EV_PICKLE_DUMP, 11, 10);
		ev(&f, 900, 11, EV_EXIT);
		causality_repair(&f.t);
		assert_int_equal(t_of(&f, next), traced ? 901 : 200);
		teardown(&f);
	}
	(void)state;
}

/* Stamps no move can reconcile (the child's dump read by its parent before
 * the fork that made the child) are left as recorded, not moved for ever. */
static void contradictory_stamps_are_left_alone(void **state)
{
	struct fixture f;

	(void)state;
	setup(&f, true);
	proc(&f, 10, 0);
	proc(&f, 11, 50);
	pickle_ev(&f, 10, 11, EV_PICKLE_DUMP, 10, 5);
	pickle_ev(&f, 20, 10, EV_PICKLE_LOAD, 11, 5);
	fork_ev(&f, 50, 10, 11, VIA_FORK);
	causality_repair(&f.t);
	assert_int_equal(f.tr.events[0].t, 10);
	assert_int_equal(f.tr.events[1].t, 20);
	assert_int_equal(f.tr.events[2].t, 50);
	assert_int_equal(f.tr.meta.reordered_events, 0);
	teardown(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_late_vfork_exec_moves_the_parents_next_events_after_it),
		cmocka_unit_test(a_childs_event_before_its_fork_moves_after_it),
		cmocka_unit_test(a_load_before_its_dump_moves_after_it),
		cmocka_unit_test(a_trace_in_causal_order_is_left_as_it_is),
		cmocka_unit_test(a_vfork_childs_exit_counts_only_with_ptrace),
		cmocka_unit_test(contradictory_stamps_are_left_alone),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

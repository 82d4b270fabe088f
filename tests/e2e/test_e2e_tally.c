/*
 * test_e2e_tally.c - `mpscope run` keeps the first pickles of each kind and
 * counts the rest (pickle.summary), and the counts are the truth: under
 * fork, spawn and forkserver, a Pool of N tasks gives events plus summaries
 * of exactly N task dumps, N task loads, N result dumps and N result loads,
 * with the same bytes as a run that keeps every pickle; a worker killed by
 * SIGKILL mid-run keeps what it did; --all-payloads keeps every one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "run_support.h"

static const char *const methods[] = { "fork", "spawn", "forkserver" };

/* One kind of pickle: a purpose and a direction. */
struct total {
	const char *what;
	enum pickle_direction op;
	uint64_t count; /* events plus summaries */
	uint64_t size; /* bytes, in all */
	uint64_t kept; /* events alone */
	uint64_t most_kept; /* the most events of one process */
};

static bool is_pickle(const struct event *ev)
{
	return ev->kind == EV_PICKLE_DUMP || ev->kind == EV_PICKLE_LOAD;
}

static uint64_t kept_by(const struct trace *tr, int pid, const struct total *k)
{
	uint64_t n = 0;

	for (size_t i = 0; i < tr->event_count; i++) {
		const struct event *ev = &tr->events[i];

		n += is_pickle(ev) && ev->pid == pid && !ev->u.pickle.error &&
			(ev->kind == EV_PICKLE_LOAD) == (k->op == DIRECTION_LOAD) &&
			ev->u.pickle.what && strcmp(ev->u.pickle.what, k->what) == 0;
	}
	return n;
}

static struct total total_of(const struct trace *tr, const char *what, enum pickle_direction op)
{
	struct total k = { .what = what, .op = op };

	for (size_t i = 0; i < tr->event_count; i++) {
		const struct event *ev = &tr->events[i];

		if (ev->kind == EV_PICKLE_SUMMARY && ev->u.pickle_summary.op == op &&
		    strcmp(ev->u.pickle_summary.what, what) == 0) {
			k.count += ev->u.pickle_summary.count;
			k.size += ev->u.pickle_summary.size;
		} else if (is_pickle(ev) && !ev->u.pickle.error &&
			   (ev->kind == EV_PICKLE_LOAD) == (op == DIRECTION_LOAD) &&
			   ev->u.pickle.what && strcmp(ev->u.pickle.what, what) == 0) {
			k.count++;
			k.kept++;
			k.size += ev->u.pickle.size;
		}
	}
	for (size_t p = 0; p < tr->proc_count; p++) {
		uint64_t n = kept_by(tr, tr->procs[p].pid, &k);

		if (n > k.most_kept)
			k.most_kept = n;
	}
	return k;
}

static size_t count_summaries(const struct trace *tr)
{
	return count_events(tr, EV_PICKLE_SUMMARY, 0);
}

/* The four kinds of a Pool's pickles, each expected n times. */
static void assert_pool_totals(const struct trace *tr, uint64_t tasks, uint64_t results,
			       uint64_t keep_first, const char *method)
{
	const struct {
		const char *what;
		enum pickle_direction op;
		uint64_t expected;
	} kinds[] = {
		{ "pool_task", DIRECTION_DUMP, tasks },
		{ "pool_task", DIRECTION_LOAD, tasks },
		{ "pool_result", DIRECTION_DUMP, results },
		{ "pool_result", DIRECTION_LOAD, results },
	};

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		struct total k = total_of(tr, kinds[i].what, kinds[i].op);

		if (k.count != kinds[i].expected)
			fail_msg("%s: %s %s: %llu counted (%llu kept), the program made %llu",
				 method, kinds[i].what, pickle_direction_name(kinds[i].op),
				 (unsigned long long)k.count, (unsigned long long)k.kept,
				 (unsigned long long)kinds[i].expected);
		if (keep_first && k.most_kept > keep_first)
			fail_msg("%s: a process kept %llu %s %ss, more than the %llu asked", method,
				 (unsigned long long)k.most_kept, kinds[i].what,
				 pickle_direction_name(kinds[i].op),
				 (unsigned long long)keep_first);
	}
}

/* Bytes of each kind in two traces of the same deterministic program. */
static void assert_same_bytes(const struct trace *a, const struct trace *b, const char *method)
{
	const char *whats[] = { "pool_task", "pool_result" };

	for (size_t w = 0; w < 2; w++)
		for (int op = DIRECTION_DUMP; op < DIRECTION_COUNT; op++) {
			struct total x = total_of(a, whats[w], (enum pickle_direction)op);
			struct total y = total_of(b, whats[w], (enum pickle_direction)op);

			if (x.size != y.size)
				fail_msg("%s: %s %s: %llu bytes counted, %llu when every one is "
					 "kept",
					 method, whats[w],
					 pickle_direction_name((enum pickle_direction)op),
					 (unsigned long long)x.size, (unsigned long long)y.size);
		}
}

static void test_pool_counts_add_up_under_each_method(void **state)
{
	(void)state;
	for (size_t m = 0; m < 3; m++) {
		struct run counted, every;
		char opts[64];

		snprintf(opts, sizeof(opts), "-m %s --keep-payloads 5", methods[m]);
		run_program(&counted, opts, "pool_map.py", "300");
		assert_int_equal(counted.status, 0);
		assert_true(counted.tr.meta.has_payload_keep_first);
		assert_int_equal(counted.tr.meta.payload_keep_first, 5);
		assert_true(count_summaries(&counted.tr) > 0);
		assert_pool_totals(&counted.tr, 300, 300, 5, methods[m]);

		snprintf(opts, sizeof(opts), "-m %s --all-payloads", methods[m]);
		run_program(&every, opts, "pool_map.py", "300");
		assert_int_equal(every.status, 0);
		assert_true(every.tr.meta.is_all_payloads);
		assert_int_equal(count_summaries(&every.tr), 0);
		assert_pool_totals(&every.tr, 300, 300, 0, methods[m]);
		assert_same_bytes(&counted.tr, &every.tr, methods[m]);
		run_release(&counted);
		run_release(&every);
	}
}

static void test_a_killed_worker_keeps_its_counts(void **state)
{
	(void)state;
	for (size_t m = 0; m < 3; m++) {
		struct run r;
		char opts[64];

		snprintf(opts, sizeof(opts), "-m %s --keep-payloads 3", methods[m]);
		/* The worker that gets task 150 dies by SIGKILL running it: it had
		 * loaded that task, and counted the ones before. */
		run_program(&r, opts, "pool_killed.py", "300 150");
		assert_int_equal(r.status, 0);
		if (!strstr(r.out, "got 299 of 300"))
			fail_msg("%s: the program saw something else:\n%s", methods[m], r.out);
		assert_true(proc_with_role(&r.tr, ROLE_CHILD, 0) != NULL);
		assert_pool_totals(&r.tr, 300, 299, 3, methods[m]);
		assert_none_left(&r.tr);
		run_release(&r);
	}
}

static void test_the_default_keeps_the_first_32(void **state)
{
	struct run r;

	(void)state;
	run_program(&r, "-m fork", "pool_map.py", "100");
	assert_int_equal(r.status, 0);
	assert_int_equal(r.tr.meta.payload_keep_first, 32);
	assert_false(r.tr.meta.is_all_payloads);
	assert_pool_totals(&r.tr, 100, 100, 32, "fork");
	run_release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pool_counts_add_up_under_each_method),
		cmocka_unit_test(test_a_killed_worker_keeps_its_counts),
		cmocka_unit_test(test_the_default_keeps_the_first_32),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

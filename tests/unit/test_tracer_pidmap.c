/*
 * test_tracer_pidmap.c - the tid -> process map of the ptrace loop: puts,
 * overwrites, removals (tombstones must not hide later keys) and growth.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "tracer/pidmap.h"

static void put_get_overwrite_remove(void **state)
{
	struct pidmap m;
	int v;

	(void)state;
	pidmap_init(&m);
	assert_false(pidmap_get(&m, 42, &v));
	assert_int_equal(pidmap_put(&m, 42, 1), 0);
	assert_int_equal(pidmap_put(&m, 43, 2), 0);
	assert_true(pidmap_get(&m, 42, &v));
	assert_int_equal(v, 1);
	assert_int_equal(pidmap_put(&m, 42, 7), 0);
	assert_true(pidmap_get(&m, 42, &v));
	assert_int_equal(v, 7);
	pidmap_remove(&m, 42);
	assert_false(pidmap_get(&m, 42, &v));
	assert_true(pidmap_get(&m, 43, &v));
	assert_int_equal(v, 2);
	pidmap_release(&m);
}

static void many_keys_survive_growth_and_churn(void **state)
{
	struct pidmap m;
	int v;

	(void)state;
	pidmap_init(&m);
	/* Threads come and go: many removals must not make lookups fail. */
	for (int round = 0; round < 20; round++) {
		for (int k = 1; k <= 500; k++)
			assert_int_equal(pidmap_put(&m, round * 1000 + k, k), 0);
		for (int k = 1; k <= 500; k += 2)
			pidmap_remove(&m, round * 1000 + k);
	}
	for (int round = 0; round < 20; round++)
		for (int k = 1; k <= 500; k++) {
			bool has = pidmap_get(&m, round * 1000 + k, &v);

			assert_int_equal(has, k % 2 == 0);
			if (has)
				assert_int_equal(v, k);
		}
	pidmap_release(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(put_get_overwrite_remove),
		cmocka_unit_test(many_keys_survive_growth_and_churn),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

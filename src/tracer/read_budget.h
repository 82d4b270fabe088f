/*
 * read_budget.h - how many costly /proc reads a run may make: a token
 * bucket. Reading /proc/PID/smaps_rollup walks the process's page tables
 * (100-250 us of CPU for a 15 MB Python, while it waits stopped), so a run
 * that starts hundreds of processes cannot afford one at every fork, exit
 * and start. The first READ_BUDGET_BURST reads of a run are free; after
 * that READ_BUDGET_PER_S a second. A read skipped is a sample not taken:
 * the trace holds fewer memory events, never a wrong one.
 */
#ifndef MP_TRACER_READ_BUDGET_H
#define MP_TRACER_READ_BUDGET_H

#include <stdbool.h>
#include <stdint.h>

#define READ_BUDGET_BURST 48
#define READ_BUDGET_PER_S 32

struct read_budget {
	int64_t spent_until; /* ns: when every read taken so far would be paid back */
	bool is_started;
};

/* Takes one read at time now (ns, any monotonic origin); false when the
 * budget is spent. */
static inline bool read_budget_take(struct read_budget *b, int64_t now)
{
	const int64_t per_read = 1000000000LL / READ_BUDGET_PER_S;

	if (!b->is_started) {
		b->spent_until = now - READ_BUDGET_BURST * per_read;
		b->is_started = true;
	}
	if (b->spent_until < now - READ_BUDGET_BURST * per_read)
		b->spent_until = now - READ_BUDGET_BURST * per_read;
	if (b->spent_until + per_read > now)
		return false;
	b->spent_until += per_read;
	return true;
}

#endif

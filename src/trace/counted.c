/*
 * counted.c - the one wording of pickles counted but not kept one by one
 * (pickle.summary events) and of the recording's choice of what to keep
 * (meta.payload_keep_first, meta.all_payloads), shared by the screen, its
 * narration, `info` and every export, so "19,968 more pool tasks pickled"
 * reads the same wherever it is told. Pure: no I/O.
 */
#include <string.h>

#include "common/sbuf.h"
#include "trace/trace.h"

/* What each purpose of a pickle is called, one and several. */
static const struct noun {
	const char *what;
	const char *one, *many;
} nouns[] = {
	{ "process", "process object", "process objects" },
	{ "preparation", "set of preparation data", "sets of preparation data" },
	{ "pool_task", "pool task", "pool tasks" },
	{ "pool_result", "pool result", "pool results" },
	{ "queue_item", "queue item", "queue items" },
	{ "other", "other object", "other objects" },
};

static const char *const verbs[DIRECTION_COUNT] = {
	[DIRECTION_DUMP] = "pickled",
	[DIRECTION_LOAD] = "unpickled",
};

void trace_counted_format(const char *what, enum pickle_direction op, uint64_t count,
			  struct sbuf *out)
{
	const char *verb = (unsigned)op < DIRECTION_COUNT ? verbs[op] : "pickled or unpickled";

	sbuf_add_count(out, count);
	sbuf_adds(out, " more ");
	for (size_t i = 0; i < sizeof(nouns) / sizeof(nouns[0]); i++) {
		if (what && strcmp(what, nouns[i].what) == 0) {
			sbuf_addf(out, "%s %s", count == 1 ? nouns[i].one : nouns[i].many, verb);
			return;
		}
	}
	/* A purpose from a newer probe: named as the trace spells it. */
	sbuf_addf(out, "%s (%s) %s", count == 1 ? "object" : "objects", what ? what : "?", verb);
}

bool trace_keep_format(const struct trace_meta *m, struct sbuf *out)
{
	if (m->is_all_payloads) {
		sbuf_adds(out, "kept every pickle");
		return true;
	}
	if (!m->has_payload_keep_first)
		return false;
	sbuf_addf(out, "kept the first %llu of each kind per process",
		  (unsigned long long)m->payload_keep_first);
	return true;
}

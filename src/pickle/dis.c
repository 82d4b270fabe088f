/*
 * dis.c - the whole instruction list of a pickle in an arena, for callers
 * that want to look at it (the UI highlights GLOBAL lines) rather than
 * print it as it streams.
 */
#include <string.h>

#include "pickle/internal.h"

int pickle_dis(const uint8_t *buf, size_t len, struct arena *a, struct pickle_listing *out,
	       struct mp_err *err)
{
	struct pickle_walker w;
	struct pickle_insn insn, *grown;
	size_t cap = 0;
	bool printable;
	int rc;

	memset(out, 0, sizeof(*out));
	pickle_walker_init(&w, buf, len);
	while ((rc = pickle_walker_next(&w, &insn, &printable, err)) > 0 || printable) {
		if (out->insn_count == cap) {
			/* The arena cannot grow in place: double, so copies stay linear. */
			cap = cap ? cap * 2 : 64;
			grown = arena_alloc(a, cap * sizeof(*grown));
			if (!grown) {
				rc = mp_err_set(err, "out of memory listing %zu opcodes",
						out->insn_count);
				break;
			}
			if (out->insn_count)
				memcpy(grown, out->insns, out->insn_count * sizeof(*grown));
			out->insns = grown;
		}
		out->insns[out->insn_count++] = insn;
		if (rc < 0)
			break;
	}
	out->max_proto = w.max_proto;
	out->is_complete = rc == 0;
	pickle_walker_release(&w);
	return rc == 0 ? 0 : -1;
}

/*
 * fuzz_pickle_dis.c - libFuzzer target: the pickletools-style listing of
 * arbitrary bytes, streamed and collected. Must never crash, read out of
 * bounds or allocate beyond what the input justifies.
 */
#include <stddef.h>
#include <stdint.h>

#include "pickle/pickle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pickle_walker w;
	struct pickle_insn insn;
	struct pickle_redactions redact = { 0 };
	struct pickle_listing listing;
	struct arena a;
	struct mp_err err;
	struct sbuf out;
	bool printable;
	int rc;

	arena_init(&a);
	sbuf_init(&out);
	(void)pickle_find_authkeys(data, size, &a, &redact, &err);
	pickle_walker_init(&w, data, size);
	while ((rc = pickle_walker_next(&w, &insn, &printable, &err)) > 0 || printable) {
		pickle_insn_format(&insn, &redact, &out);
		if (out.len > (1u << 20))
			sbuf_clear(&out);
		if (rc < 0)
			break;
	}
	if (w.is_done)
		pickle_format_highest(w.max_proto, &out);
	pickle_walker_release(&w);
	(void)pickle_dis(data, size, &a, &listing, &err);
	sbuf_release(&out);
	arena_release(&a);
	return 0;
}

/*
 * fuzz_pickle_verdict.c - libFuzzer target: the verdict of `mpscope dis
 * --verdict` (pickle_analyze: the decoder with its effects, the replay on
 * symbolic values, the table, the reason) and its report over arbitrary
 * bytes. Beyond memory errors it traps on a broken promise: a verdict out
 * of range, a call without a callee, a missing reason, a dangerous call in
 * a pickle not judged dangerous.
 */
#include <stddef.h>
#include <stdint.h>

#include "pickle/pickle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	struct pickle_analysis an;
	struct mp_err err;
	struct sbuf out;

	arena_init(&a);
	sbuf_init(&out);
	(void)pickle_analyze(data, size, &a, &an, &err);
	if ((unsigned)an.verdict > PK_VERDICT_DANGEROUS || !an.reason)
		__builtin_trap();
	for (size_t i = 0; i < an.call_count; i++) {
		const struct pickle_call *c = &an.calls[i];

		if (!c->callee || !c->via || c->verdict > an.verdict ||
		    c->repeat >= c->repeat_count)
			__builtin_trap();
	}
	for (size_t i = 0; i < an.import_count; i++)
		if (!an.imports[i].module || !an.imports[i].name)
			__builtin_trap();
	pickle_analysis_format(&an, &out);
	sbuf_release(&out);
	arena_release(&a);
	return 0;
}

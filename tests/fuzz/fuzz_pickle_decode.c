/*
 * fuzz_pickle_decode.c - libFuzzer target: the symbolic decoder, its
 * rendering (with and without the authkey), the globals scan and the
 * summary over arbitrary bytes.
 */
#include <stddef.h>
#include <stdint.h>

#include "pickle/pickle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	struct pickle_node *root;
	struct pickle_global *globals;
	struct pickle_summary summary;
	size_t count;
	struct mp_err err;
	struct sbuf out;

	arena_init(&a);
	sbuf_init(&out);
	if (pickle_decode(data, size, &a, &root, &err) == 0) {
		pickle_render(root, PK_RENDER_ELIDE, &out);
		sbuf_clear(&out);
	}
	arena_release(&a);
	/* A fresh tree: rendering marks shared nodes with their labels. */
	if (pickle_decode(data, size, &a, &root, &err) == 0)
		pickle_render(root, PK_RENDER_SHOW_AUTHKEY, &out);
	(void)pickle_globals(data, size, &a, &globals, &count, &err);
	if (pickle_summarize(data, size, &a, &summary, &err) == 0)
		pickle_summary_format(&summary, &out);
	sbuf_release(&out);
	arena_release(&a);
	return 0;
}

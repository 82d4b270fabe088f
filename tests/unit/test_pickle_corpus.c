/*
 * test_pickle_corpus.c - the listing equals `python3 -m pickletools` on every
 * pickle of the golden corpus (tests/golden/dis/, made by
 * tests/pickle/gen_corpus.py), and every prefix of every corpus pickle fails
 * cleanly in the listing, the decoder and the globals scan.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pickle/pickle.h"
#include "support/support.h"

#define CORPUS "tests/golden/dis/corpus.bin"
#define GOLDEN "tests/golden/dis/corpus.dis"

struct record {
	char name[128];
	const uint8_t *data;
	size_t len;
	const char *golden; /* into the golden file, not NUL-terminated */
	size_t golden_len;
};

struct corpus {
	char *bin, *dis;
	struct record *recs;
	size_t count;
};

static uint32_t u32(const char *p)
{
	const uint8_t *b = (const uint8_t *)p;

	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static int corpus_load(void **state)
{
	struct corpus *c = calloc(1, sizeof(*c));
	size_t bin_len, dis_len, pos = 0, cap = 0;
	const char *g, *end;

	assert_non_null(c);
	c->bin = support_read_file(CORPUS, &bin_len);
	c->dis = support_read_file(GOLDEN, &dis_len);
	assert_non_null(c->bin);
	assert_non_null(c->dis);
	while (pos + 4 <= bin_len) {
		struct record r = { .len = 0 };
		uint32_t n = u32(c->bin + pos);

		assert_true(n < sizeof(r.name));
		memcpy(r.name, c->bin + pos + 4, n);
		pos += 4 + n;
		r.len = u32(c->bin + pos);
		r.data = (const uint8_t *)c->bin + pos + 4;
		pos += 4 + r.len;
		assert_true(pos <= bin_len);
		if (c->count == cap) {
			cap = cap ? cap * 2 : 1024;
			c->recs = realloc(c->recs, cap * sizeof(*c->recs));
			assert_non_null(c->recs);
		}
		c->recs[c->count++] = r;
	}
	/* Golden records start with "### name\n"; no pickletools line does. */
	g = c->dis;
	end = c->dis + dis_len;
	for (size_t i = 0; i < c->count; i++) {
		const char *body, *next;
		size_t hlen = strlen(c->recs[i].name) + 5;

		assert_true(g + hlen <= end);
		assert_memory_equal(g, "### ", 4);
		assert_memory_equal(g + 4, c->recs[i].name, hlen - 5);
		body = g + hlen;
		next = memmem(body - 1, (size_t)(end - body + 1), "\n### ", 5);
		next = next ? next + 1 : end;
		c->recs[i].golden = body;
		c->recs[i].golden_len = (size_t)(next - body);
		g = next;
	}
	*state = c;
	return 0;
}

static int corpus_free(void **state)
{
	struct corpus *c = *state;

	free(c->bin);
	free(c->dis);
	free(c->recs);
	free(c);
	return 0;
}

/* The listing as `mpscope dis` prints it (redacting as it does). */
static int list(const uint8_t *buf, size_t len, struct sbuf *out, struct mp_err *err)
{
	struct pickle_walker w;
	struct pickle_insn insn;
	struct pickle_redactions redact = { 0 };
	struct arena a;
	struct mp_err scan_err;
	bool printable;
	int rc;

	arena_init(&a);
	(void)pickle_find_authkeys(buf, len, &a, &redact, &scan_err);
	pickle_walker_init(&w, buf, len);
	while ((rc = pickle_walker_next(&w, &insn, &printable, err)) > 0 || printable) {
		pickle_insn_format(&insn, &redact, out);
		if (rc < 0)
			break;
	}
	if (w.is_done)
		pickle_format_highest(w.max_proto, out);
	pickle_walker_release(&w);
	arena_release(&a);
	return rc;
}

static void listing_matches_pickletools(void **state)
{
	struct corpus *c = *state;
	size_t mismatches = 0, mp_payloads = 0;
	struct sbuf out;

	assert_true(c->count >= 2000);
	sbuf_init(&out);
	for (size_t i = 0; i < c->count; i++) {
		const struct record *r = &c->recs[i];
		struct mp_err err = { { 0 } };

		sbuf_clear(&out);
		if (list(r->data, r->len, &out, &err) != 0) {
			print_message("%s: %s\n", r->name, err.msg);
			mismatches++;
			continue;
		}
		mp_payloads += strncmp(r->name, "mp-", 3) == 0;
		if (out.len != r->golden_len || memcmp(out.data, r->golden, out.len) != 0) {
			size_t k = 0;

			while (k < out.len && k < r->golden_len && out.data[k] == r->golden[k])
				k++;
			if (mismatches < 10)
				print_message("%s differs at output byte %zu:\n  ours: %.80s\n  "
					      "pickletools: %.80s\n",
					      r->name, k, out.data + k, r->golden + k);
			mismatches++;
		}
	}
	sbuf_release(&out);
	assert_true(mp_payloads >= 20);
	assert_int_equal(mismatches, 0);
}

static void every_prefix_fails_cleanly(void **state)
{
	struct corpus *c = *state;
	struct sbuf out;

	sbuf_init(&out);
	for (size_t i = 0; i < c->count; i++) {
		const struct record *r = &c->recs[i];
		/* Long pickles: every prefix up to 4 KiB, then a stride, so the
		 * test stays quadratic in a small number. */
		size_t step = r->len > 4096 ? r->len / 512 + 1 : 1;

		for (size_t cut = 0; cut < r->len; cut += cut < 4096 ? 1 : step) {
			struct arena a;
			struct pickle_listing l;
			struct pickle_node *root;
			struct pickle_global *g;
			size_t gcount;
			struct mp_err err = { { 0 } };

			arena_init(&a);
			assert_int_equal(pickle_dis(r->data, cut, &a, &l, &err), -1);
			assert_false(l.is_complete);
			assert_memory_equal(err.msg, "byte ", 5);
			assert_int_equal(pickle_decode(r->data, cut, &a, &root, &err), -1);
			assert_null(root);
			assert_int_equal(pickle_globals(r->data, cut, &a, &g, &gcount, &err), -1);
			arena_release(&a);
		}
	}
	sbuf_release(&out);
}

static void every_pickle_decodes(void **state)
{
	struct corpus *c = *state;
	struct sbuf out;

	sbuf_init(&out);
	for (size_t i = 0; i < c->count; i++) {
		const struct record *r = &c->recs[i];
		struct arena a;
		struct pickle_node *root;
		struct pickle_summary s;
		struct mp_err err = { { 0 } };

		arena_init(&a);
		if (pickle_decode(r->data, r->len, &a, &root, &err) != 0)
			fail_msg("%s: %s", r->name, err.msg);
		sbuf_clear(&out);
		pickle_render(root, PK_RENDER_ELIDE, &out);
		assert_false(out.is_oom);
		assert_true(out.len > 1);
		assert_int_equal(pickle_summarize(r->data, r->len, &a, &s, &err), 0);
		assert_int_equal(s.total_len, r->len);
		arena_release(&a);
	}
	sbuf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(listing_matches_pickletools),
		cmocka_unit_test(every_pickle_decodes),
		cmocka_unit_test(every_prefix_fails_cleanly),
	};

	return cmocka_run_group_tests(tests, corpus_load, corpus_free);
}

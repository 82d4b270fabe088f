/*
 * test_common.c - the helpers every module stands on: error sentences that
 * never carry raw control bytes or broken UTF-8, strict UTF-8 checks, the
 * growable buffer and the arena. Links common/ alone (DEPS_common is empty).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/arena.h"
#include "common/err.h"
#include "common/sbuf.h"
#include "common/utf8.h"

static int is_valid_text(const char *s)
{
	return utf8_is_valid((const unsigned char *)s, strlen(s), NULL);
}

/* ---- error sentences ------------------------------------------------------ */

static void err_set_formats_and_returns_minus_one(void **state)
{
	struct mp_err err;

	(void)state;
	assert_int_equal(mp_err_set(&err, "event %d has no \"%s\"", 12, "pid"), -1);
	assert_string_equal(err.msg, "event 12 has no \"pid\"");
	/* A caller that does not want the sentence passes NULL. */
	assert_int_equal(mp_err_set(NULL, "dropped %d", 1), -1);
	assert_int_equal(mp_err_prefix(NULL, "dropped"), -1);
}

static void err_set_replaces_control_characters(void **state)
{
	struct mp_err err;

	(void)state;
	/* An escape sequence quoted from a hostile trace must not reach the terminal. */
	mp_err_set(&err, "bad name '%s'",
		   "a\x1b[31mb\tc\nd\x7f"
		   "e\r");
	assert_string_equal(err.msg, "bad name 'a?[31mb?c?d?e?'");
	/* C1 controls (here CSI, U+009B) start escapes too: none of their bytes survive. */
	mp_err_set(&err, "%s", "x\xc2\x9by");
	assert_string_equal(err.msg, "x??y");
	/* Printable Unicode, including NBSP just above the C1 range, is kept. */
	mp_err_set(&err, "%s", "caf\xc3\xa9 \xe2\x82\xac\xc2\xa0\xf0\x9f\x98\x80");
	assert_string_equal(err.msg, "caf\xc3\xa9 \xe2\x82\xac\xc2\xa0\xf0\x9f\x98\x80");
}

static void err_set_replaces_invalid_utf8(void **state)
{
	static const struct {
		const char *in, *want;
	} rows[] = {
		{ "x\xff\xfey", "x??y" }, /* bytes that never occur in UTF-8 */
		{ "\xc0\xaf", "??" }, /* overlong '/' */
		{ "\xed\xa0\x80", "???" }, /* a UTF-16 surrogate */
		{ "\xf4\x90\x80\x80", "????" }, /* above U+10FFFF */
		{ "a\x80z", "a?z" }, /* a lone continuation byte */
		{ "cut \xe2\x82", "cut ??" }, /* a sequence cut short */
	};
	struct mp_err err;

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		mp_err_set(&err, "%s", rows[i].in);
		assert_string_equal(err.msg, rows[i].want);
	}
}

static void err_set_truncates_to_valid_text(void **state)
{
	char long_text[2 * MP_ERR_MAX];
	struct mp_err err;

	(void)state;
	/* 'é' (2 bytes) straddles the last byte of the buffer: its first byte
	 * alone would be broken UTF-8, so it becomes '?'. */
	memset(long_text, 'a', MP_ERR_MAX - 2);
	strcpy(long_text + MP_ERR_MAX - 2, "\xc3\xa9 and more");
	mp_err_set(&err, "%s", long_text);
	assert_int_equal(strlen(err.msg), MP_ERR_MAX - 1);
	assert_int_equal(err.msg[MP_ERR_MAX - 2], '?');
	assert_true(is_valid_text(err.msg));
}

static void err_prefix_puts_context_in_front(void **state)
{
	char long_name[MP_ERR_MAX];
	struct mp_err err;

	(void)state;
	mp_err_set(&err, "event 12 has no \"pid\"");
	assert_int_equal(mp_err_prefix(&err, "cannot load '%s'", "runs/a.json"), -1);
	assert_string_equal(err.msg, "cannot load 'runs/a.json': event 12 has no \"pid\"");
	/* The prefix is sanitised too (it often quotes a file name). */
	mp_err_set(&err, "empty");
	mp_err_prefix(&err, "cannot load '%s'",
		      "a\x1b"
		      "b");
	assert_string_equal(err.msg, "cannot load 'a?b': empty");
	/* A prefix longer than the buffer is cut, still valid, still terminated. */
	memset(long_name, 'n', sizeof(long_name) - 3);
	strcpy(long_name + sizeof(long_name) - 3, "\xc3\xa9");
	mp_err_set(&err, "why");
	mp_err_prefix(&err, "x%s", long_name);
	assert_int_equal(strlen(err.msg), MP_ERR_MAX - 1);
	assert_true(is_valid_text(err.msg));
}

static void quote_sanitises_and_cuts_with_dots(void **state)
{
	char dst[16];

	(void)state;
	mp_quote(dst, sizeof(dst),
		 "a\x1b"
		 "b\xff",
		 4);
	assert_string_equal(dst, "a?b?");
	/* Embedded NUL bytes are control characters too: the length is what counts. */
	mp_quote(dst, sizeof(dst), "a\0b", 3);
	assert_string_equal(dst, "a?b");
	mp_quote(dst, sizeof(dst), "abcdefghijklmnopqrstuvwxyz", 26);
	assert_string_equal(dst, "abcdefghijk...");
	/* A multi-byte character is never split by the cut. */
	mp_quote(dst, sizeof(dst), "abcdefghijk\xe2\x82\xac\xe2\x82\xac", 17);
	assert_true(is_valid_text(dst));
	assert_non_null(strstr(dst, "..."));
}

static void quote_never_writes_past_a_small_buffer(void **state)
{
	char guard[8];

	(void)state;
	for (size_t len = 0; len <= 5; len++) {
		memset(guard, '#', sizeof(guard));
		mp_quote(guard, len, "hello world", 11);
		for (size_t i = len; i < sizeof(guard); i++)
			assert_int_equal(guard[i], '#');
		if (len > 0)
			assert_non_null(memchr(guard, '\0', len));
	}
	mp_quote(guard, 4, "hello", 5);
	assert_string_equal(guard, "...");
}

/* ---- UTF-8 --------------------------------------------------------------- */

static void utf8_prefix_lengths(void **state)
{
	static const struct {
		const char *s;
		size_t len, want;
	} rows[] = {
		{ "a", 1, 1 },
		{ "\xc3\xa9", 2, 2 }, /* U+00E9 */
		{ "\xe2\x82\xac", 3, 3 }, /* U+20AC */
		{ "\xf0\x9f\x98\x80", 4, 4 }, /* U+1F600 */
		{ "\xed\x9f\xbf", 3, 3 }, /* U+D7FF, just below the surrogates */
		{ "\xee\x80\x80", 3, 3 }, /* U+E000, just above them */
		{ "\xf4\x8f\xbf\xbf", 4, 4 }, /* U+10FFFF, the last code point */
		{ "", 0, 0 },
		{ "\xe2\x82\xac", 2, 0 }, /* cut short by len */
		{ "\xc1\xbf", 2, 0 }, /* overlong */
		{ "\xe0\x80\x80", 3, 0 }, /* overlong */
		{ "\xf0\x80\x80\x80", 4, 0 }, /* overlong */
		{ "\xed\xa0\x80", 3, 0 }, /* surrogate U+D800 */
		{ "\xf4\x90\x80\x80", 4, 0 }, /* U+110000 */
		{ "\xf5\x80\x80\x80", 4, 0 },
		{ "\x80", 1, 0 },
		{ "\xc3\x28", 2, 0 }, /* second byte not a continuation */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		assert_int_equal(utf8_valid_prefix((const unsigned char *)rows[i].s, rows[i].len),
				 rows[i].want);
}

static void utf8_is_valid_reports_the_first_bad_byte(void **state)
{
	size_t bad_at = 99;

	(void)state;
	assert_true(utf8_is_valid((const unsigned char *)"", 0, &bad_at));
	assert_true(utf8_is_valid((const unsigned char *)"caf\xc3\xa9", 5, &bad_at));
	assert_int_equal(bad_at, 99);
	assert_false(utf8_is_valid((const unsigned char *)"ab\xff"
							  "c",
				   4, &bad_at));
	assert_int_equal(bad_at, 2);
	assert_false(utf8_is_valid((const unsigned char *)"abc\xe2\x82", 5, &bad_at));
	assert_int_equal(bad_at, 3);
	assert_false(utf8_is_valid((const unsigned char *)"\xed\xa0\x80", 3, NULL));
}

static void utf8_unsafe_is_what_a_terminal_must_not_see(void **state)
{
	static const struct {
		const char *s;
		size_t n;
		bool want;
	} rows[] = {
		{ "a", 1, false },        { "~", 1, false },
		{ "\xc2\xa0", 2, false }, { "\xe2\x82\xac", 3, false },
		{ "\t", 1, true },        { "\n", 1, true },
		{ "\x1b", 1, true },      { "\x7f", 1, true },
		{ "\xc2\x80", 2, true },  { "\xc2\x9f", 2, true },
		{ "\xff", 0, true }, /* n == 0: invalid */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		assert_int_equal(utf8_is_unsafe((const unsigned char *)rows[i].s, rows[i].n),
				 rows[i].want);
}

static void utf8_encode_decode_round_trip(void **state)
{
	static const uint32_t cps[] = { 0,      0x41,   0x7f,   0x80,    0x7ff,   0x800,
					0xd7ff, 0xe000, 0xffff, 0x10000, 0x1f600, 0x10ffff };
	static const size_t lens[] = { 1, 1, 1, 2, 2, 3, 3, 3, 3, 4, 4, 4 };
	char out[4];

	(void)state;
	for (size_t i = 0; i < sizeof(cps) / sizeof(cps[0]); i++) {
		size_t n = utf8_encode(cps[i], out);

		assert_int_equal(n, lens[i]);
		assert_int_equal(utf8_valid_prefix((const unsigned char *)out, n), n);
		assert_int_equal(utf8_decode((const unsigned char *)out, n), cps[i]);
	}
	/* An invalid sequence decodes to the replacement character. */
	assert_int_equal(utf8_decode((const unsigned char *)"\xff", 0), 0xfffd);
}

/* ---- sbuf ---------------------------------------------------------------- */

static void sbuf_grows_and_stays_terminated(void **state)
{
	struct sbuf b;

	(void)state;
	sbuf_init(&b);
	assert_int_equal(b.len, 0);
	for (int i = 0; i < 10000; i++)
		sbuf_addc(&b, (char)('a' + i % 26));
	assert_false(b.is_oom);
	assert_int_equal(b.len, 10000);
	assert_true(b.cap > b.len);
	assert_int_equal(strlen(b.data), 10000);
	assert_int_equal(b.data[9999], 'a' + 9999 % 26);
	sbuf_add(&b, "\0x", 2); /* bytes, not strings: the NUL is kept */
	assert_int_equal(b.len, 10002);
	assert_memory_equal(b.data + 10000, "\0x", 3);
	sbuf_release(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
}

static void sbuf_addf_appends_any_length(void **state)
{
	char big[3000];
	struct sbuf b;

	(void)state;
	memset(big, 'z', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	sbuf_init(&b);
	sbuf_adds(&b, "head:");
	sbuf_addf(&b, "%d-%s", 42, "x");
	assert_string_equal(b.data, "head:42-x");
	/* Longer than what was reserved for the first try, and than the buffer. */
	sbuf_addf(&b, "[%s]", big);
	assert_int_equal(b.len, 9 + 2 + sizeof(big) - 1);
	assert_int_equal(strncmp(b.data, "head:42-x[zzz", 13), 0);
	assert_string_equal(b.data + b.len - 3, "zz]");
	sbuf_addf(&b, "%s", "");
	assert_int_equal(b.len, 9 + 2 + sizeof(big) - 1);
	sbuf_release(&b);
}

static void sbuf_clear_keeps_memory(void **state)
{
	struct sbuf b;
	char *data;
	size_t cap;

	(void)state;
	sbuf_init(&b);
	sbuf_adds(&b, "some text");
	data = b.data;
	cap = b.cap;
	sbuf_clear(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.data, "");
	assert_ptr_equal(b.data, data);
	assert_int_equal(b.cap, cap);
	sbuf_adds(&b, "again");
	assert_string_equal(b.data, "again");
	sbuf_release(&b);
}

static void sbuf_sizes_read_like_people_write_them(void **state)
{
	static const struct {
		uint64_t bytes;
		const char *want;
	} rows[] = {
		{ 0, "0 B" },
		{ 999, "999 B" },
		{ 1000, "1.0 kB" },
		{ 12345, "12.3 kB" },
		{ 999949, "999.9 kB" },
		/* Rounding would make this "1000.0 kB": it is a megabyte. */
		{ 999950, "1.0 MB" },
		{ 1500000, "1.5 MB" },
		{ 190000000, "190.0 MB" },
	};
	struct sbuf b;

	(void)state;
	sbuf_init(&b);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		sbuf_clear(&b);
		sbuf_add_size(&b, rows[i].bytes);
		assert_string_equal(b.data, rows[i].want);
	}
	sbuf_release(&b);
}

static void sbuf_counts_have_thousands_separators(void **state)
{
	static const struct {
		uint64_t n;
		const char *want;
	} rows[] = {
		{ 0, "0" },
		{ 999, "999" },
		{ 1000, "1,000" },
		{ 19968, "19,968" },
		{ 100000, "100,000" },
		{ 1204000, "1,204,000" },
		{ UINT64_MAX, "18,446,744,073,709,551,615" },
	};
	struct sbuf b;

	(void)state;
	sbuf_init(&b);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		sbuf_clear(&b);
		sbuf_add_count(&b, rows[i].n);
		assert_string_equal(b.data, rows[i].want);
	}
	sbuf_release(&b);
}

static void sbuf_out_of_memory_is_sticky_and_checked_once(void **state)
{
	struct sbuf b;

	(void)state;
	sbuf_init(&b);
	sbuf_adds(&b, "kept");
	assert_false(sbuf_reserve(&b, SIZE_MAX - 2));
	assert_true(b.is_oom);
	/* Later appends are ignored, so the caller can check once at the end. */
	sbuf_adds(&b, " lost");
	sbuf_addf(&b, "%d", 7);
	sbuf_addc(&b, '!');
	assert_int_equal(b.len, 4);
	assert_string_equal(b.data, "kept");
	assert_false(sbuf_reserve(&b, 1));
	sbuf_release(&b);
	assert_false(b.is_oom);
	sbuf_adds(&b, "fresh");
	assert_string_equal(b.data, "fresh");
	sbuf_release(&b);
}

/* ---- arena --------------------------------------------------------------- */

static void arena_aligns_every_allocation(void **state)
{
	struct arena a;
	unsigned char *p[64];

	(void)state;
	arena_init(&a);
	for (size_t i = 0; i < 64; i++) {
		p[i] = arena_alloc(&a, i * 7 + 1);
		assert_non_null(p[i]);
		assert_int_equal((uintptr_t)p[i] % alignof(max_align_t), 0);
		memset(p[i], (int)i, i * 7 + 1);
	}
	/* No two allocations overlap: each still holds its own pattern. */
	for (size_t i = 0; i < 64; i++)
		for (size_t k = 0; k < i * 7 + 1; k++)
			assert_int_equal(p[i][k], i);
	/* Zero bytes still gives a pointer distinct from the others. */
	assert_non_null(arena_alloc(&a, 0));
	assert_true(a.total_len >= 64);
	arena_release(&a);
}

static void arena_serves_large_allocations(void **state)
{
	struct arena a;
	char *small, *big, *after;

	(void)state;
	arena_init(&a);
	small = arena_strdup(&a, "before");
	big = arena_alloc(&a, 10u * 1024 * 1024); /* far beyond one block */
	assert_non_null(big);
	assert_int_equal((uintptr_t)big % alignof(max_align_t), 0);
	memset(big, 'B', 10u * 1024 * 1024);
	after = arena_strdup(&a, "after");
	assert_string_equal(small, "before");
	assert_string_equal(after, "after");
	assert_int_equal(big[10u * 1024 * 1024 - 1], 'B');
	assert_true(a.total_len >= 10u * 1024 * 1024);
	arena_release(&a);
}

static void arena_copies_and_zeroes(void **state)
{
	struct arena a;
	int *zeros;
	char *s;
	unsigned char *m;

	(void)state;
	arena_init(&a);
	zeros = arena_calloc(&a, 100, sizeof(int));
	assert_non_null(zeros);
	for (int i = 0; i < 100; i++)
		assert_int_equal(zeros[i], 0);
	s = arena_strndup(&a, "abcdef", 3);
	assert_string_equal(s, "abc");
	m = arena_memdup(&a, "x\0y", 3);
	assert_memory_equal(m, "x\0y", 3);
	assert_non_null(arena_memdup(&a, "", 0));
	arena_release(&a);
}

static void arena_refuses_absurd_sizes_and_stays_usable(void **state)
{
	struct arena a;

	(void)state;
	arena_init(&a);
	assert_null(arena_alloc(&a, SIZE_MAX));
	assert_null(arena_alloc(&a, SIZE_MAX / 2 + 1));
	assert_null(arena_calloc(&a, SIZE_MAX / 8, 16)); /* count * size overflows */
	assert_null(arena_strndup(&a, "x", SIZE_MAX / 2));
	assert_string_equal(arena_strdup(&a, "still works"), "still works");
	arena_release(&a);
}

static void arena_release_empties_and_allows_reuse(void **state)
{
	struct arena a;

	(void)state;
	arena_init(&a);
	for (int i = 0; i < 1000; i++)
		assert_non_null(arena_alloc(&a, 1000)); /* several blocks */
	arena_release(&a);
	assert_null(a.head);
	assert_int_equal(a.total_len, 0);
	arena_release(&a); /* releasing an empty arena is harmless */
	assert_string_equal(arena_strdup(&a, "reused"), "reused");
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(err_set_formats_and_returns_minus_one),
		cmocka_unit_test(err_set_replaces_control_characters),
		cmocka_unit_test(err_set_replaces_invalid_utf8),
		cmocka_unit_test(err_set_truncates_to_valid_text),
		cmocka_unit_test(err_prefix_puts_context_in_front),
		cmocka_unit_test(quote_sanitises_and_cuts_with_dots),
		cmocka_unit_test(quote_never_writes_past_a_small_buffer),
		cmocka_unit_test(utf8_prefix_lengths),
		cmocka_unit_test(utf8_is_valid_reports_the_first_bad_byte),
		cmocka_unit_test(utf8_unsafe_is_what_a_terminal_must_not_see),
		cmocka_unit_test(utf8_encode_decode_round_trip),
		cmocka_unit_test(sbuf_grows_and_stays_terminated),
		cmocka_unit_test(sbuf_addf_appends_any_length),
		cmocka_unit_test(sbuf_clear_keeps_memory),
		cmocka_unit_test(sbuf_sizes_read_like_people_write_them),
		cmocka_unit_test(sbuf_counts_have_thousands_separators),
		cmocka_unit_test(sbuf_out_of_memory_is_sticky_and_checked_once),
		cmocka_unit_test(arena_aligns_every_allocation),
		cmocka_unit_test(arena_serves_large_allocations),
		cmocka_unit_test(arena_copies_and_zeroes),
		cmocka_unit_test(arena_refuses_absurd_sizes_and_stays_usable),
		cmocka_unit_test(arena_release_empties_and_allows_reuse),
	};

	return cmocka_run_group_tests_name("common", tests, NULL, NULL);
}

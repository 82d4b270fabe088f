/*
 * test_json_base64.c - payload bytes survive base64 both ways, and every
 * non-canonical or broken spelling is refused at the right offset.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "json/base64.h"

static void every_length_round_trips(void **state)
{
	uint8_t bytes[300], back[300];
	struct sbuf text;

	(void)state;
	for (size_t i = 0; i < sizeof(bytes); i++)
		bytes[i] = (uint8_t)(i * 151 + 7);
	sbuf_init(&text);
	for (size_t len = 0; len <= sizeof(bytes); len++) {
		size_t out_len = 0, bad_at = 0;

		sbuf_clear(&text);
		base64_encode(&text, bytes, len);
		assert_false(text.is_oom);
		assert_int_equal(text.len, (len + 2) / 3 * 4);
		assert_true(base64_decoded_max(text.len) <= sizeof(back));
		assert_int_equal(base64_decode(text.data ? text.data : "", text.len, back, &out_len,
					       &bad_at),
				 0);
		assert_int_equal(out_len, len);
		assert_memory_equal(back, bytes, len);
	}
	sbuf_release(&text);
}

static void known_spellings(void **state)
{
	struct sbuf text;

	(void)state;
	sbuf_init(&text);
	base64_encode(&text, (const uint8_t *)"\xff\xfe raw", 6);
	assert_string_equal(text.data, "//4gcmF3");
	sbuf_clear(&text);
	base64_encode(&text, (const uint8_t *)"ab", 2);
	assert_string_equal(text.data, "YWI=");
	sbuf_release(&text);
}

static void broken_spellings_are_refused(void **state)
{
	static const struct {
		const char *text;
		size_t bad_at;
	} cases[] = {
		{ "YWI", 3 }, /* length not a multiple of 4 */
		{ "Y*Ji", 1 }, /* not in the alphabet */
		{ "YWJjZG*m", 6 }, /* in the last group */
		{ "YW=jZGVm", 2 }, /* padding before the end */
		{ "YWJjZA=m", 6 }, /* '=' then data */
		{ "YWJ=", 2 }, /* non-canonical: dropped bits not zero */
		{ "YR==", 1 }, /* non-canonical, two pads */
		{ "Y===", 1 }, /* three pads */
		{ "YWJj\nZGVm", 9 }, /* line breaks are not allowed */
		{ "YWJj ZGV", 4 }, /* nor spaces */
	};
	uint8_t out[16];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t out_len = 0, bad_at = 99;

		assert_int_equal(
			base64_decode(cases[i].text, strlen(cases[i].text), out, &out_len, &bad_at),
			-1);
		if (bad_at != cases[i].bad_at)
			fail_msg("'%s': bad_at %zu, want %zu", cases[i].text, bad_at,
				 cases[i].bad_at);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_length_round_trips),
		cmocka_unit_test(known_spellings),
		cmocka_unit_test(broken_spellings_are_refused),
	};

	return cmocka_run_group_tests_name("json_base64", tests, NULL, NULL);
}

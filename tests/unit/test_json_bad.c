/*
 * test_json_bad.c - hostile and broken trace files are refused with one
 * exact sentence naming the file, the place and the problem; never a
 * crash, a hang or a partial load. The cases live in tests/bad/ as
 * NAME.json + NAME.err; the huge and deep ones are generated here.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "json/trace_json.h"
#include "support/support.h"

#define BAD_DIR "tests/bad"

static void assert_refused(const char *name, const char *text, size_t len, const char *want)
{
	struct trace tr;
	struct mp_err err = { { 0 } };
	int rc;

	trace_init(&tr);
	rc = trace_json_load_buffer(name, text, len, &tr, &err);
	trace_release(&tr);
	if (rc == 0)
		fail_msg("%s was accepted", name);
	if (want && strcmp(err.msg, want) != 0)
		fail_msg("%s:\n  got  %s\n  want %s", name, err.msg, want);
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static void every_bad_file_gives_its_message(void **state)
{
	DIR *d = opendir(BAD_DIR);
	struct dirent *de;
	size_t cases = 0;

	(void)state;
	assert_non_null(d);
	while ((de = readdir(d)) != NULL) {
		char path[512], err_path[512];
		char *want, *nl;
		size_t want_len;
		struct trace tr;
		struct mp_err err = { { 0 } };

		if (!ends_with(de->d_name, ".json"))
			continue;
		snprintf(path, sizeof(path), BAD_DIR "/%s", de->d_name);
		snprintf(err_path, sizeof(err_path), "%.*s.err", (int)strlen(path) - 5, path);
		want = support_read_file(err_path, &want_len);
		if (!want)
			fail_msg("%s has no .err file beside it", path);
		nl = strchr(want, '\n');
		if (nl)
			*nl = '\0';
		trace_init(&tr);
		if (trace_json_load(path, &tr, &err) == 0)
			fail_msg("%s was accepted", path);
		trace_release(&tr);
		if (strcmp(err.msg, want) != 0)
			fail_msg("%s:\n  got  %s\n  want %s", path, err.msg, want);
		free(want);
		cases++;
	}
	closedir(d);
	assert_true(cases >= 30);
}

static void missing_file_is_a_sentence(void **state)
{
	struct trace tr;
	struct mp_err err = { { 0 } };

	(void)state;
	trace_init(&tr);
	assert_int_equal(trace_json_load("tests/bad/no-such-trace.json", &tr, &err), -1);
	assert_string_equal(
		err.msg, "cannot open 'tests/bad/no-such-trace.json': No such file or directory");
	assert_int_equal(trace_json_load("tests/bad", &tr, &err), -1);
	assert_string_equal(err.msg, "cannot read 'tests/bad': it is a folder");
	trace_release(&tr);
}

static const char head[] = "{\"format\": \"mpscope-trace\", \"version\": 1, "
			   "\"meta\": {\"program\": \"a.py\", \"method\": \"fork\"}, "
			   "\"processes\": [{\"pid\": 1, \"role\": \"main\", \"start\": 0}], ";

/* 100,000 nested arrays, in an event and in an unknown member. */
static void deep_nesting_is_refused(void **state)
{
	const size_t depth = 100000;
	size_t len = 0;
	char *text = malloc(sizeof(head) + 2 * depth + 64);

	(void)state;
	assert_non_null(text);
	len = (size_t)sprintf(text, "%s\"events\": [", head);
	memset(text + len, '[', depth);
	len += depth;
	memset(text + len, ']', depth);
	len += depth;
	len += (size_t)sprintf(text + len, "]}");
	assert_refused("deep.json", text, len, NULL);
	{
		struct trace tr;
		struct mp_err err = { { 0 } };

		trace_init(&tr);
		assert_int_equal(trace_json_load_buffer("deep.json", text, len, &tr, &err), -1);
		assert_non_null(strstr(err.msg, "nested deeper than 1000 levels"));
		assert_non_null(strstr(err.msg, "deep.json: line 1, byte "));
		trace_release(&tr);
	}
	len = (size_t)sprintf(text, "{\"future\": ");
	memset(text + len, '[', depth);
	len += depth;
	memset(text + len, ']', depth);
	len += depth;
	len += (size_t)sprintf(text + len, "}");
	assert_refused("deep2.json", text, len,
		       "deep2.json: line 1, byte 1012: nested deeper than 1000 levels");
	free(text);
}

/* A file cut at any byte is refused: never loaded in part, never a crash. */
static void every_truncation_of_the_fixture_is_refused(void **state)
{
	size_t len;
	char *text = support_read_file("tests/fixtures/traces/small-spawn.json", &len);

	(void)state;
	assert_non_null(text);
	/* Cutting only the final newline still leaves a complete document. */
	for (size_t cut = 0; cut + 1 < len; cut++) {
		char *copy = malloc(cut + 1);

		assert_non_null(copy);
		memcpy(copy, text, cut);
		assert_refused("cut.json", copy, cut, NULL);
		free(copy);
	}
	free(text);
}

/* Numbers too long to be anything, and a member name that is not a string. */
static void odd_numbers_and_names_are_refused(void **state)
{
	char text[2048];
	char digits[401];

	(void)state;
	memset(digits, '9', 400);
	digits[400] = '\0';
	snprintf(text, sizeof(text),
		 "%s\"events\": [{\"t\": %s, \"pid\": 1, \"kind\": \"proc.start\"}]}", head,
		 digits);
	assert_refused("long-number.json", text, strlen(text), NULL);
	snprintf(text, sizeof(text), "{\"format\": \"mpscope-trace\", 12: 1}");
	assert_refused("name.json", text, strlen(text),
		       "name.json: line 1, byte 29: expected a member name in quotes");
	snprintf(text, sizeof(text), "\xef\xbb\xbf{\"format\": \"mpscope-trace\"}");
	assert_refused("bom.json", text, strlen(text),
		       "bom.json: line 1, byte 1: a byte-order mark is not allowed (save as UTF-8 "
		       "without BOM)");
	assert_refused("spaces.json", " \n\t ", 4, "spaces.json: the file is empty");
}

/* The byte checks read 8 bytes at a time: a bad byte is found at every
 * offset within a word, and an escaped backslash before "u0000" is text. */
static void byte_checks_at_every_alignment(void **state)
{
	(void)state;
	for (size_t pad = 0; pad < 16; pad++) {
		char text[512], want[128];
		size_t len;

		len = (size_t)snprintf(text, sizeof(text),
				       "%s\"events\": [{\"t\": 0, \"pid\": 1, \"kind\": \"error\","
				       " \"message\": \"%.*s\x01\"}]}",
				       head, (int)pad, "................");
		snprintf(
			want, sizeof(want),
			"ctl.json: line 1, byte %zu: control character 0x01 is not allowed in JSON",
			len - 4);
		assert_refused("ctl.json", text, len, want);
		len = (size_t)snprintf(text, sizeof(text),
				       "%s\"events\": [{\"t\": 0, \"pid\": 1, \"kind\": \"error\","
				       " \"message\": \"%.*s\\u0000\"}]}",
				       head, (int)pad, "................");
		snprintf(want, sizeof(want),
			 "nul.json: line 1, byte %zu: \\u0000 (NUL) is not allowed in a string",
			 len - 9);
		assert_refused("nul.json", text, len, want);
		len = (size_t)snprintf(text, sizeof(text),
				       "%s\"events\": [{\"t\": 0, \"pid\": 1, \"kind\": \"error\","
				       " \"message\": \"%.*s\\\\u0000\"}]}",
				       head, (int)pad, "................");
		{
			struct trace tr;
			struct mp_err err = { { 0 } };

			trace_init(&tr);
			if (trace_json_load_buffer("ok.json", text, len, &tr, &err) < 0)
				fail_msg("%s", err.msg);
			assert_string_equal(tr.events[0].u.error.message + pad, "\\u0000");
			trace_release(&tr);
		}
	}
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Shapes that would be quadratic in a naive loader: a parent chain of
 * 100,000 processes (valid) and an event with 100,000 unknown members, the
 * last one a duplicate. */
static void hostile_shapes_stay_fast(void **state)
{
	const size_t n = 100000;
	struct sbuf b;
	struct trace tr;
	struct mp_err err = { { 0 } };
	struct timespec t0;

	(void)state;
	sbuf_init(&b);
	sbuf_adds(&b,
		  "{\"format\": \"mpscope-trace\", \"version\": 1, \"meta\": {\"program\":"
		  " \"a.py\", \"method\": \"fork\"}, \"events\": [], \"processes\": [");
	for (size_t i = 1; i <= n; i++)
		sbuf_addf(&b, "%s{\"pid\": %zu, \"ppid\": %zu, \"role\": \"child\", \"start\": 0}",
			  i > 1 ? ",\n" : "", i, i - 1);
	sbuf_adds(&b, "]}");
	assert_false(b.is_oom);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	trace_init(&tr);
	assert_int_equal(trace_json_load_buffer("chain.json", b.data, b.len, &tr, &err), 0);
	trace_release(&tr);
	sbuf_clear(&b);
	sbuf_adds(&b, head);
	sbuf_adds(&b, "\"events\": [{\"t\": 0, \"pid\": 1, \"kind\": \"proc.start\"");
	for (size_t i = 0; i < n; i++)
		sbuf_addf(&b, ", \"x%zu\": %zu", i, i);
	sbuf_adds(&b, ", \"x7\": 0}]}");
	assert_refused("wide.json", b.data, b.len, "wide.json: events[0]: \"x7\" appears twice");
	assert_true(seconds_since(&t0) < 20);
	sbuf_release(&b);
}

static void long_ppid_cycle_is_found(void **state)
{
	const size_t n = 100000;
	struct sbuf b;

	(void)state;
	sbuf_init(&b);
	sbuf_adds(&b,
		  "{\"format\": \"mpscope-trace\", \"version\": 1, \"meta\": {\"program\":"
		  " \"a.py\", \"method\": \"fork\"}, \"events\": [], \"processes\": [");
	for (size_t i = 1; i <= n; i++)
		sbuf_addf(&b, "%s{\"pid\": %zu, \"ppid\": %zu, \"role\": \"child\", \"start\": 0}",
			  i > 1 ? ",\n" : "", i, i == 1 ? n : i - 1);
	sbuf_adds(&b, "]}");
	assert_refused("cycle.json", b.data, b.len,
		       "cycle.json: processes: pid 1 is its own ancestor (ppid cycle)");
	sbuf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_bad_file_gives_its_message),
		cmocka_unit_test(missing_file_is_a_sentence),
		cmocka_unit_test(deep_nesting_is_refused),
		cmocka_unit_test(every_truncation_of_the_fixture_is_refused),
		cmocka_unit_test(odd_numbers_and_names_are_refused),
		cmocka_unit_test(byte_checks_at_every_alignment),
		cmocka_unit_test(hostile_shapes_stay_fast),
		cmocka_unit_test(long_ppid_cycle_is_found),
	};

	return cmocka_run_group_tests_name("json_bad", tests, NULL, NULL);
}

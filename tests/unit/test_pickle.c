/*
 * test_pickle.c - the disassembler and decoder on hand-made pickles: Python
 * repr details, one clear error per kind of malformed input, the caps on
 * pathological input, the decoded view (shared, recursive, os.system as
 * data), authkey redaction, and globals from truncated bytes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "pickle/opcodes.h"
#include "pickle/pickle.h"
#include "support/support.h"

#define P(s) (const uint8_t *)(s), sizeof(s) - 1

/* The listing as the CLI prints it; returns the walker's final status. */
static int listing(const uint8_t *buf, size_t len, struct sbuf *out, struct mp_err *err)
{
	struct pickle_walker w;
	struct pickle_insn insn;
	bool printable;
	int rc;

	sbuf_init(out);
	pickle_walker_init(&w, buf, len);
	while ((rc = pickle_walker_next(&w, &insn, &printable, err)) > 0 || printable) {
		pickle_insn_format(&insn, NULL, out);
		if (rc < 0)
			break;
	}
	if (w.is_done)
		pickle_format_highest(w.max_proto, out);
	pickle_walker_release(&w);
	return rc;
}

static void assert_listing(const uint8_t *buf, size_t len, const char *expected)
{
	struct sbuf out;
	struct mp_err err = { { 0 } };

	if (listing(buf, len, &out, &err) != 0)
		fail_msg("unexpected error: %s", err.msg);
	assert_string_equal(out.data, expected);
	sbuf_release(&out);
}

static void assert_error(const uint8_t *buf, size_t len, const char *msg)
{
	struct sbuf out;
	struct mp_err err = { { 0 } };

	assert_int_equal(listing(buf, len, &out, &err), -1);
	assert_string_equal(err.msg, msg);
	sbuf_release(&out);
}

static char *decoded(const uint8_t *buf, size_t len, unsigned flags)
{
	struct arena a;
	struct pickle_node *root;
	struct mp_err err = { { 0 } };
	struct sbuf out;
	char *text;

	arena_init(&a);
	if (pickle_decode(buf, len, &a, &root, &err) != 0)
		fail_msg("decode failed: %s", err.msg);
	sbuf_init(&out);
	pickle_render(root, flags, &out);
	text = strdup(out.data);
	sbuf_release(&out);
	arena_release(&a);
	return text;
}

static void floats_use_shortest_round_trip_repr(void **state)
{
	(void)state;
	/* BINFLOAT is big-endian on the wire. */
	assert_listing(P("G\x43\x41\xc3\x79\x37\xe0\x80\x00."),
		       "    0: G    BINFLOAT   1e+16\n    9: .    STOP\nhighest protocol among "
		       "opcodes = 1\n");
	assert_listing(P("G\x43\x0c\x6b\xf5\x26\x34\x00\x00."),
		       "    0: G    BINFLOAT   1000000000000000.0\n    9: .    STOP\nhighest "
		       "protocol among opcodes = 1\n");
	assert_listing(P("G\x3e\xe4\xf8\xb5\x88\xe3\x68\xf1."),
		       "    0: G    BINFLOAT   1e-05\n    9: .    STOP\nhighest protocol among "
		       "opcodes = 1\n");
	assert_listing(P("G\x3f\xb9\x99\x99\x99\x99\x99\x9a."),
		       "    0: G    BINFLOAT   0.1\n    9: .    STOP\nhighest protocol among "
		       "opcodes = 1\n");
	assert_listing(P("F -1_0.5e1 \n."),
		       "    0: F    FLOAT      -105.0\n   12: .    STOP\nhighest protocol among "
		       "opcodes = 0\n");
}

static void strings_follow_python_quoting_and_escapes(void **state)
{
	(void)state;
	/* A single quote inside switches to double quotes; both keep single. */
	assert_listing(P("\x8c\x04it's."),
		       "    0: \\x8c SHORT_BINUNICODE \"it's\"\n    6: .    STOP\nhighest protocol "
		       "among opcodes = 4\n");
	assert_listing(P("\x8c\x03'\"a."),
		       "    0: \\x8c SHORT_BINUNICODE '\\'\"a'\n    5: .    STOP\nhighest protocol "
		       "among opcodes = 4\n");
	/* é printable, NBSP and U+0085 escaped, a lone surrogate as \ud800. */
	assert_listing(P("\x8c\x09\xc3\xa9\xc2\xa0\xc2\x85\xed\xa0\x80."),
		       "    0: \\x8c SHORT_BINUNICODE 'é\\xa0\\x85\\ud800'\n   11: .    STOP\n"
		       "highest protocol among opcodes = 4\n");
	/* raw-unicode-escape: \u0041 decodes, an escaped backslash does not. */
	assert_listing(P("V\\u0041\\\\u0041\n."),
		       "    0: V    UNICODE    'A\\\\\\\\u0041'\n   15: .    STOP\nhighest "
		       "protocol among opcodes = 0\n");
	assert_listing(P("C\x03\x00'\x7f."),
		       "    0: C    SHORT_BINBYTES b\"\\x00'\\x7f\"\n    5: .    STOP\nhighest "
		       "protocol among opcodes = 3\n");
}

static void big_ints_print_in_decimal(void **state)
{
	(void)state;
	/* LONG1 of 2**64 and -2**63; LONG with leading zeros and underscores. */
	assert_listing(P("\x8a\x09\x00\x00\x00\x00\x00\x00\x00\x00\x01."),
		       "    0: \\x8a LONG1      18446744073709551616\n   11: .    STOP\n"
		       "highest protocol among opcodes = 2\n");
	assert_listing(P("\x8a\x08\x00\x00\x00\x00\x00\x00\x00\x80."),
		       "    0: \\x8a LONG1      -9223372036854775808\n   10: .    STOP\n"
		       "highest protocol among opcodes = 2\n");
	assert_listing(P("L-000_123_456_789_012_345_678_901L\n."),
		       "    0: L    LONG       -123456789012345678901\n   35: .    STOP\n"
		       "highest protocol among opcodes = 0\n");
	assert_listing(P("I01\n."),
		       "    0: I    INT        True\n    4: .    STOP\nhighest protocol among "
		       "opcodes = 0\n");
}

/* Python refuses to print an int of more than 4300 digits, and so
 * pickletools fails on such a LONG4. What counts is the value: 0xff bytes
 * over a positive number are digits, not sign extension. */
static void long4_digit_limit_follows_the_value(void **state)
{
	enum { MAX = 1 + 4 + 1787 + 1 };
	uint8_t *buf = malloc(MAX);
	struct sbuf out;
	struct mp_err err;

	(void)state;
	assert_non_null(buf);
	/* 2**(8*n) - 1 has 4299 digits for n = 1785 and 4302 for n = 1786. */
	for (size_t n = 1785; n <= 1786; n++) {
		size_t len = n + 1;

		buf[0] = PK_OP_LONG4;
		buf[1] = (uint8_t)len;
		buf[2] = (uint8_t)(len >> 8);
		buf[3] = buf[4] = 0;
		memset(buf + 5, 0xff, n);
		buf[5 + n] = 0x00;
		buf[6 + n] = PK_OP_STOP;
		assert_int_equal(listing(buf, 7 + n, &out, &err), n == 1785 ? 0 : -1);
		sbuf_release(&out);
	}
	assert_string_equal(err.msg,
			    "byte 0: LONG4 integer has more than Python's limit of 4300 digits");
	/* -(2**(8*1786)): 0x00 bytes under a 0xff sign byte. */
	memset(buf + 5, 0x00, 1786);
	buf[5 + 1786] = 0xff;
	buf[6 + 1786] = PK_OP_STOP;
	assert_int_equal(listing(buf, 7 + 1786, &out, &err), -1);
	assert_string_equal(err.msg,
			    "byte 0: LONG4 integer has more than Python's limit of 4300 digits");
	sbuf_release(&out);
	free(buf);
}

static void marks_indent_and_memoize_counts(void **state)
{
	(void)state;
	assert_listing(P("\x80\x04(K\x01\x94t\x94."),
		       "    0: \\x80 PROTO      4\n"
		       "    2: (    MARK\n"
		       "    3: K        BININT1    1\n"
		       "    5: \\x94     MEMOIZE    (as 0)\n"
		       "    6: t        TUPLE      (MARK at 2)\n"
		       "    7: \\x94 MEMOIZE    (as 1)\n"
		       "    8: .    STOP\n"
		       "highest protocol among opcodes = 4\n");
}

static void malformed_input_gets_one_sentence(void **state)
{
	(void)state;
	assert_error(P("X\x01\x00"),
		     "byte 0: truncated: BINUNICODE needs 4 bytes of length, 2 remain");
	assert_error(P("K\x01X\x05\x00\x00\x00"
		       "ab"),
		     "byte 2: truncated: BINUNICODE declares 5 bytes, 2 remain");
	assert_error(P("\xff"), "byte 0: unknown opcode 0xff");
	assert_error(P("K\x01Z"), "byte 2: unknown opcode 'Z' (0x5a)");
	assert_error(P("Iabc\n."), "byte 0: INT argument is not a decimal integer");
	assert_error(P("I12"), "byte 0: truncated: INT needs a line ending in '\\n', none found");
	assert_error(P("S'abc\n."), "byte 0: STRING argument does not end with its quote '");
	assert_error(P("0"), "byte 0: stack underflow: POP pops 1 item, the stack has 0");
	assert_error(P("t."), "byte 0: mark mismatch: TUPLE needs a MARK but none is open");
	assert_error(P("h\x05."), "byte 0: BINGET: memo index 5 out of range: it was never stored");
	assert_error(P("Nq\x01q\x01."), "byte 3: BINPUT: memo index 1 is already defined");
	assert_error(P("\x8e\x00\x00\x00\x00\x00\x00\x00\x80"),
		     "byte 0: truncated: BINBYTES8 declares 9223372036854775808 bytes, 0 remain");
	assert_error(
		P("\x8d\xff\xff\xff\xff\xff\xff\xff\xff"
		  "abc"),
		"byte 0: truncated: BINUNICODE8 declares 18446744073709551615 bytes, 3 remain");
	assert_error(P("X\x02\x00\x00\x00\xc3\x28."),
		     "byte 0: BINUNICODE argument is not valid UTF-8 (at byte 5)");
	assert_error(P("N"), "byte 1: truncated: the pickle ends before STOP");
	assert_error(P(""), "byte 0: truncated: the pickle ends before STOP");
	assert_error(P("NN."), "byte 2: STOP leaves 1 item on the stack");
}

static void listing_stops_after_the_offending_line(void **state)
{
	struct sbuf out;
	struct mp_err err;

	(void)state;
	/* pickletools prints the line of a failing stack check, then raises. */
	assert_int_equal(listing(P("K\x01t."), &out, &err), -1);
	assert_string_equal(
		out.data,
		"    0: K    BININT1    1\n    2: t    TUPLE      no MARK exists on stack\n");
	sbuf_release(&out);
	/* After STOP the "highest protocol" line still comes before the error. */
	assert_int_equal(listing(P("NN."), &out, &err), -1);
	assert_string_equal(out.data,
			    "    0: N    NONE\n    1: N    NONE\n    2: .    STOP\n"
			    "highest protocol among opcodes = 0\n");
	sbuf_release(&out);
}

static void deep_marks_are_bounded(void **state)
{
	enum { DEPTH = 100000 };
	uint8_t *buf = malloc(DEPTH + 1);
	struct arena a;
	struct pickle_listing l;
	struct pickle_node *root;
	struct mp_err err;

	(void)state;
	assert_non_null(buf);
	memset(buf, '(', DEPTH);
	buf[DEPTH] = '.';
	arena_init(&a);
	assert_int_equal(pickle_dis(buf, DEPTH + 1, &a, &l, &err), -1);
	assert_int_equal(l.insn_count, DEPTH + 1);
	assert_int_equal(l.insns[DEPTH - 1].mark_level, DEPTH - 1);
	assert_string_equal(err.msg, "byte 100000: STOP leaves 99999 items on the stack");
	assert_int_equal(pickle_decode(buf, DEPTH + 1, &a, &root, &err), -1);
	assert_string_equal(
		err.msg, "byte 100000: mark mismatch: STOP found a MARK where it needs an object");
	arena_release(&a);
	free(buf);
}

static void deep_nesting_renders_with_a_cut(void **state)
{
	enum { DEPTH = 5000 };
	uint8_t *buf = malloc(2 * DEPTH + 2);
	char *text;

	(void)state;
	assert_non_null(buf);
	/* [[[[...]]]]: DEPTH empty lists, each appended to the one below. */
	memset(buf, ']', DEPTH);
	memset(buf + DEPTH, 'a', DEPTH - 1);
	buf[2 * DEPTH - 1] = '.';
	text = decoded(buf, 2 * DEPTH, 0);
	assert_non_null(strstr(text, "..."));
	assert_true(strlen(text) < 64 * 1024);
	free(text);
	free(buf);
}

static void shared_and_recursive_objects_are_labelled(void **state)
{
	char *text;

	(void)state;
	/* l = []; l.append(l) at protocol 2 */
	text = decoded(P("\x80\x02]q\x00h\x00"
			 "a."),
		       0);
	assert_string_equal(text, "#1=[<#1>]\n");
	free(text);
	/* s = [1]; [s, s] */
	text = decoded(P("\x80\x02]q\x00(]q\x01K\x01"
			 "ah\x01"
			 "e."),
		       0);
	assert_string_equal(text, "[#1=[1], <#1>]\n");
	free(text);
}

static void os_system_is_shown_as_data_and_never_run(void **state)
{
	char sentinel[64], pickle[160], *text, expect[160];
	struct sbuf out;
	struct mp_err err;
	int n;

	(void)state;
	snprintf(sentinel, sizeof(sentinel), "/tmp/mpscope-test-sentinel-%d", (int)getpid());
	unlink(sentinel);
	n = snprintf(pickle, sizeof(pickle), "cposix\nsystem\n(S'touch %s'\ntR.", sentinel);
	text = decoded((const uint8_t *)pickle, (size_t)n, 0);
	snprintf(expect, sizeof(expect), "posix.system('touch %s')\n", sentinel);
	assert_string_equal(text, expect);
	free(text);
	assert_int_equal(listing((const uint8_t *)pickle, (size_t)n, &out, &err), 0);
	sbuf_release(&out);
	assert_int_equal(access(sentinel, F_OK), -1);
}

static void authkey_is_redacted_unless_asked(void **state)
{
	/* multiprocessing.process.AuthenticationString(b'SECRET') at protocol 4 */
	static const char p[] = "\x80\x04\x8c\x17multiprocessing.process\x8c\x14"
				"AuthenticationString\x93"
				"C\x06SECRET\x85R.";
	struct arena a;
	struct pickle_redactions r;
	struct pickle_walker w;
	struct pickle_insn insn;
	struct mp_err err;
	struct sbuf out;
	bool printable;
	char *text;

	(void)state;
	text = decoded(P(p), 0);
	assert_string_equal(text,
			    "multiprocessing.process.AuthenticationString(<redacted, 6 bytes>)\n");
	free(text);
	text = decoded(P(p), PK_RENDER_SHOW_AUTHKEY);
	assert_string_equal(text, "multiprocessing.process.AuthenticationString(b'SECRET')\n");
	free(text);
	arena_init(&a);
	assert_int_equal(pickle_find_authkeys(P(p), &a, &r, &err), 0);
	assert_int_equal(r.count, 1);
	pickle_walker_init(&w, P(p));
	sbuf_init(&out);
	while (pickle_walker_next(&w, &insn, &printable, &err) > 0)
		if (insn.op->code == PK_OP_SHORT_BINBYTES)
			pickle_insn_format(&insn, &r, &out);
	assert_string_equal(out.data, "   50: C    SHORT_BINBYTES b'<authk'\n");
	pickle_walker_release(&w);
	sbuf_release(&out);
	arena_release(&a);
}

/* Bytes that leave mpscope (exports) are redacted in place: the key's bytes
 * become the marker, the length and every offset stay, and a cut payload
 * is redacted as far as it goes. */
static void authkey_bytes_are_overwritten(void **state)
{
	static const char p[] = "\x80\x04\x8c\x17multiprocessing.process\x8c\x14"
				"AuthenticationString\x93"
				"C\x06SECRET\x85R.";
	uint8_t buf[sizeof(p) - 1];
	size_t redacted;
	struct mp_err err;

	(void)state;
	memcpy(buf, p, sizeof(buf));
	assert_int_equal(pickle_redact_authkeys(buf, sizeof(buf), &redacted, &err), 0);
	assert_int_equal(redacted, 1);
	assert_null(memmem(buf, sizeof(buf), "SECRET", 6));
	assert_memory_equal(buf + 52, "<authk", 6);
	assert_memory_equal(buf, p, 52);
	memcpy(buf, p, sizeof(buf));
	assert_int_equal(pickle_redact_authkeys(buf, sizeof(buf) - 3, &redacted, &err), -1);
	assert_int_equal(redacted, 1);
	assert_null(memmem(buf, sizeof(buf), "SECRET", 6));
}

static void probe_marker_renders_as_redacted_even_when_shown(void **state)
{
	static const char p[] = "\x80\x04\x8c\x17multiprocessing.process\x8c\x14"
				"AuthenticationString\x93"
				"C\x20<authkey-redacted>**************\x85R.";
	char *text;

	(void)state;
	text = decoded(P(p), PK_RENDER_SHOW_AUTHKEY);
	assert_string_equal(text,
			    "multiprocessing.process.AuthenticationString(<redacted, 32 bytes>)\n");
	free(text);
}

static void globals_survive_a_truncated_payload(void **state)
{
	static const char p[] = "\x80\x04\x8c\x08__main__\x8c\x01"
				"f\x93\x8c\x08__main__\x8c\x01g\x93\x86.";
	struct arena a;
	struct pickle_global *g;
	size_t count;
	struct mp_err err;

	(void)state;
	arena_init(&a);
	assert_int_equal(pickle_globals(P(p), &a, &g, &count, &err), 0);
	assert_int_equal(count, 2);
	assert_string_equal(g[1].name, "g");
	/* Cut inside the second module name: the first global is still found. */
	assert_int_equal(pickle_globals((const uint8_t *)p, 20, &a, &g, &count, &err), -1);
	assert_int_equal(count, 1);
	assert_string_equal(g[0].module, "__main__");
	assert_string_equal(g[0].name, "f");
	assert_int_equal(g[0].offset, 15);
	arena_release(&a);
}

static void summary_names_globals_and_largest_leaves(void **state)
{
	static const char p[] =
		"\x80\x04\x95\x1d\x00\x00\x00\x00\x00\x00\x00\x8c\x08__main__\x8c\x01"
		"f\x93"
		"C\x05"
		"abcde\x86\x94.";
	struct arena a;
	struct pickle_summary s;
	struct mp_err err;
	struct sbuf out;

	(void)state;
	arena_init(&a);
	assert_int_equal(pickle_summarize(P(p), &a, &s, &err), 0);
	sbuf_init(&out);
	pickle_summary_format(&s, &out);
	assert_string_equal(out.data,
			    "protocol:        4 (highest among opcodes: 4)\n"
			    "size:            35 bytes, 9 opcodes, 1 memo entries, 1 frame\n"
			    "globals:         1 distinct, 1 reference\n"
			    "  byte 24       __main__.f\n"
			    "largest leaves:  3\n"
			    "  byte 11       SHORT_BINUNICODE        8 bytes  '__main__'\n"
			    "  byte 25       SHORT_BINBYTES          5 bytes  b'abcde'\n"
			    "  byte 21       SHORT_BINUNICODE        1 bytes  'f'\n");
	sbuf_release(&out);
	arena_release(&a);
}

static void objects_read_like_python(void **state)
{
	char *text;

	(void)state;
	/* protocol 2: __main__.P.__new__(P) + BUILD {'a': 1} */
	text = decoded(P("\x80\x02"
			 "c__main__\nP\n)\x81}(X\x01\x00\x00\x00"
			 "aK\x01ub."),
		       0);
	assert_string_equal(text, "__main__.P(a=1)\n");
	free(text);
	/* NEWOBJ_EX with keyword arguments */
	text = decoded(P("\x80\x04\x8c\x08__main__\x8c\x01Q\x93K\x01\x85}\x8c\x01"
			 "bK\x02s\x92."),
		       0);
	assert_string_equal(text, "__main__.Q(1, b=2)\n");
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(floats_use_shortest_round_trip_repr),
		cmocka_unit_test(strings_follow_python_quoting_and_escapes),
		cmocka_unit_test(big_ints_print_in_decimal),
		cmocka_unit_test(long4_digit_limit_follows_the_value),
		cmocka_unit_test(marks_indent_and_memoize_counts),
		cmocka_unit_test(malformed_input_gets_one_sentence),
		cmocka_unit_test(listing_stops_after_the_offending_line),
		cmocka_unit_test(deep_marks_are_bounded),
		cmocka_unit_test(deep_nesting_renders_with_a_cut),
		cmocka_unit_test(shared_and_recursive_objects_are_labelled),
		cmocka_unit_test(os_system_is_shown_as_data_and_never_run),
		cmocka_unit_test(authkey_is_redacted_unless_asked),
		cmocka_unit_test(authkey_bytes_are_overwritten),
		cmocka_unit_test(probe_marker_renders_as_redacted_even_when_shown),
		cmocka_unit_test(globals_survive_a_truncated_payload),
		cmocka_unit_test(summary_names_globals_and_largest_leaves),
		cmocka_unit_test(objects_read_like_python),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_export_keys.c - no export of a trace whose authkey is known gives
 * it away: a spawn preparation pickle built here with a real key (as the
 * probe would have captured it had it not redacted it), a child that
 * printed the key as hex, as Python's repr and as base64, and every
 * format of the table asked for it. --no-redact keeps it, which shows
 * that the search below finds a key when there is one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "export/export.h"
#include "json/trace_json.h"
#include "pickle/pickle.h"

#define KEY_LEN 32

static uint8_t key[KEY_LEN];

/* {'authkey': AuthenticationString(KEY)} as CPython's pickler writes the
 * preparation data's key: a STACK_GLOBAL reduced with the key's bytes. */
static size_t make_pickle(uint8_t *buf)
{
	static const char head[] = "\x80\x04}"
				   "\x8c\x07"
				   "authkey"
				   "\x8c\x17"
				   "multiprocessing.process"
				   "\x8c\x14"
				   "AuthenticationString"
				   "\x93"
				   "C\x20";
	size_t n = sizeof(head) - 1;

	memcpy(buf, head, n);
	memcpy(buf + n, key, KEY_LEN);
	n += KEY_LEN;
	memcpy(buf + n, "\x85Rs.", 4);
	return n + 4;
}

static const char hex_lower[] = "0123456789abcdef";

#define STD64 "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
#define URL64 "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

static void add_hex(struct sbuf *s, const uint8_t *p, size_t len, const char *digits)
{
	for (size_t i = 0; i < len; i++) {
		sbuf_addc(s, digits[p[i] >> 4]);
		sbuf_addc(s, digits[p[i] & 15]);
	}
}

/* Standard base64 with padding, of all len bytes. */
static void add_base64(struct sbuf *s, const uint8_t *p, size_t len, const char *alphabet)
{
	for (size_t i = 0; i < len; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16;
		size_t n = len - i < 3 ? len - i : 3;

		if (n > 1)
			v |= (uint32_t)p[i + 1] << 8;
		if (n > 2)
			v |= p[i + 2];
		for (size_t k = 0; k < 4; k++)
			sbuf_addc(s, k <= n ? alphabet[(v >> (18 - 6 * k)) & 63] : '=');
	}
}

/* The body of Python's repr() of the key, between its quotes. */
static void add_repr(struct sbuf *s)
{
	for (size_t i = 0; i < KEY_LEN; i++)
		if (key[i] >= 0x20 && key[i] < 0x7f && key[i] != '\\' && key[i] != '\'')
			sbuf_addc(s, (char)key[i]);
		else if (key[i] == '\\' || key[i] == '\'')
			sbuf_addf(s, "\\%c", key[i]);
		else
			sbuf_addf(s, "\\x%02x", key[i]);
}

static struct global_ref prep_globals[] = { { "multiprocessing.process", "AuthenticationString" } };

static void set_pickle(struct event *ev, const uint8_t *payload, size_t len, int peer)
{
	ev->u.pickle.size = len;
	ev->u.pickle.what = "preparation";
	ev->u.pickle.type = "dict";
	ev->u.pickle.peer = peer;
	ev->u.pickle.bytes = payload;
	ev->u.pickle.bytes_len = len;
	ev->u.pickle.globals = prep_globals;
	ev->u.pickle.global_count = 1;
}

/* Main 100 sends the preparation data to spawned child 101, which reads
 * it and prints its key three ways; the child's command line holds the
 * key in hex (no trace of ours has one there: a trace made elsewhere
 * may). */
static void build(struct trace *tr, uint8_t *payload, size_t payload_len, const char *printed)
{
	static const char *argv[] = { "python3", "example.py" };
	static char key_arg[2 * KEY_LEN + 1];
	static const char *child_argv[] = { "python3", "-c", key_arg };
	struct process p = { .pid = 100, .role = ROLE_MAIN, .argv = { argv, 2 } };
	struct event ev = { 0 };

	for (size_t i = 0; i < KEY_LEN; i++)
		snprintf(key_arg + 2 * i, 3, "%02x", key[i]);
	trace_init(tr);
	tr->meta.program = "example.py";
	tr->meta.method = "spawn";
	assert_int_equal(trace_add_process(tr, &p, NULL), 0);
	p.pid = 101, p.ppid = 100, p.role = ROLE_CHILD, p.start = 10;
	p.argv = (struct strv){ child_argv, 3 };
	assert_int_equal(trace_add_process(tr, &p, NULL), 0);
	ev = (struct event){ .t = 5, .pid = 100, .kind = EV_PICKLE_DUMP };
	set_pickle(&ev, payload, payload_len, 101);
	assert_int_equal(trace_add_event(tr, &ev, NULL), 0);
	ev = (struct event){ .seq = 1, .t = 8, .pid = 100, .kind = EV_FORK };
	ev.u.fork.child = 101;
	assert_int_equal(trace_add_event(tr, &ev, NULL), 0);
	ev = (struct event){ .seq = 2, .t = 20, .pid = 101, .kind = EV_PICKLE_LOAD };
	set_pickle(&ev, payload, payload_len, 100);
	assert_int_equal(trace_add_event(tr, &ev, NULL), 0);
	ev = (struct event){ .seq = 3, .t = 30, .pid = 101, .kind = EV_OUTPUT };
	ev.u.output.stream = STREAM_STDOUT;
	ev.u.output.text = printed;
	ev.u.output.text_len = strlen(printed);
	assert_int_equal(trace_add_event(tr, &ev, NULL), 0);
	assert_int_equal(trace_finish(tr, NULL), 0);
}

/* The key as a program prints it: hex, repr(bytes), base64. */
static void make_printed(struct sbuf *s)
{
	sbuf_adds(s, "hex ");
	add_hex(s, key, KEY_LEN, hex_lower);
	sbuf_adds(s, "\nrepr b'");
	add_repr(s);
	sbuf_adds(s, "'\nbase64 ");
	add_base64(s, key, KEY_LEN, STD64);
	sbuf_addc(s, '\n');
}

/* How many forms of the key the text holds: raw, hex in either case,
 * base64 (either alphabet) of the key at each of the three alignments a
 * stream can put it at (the characters that only key bytes make), and
 * Python's repr. */
static int key_forms_in(const char *text, size_t len, const char **which)
{
	struct sbuf form;
	int found = 0;

	sbuf_init(&form);
	for (int f = 0; f < 10; f++) {
		size_t skip = (size_t)(f - 3) % 3;

		sbuf_clear(&form);
		if (f == 0)
			sbuf_add(&form, key, KEY_LEN);
		else if (f == 1)
			add_hex(&form, key, KEY_LEN, hex_lower);
		else if (f == 2)
			add_hex(&form, key, KEY_LEN, "0123456789ABCDEF");
		else if (f < 9)
			add_base64(&form, key + skip, (KEY_LEN - skip) / 3 * 3,
				   f < 6 ? STD64 : URL64);
		else
			add_repr(&form);
		if (memmem(text, len, form.data, form.len)) {
			found++;
			*which = f == 0 ? "raw" : f < 3 ? "hex" : f < 9 ? "base64" : "repr";
		}
	}
	sbuf_release(&form);
	return found;
}

static void setup_key(void)
{
	/* Bytes of every kind: printable, quotes, backslash, controls, high. */
	for (int i = 0; i < KEY_LEN; i++)
		key[i] = (uint8_t)(i * 37 + 11);
	key[3] = '\'';
	key[4] = '\\';
}

static void export_all(const struct trace *tr, unsigned flags, bool expect_key)
{
	const struct export_format *f;
	size_t n = export_formats(&f);
	struct export_input in = { tr, "keyed.spawn.json" };
	struct export_opts o = { .flags = flags };

	for (size_t i = 0; i < n; i++) {
		struct sbuf out;
		struct mp_err err;
		const char *which = NULL;
		int found;

		sbuf_init(&out);
		if (f[i].write(&in, 1, &o, &out, &err) < 0)
			fail_msg("-f %s: %s", f[i].name, err.msg);
		found = key_forms_in(out.data, out.len, &which);
		if (!expect_key && found)
			fail_msg("-f %s gives the authkey away (%s)", f[i].name, which);
		/* Formats with bytes keep it when asked to. */
		if (expect_key && strcmp(f[i].name, "json") == 0 && !found)
			fail_msg("-f json --no-redact lost the key: the search finds nothing");
		sbuf_release(&out);
	}
}

static void no_format_gives_the_key_away(void **state)
{
	uint8_t payload[256];
	size_t len;
	struct trace tr;
	struct sbuf printed;
	const char *which = NULL;

	(void)state;
	setup_key();
	len = make_pickle(payload);
	sbuf_init(&printed);
	make_printed(&printed);
	/* The key is there to find, in every form. */
	assert_int_equal(key_forms_in((const char *)payload, len, &which), 1);
	assert_true(key_forms_in(printed.data, printed.len, &which) >= 2);
	build(&tr, payload, len, printed.data);
	export_all(&tr, 0, false);
	export_all(&tr, EXPORT_NO_PAYLOADS, false);
	export_all(&tr, EXPORT_NO_REDACT, true);
	trace_release(&tr);
	sbuf_release(&printed);
}

/* The json export reads back with the marker where the key was, sizes and
 * offsets unchanged, so the listing still walks. */
static void json_keeps_the_payload_a_pickle(void **state)
{
	uint8_t payload[256];
	size_t len;
	struct trace tr, back;
	struct sbuf out;
	struct mp_err err;
	struct export_input in;
	struct export_opts o = { 0 };
	struct arena a;
	struct pickle_listing listing;

	(void)state;
	setup_key();
	len = make_pickle(payload);
	build(&tr, payload, len, "nothing to see");
	in = (struct export_input){ &tr, "keyed.spawn.json" };
	sbuf_init(&out);
	assert_int_equal(export_json(&in, 1, &o, &out, &err), 0);
	trace_init(&back);
	if (trace_json_load_buffer("keyed.json", out.data, out.len, &back, &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(back.events[0].u.pickle.bytes_len, len);
	assert_true(pickle_is_authkey_marker(back.events[0].u.pickle.bytes + len - 4 - KEY_LEN,
					     KEY_LEN));
	arena_init(&a);
	assert_int_equal(pickle_dis(back.events[0].u.pickle.bytes, len, &a, &listing, &err), 0);
	arena_release(&a);
	sbuf_release(&out);
	trace_release(&back);
	trace_release(&tr);
}

/* Every form the scrubber knows, at every alignment, and nothing else. */
static void scrub_finds_every_form(void **state)
{
	uint8_t payload[256];
	size_t len;
	struct trace tr;
	struct export_keys keys;
	struct sbuf text;
	const char *which = NULL;

	(void)state;
	setup_key();
	len = make_pickle(payload);
	build(&tr, payload, len, "x");
	export_keys_init(&keys);
	assert_int_equal(export_keys_collect(&keys, &tr, NULL), 0);
	assert_int_equal(keys.key_count, 1);
	for (size_t pad = 0; pad < 3; pad++) {
		uint8_t shifted[KEY_LEN + 3] = { 'a', 'b', 'c' };

		memcpy(shifted + pad, key, KEY_LEN);
		sbuf_init(&text);
		sbuf_adds(&text, "before ");
		add_base64(&text, shifted, KEY_LEN + pad, pad == 1 ? URL64 : STD64);
		sbuf_adds(&text, " ");
		add_hex(&text, key, KEY_LEN, "0123456789ABCDEF");
		sbuf_adds(&text, " after");
		assert_true(export_keys_scrub(&keys, text.data, text.len) >= 2);
		assert_int_equal(key_forms_in(text.data, text.len, &which), 0);
		assert_memory_equal(text.data, "before ", 7);
		assert_memory_equal(text.data + text.len - 6, " after", 6);
		assert_non_null(strstr(text.data, "<authkey-redacted>"));
		sbuf_release(&text);
	}
	export_keys_release(&keys);
	trace_release(&tr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(no_format_gives_the_key_away),
		cmocka_unit_test(json_keeps_the_payload_a_pickle),
		cmocka_unit_test(scrub_finds_every_form),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

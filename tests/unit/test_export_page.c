/*
 * test_export_page.c - the page (-f html) and the slide (-f svg): each
 * trace's folded story told once in the replay's own words, payloads and
 * descriptor tables stored once, every string from a hostile trace made
 * safe and escaped, the authkey redacted, the Content-Security-Policy
 * naming the one script by its hash; the SVG a well-formed document with
 * the lifelines, fork and payload arrows of the key moments.
 *
 * Run with `--export FORMAT OUT [--no-redact] [--no-payloads] TRACE...`
 * it writes an export instead (the driver tests/e2e/export-browser.sh
 * opens in Chromium).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "export/export.h"
#include "export/html_internal.h"
#include "json/trace_json.h"
#include "replay/replay.h"
#include "support/support.h"

/* ---- the driver ---- */

static int drive(int argc, char **argv)
{
	const struct export_format *f = argc > 3 ? export_format_find(argv[2]) : NULL;
	struct export_opts o = { 0 };
	struct export_input in[16];
	struct trace traces[16];
	size_t count = 0;
	struct mp_err err = { { 0 } };
	struct sbuf out;
	int rc = 0;

	if (!f) {
		fprintf(stderr,
			"usage: %s --export json|html|svg OUT [--no-redact] "
			"[--no-payloads] [--title T] TRACE...\n",
			argv[0]);
		return 2;
	}
	for (int i = 4; i < argc && rc == 0; i++) {
		if (strcmp(argv[i], "--no-redact") == 0)
			o.flags |= EXPORT_NO_REDACT;
		else if (strcmp(argv[i], "--no-payloads") == 0)
			o.flags |= EXPORT_NO_PAYLOADS;
		else if (strcmp(argv[i], "--title") == 0 && i + 1 < argc)
			o.title = argv[++i];
		else if (count < 16) {
			trace_init(&traces[count]);
			if (trace_json_load(argv[i], &traces[count], &err) < 0) {
				fprintf(stderr, "%s\n", err.msg);
				rc = 1;
			}
			in[count] = (struct export_input){ &traces[count], argv[i] };
			count++;
		}
	}
	sbuf_init(&out);
	if (rc == 0 && f->write(in, count, &o, &out, &err) < 0) {
		fprintf(stderr, "%s\n", err.msg);
		rc = 1;
	}
	if (rc == 0 && support_write_file(argv[3], out.data, out.len) < 0) {
		fprintf(stderr, "cannot write %s\n", argv[3]);
		rc = 1;
	}
	sbuf_release(&out);
	for (size_t i = 0; i < count; i++)
		trace_release(&traces[i]);
	return rc;
}

/* ---- helpers ---- */

struct loaded {
	struct trace tr[4];
	struct export_input in[4];
	size_t count;
};

static void load(struct loaded *l, const char *const *paths, size_t count)
{
	struct mp_err err = { { 0 } };

	l->count = count;
	for (size_t i = 0; i < count; i++) {
		trace_init(&l->tr[i]);
		if (trace_json_load(paths[i], &l->tr[i], &err) < 0)
			fail_msg("%s", err.msg);
		l->in[i] = (struct export_input){ &l->tr[i], paths[i] };
	}
}

static void unload(struct loaded *l)
{
	for (size_t i = 0; i < l->count; i++)
		trace_release(&l->tr[i]);
}

static const char *const lesson1[] = {
	"traces/01-what-gets-pickled.fork.json",
	"traces/01-what-gets-pickled.spawn.json",
	"traces/01-what-gets-pickled.forkserver.json",
};

/* Writes the export into out (initialised here); fails the test on error. */
static void export_to(const char *format, struct loaded *l, unsigned flags, struct sbuf *out)
{
	struct export_opts o = { .flags = flags };
	struct mp_err err = { { 0 } };

	sbuf_init(out);
	if (export_format_find(format)->write(l->in, l->count, &o, out, &err) < 0)
		fail_msg("%s", err.msg);
	assert_false(out->is_oom);
}

/* The page's data block, parsed. */
static cJSON *page_data(const struct sbuf *page, size_t *len)
{
	const char *open = strstr(page->data, "id=\"mpscope-data\">");
	const char *close;
	cJSON *d;

	assert_non_null(open);
	open += strlen("id=\"mpscope-data\">");
	close = strstr(open, "</script>");
	assert_non_null(close);
	/* Nothing in it can end the element or open a tag. */
	assert_null(memchr(open, '<', (size_t)(close - open)));
	assert_null(memchr(open, '>', (size_t)(close - open)));
	*len = (size_t)(close - open);
	d = cJSON_ParseWithLength(open, *len);
	assert_non_null(d);
	return d;
}

static const char *str_at(const cJSON *d, const cJSON *index)
{
	const cJSON *s = cJSON_GetArrayItem(cJSON_GetObjectItem(d, "S"), index->valueint);

	assert_true(cJSON_IsString(s));
	return s->valuestring;
}

static size_t count_of(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

/* ---- the pieces ---- */

static void hex_of(const uint8_t *d, char *out)
{
	for (int i = 0; i < 32; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

static void test_sha256(void **state)
{
	static const char two_blocks[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	uint8_t d[32];
	char hex[65];

	(void)state;
	html_sha256((const uint8_t *)"abc", 3, d);
	hex_of(d, hex);
	assert_string_equal(hex,
			    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	html_sha256((const uint8_t *)"", 0, d);
	hex_of(d, hex);
	assert_string_equal(hex,
			    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	html_sha256((const uint8_t *)two_blocks, strlen(two_blocks), d);
	hex_of(d, hex);
	assert_string_equal(hex,
			    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void test_strings_once_clean_escaped(void **state)
{
	struct html_strings t;
	struct sbuf out;

	(void)state;
	html_strings_init(&t);
	assert_int_equal(html_strings_adds(&t, "pipe 2418295"), 0);
	assert_int_equal(html_strings_adds(&t, "18923 main"), 1);
	assert_int_equal(html_strings_adds(&t, "pipe 2418295"), 0);
	/* Controls, bidi overrides and bad UTF-8 are '?', as on the screen;
	 * the cleaned text is what is stored once. */
	assert_int_equal(html_strings_adds(&t, "\x1b]2;owned\a\xe2\x80\xae\xff"), 2);
	assert_int_equal(html_strings_adds(&t, "?]2;owned???"), 2);
	for (int i = 0; i < 1000; i++) { /* past a few growths */
		char s[16];

		snprintf(s, sizeof(s), "s%d", i);
		assert_int_equal(html_strings_adds(&t, s), i + 3);
	}
	assert_int_equal(html_strings_adds(&t, "s500"), 503);
	sbuf_init(&out);
	html_json_string("</script><!--&\"\\\n", 17, &out);
	assert_string_equal(out.data, "\"\\u003c/script\\u003e\\u003c!--\\u0026\\\"\\\\\\n\"");
	sbuf_clear(&out);
	html_xml_text("<a href='x'>&\"", 14, &out);
	assert_string_equal(out.data, "&lt;a href=&#39;x&#39;&gt;&amp;&quot;");
	sbuf_clear(&out);
	html_base64((const uint8_t *)"any carnal pleas", 16, &out);
	assert_string_equal(out.data, "YW55IGNhcm5hbCBwbGVhcw==");
	sbuf_release(&out);
	html_strings_release(&t);
}

/* ---- the page ---- */

static void text_of(const struct replay *rp, size_t k, bool is_narration, struct sbuf *out)
{
	struct sbuf raw;

	sbuf_init(&raw);
	sbuf_clear(out);
	if (is_narration)
		replay_narrate(rp, k, &raw);
	else
		replay_brief(rp, k, &raw);
	html_text_clean(raw.data ? raw.data : "", raw.len, out);
	sbuf_addc(out, '\0');
	sbuf_release(&raw);
}

/* Every step of every trace says what the replay says at that step of
 * the folded story, brief and narration; every string is stored once. */
static void test_page_tells_the_replays_words(void **state)
{
	struct loaded l;
	struct sbuf page, text;
	struct replay *rps;
	struct mp_err err = { { 0 } };
	size_t len;
	cJSON *d, *s;

	(void)state;
	load(&l, lesson1, 3);
	export_to("html", &l, 0, &page);
	d = page_data(&page, &len);
	assert_int_equal(replay_array_new(l.tr, 3, &rps, &err), 0);
	sbuf_init(&text);
	for (size_t c = 0; c < 3; c++) {
		const cJSON *steps = cJSON_GetObjectItem(
			cJSON_GetArrayItem(cJSON_GetObjectItem(d, "T"), (int)c), "K");

		assert_int_equal(replay_set_folded(&rps[c], true, &err), 0);
		assert_int_equal(cJSON_GetArraySize(steps), (int)replay_step_count(&rps[c]));
		for (size_t k = 0; k < replay_step_count(&rps[c]); k++) {
			const cJSON *st = cJSON_GetArrayItem(steps, (int)k);

			replay_seek(&rps[c], k);
			text_of(&rps[c], k, false, &text);
			assert_string_equal(str_at(d, cJSON_GetArrayItem(st, 5)), text.data);
			text_of(&rps[c], k, true, &text);
			assert_string_equal(str_at(d, cJSON_GetArrayItem(st, 6)), text.data);
		}
	}
	s = cJSON_GetObjectItem(d, "S");
	for (int i = 0; i < cJSON_GetArraySize(s); i++)
		for (int j = i + 1; j < cJSON_GetArraySize(s); j++)
			assert_string_not_equal(cJSON_GetArrayItem(s, i)->valuestring,
						cJSON_GetArrayItem(s, j)->valuestring);
	/* Three columns aligned, and where m goes from each. */
	assert_true(cJSON_GetArraySize(cJSON_GetObjectItem(d, "A")) > 0);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(d, "M")), 3);
	/* Small: the whole page, script and data, for lesson 01. */
	assert_true(page.len < 200 * 1000);
	print_message("lesson 01, three traces: page %zu bytes, of which data %zu\n", page.len,
		      len);
	sbuf_release(&text);
	replay_array_free(rps, 3);
	cJSON_Delete(d);
	sbuf_release(&page);
	unload(&l);
}

/* The policy allows the one script by its hash and no request at all. */
static void test_page_policy_names_the_script(void **state)
{
	struct loaded l;
	struct sbuf page, want;
	uint8_t digest[32];

	(void)state;
	load(&l, lesson1 + 1, 1);
	export_to("html", &l, 0, &page);
	sbuf_init(&want);
	html_sha256((const uint8_t *)export_page_js, strlen(export_page_js), digest);
	sbuf_adds(&want, "default-src 'none'; script-src 'sha256-");
	html_base64(digest, 32, &want);
	assert_non_null(strstr(page.data, want.data));
	assert_non_null(strstr(page.data, export_page_js));
	assert_int_equal(count_of(page.data, "<script"), 2);
	assert_null(strstr(page.data, "https://"));
	sbuf_release(&want);
	sbuf_release(&page);
	unload(&l);
}

/* A pickle shows as its listing with the reference marked, stored once
 * for every step that shows it. */
static void test_page_payloads(void **state)
{
	struct loaded l;
	struct sbuf page;
	size_t len;
	cJSON *d, *p, *steps;
	bool seen_ref = false;

	(void)state;
	load(&l, lesson1 + 1, 1);
	export_to("html", &l, 0, &page);
	d = page_data(&page, &len);
	p = cJSON_GetObjectItem(d, "P");
	steps = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(d, "T"), 0), "K");
	/* spawn's story has four pickles made and four read */
	assert_int_equal(cJSON_GetArraySize(p), 8);
	for (int k = 0; k < cJSON_GetArraySize(steps); k++)
		assert_true(cJSON_GetArrayItem(cJSON_GetArrayItem(steps, k), 3)->valueint <
			    cJSON_GetArraySize(p));
	for (int i = 0; i < cJSON_GetArraySize(p); i++) {
		const cJSON *dis = cJSON_GetObjectItem(cJSON_GetArrayItem(p, i), "p");
		const char *text = str_at(d, cJSON_GetArrayItem(dis, 0));
		const char *at = strstr(text, "STACK_GLOBAL  → __main__.f");
		const cJSON *marks = cJSON_GetArrayItem(dis, 2);
		int line = 0;

		if (!at)
			continue;
		for (const char *c = text; c < at; c++)
			line += *c == '\n';
		/* the line opened at and marked is that one */
		assert_int_equal(cJSON_GetArrayItem(dis, 1)->valueint, line);
		for (int m = 0; m < cJSON_GetArraySize(marks); m++)
			seen_ref = seen_ref || cJSON_GetArrayItem(marks, m)->valueint == line;
	}
	assert_true(seen_ref);
	cJSON_Delete(d);
	sbuf_release(&page);
	unload(&l);
}

/* The verdict line of payload `type` of lesson 16's fork trace, exported
 * with flags, as the page carries it; NULL when there is none. *vd is the
 * page's alarm flag. */
static char *verdict_of(struct loaded *l, unsigned flags, const char *type, int *vd)
{
	struct sbuf page;
	size_t len;
	cJSON *d, *p;
	char *out = NULL;
	int found = 0;

	export_to("html", l, flags, &page);
	d = page_data(&page, &len);
	cJSON_ArrayForEach(p, cJSON_GetObjectItem(d, "P"))
	{
		const cJSON *v = cJSON_GetObjectItem(p, "v");

		/* "i" is " · TYPE..." */
		if (!strstr(str_at(d, cJSON_GetObjectItem(p, "i")), type))
			continue;
		assert_true(cJSON_IsNumber(v));
		assert_true(cJSON_IsNumber(cJSON_GetObjectItem(p, "vd")));
		*vd = cJSON_GetObjectItem(p, "vd")->valueint;
		if (v->valueint >= 0 && !out)
			out = strdup(str_at(d, v));
		found++;
	}
	assert_true(found > 0);
	cJSON_Delete(d);
	sbuf_release(&page);
	return out;
}

/* Each payload carries its verdict line once; dangerous ones are flagged
 * for the alarm colour; a cut capture says what it judged; no bytes, no
 * line. */
static void test_page_verdicts(void **state)
{
	static const char *const l16[] = { "traces/16-a-pickle-is-a-program.fork.json" };
	struct loaded l;
	char *v;
	int vd = -1;

	(void)state;
	load(&l, l16, 1);
	/* The page keeps the payloads its folded story shows: the child's
	 * loads of the dict and of the Innocent (which makes an int). */
	v = verdict_of(&l, 0, " · dict", &vd);
	assert_string_equal(v, "verdict: data — imports nothing; builds only built-in values");
	assert_int_equal(vd, 0);
	free(v);
	v = verdict_of(&l, 0, " · int", &vd);
	assert_string_equal(
		v, "verdict: dangerous — calls posix.system('echo pwned by a pickle') at byte 57");
	assert_int_equal(vd, 1);
	free(v);
	assert_null(verdict_of(&l, EXPORT_NO_PAYLOADS, " · int", &vd));
	assert_int_equal(vd, 0);
	/* The capture cut before the command: what the first 30 bytes show. */
	for (size_t i = 0; i < l.tr[0].event_count; i++)
		if (l.tr[0].events[i].kind == EV_PICKLE_DUMP ||
		    l.tr[0].events[i].kind == EV_PICKLE_LOAD)
			l.tr[0].events[i].u.pickle.bytes_len = 30;
	v = verdict_of(&l, 0, " · int", &vd);
	assert_non_null(v);
	assert_true(strncmp(v, "verdict (of the first 30 B): imports — ", 41) == 0);
	assert_int_equal(vd, 0);
	free(v);
	unload(&l);
}

/* An authkey in the bytes never reaches the page, in any view, unless
 * EXPORT_NO_REDACT; EXPORT_NO_PAYLOADS leaves the bytes out. */
static void test_page_redacts_authkeys(void **state)
{
	static const char marker[] = "<authkey-redacted>";
	struct loaded l;
	struct sbuf page, b64;
	size_t keys = 0;

	(void)state;
	load(&l, lesson1 + 1, 1);
	/* Put a key back where the probe had hidden it. */
	for (size_t i = 0; i < l.tr[0].event_count; i++) {
		struct event *ev = &l.tr[0].events[i];
		uint8_t *b = (uint8_t *)ev->u.pickle.bytes, *at;

		if ((ev->kind != EV_PICKLE_DUMP && ev->kind != EV_PICKLE_LOAD) || !b)
			continue;
		at = memmem(b, ev->u.pickle.bytes_len, marker, strlen(marker));
		if (!at)
			continue;
		memset(at, 'K', 32);
		keys++;
	}
	assert_true(keys > 0);
	export_to("html", &l, 0, &page);
	assert_null(strstr(page.data, "KKKKKKKK"));
	sbuf_init(&b64);
	html_base64((const uint8_t *)"KKKKKKKKKKKK", 12, &b64);
	assert_null(strstr(page.data, b64.data)); /* S0tL... in any alignment of the hex view */
	assert_non_null(strstr(page.data, "authkey hidden"));
	sbuf_release(&page);
	export_to("html", &l, EXPORT_NO_REDACT, &page);
	assert_non_null(strstr(page.data, "KKKKKKKK"));
	sbuf_release(&page);
	export_to("html", &l, EXPORT_NO_PAYLOADS, &page);
	assert_non_null(strstr(page.data, "(the bytes were not captured)"));
	assert_null(strstr(page.data, "STACK_GLOBAL"));
	assert_non_null(strstr(page.data, "reference __main__.f"));
	sbuf_release(&page);
	sbuf_release(&b64);
	unload(&l);
}

/* A trace is hostile input: what it says is text in the page and the
 * slide, never markup, and what hides or reorders text is '?'. */
static void test_hostile_trace_is_text(void **state)
{
	static const char *const evil =
		"</script><script>alert(1)</script><img src=x onerror=alert(1)>";
	const char *path = "tests/fixtures/replay/hostile.json";
	struct loaded l;
	struct sbuf page;
	size_t len;
	const char **argv;
	cJSON *d;

	(void)state;
	load(&l, &path, 1);
	argv = trace_alloc(&l.tr[0], 4 * sizeof(*argv));
	assert_non_null(argv);
	memcpy(argv, l.tr[0].procs[0].argv.items, 3 * sizeof(*argv));
	argv[3] = evil;
	l.tr[0].procs[0].argv = (struct strv){ argv, 4 };
	l.tr[0].meta.program = evil;
	export_to("html", &l, 0, &page);
	d = page_data(&page, &len);
	assert_int_equal(count_of(page.data, "<script"), 2);
	assert_int_equal(count_of(page.data, "</script>"), 2);
	assert_null(strstr(page.data, "<img"));
	/* in the title, escaped */
	assert_non_null(strstr(page.data, "<title>mpscope · &lt;/script&gt;&lt;script&gt;"));
	assert_non_null(strstr(page.data, "?]2;owned?evil.py"));
	assert_null(strstr(page.data, "\xe2\x80\xae")); /* the bidi override */
	assert_null(strstr(page.data, "\x1b"));
	cJSON_Delete(d);
	sbuf_release(&page);
	export_to("svg", &l, 0, &page);
	assert_null(strstr(page.data, "<img"));
	assert_null(strstr(page.data, "<script"));
	assert_null(strstr(page.data, "\x1b"));
	assert_non_null(strstr(page.data, "&lt;img src=x onerror=alert(1)&gt;"));
	sbuf_release(&page);
	unload(&l);
}

/* ---- the slide ---- */

static void test_svg_lesson1(void **state)
{
	struct loaded l;
	struct sbuf svg;

	(void)state;
	load(&l, lesson1, 3);
	export_to("svg", &l, 0, &svg);
	assert_memory_equal(svg.data,
			    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg "
			    "xmlns=\"http://www.w3.org/2000/svg\"",
			    78);
	for (size_t c = 0; c < 3; c++)
		for (size_t i = 0; i < l.tr[c].proc_count; i++) {
			char pid[16];

			snprintf(pid, sizeof(pid), "%d ", l.tr[c].procs[i].pid);
			assert_non_null(strstr(svg.data, pid));
		}
	/* one column each, the payload arrows labelled, forks, the legend */
	assert_non_null(strstr(svg.data, "example.py · fork"));
	assert_non_null(strstr(svg.data, "example.py · spawn"));
	assert_non_null(strstr(svg.data, "example.py · forkserver"));
	assert_true(count_of(svg.data, "344 B __main__.f") >= 2);
	assert_true(count_of(svg.data, "marker-end=\"url(#payload)\"") >= 6);
	assert_true(count_of(svg.data, ">fork<") >= 2);
	assert_non_null(strstr(svg.data, ">vfork<"));
	assert_non_null(strstr(svg.data, "spawn_main"));
	/* the legend says what was drawn: payloads read by processes started
	 * after they were made, descriptors passed (forkserver); no payload
	 * went to a process that was already there */
	assert_non_null(strstr(svg.data, ">payload read by a later process<"));
	assert_non_null(strstr(svg.data, ">descriptors passed<"));
	assert_null(strstr(svg.data, ">payload sent"));
	assert_null(strstr(svg.data, "font-family=\"Arial"));
	assert_int_equal(count_of(svg.data, "<svg"), 1);
	assert_int_equal(count_of(svg.data, "</svg>"), 1);
	sbuf_release(&svg);
	unload(&l);
}

/* Every lifeline but the first starts at an arrow from its parent's,
 * even where the folded story tells the fork inside another step (spawn's
 * resource tracker); a write that only ends a line already told is no
 * row of its own. */
static void test_svg_every_birth_has_its_arrow(void **state)
{
	struct loaded l;
	struct sbuf svg;

	(void)state;
	load(&l, lesson1 + 1, 1);
	export_to("svg", &l, 0, &svg);
	/* three children, and the legend's arrow */
	assert_int_equal(count_of(svg.data, "marker-end=\"url(#fork)\""),
			 l.tr[0].proc_count - 1 + 1);
	assert_int_equal(count_of(svg.data, ">vfork<"), 3);
	sbuf_release(&svg);
	unload(&l);
	load(&l, lesson1, 1);
	export_to("svg", &l, 0, &svg);
	assert_int_equal(count_of(svg.data, ">out: hello world! "), 2);
	assert_null(strstr(svg.data, ">out<"));
	sbuf_release(&svg);
	unload(&l);
}

/* Pickles counted, not kept: the page has the step, of kind "counted",
 * on the process's lane with the replay's narration; the slide a hollow
 * diamond row with the count and the legend that explains it. */
static void test_counted_pickles(void **state)
{
	static const char *const pool[] = { "tests/fixtures/replay/pool-counted.fork.json" };
	struct loaded l;
	struct sbuf page, svg;
	size_t len, counted = 0;
	cJSON *d, *kinds, *st;
	int kind = -1;

	(void)state;
	load(&l, pool, 1);
	export_to("html", &l, 0, &page);
	d = page_data(&page, &len);
	kinds = cJSON_GetObjectItem(d, "k");
	for (int i = 0; i < cJSON_GetArraySize(kinds); i++)
		if (strcmp(cJSON_GetArrayItem(kinds, i)->valuestring, "counted") == 0)
			kind = i;
	assert_true(kind >= 0);
	cJSON_ArrayForEach(
		st, cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(d, "T"), 0), "K"))
	{
		if (cJSON_GetArrayItem(st, 0)->valueint != kind)
			continue;
		assert_true(cJSON_GetArrayItem(st, 1)->valueint >= 0); /* on a lane */
		assert_non_null(
			strstr(str_at(d, cJSON_GetArrayItem(st, 6)),
			       "were counted, not kept one by one: mpscope kept the first 3 "
			       "of each kind per process"));
		counted++;
	}
	assert_int_equal(counted, 2);
	cJSON_Delete(d);
	sbuf_release(&page);
	export_to("svg", &l, 0, &svg);
	assert_int_equal(count_of(svg.data, ">39,930 more pickles counted, not kept<"), 2);
	assert_non_null(strstr(svg.data, ">counted, not kept one by one<"));
	assert_int_equal(count_of(svg.data, "fill=\"#ffffff\" stroke=\"#b85c00\""), 3);
	sbuf_release(&svg);
	/* A trace that counted nothing has no such legend. */
	unload(&l);
	load(&l, lesson1, 1);
	export_to("svg", &l, 0, &svg);
	assert_null(strstr(svg.data, "counted"));
	sbuf_release(&svg);
	unload(&l);
}

static void test_two_pythons(void **state)
{
	static const char *const paths[] = { "traces/15-several-pythons.python3.8.json",
					     "traces/15-several-pythons.python3.13.json" };
	struct loaded l;
	struct sbuf out;
	char want[64];

	(void)state;
	load(&l, paths, 2);
	export_to("svg", &l, 0, &out);
	for (size_t c = 0; c < 2; c++) {
		snprintf(want, sizeof(want), "python %s", l.tr[c].meta.python);
		assert_non_null(strstr(out.data, want));
	}
	sbuf_release(&out);
	export_to("html", &l, 0, &out);
	for (size_t c = 0; c < 2; c++) {
		snprintf(want, sizeof(want), "\"python %s\"", l.tr[c].meta.python);
		assert_non_null(strstr(out.data, want));
	}
	sbuf_release(&out);
	unload(&l);
}

static void test_formats_rows(void **state)
{
	(void)state;
	assert_string_equal(export_format_find("html")->ext, "html");
	assert_string_equal(export_format_find("svg")->ext, "svg");
	assert_ptr_equal(export_format_find("html")->write, export_html);
	assert_ptr_equal(export_format_find("svg")->write, export_svg);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256),
		cmocka_unit_test(test_strings_once_clean_escaped),
		cmocka_unit_test(test_page_tells_the_replays_words),
		cmocka_unit_test(test_page_policy_names_the_script),
		cmocka_unit_test(test_page_payloads),
		cmocka_unit_test(test_page_verdicts),
		cmocka_unit_test(test_page_redacts_authkeys),
		cmocka_unit_test(test_hostile_trace_is_text),
		cmocka_unit_test(test_svg_lesson1),
		cmocka_unit_test(test_svg_every_birth_has_its_arrow),
		cmocka_unit_test(test_counted_pickles),
		cmocka_unit_test(test_two_pythons),
		cmocka_unit_test(test_formats_rows),
	};

	if (argc > 1 && strcmp(argv[1], "--export") == 0)
		return drive(argc, argv);
	return cmocka_run_group_tests(tests, NULL, NULL);
}

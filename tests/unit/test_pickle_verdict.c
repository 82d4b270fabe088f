/*
 * test_pickle_verdict.c - pickle_analyze(), the verdict of `mpscope dis
 * --verdict`: every row of the table is reached by a name it matches and
 * gives its verdict and reason; the routes to a callable (getattr chains,
 * __import__, memo, BUILD __setstate__, popped results, partials) are
 * followed; names only looked up are not called; every hand-written
 * dangerous pickle of tests/fixtures/verdict/ (made by
 * tests/pickle/gen_verdict.py) is dangerous; no golden-corpus pickle is,
 * except the one built to run a command.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pickle/pickle.h"
#include "pickle/verdict.h"
#include "support/support.h"

#define CORPUS "tests/golden/dis/corpus.bin"
#define FIXTURES "tests/fixtures/verdict"

struct result {
	struct arena a;
	struct pickle_analysis an;
	struct mp_err err;
	int rc;
};

static void analyze(struct result *r, const void *buf, size_t len)
{
	arena_init(&r->a);
	r->rc = pickle_analyze(buf, len, &r->a, &r->an, &r->err);
}

static void analyze_str(struct result *r, const char *s)
{
	analyze(r, s, strlen(s));
}

static void release(struct result *r)
{
	arena_release(&r->a);
}

static const struct pickle_call *find_call(const struct result *r, const char *callee)
{
	for (size_t i = 0; i < r->an.call_count; i++)
		if (strcmp(r->an.calls[i].callee, callee) == 0)
			return &r->an.calls[i];
	return NULL;
}

/* Protocol 4: STACK_GLOBAL module.rest('x'), then STOP. */
static size_t call_pickle(const char *dotted, uint8_t *buf, size_t cap)
{
	const char *dot = strchr(dotted, '.');
	size_t mlen = (size_t)(dot - dotted), nlen = strlen(dot + 1), n = 0;

	assert_true(mlen < 256 && nlen < 256 && mlen + nlen + 16 < cap);
	buf[n++] = 0x80;
	buf[n++] = 4;
	buf[n++] = 0x8c;
	buf[n++] = (uint8_t)mlen;
	memcpy(buf + n, dotted, mlen);
	n += mlen;
	buf[n++] = 0x8c;
	buf[n++] = (uint8_t)nlen;
	memcpy(buf + n, dot + 1, nlen);
	n += nlen;
	buf[n++] = 0x93; /* STACK_GLOBAL */
	buf[n++] = 0x8c;
	buf[n++] = 1;
	buf[n++] = 'x';
	buf[n++] = 0x85; /* TUPLE1 */
	buf[n++] = 'R';
	buf[n++] = '.';
	return n;
}

/* A name each pattern matches: '*' becomes "zz", "**" becomes "zz.zz"
 * ("os" at the start, for the standard library's exception names). */
static void sample_of(const char *pattern, char *out, size_t cap)
{
	size_t n = 0;

	if (strncmp(pattern, "**.", 3) == 0) {
		n = (size_t)snprintf(out, cap, "os");
		pattern += 2;
	}
	for (; *pattern && n + 6 < cap; pattern++) {
		if (pattern[0] == '*' && pattern[1] == '*') {
			memcpy(out + n, "zz.zz", 5);
			n += 5;
			pattern++;
		} else if (*pattern == '*') {
			memcpy(out + n, "zz", 2);
			n += 2;
		} else {
			out[n++] = *pattern;
		}
	}
	out[n] = '\0';
}

static void every_row_is_reached_and_judged(void **state)
{
	size_t harmless = 0, dangerous = 0;

	(void)state;
	assert_true(pk_verdict_row_count >= 150);
	for (size_t i = 0; i < pk_verdict_row_count; i++) {
		const struct pk_verdict_row *row = &pk_verdict_rows[i];
		char name[256];
		uint8_t buf[600];
		struct result r;
		size_t len;

		sample_of(row->pattern, name, sizeof(name));
		if (pk_verdict_row_find(name) != row)
			fail_msg("'%s' (for row '%s') finds row '%s'", name, row->pattern,
				 pk_verdict_row_find(name) ? pk_verdict_row_find(name)->pattern
							   : "none");
		len = call_pickle(name, buf, sizeof(buf));
		analyze(&r, buf, len);
		assert_int_equal(r.rc, 0);
		assert_true(r.an.call_count >= 1);
		if (r.an.calls[0].verdict != row->verdict || r.an.calls[0].why != row->why)
			fail_msg("calling %s: %s (%s), the row says %s (%s)", name,
				 pickle_verdict_name(r.an.calls[0].verdict), r.an.calls[0].why,
				 pickle_verdict_name(row->verdict), row->why);
		assert_true(r.an.imports[0].is_called);
		harmless += row->verdict == PK_VERDICT_IMPORTS;
		dangerous += row->verdict == PK_VERDICT_DANGEROUS;
		release(&r);
	}
	assert_true(harmless >= 50);
	assert_true(dangerous >= 80);
}

/* docs/verdict.md lists every row with its reason. */
static void every_row_is_documented(void **state)
{
	size_t len;
	char *doc = support_read_file("docs/verdict.md", &len);

	(void)state;
	assert_non_null(doc);
	for (size_t i = 0; i < pk_verdict_row_count; i++) {
		char want[512];

		snprintf(want, sizeof(want), "| `%s` | %s |", pk_verdict_rows[i].pattern,
			 pickle_verdict_name(pk_verdict_rows[i].verdict));
		if (!strstr(doc, want) || !strstr(doc, pk_verdict_rows[i].why))
			fail_msg("docs/verdict.md does not list '%s' with its verdict and reason",
				 pk_verdict_rows[i].pattern);
	}
	free(doc);
}

static void names_are_judged_by_table_then_module(void **state)
{
	static const struct {
		const char *name;
		enum pickle_verdict v;
	} cases[] = {
		{ "os.system", PK_VERDICT_DANGEROUS },
		{ "posix.system", PK_VERDICT_DANGEROUS },
		{ "os.path.join", PK_VERDICT_IMPORTS },
		{ "os.path.os.system", PK_VERDICT_DANGEROUS }, /* os.path.* is one part deep */
		{ "posixpath.os.system", PK_VERDICT_DANGEROUS }, /* a module inside a name */
		{ "__main__.subprocess.run", PK_VERDICT_DANGEROUS },
		{ "datetime.sys.exit", PK_VERDICT_DANGEROUS },
		{ "pickle.__builtins__.eval", PK_VERDICT_DANGEROUS },
		{ "builtins.getattr.__self__.eval", PK_VERDICT_DANGEROUS },
		{ "__main__.f.__globals__.get", PK_VERDICT_DANGEROUS },
		{ "copyreg.__newobj__", PK_VERDICT_IMPORTS }, /* a dunder at the end is a name */
		{ "builtins.ValueError", PK_VERDICT_IMPORTS },
		{ "asyncio.exceptions.CancelledError", PK_VERDICT_IMPORTS },
		{ "__main__.MyError", PK_VERDICT_CALLS }, /* a program's exception runs its code */
		{ "subprocess.TimeoutExpired", PK_VERDICT_IMPORTS },
		{ "subprocess.run", PK_VERDICT_DANGEROUS },
		{ "multiprocessing.context.SpawnProcess", PK_VERDICT_IMPORTS },
		{ "multiprocessing.context.SpawnProcess.start", PK_VERDICT_DANGEROUS },
		{ "pathlib.PosixPath", PK_VERDICT_IMPORTS },
		{ "pathlib.PosixPath.unlink", PK_VERDICT_DANGEROUS },
		{ "_operator.or_", PK_VERDICT_IMPORTS },
		{ "__main__.f", PK_VERDICT_CALLS },
		{ "numpy.core.multiarray._reconstruct", PK_VERDICT_CALLS },
		{ "collections.namedtuple", PK_VERDICT_CALLS }, /* stdlib, not in the table */
	};
	struct pk_names names = { 0 };
	struct arena a;

	(void)state;
	arena_init(&a);
	names.a = &a;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct pk_name *n = pk_names_intern(&names, cases[i].name, strlen(cases[i].name));

		assert_non_null(n);
		assert_ptr_equal(n, pk_names_intern(&names, cases[i].name, strlen(cases[i].name)));
		pk_name_judge(n);
		if (n->verdict != cases[i].v)
			fail_msg("%s: %s, expected %s", cases[i].name,
				 pickle_verdict_name(n->verdict), pickle_verdict_name(cases[i].v));
	}
	pk_names_release(&names);
	arena_release(&a);
}

static void stdlib_and_python2_names_come_from_cpython(void **state)
{
	const char *module = "__builtin__", *name = "eval";

	(void)state;
	/* fickling 0.1.12 calls multiprocessing.context "not a part of the
	 * standard library"; sys.stdlib_module_names says otherwise. */
	assert_true(pk_is_stdlib("multiprocessing.context"));
	assert_true(pk_is_stdlib("_codecs"));
	assert_true(pk_is_stdlib("posix"));
	assert_false(pk_is_stdlib("__main__"));
	assert_false(pk_is_stdlib("__mp_main__"));
	assert_false(pk_is_stdlib("numpy"));
	assert_false(pk_is_stdlib(""));
	pk_compat_rename(&module, &name);
	assert_string_equal(module, "builtins");
	assert_string_equal(name, "eval");
	module = "__builtin__";
	name = "xrange";
	pk_compat_rename(&module, &name);
	assert_string_equal(name, "range");
	module = "commands";
	name = "getoutput";
	pk_compat_rename(&module, &name);
	assert_string_equal(module, "subprocess");
	module = "mine";
	pk_compat_rename(&module, &name);
	assert_string_equal(module, "mine");
}

static void glob_parts(void **state)
{
	(void)state;
	assert_true(pk_glob_match("os.**", "os.path.os.system"));
	assert_true(pk_glob_match("os.path.*", "os.path.join"));
	assert_false(pk_glob_match("os.path.*", "os.path.os.system"));
	assert_false(pk_glob_match("os.**", "os"));
	assert_false(pk_glob_match("os.**", "oss.x"));
	assert_true(pk_glob_match("builtins.*Exit", "builtins.SystemExit"));
	assert_false(pk_glob_match("builtins.*Exit", "builtins.x.SystemExit"));
	assert_true(pk_glob_match("multiprocessing.**.start", "multiprocessing.a.b.start"));
	assert_false(pk_glob_match("multiprocessing.**.start", "multiprocessing.a.b.started"));
}

static void data_builds_only_values(void **state)
{
	struct result r;
	struct sbuf out;

	(void)state;
	analyze_str(&r, "(lp0\nI1\naS'two'\np1\na.");
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.an.verdict, PK_VERDICT_DATA);
	assert_int_equal(r.an.import_count, 0);
	assert_int_equal(r.an.call_count, 0);
	sbuf_init(&out);
	pickle_verdict_line(&r.an, &out);
	assert_string_equal(
		out.data,
		"verdict: data \xe2\x80\x94 imports nothing; builds only built-in values");
	sbuf_release(&out);
	release(&r);
}

static void spawn_payload_imports_main_and_calls_harmless(void **state)
{
	struct result r;
	size_t len;
	char *buf = support_read_file("tests/golden/dis/spawn-process.pickle", &len);

	(void)state;
	assert_non_null(buf);
	analyze(&r, buf, len);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.an.verdict, PK_VERDICT_IMPORTS);
	assert_int_equal(r.an.own_module_count, 1);
	assert_string_equal(r.an.own_modules[0], "__main__");
	assert_int_equal(r.an.import_count, 3);
	assert_string_equal(r.an.imports[0].module, "multiprocessing.context");
	assert_true(r.an.imports[0].is_called);
	assert_string_equal(r.an.imports[2].name, "f");
	assert_false(r.an.imports[2].is_called); /* the target is only looked up */
	assert_non_null(find_call(&r, "multiprocessing.process.AuthenticationString"));
	assert_non_null(strstr(r.an.reason, "__main__"));
	release(&r);
	free(buf);
}

static void a_name_looked_up_is_not_called(void **state)
{
	struct result r;

	(void)state;
	analyze_str(&r, "cos\nsystem\n.");
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.an.verdict, PK_VERDICT_IMPORTS);
	assert_int_equal(r.an.call_count, 0);
	assert_false(r.an.imports[0].is_called);
	assert_string_equal(r.an.reason, "imports standard-library names only; calls nothing");
	release(&r);
}

static void a_popped_call_is_still_made(void **state)
{
	struct result r;
	struct sbuf out;

	(void)state;
	analyze_str(&r, "cposix\nsystem\n(S'echo pwned'\ntR0N.");
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.an.verdict, PK_VERDICT_DANGEROUS);
	assert_string_equal(r.an.calls[0].via, "REDUCE");
	assert_int_equal(r.an.calls[0].offset, 30);
	assert_true(r.an.imports[0].is_called);
	sbuf_init(&out);
	pickle_verdict_line(&r.an, &out);
	assert_string_equal(out.data,
			    "verdict: dangerous \xe2\x80\x94 calls posix.system('echo "
			    "pwned') at byte 30");
	sbuf_release(&out);
	release(&r);
}

static void getattr_of_import_is_followed(void **state)
{
	struct result r;
	const struct pickle_call *c;

	(void)state;
	/* getattr(__import__('os'), 'system')('id'), protocol 0 with Python 2 names */
	analyze_str(&r,
		    "c__builtin__\ngetattr\n(c__builtin__\n__import__\n(S'os'\ntRS'system'\ntR"
		    "(S'id'\ntR.");
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.an.verdict, PK_VERDICT_DANGEROUS);
	c = find_call(&r, "os.system");
	assert_non_null(c);
	assert_int_equal(c->verdict, PK_VERDICT_DANGEROUS);
	assert_non_null(find_call(&r, "builtins.getattr"));
	assert_int_equal(find_call(&r, "builtins.__import__")->verdict, PK_VERDICT_IMPORTS);
	/* os.system is an import too, reached by getattr, and it is called */
	assert_int_equal(r.an.import_count, 3);
	assert_string_equal(r.an.imports[2].module, "os");
	assert_string_equal(r.an.imports[2].name, "system");
	assert_true(r.an.imports[2].is_called);
	release(&r);
}

/* Attribute names come from the pickle's strings and reach the terminal
 * in the report: no escape sequence survives. */
static void names_from_strings_are_safe_to_print(void **state)
{
	struct result r;
	struct sbuf out;

	(void)state;
	analyze_str(&r, "cbuiltins\ngetattr\n(cos\npath\nV\x1b]0;owned\x07\ntR(S'x'\ntR.");
	assert_int_equal(r.rc, 0);
	sbuf_init(&out);
	pickle_analysis_format(&r.an, &out);
	assert_null(memchr(out.data, 0x1b, out.len));
	assert_null(memchr(out.data, 0x07, out.len));
	assert_non_null(strstr(out.data, "os.path.?]0;owned?('x')"));
	sbuf_release(&out);
	release(&r);
}

/* find_class renames Python 2 names only below protocol 3: a program's own
 * module called commands is not subprocess at protocol 4. */
static void python2_names_are_renamed_below_protocol_3(void **state)
{
	static const char p4[] = "\x80\x04\x8c\x08"
				 "commands\x8c\x03run\x93)R.";
	static const char p4_then_2[] = "\x80\x04\x80\x02\x8c\x08"
					"commands\x8c\x03run\x93)R.";
	struct result r;

	(void)state;
	analyze_str(&r, "ccommands\ngetoutput\n(S'id'\ntR.");
	assert_int_equal(r.an.verdict, PK_VERDICT_DANGEROUS);
	assert_string_equal(r.an.calls[0].callee, "subprocess.getoutput");
	release(&r);
	analyze(&r, p4, sizeof(p4) - 1);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.an.verdict, PK_VERDICT_CALLS);
	assert_string_equal(r.an.calls[0].callee, "commands.run");
	assert_string_equal(r.an.own_modules[0], "commands");
	release(&r);
	/* A PROTO 2 after PROTO 4 turns the renaming back on. */
	analyze(&r, p4_then_2, sizeof(p4_then_2) - 1);
	assert_int_equal(r.an.verdict, PK_VERDICT_DANGEROUS);
	release(&r);
}

static void build_setstate_calls_what_the_state_set(void **state)
{
	struct result r;
	const struct pickle_call *c;

	(void)state;
	analyze_str(&r, "ctypes\nSimpleNamespace\n)R}S'__setstate__'\ncposix\nsystem\nsbS'id'\nb.");
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.an.verdict, PK_VERDICT_DANGEROUS);
	c = find_call(&r, "posix.system");
	assert_non_null(c);
	assert_string_equal(c->via, "BUILD __setstate__");
	release(&r);
	/* The same state on a plain object, with no second BUILD: nothing runs. */
	analyze_str(&r, "ctypes\nSimpleNamespace\n)R}S'__setstate__'\ncposix\nsystem\nsb.");
	assert_int_equal(r.an.verdict, PK_VERDICT_IMPORTS);
	release(&r);
}

static void own_code_is_calls_and_what_it_is_handed_counts(void **state)
{
	struct result r;

	(void)state;
	analyze_str(&r,
		    "\x80\x02"
		    "c__main__\nPoint\nK\x01K\x02\x86\x81.");
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.an.verdict, PK_VERDICT_CALLS);
	assert_string_equal(r.an.reason,
			    "calls code mpscope cannot judge: __main__.Point at byte 23");
	release(&r);
	analyze_str(&r,
		    "\x80\x02"
		    "c__main__\nRunner\ncposix\nsystem\n\x85R.");
	assert_int_equal(r.an.verdict, PK_VERDICT_DANGEROUS);
	assert_string_equal(r.an.calls[0].passes, "posix.system");
	release(&r);
}

static void repeated_calls_are_grouped(void **state)
{
	struct result r;
	struct sbuf out;
	static const char five[] = "\x80\x02"
				   "cbuiltins\nset\nq\x00)R0h\x00)R0h\x00)R0h\x00)R0h\x00)R0N.";

	(void)state;
	analyze(&r, five, sizeof(five) - 1);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.an.call_count, 5);
	for (size_t i = 0; i < 5; i++) {
		assert_int_equal(r.an.calls[i].repeat, i);
		assert_int_equal(r.an.calls[i].repeat_count, 5);
	}
	sbuf_init(&out);
	pickle_analysis_format(&r.an, &out);
	assert_non_null(
		strstr(out.data, "  ... 2 more calls of builtins.set (REDUCE), each imports\n"));
	sbuf_release(&out);
	release(&r);
}

static void malformed_input_keeps_what_came_before(void **state)
{
	struct result r;

	(void)state;
	analyze_str(&r, "cposix\nsystem\n(S'id'\ntR(");
	assert_int_equal(r.rc, -1);
	assert_false(r.an.is_complete);
	assert_int_equal(r.an.verdict, PK_VERDICT_DANGEROUS);
	assert_non_null(strstr(r.an.reason, "where the pickle is malformed"));
	assert_memory_equal(r.err.msg, "byte ", 5);
	release(&r);
}

/* ---- the fixtures and the golden corpus ---------------------------------------- */

static size_t each_fixture(const char *sub, enum pickle_verdict want, bool protos[6])
{
	char dir[256];
	DIR *d;
	struct dirent *de;
	size_t count = 0;

	snprintf(dir, sizeof(dir), FIXTURES "/%s", sub);
	d = opendir(dir);
	assert_non_null(d);
	while ((de = readdir(d)) != NULL) {
		char path[512];
		const char *p;
		size_t len, n = strlen(de->d_name);
		char *buf;
		struct result r;

		if (n < 8 || strcmp(de->d_name + n - 7, ".pickle") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		buf = support_read_file(path, &len);
		assert_non_null(buf);
		analyze(&r, buf, len);
		if (r.rc != 0 || r.an.verdict != want)
			fail_msg("%s: %s (%s)%s%s", path, pickle_verdict_name(r.an.verdict),
				 r.an.reason, r.rc ? ": " : "", r.rc ? r.err.msg : "");
		p = strstr(de->d_name, "-p");
		while (p && strstr(p + 1, "-p"))
			p = strstr(p + 1, "-p");
		if (p && p[2] >= '0' && p[2] <= '5')
			protos[p[2] - '0'] = true;
		/* Every cut of the bytes is judged without a crash. */
		for (size_t cut = 0; cut < len; cut++) {
			struct result part;

			analyze(&part, buf, cut);
			assert_int_equal(part.rc, -1);
			release(&part);
		}
		release(&r);
		free(buf);
		count++;
	}
	closedir(d);
	return count;
}

static void every_hand_written_dangerous_pickle_is_dangerous(void **state)
{
	bool protos[6] = { false };

	(void)state;
	assert_true(each_fixture("dangerous", PK_VERDICT_DANGEROUS, protos) >= 30);
	for (int p = 0; p < 6; p++)
		if (!protos[p])
			fail_msg("no dangerous fixture at protocol %d", p);
}

static void names_only_looked_up_are_not_dangerous(void **state)
{
	bool protos[6] = { false };

	(void)state;
	assert_true(each_fixture("lookup", PK_VERDICT_IMPORTS, protos) >= 10);
}

static uint32_t u32(const char *p)
{
	const uint8_t *b = (const uint8_t *)p;

	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

/* The golden corpus holds one object built to run a command when loaded
 * (RunsCommand, tests/pickle/gen_corpus.py): its 12 pickles must be
 * dangerous, and nothing else may be. */
static void no_golden_corpus_pickle_is_dangerous_but_the_command(void **state)
{
	size_t len, pos = 0, count = 0, commands = 0, mp = 0;
	char *bin = support_read_file(CORPUS, &len);
	size_t seen[4] = { 0 };

	(void)state;
	assert_non_null(bin);
	while (pos + 4 <= len) {
		char name[128];
		uint32_t n = u32(bin + pos), size;
		struct result r;
		bool is_command;

		assert_true(n < sizeof(name));
		memcpy(name, bin + pos + 4, n);
		name[n] = '\0';
		pos += 4 + n;
		size = u32(bin + pos);
		analyze(&r, bin + pos + 4, size);
		pos += 4 + size;
		assert_int_equal(r.rc, 0);
		is_command = find_call(&r, "posix.system") != NULL;
		if (is_command != (r.an.verdict == PK_VERDICT_DANGEROUS))
			fail_msg("%s: %s (%s)", name, pickle_verdict_name(r.an.verdict),
				 r.an.reason);
		commands += is_command;
		mp += strncmp(name, "mp-", 3) == 0;
		seen[r.an.verdict]++;
		count++;
		release(&r);
	}
	free(bin);
	assert_true(count >= 2000);
	assert_true(mp >= 20);
	assert_int_equal(commands, 12);
	print_message("corpus: %zu data, %zu imports, %zu calls, %zu dangerous\n", seen[0], seen[1],
		      seen[2], seen[3]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_row_is_reached_and_judged),
		cmocka_unit_test(every_row_is_documented),
		cmocka_unit_test(names_are_judged_by_table_then_module),
		cmocka_unit_test(stdlib_and_python2_names_come_from_cpython),
		cmocka_unit_test(glob_parts),
		cmocka_unit_test(data_builds_only_values),
		cmocka_unit_test(spawn_payload_imports_main_and_calls_harmless),
		cmocka_unit_test(a_name_looked_up_is_not_called),
		cmocka_unit_test(a_popped_call_is_still_made),
		cmocka_unit_test(getattr_of_import_is_followed),
		cmocka_unit_test(names_from_strings_are_safe_to_print),
		cmocka_unit_test(python2_names_are_renamed_below_protocol_3),
		cmocka_unit_test(build_setstate_calls_what_the_state_set),
		cmocka_unit_test(own_code_is_calls_and_what_it_is_handed_counts),
		cmocka_unit_test(repeated_calls_are_grouped),
		cmocka_unit_test(malformed_input_keeps_what_came_before),
		cmocka_unit_test(every_hand_written_dangerous_pickle_is_dangerous),
		cmocka_unit_test(names_only_looked_up_are_not_dangerous),
		cmocka_unit_test(no_golden_corpus_pickle_is_dangerous_but_the_command),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

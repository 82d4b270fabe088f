/*
 * html.c - `export -f html`: one self-contained page that replays the
 * story in a browser as the screen does. The page is the player's styles
 * and script (src/export/page/, compiled in) and the traces' data
 * (html_data.c) as JSON in a data block the script parses; nothing is
 * fetched. Its Content-Security-Policy allows no request of any kind and
 * names the one script and the one style sheet by hash: a string from a
 * hostile trace that escaped its quoting still could not run or load.
 */
#include <stdlib.h>
#include <string.h>

#include "export/html_internal.h"

/* Appends "'sha256-BASE64'" for a CSP source list. */
static void csp_hash(const char *s, struct sbuf *out)
{
	uint8_t digest[32];

	html_sha256((const uint8_t *)s, strlen(s), digest);
	sbuf_adds(out, "'sha256-");
	html_base64(digest, sizeof(digest), out);
	sbuf_addc(out, '\'');
}

static void add_head(const char *title, struct sbuf *out)
{
	struct sbuf clean;

	sbuf_adds(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
	/* First in the head, so it governs everything after it. */
	sbuf_adds(out,
		  "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
		  "script-src ");
	csp_hash(export_page_js, out);
	sbuf_adds(out, "; style-src ");
	csp_hash(export_page_css, out);
	sbuf_adds(out,
		  "; base-uri 'none'; form-action 'none'\">\n"
		  "<meta name=\"referrer\" content=\"no-referrer\">\n"
		  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		  "<meta name=\"generator\" content=\"mpscope export -f html\">\n<title>");
	sbuf_init(&clean);
	html_text_clean(title, strlen(title), &clean);
	sbuf_adds(out, "mpscope · ");
	html_xml_text(clean.data ? clean.data : "", clean.len, out);
	if (clean.is_oom)
		out->is_oom = true;
	sbuf_release(&clean);
	sbuf_adds(out, "</title>\n<style>");
	sbuf_adds(out, export_page_css);
	sbuf_adds(out, "</style>\n</head>\n");
}

int export_html(const struct export_input *in, size_t count, const struct export_opts *o,
		struct sbuf *out, struct mp_err *err)
{
	struct trace *traces;
	struct replay *replays;
	struct sbuf data;
	int rc;

	if (count == 0)
		return mp_err_set(err, "no trace to export");
	/* The replays want the traces side by side; the copies are shallow
	 * and borrowed, never released. */
	traces = malloc(count * sizeof(*traces));
	if (!traces)
		return mp_err_set(err, "out of memory while exporting %zu traces", count);
	for (size_t i = 0; i < count; i++)
		traces[i] = *in[i].tr;
	if (replay_array_new(traces, count, &replays, err) < 0) {
		free(traces);
		return -1;
	}
	sbuf_init(&data);
	rc = html_page_data(replays, count, in, o, &data, err);
	if (rc == 0) {
		add_head(o->title ? o->title
				  : (in[0].tr->meta.program ? in[0].tr->meta.program : "trace"),
			 out);
		sbuf_adds(out,
			  "<body>\n<noscript><p>This page replays a trace recorded by mpscope "
			  "with a script that is part of the page; it needs JavaScript "
			  "and nothing else.</p></noscript>\n<main id=\"app\"></main>\n"
			  "<script type=\"application/json\" id=\"mpscope-data\">");
		sbuf_add(out, data.data, data.len);
		sbuf_adds(out, "</script>\n<script>");
		sbuf_adds(out, export_page_js);
		sbuf_adds(out, "</script>\n</body>\n</html>\n");
		if (out->is_oom)
			rc = mp_err_set(err, "out of memory while writing the page");
	}
	sbuf_release(&data);
	replay_array_free(replays, count);
	free(traces);
	return rc;
}

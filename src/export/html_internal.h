/*
 * html_internal.h - what the page (html.c) and the slide (svg.c) share
 * inside export/: text from the trace made safe to show, escaped for a
 * JSON string or XML; a table that stores each string once; the page's
 * data built from the replays; the player's script and styles compiled in
 * from src/export/page/ (the Makefile turns them into C); and SHA-256 for
 * the page's Content-Security-Policy. Not for other modules.
 */
#ifndef MP_EXPORT_HTML_INTERNAL_H
#define MP_EXPORT_HTML_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "common/sbuf.h"
#include "export/export.h"
#include "replay/replay.h"

/* ---- text (html_text.c) ---- */

/* Appends s made safe to show, as the screen's sanitiser does: invalid
 * UTF-8, C0 and C1 controls (but '\n'; a tab becomes a space), DEL, and the
 * code points that hide or reorder text (bidi controls, zero width) become
 * '?'. Everything that came from the trace goes through this once. */
void html_text_clean(const char *s, size_t len, struct sbuf *out);
/* Appends clean text as a JSON string with its quotes, safe inside a
 * <script> element: '<', '>' and '&' are written as \u escapes, so no
 * "</script>" or "<!--" can appear. */
void html_json_string(const char *s, size_t len, struct sbuf *out);
/* Appends clean text escaped for XML character data and attribute values. */
void html_xml_text(const char *s, size_t len, struct sbuf *out);
/* Appends len bytes as base64 (RFC 4648, with padding). */
void html_base64(const uint8_t *p, size_t len, struct sbuf *out);

/* ---- strings stored once (html_text.c) ---- */

/* Interns clean strings: the same text always gets the same index. Owns
 * its copies; -1 from html_strings_add on out-of-memory. */
struct html_strings {
	struct sbuf text; /* every string, each followed by a NUL */
	size_t *starts; /* offset of string i in text */
	size_t count, cap;
	size_t *slots; /* open addressing: index + 1, 0 for empty */
	size_t slot_count;
	bool is_oom;
};
void html_strings_init(struct html_strings *t);
void html_strings_release(struct html_strings *t);
/* The index of s, cleaned first (html_text_clean), added when new. */
long html_strings_add(struct html_strings *t, const char *s, size_t len);
long html_strings_adds(struct html_strings *t, const char *s);
/* Appends the table as a JSON array of strings. */
void html_strings_json(const struct html_strings *t, struct sbuf *out);

/* ---- the page's data (html_data.c, html_payload.c, html_fds.c) ---- */

/* Appends the page's data as one JSON object (docs/export-page.md says
 * what it holds): the traces' folded stories, each step's brief,
 * narration, payload and descriptor rows, each string once. The replays
 * are sought and folded. -1 with err on out-of-memory. */
int html_page_data(struct replay *replays, size_t count, const struct export_input *in,
		   const struct export_opts *o, struct sbuf *out, struct mp_err *err);

/* One payload's three views, each text stored in strs: appends a JSON
 * object to out. Bytes are redacted unless EXPORT_NO_REDACT, left out
 * with EXPORT_NO_PAYLOADS. */
int html_payload_json(const struct event *ev, unsigned flags, const struct export_keys *keys,
		      struct html_strings *strs, struct sbuf *out, struct mp_err *err);
/* Process pid's descriptor rows at the replay's current step beside its
 * parent's (replay_fd_rows), with threads and memory: appends a JSON
 * array to out. */
int html_fds_json(const struct replay *rp, int pid, struct html_strings *strs, struct sbuf *out,
		  struct mp_err *err);

/* ---- the player, compiled in (the Makefile writes it from src/export/page/) ---- */

extern const char export_page_js[];
extern const char export_page_css[];

/* ---- SHA-256 (html_sha256.c) ---- */

void html_sha256(const uint8_t *p, size_t len, uint8_t digest[32]);

#endif

/*
 * export.h - a recorded story written in a format other tools and people
 * read: the trace itself (json), Chrome's trace events for Perfetto and
 * chrome://tracing (chrome), a page that replays in any browser (html), a
 * transcript (text), a sequence diagram (svg).
 *
 * An export tells the same story as the screen, in the same words: it
 * reads the replay's story, briefs and narration (replay/), never its own
 * paraphrase. Modules write into a buffer and never print; cli/cmd_export.c
 * writes the file. Sits beside ui/ at the top of the data flow
 * (trace/ -> replay/ -> export/); no ncurses, no ptrace, cJSON only through
 * json/.
 */
#ifndef MP_EXPORT_H
#define MP_EXPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/err.h"
#include "common/sbuf.h"
#include "trace/trace.h"

/* One trace to export, with the name it is shown under (its file name). */
struct export_input {
	const struct trace *tr; /* finished; borrowed */
	const char *name;
};

enum export_flags {
	/* Keep what the trace holds: by default every authkey the pickle
	 * decoder can find in payload bytes is replaced by the redaction
	 * marker before it is written, in any encoding. */
	EXPORT_NO_REDACT = 1 << 0,
	/* Leave payload bytes out (sizes, types and globals stay). */
	EXPORT_NO_PAYLOADS = 1 << 1,
};

struct export_opts {
	unsigned flags; /* enum export_flags */
	const char *title; /* lesson or program title; may be NULL */
};

/* Appends the export of count traces to out. -1 with err (nothing usable
 * in out) on out-of-memory or when the format cannot tell these traces. */
typedef int (*export_fn)(const struct export_input *in, size_t count, const struct export_opts *o,
			 struct sbuf *out, struct mp_err *err);

struct export_format {
	const char *name; /* as given to -f */
	const char *ext; /* file extension, without the dot */
	const char *what; /* for --help */
	export_fn write;
	size_t max_traces; /* how many traces it can tell at once; 0 = any */
};

/* The format called name, or NULL. */
const struct export_format *export_format_find(const char *name);
/* Every format, in the order --help lists them. */
size_t export_formats(const struct export_format **out);
/* 0 when f can tell count traces at once, else -1 with the sentence that
 * says how many it takes. */
int export_format_check_count(const struct export_format *f, size_t count, struct mp_err *err);

/* ---- the formats (one file each) ---- */

/* json.c: the trace per the contract (docs/trace-format.md), canonical;
 * one trace only. */
int export_json(const struct export_input *in, size_t count, const struct export_opts *o,
		struct sbuf *out, struct mp_err *err);

/* chrome.c: Chrome's Trace Event format (the JSON object form) for
 * Perfetto and chrome://tracing: a track per process, pickles, forks and
 * execs as arrows, the rest as instants; several traces side by side, each
 * its own group of processes. No payload bytes. */
int export_chrome(const struct export_input *in, size_t count, const struct export_opts *o,
		  struct sbuf *out, struct mp_err *err);

/* text.c: a plain-text transcript of the story, step by step in the
 * screen's words, wrapped to EXPORT_TEXT_COLUMNS; several traces one after
 * another. No payload bytes. */
#define EXPORT_TEXT_COLUMNS 78
int export_text(const struct export_input *in, size_t count, const struct export_opts *o,
		struct sbuf *out, struct mp_err *err);

/* ---- the authkeys a trace gives away (keys.c) ---- */

/* Keys shorter than this are redacted inside payloads (pickle_redact_authkeys)
 * but not searched for elsewhere: a short key would match ordinary text. */
#define EXPORT_KEY_MIN_LEN 8

/* Every distinct multiprocessing authkey the pickle decoder finds in a
 * trace's payload bytes (AuthenticationString arguments that are not
 * already the redaction marker), and each key's forms to search text for.
 * Owns its memory. */
struct export_keys {
	struct arena arena;
	size_t key_count;
	const char **forms; /* in arena: every form of every key, the raw one first */
	size_t *form_lens;
	size_t form_count, form_cap;
};
void export_keys_init(struct export_keys *k);
void export_keys_release(struct export_keys *k);
/* Adds the keys of tr's payloads. -1 with err on out-of-memory. */
int export_keys_collect(struct export_keys *k, const struct trace *tr, struct mp_err *err);
/* Overwrites, in buf, every occurrence of a key at least EXPORT_KEY_MIN_LEN
 * long - raw, in hex (either case), in base64 (standard or URL-safe, at
 * any alignment) or escaped as Python writes bytes (b'\x..') - with the
 * same-length redaction marker. Allocates nothing; returns how many it
 * overwrote. */
size_t export_keys_scrub(const struct export_keys *k, char *buf, size_t len);
/* Redacts, in place, every authkey in a payload's bytes: the
 * AuthenticationString arguments the decoder walks to (as far as it walks:
 * a capped payload, or one that is no pickle), then every key of k in any
 * form (a key pickled as plain bytes, as in a queue item, is no
 * AuthenticationString). Returns how many it overwrote. */
size_t export_keys_redact_payload(const struct export_keys *k, uint8_t *bytes, size_t len);

/* html.c: one self-contained page that replays the folded story of every
 * trace as the screen does (lanes, payload, resources, narration, compare
 * mode), with its keys; no request of any kind (docs/export-page.md). */
int export_html(const struct export_input *in, size_t count, const struct export_opts *o,
		struct sbuf *out, struct mp_err *err);

/* svg.c: a static sequence diagram of the key moments, one lifeline per
 * process; several traces side by side. */
int export_svg(const struct export_input *in, size_t count, const struct export_opts *o,
	       struct sbuf *out, struct mp_err *err);

#endif

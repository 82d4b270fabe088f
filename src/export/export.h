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
};

/* The format called name, or NULL. */
const struct export_format *export_format_find(const char *name);
/* Every format, in the order --help lists them. */
size_t export_formats(const struct export_format **out);

/* ---- the formats (one file each) ---- */

/* json.c: the trace per the contract (docs/trace-format.md), canonical;
 * one trace only. */
int export_json(const struct export_input *in, size_t count, const struct export_opts *o,
		struct sbuf *out, struct mp_err *err);

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

/*
 * export_file.h - an export written where the user asked: a file
 * replaced atomically, standard output, or the default name in the
 * current folder. The export verb (cmd_export.c) and the replay screen's
 * `e` key (through struct ui_exporter) share it, so both name files and
 * say what they wrote the same way.
 */
#ifndef MP_CLI_EXPORT_FILE_H
#define MP_CLI_EXPORT_FILE_H

#include <stddef.h>

#include "common/err.h"
#include "export/export.h"
#include "ui/ui.h"

/* The file name an export gets when none is given, in the current folder:
 * the first trace's name without its folder and its ".json", then "." and
 * the format's extension: 01-what-gets-pickled.spawn.chrome.json. When
 * that is the trace's own name (-f json), ".export" comes before the
 * extension, so a trace is never replaced by its export by default. */
void export_file_default_name(const struct export_format *f, const char *first_name, char *buf,
			      size_t len);

/* Writes the export of count traces in format f to out: NULL for the
 * default name, "-" for standard output, else that path (replaced
 * atomically: a failed export leaves the old file). Fills said with the
 * line that reports it, "wrote OUT (N bytes, FORMAT)". -1 with err: the
 * format could not tell these traces, or the file could not be written. */
int export_file_write(const struct export_format *f, const struct export_input *in, size_t count,
		      const struct export_opts *o, const char *out, char *said, size_t said_len,
		      struct mp_err *err);

/* The replay screen's exporter over traces loaded by the caller: names[i]
 * is the file traces[i] came from or was saved to; an export is named
 * after the first trace it holds. Everything is borrowed and must outlive
 * the screen. */
#define EXPORT_SCREEN_FORMATS 16
struct export_screen {
	const struct trace *traces;
	const char *const *names;
	size_t count;
	const char *formats[EXPORT_SCREEN_FORMATS];
	struct ui_exporter exporter;
};
void export_screen_init(struct export_screen *s, const struct trace *traces,
			const char *const *names, size_t count);

#endif

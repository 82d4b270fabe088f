/*
 * export_file.c - an export written to a file or standard output, and the
 * replay screen's exporter built on it; see export_file.h. The formats
 * only fill a buffer (export/); this is where it leaves the program.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/export_file.h"
#include "json/save.h"

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

void export_file_default_name(const struct export_format *f, const char *first_name, char *buf,
			      size_t len)
{
	const char *base = base_name(first_name && *first_name ? first_name : "trace");
	size_t stem = strlen(base);

	if (stem > 5 && strcmp(base + stem - 5, ".json") == 0)
		stem -= 5;
	snprintf(buf, len, "%.*s.%s", (int)stem, base, f->ext);
	if (strcmp(buf, base) == 0)
		snprintf(buf, len, "%.*s.export.%s", (int)stem, base, f->ext);
}

static int write_stdout(const struct sbuf *text, struct mp_err *err)
{
	if (fwrite(text->data ? text->data : "", 1, text->len, stdout) != text->len ||
	    fflush(stdout) != 0)
		return mp_err_set(err, "cannot write the export to standard output: %s",
				  strerror(errno));
	return 0;
}

int export_file_write(const struct export_format *f, const struct export_input *in, size_t count,
		      const struct export_opts *o, const char *out, char *said, size_t said_len,
		      struct mp_err *err)
{
	char path[4096];
	struct sbuf text;
	int rc;

	if (export_format_check_count(f, count, err) < 0)
		return -1;
	if (out)
		snprintf(path, sizeof(path), "%s", out);
	else
		export_file_default_name(f, count ? in[0].name : NULL, path, sizeof(path));
	sbuf_init(&text);
	rc = f->write(in, count, o, &text, err);
	if (rc == 0 && text.is_oom)
		rc = mp_err_set(err, "out of memory while exporting");
	if (rc == 0 && strcmp(path, "-") == 0)
		rc = write_stdout(&text, err);
	else if (rc == 0)
		rc = json_save_atomic(path, text.data ? text.data : "", text.len, JSON_SAVE_QUICK,
				      err);
	if (rc == 0)
		snprintf(said, said_len, "wrote %s (%zu bytes, %s)",
			 strcmp(path, "-") == 0 ? "standard output" : path, text.len, f->name);
	sbuf_release(&text);
	return rc;
}

/* ---- the replay screen's `e` ---- */

static int screen_write(void *ctx, size_t format, size_t first, size_t count, char *said,
			size_t said_len, struct mp_err *err)
{
	struct export_screen *s = ctx;
	const struct export_format *f = export_format_find(s->formats[format]);
	struct export_opts o = { 0 };
	struct export_input *in;
	int rc;

	if (!f || first + count > s->count)
		return mp_err_set(err, "no such export format");
	if (f->max_traces && count > f->max_traces)
		return mp_err_set(err,
				  "%s writes one trace at a time: c leaves compare mode, then e "
				  "exports the trace shown",
				  f->name);
	in = calloc(count, sizeof(*in));
	if (!in)
		return mp_err_set(err, "out of memory while exporting");
	for (size_t i = 0; i < count; i++) {
		in[i].tr = &s->traces[first + i];
		in[i].name = base_name(s->names[first + i]);
	}
	rc = export_file_write(f, in, count, &o, NULL, said, said_len, err);
	free(in);
	return rc;
}

void export_screen_init(struct export_screen *s, const struct trace *traces,
			const char *const *names, size_t count)
{
	const struct export_format *all;
	size_t n = export_formats(&all);

	memset(s, 0, sizeof(*s));
	s->traces = traces;
	s->names = names;
	s->count = count;
	for (size_t i = 0; i < n && i < EXPORT_SCREEN_FORMATS; i++)
		s->formats[i] = all[i].name;
	s->exporter =
		(struct ui_exporter){ .ctx = s,
				      .formats = s->formats,
				      .format_count =
					      n < EXPORT_SCREEN_FORMATS ? n : EXPORT_SCREEN_FORMATS,
				      .write = screen_write };
}

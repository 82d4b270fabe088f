/*
 * formats.c - the export formats, one row each: the name -f takes, the
 * file extension, what it is for, the function that writes it and how
 * many traces it tells at once. A new format is a row here (the verb's
 * --help and the screen's `e` prompt list the rows) and its own file.
 */
#include <string.h>

#include "export/export.h"

static const struct export_format formats[] = {
	{ "json", "json", "the trace itself, normalised, in mpscope's own format", export_json, 1 },
	{ "chrome", "chrome.json", "Chrome trace events, for ui.perfetto.dev and chrome://tracing",
	  export_chrome, 0 },
	{ "text", "txt", "a plain-text transcript of the story, step by step", export_text, 0 },
	{ "html", "html", "a page that replays the story in any browser, one file, nothing fetched",
	  export_html, 0 },
	{ "svg", "svg", "a sequence diagram of the key moments, for slides", export_svg, 0 },
};

#define FORMAT_COUNT (sizeof(formats) / sizeof(formats[0]))

const struct export_format *export_format_find(const char *name)
{
	for (size_t i = 0; i < FORMAT_COUNT; i++)
		if (strcmp(formats[i].name, name) == 0)
			return &formats[i];
	return NULL;
}

size_t export_formats(const struct export_format **out)
{
	*out = formats;
	return FORMAT_COUNT;
}

int export_format_check_count(const struct export_format *f, size_t count, struct mp_err *err)
{
	if (count == 0)
		return mp_err_set(err, "-f %s needs a trace to export", f->name);
	if (f->max_traces == 0 || count <= f->max_traces)
		return 0;
	if (f->max_traces == 1)
		return mp_err_set(err, "-f %s writes one trace at a time; %zu were given", f->name,
				  count);
	return mp_err_set(err, "-f %s writes at most %zu traces at a time; %zu were given", f->name,
			  f->max_traces, count);
}

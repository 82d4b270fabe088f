/*
 * formats.c - the export formats, one row each: the name -f takes, the
 * file extension, what it is for, and the function that writes it.
 */
#include <string.h>

#include "export/export.h"

static const struct export_format formats[] = {
	{ "json", "json", "the trace itself, per mpscope's format (docs/trace-format.md)",
	  export_json },
	{ "html", "html", "a page that replays the story in any browser, one file, nothing fetched",
	  export_html },
	{ "svg", "svg", "a sequence diagram of the key moments, for slides", export_svg },
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

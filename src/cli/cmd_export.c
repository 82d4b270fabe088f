/*
 * cmd_export.c - `mpscope export -f FORMAT FILE... [-o OUT]`: recorded
 * traces written in a format other tools and people read (export/: the
 * format table), to standard output or to a file replaced atomically.
 * Every trace is loaded and validated first, so a bad file costs its one
 * sentence and nothing is written.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/export_file.h"
#include "json/trace_json.h"

struct export_args {
	const struct export_format *format;
	const char *format_name;
	const char *out; /* "-": standard output */
	unsigned flags; /* enum export_flags */
	char **files;
	size_t file_count;
};

static void usage(FILE *to)
{
	const struct export_format *f;
	size_t n = export_formats(&f);

	fputs("usage: mpscope export -f FORMAT [-o OUT] [--no-redact] [--no-payloads] "
	      "FILE...\n"
	      "Writes recorded traces in a format other tools and people read.\n\n"
	      "formats:\n",
	      to);
	for (size_t i = 0; i < n; i++)
		fprintf(to, "  %-8s %s%s\n", f[i].name, f[i].what,
			f[i].max_traces == 1 ? " (one trace)" : "");
	fputs("\n  -f, --format FORMAT  the format, one of those above\n"
	      "  -o, --output OUT     the file to write (default, or -: standard output)\n"
	      "  --no-redact          keep the authkeys the pickle decoder finds in payloads\n"
	      "                       (by default every one is redacted, in any encoding)\n"
	      "  --no-payloads        leave payload bytes out (sizes, types and names stay)\n"
	      "Several FILEs: the formats that show traces side by side take them all.\n",
	      to);
}

static void list_formats(char *buf, size_t len)
{
	const struct export_format *f;
	size_t n = export_formats(&f), used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "", f[i].name);
}

/* An option's value: the next argument, or what follows '=' in --opt=V. */
static const char *value_of(int argc, char **argv, int *i, const char *eq)
{
	if (eq)
		return eq + 1;
	return *i + 1 < argc ? argv[++*i] : NULL;
}

static int bad_usage(const char *fmt, const char *what)
{
	fputs("mpscope: export: ", stderr);
	fprintf(stderr, fmt, what);
	fputs("\n", stderr);
	usage(stderr);
	return 2;
}

static int parse_args(int argc, char **argv, struct export_args *a)
{
	bool is_done = false;
	char formats[256];
	struct mp_err err;

	memset(a, 0, sizeof(*a));
	a->out = "-";
	a->files = calloc((size_t)argc, sizeof(*a->files));
	if (!a->files) {
		fprintf(stderr, "mpscope: out of memory reading the arguments\n");
		return 1;
	}
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		const char *eq = strncmp(arg, "--", 2) == 0 ? strchr(arg, '=') : NULL;
		size_t name_len = eq ? (size_t)(eq - arg) : strlen(arg);

		if (is_done || arg[0] != '-' || strcmp(arg, "-") == 0) {
			a->files[a->file_count++] = argv[i];
			continue;
		}
		if (strcmp(arg, "--") == 0) {
			is_done = true;
		} else if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
			usage(stdout);
			return -1;
		} else if (strcmp(arg, "--no-redact") == 0) {
			a->flags |= EXPORT_NO_REDACT;
		} else if (strcmp(arg, "--no-payloads") == 0) {
			a->flags |= EXPORT_NO_PAYLOADS;
		} else if (strcmp(arg, "-f") == 0 ||
			   (name_len == 8 && strncmp(arg, "--format", 8) == 0)) {
			a->format_name = value_of(argc, argv, &i, eq);
			if (!a->format_name)
				return bad_usage("'%s' needs a format", arg);
		} else if (strcmp(arg, "-o") == 0 ||
			   (name_len == 8 && strncmp(arg, "--output", 8) == 0)) {
			a->out = value_of(argc, argv, &i, eq);
			if (!a->out || !*a->out)
				return bad_usage("'%s' needs a file name (- is standard output)",
						 arg);
		} else {
			return bad_usage("'%s' is not an option I know", arg);
		}
	}
	list_formats(formats, sizeof(formats));
	if (!a->format_name) {
		fprintf(stderr, "mpscope: export: say which format with -f (%s)\n", formats);
		return 2;
	}
	a->format = export_format_find(a->format_name);
	if (!a->format) {
		fprintf(stderr, "mpscope: export: '%s' is not a format; the formats are %s\n",
			a->format_name, formats);
		return 2;
	}
	if (a->file_count == 0)
		return bad_usage("%s", "which traces? give one or more FILEs");
	if (export_format_check_count(a->format, a->file_count, &err) < 0) {
		fprintf(stderr, "mpscope: export: %s\n", err.msg);
		return 2;
	}
	return 0;
}

/* Loads every trace (traces[] are all initialised, for release); the
 * first one refused says why, and -1. */
static int load_all(const struct export_args *a, struct trace *traces, struct export_input *in)
{
	int rc = 0;

	for (size_t i = 0; i < a->file_count; i++)
		trace_init(&traces[i]);
	for (size_t i = 0; i < a->file_count && rc == 0; i++) {
		struct mp_err err;
		const char *slash = strrchr(a->files[i], '/');

		if (trace_json_load(a->files[i], &traces[i], &err) < 0) {
			fprintf(stderr, "mpscope: %s\n", err.msg);
			rc = -1;
		}
		in[i].tr = &traces[i];
		in[i].name = slash ? slash + 1 : a->files[i];
	}
	return rc;
}

int cmd_export(int argc, char **argv)
{
	struct export_args a;
	struct trace *traces = NULL;
	struct export_input *in = NULL;
	struct mp_err err;
	char said[4200];
	int rc = parse_args(argc, argv, &a);

	if (rc != 0) {
		free(a.files);
		return rc < 0 ? 0 : rc;
	}
	traces = calloc(a.file_count, sizeof(*traces));
	in = calloc(a.file_count, sizeof(*in));
	if (!traces || !in) {
		fprintf(stderr, "mpscope: out of memory opening %zu traces\n", a.file_count);
		rc = 1;
	} else if (load_all(&a, traces, in) < 0) {
		rc = 1;
	} else {
		struct export_opts o = { .flags = a.flags };

		rc = export_file_write(a.format, in, a.file_count, &o, a.out, said, sizeof(said),
				       &err);
		/* Standard output is what was asked for: nothing to say. */
		if (rc < 0)
			fprintf(stderr, "mpscope: %s\n", err.msg);
		else if (strcmp(a.out, "-") != 0)
			fprintf(stderr, "mpscope: %s\n", said);
		rc = rc == 0 ? 0 : 1;
	}
	for (size_t i = 0; traces && i < a.file_count; i++)
		trace_release(&traces[i]);
	free(traces);
	free(in);
	free(a.files);
	return rc;
}

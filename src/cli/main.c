/*
 * main.c - mpscope's entry point: picks the verb and hands over argv;
 * with none, at a terminal, the lesson menu opens.
 *
 * The verbs table is the whole CLI surface (the contract in
 * docs/cli.md); each verb lives in its own cmd_<verb>.c.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/paths.h"

struct verb {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *usage;
	const char *summary;
};

/* In the order a newcomer meets them: record, watch, learn, inspect, share. */
static const struct verb verbs[] = {
	{ "run", cmd_run, "run [-m METHOD|all] [-o FILE] [--no-ui] SCRIPT [ARGS...]",
	  "record a Python program under fork, spawn or forkserver, then replay it" },
	{ "replay", cmd_replay, "replay FILE [FILE...]",
	  "animate recorded traces (several: side by side)" },
	{ "info", cmd_info, "info FILE",
	  "summary of a trace; exit 1 with the reason if it is invalid" },
	{ "lesson", cmd_lesson, "lesson N [--offline] [--present] [--python PATH]",
	  "lesson N: its example traced here, paused at each step, with quizzes" },
	{ "lessons", cmd_lessons, "lessons [--check]",
	  "list the lessons and your progress; --check checks the whole course" },
	{ "dis", cmd_dis, "dis [--decode] [--summary] [FILE|-]",
	  "disassemble or decode a pickle without loading it" },
	{ "export", cmd_export, "export -f FORMAT [-o OUT] FILE...",
	  "write traces for other tools and people; 'export --help' lists the formats" },
	{ NULL, NULL, NULL, NULL },
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: mpscope VERB [OPTIONS] ...\n\n"
		"mpscope shows what Python's multiprocessing really does under fork, spawn\n"
		"and forkserver: processes, inherited descriptors and pickled payloads.\n"
		"At a terminal, 'mpscope' alone opens the lessons.\n\n"
		"verbs:\n");
	for (const struct verb *v = verbs; v->name; v++)
		fprintf(out, "  mpscope %s\n      %s\n", v->usage, v->summary);
	fprintf(out, "\n'mpscope VERB --help' explains a verb; 'man mpscope' explains all.\n");
}

int main(int argc, char **argv)
{
	const char *name;

	paths_init(argv[0]);
	if (argc < 2) {
		if (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO))
			return cmd_menu(argc, argv);
		usage(stderr);
		return 2;
	}
	name = argv[1];
	if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(name, "--version") == 0) {
		printf("mpscope %s\n", MPSCOPE_VERSION);
		return 0;
	}
	for (const struct verb *v = verbs; v->name; v++)
		if (strcmp(v->name, name) == 0)
			return v->fn(argc - 1, argv + 1);
	fprintf(stderr, "mpscope: '%s' is not a verb; 'mpscope --help' lists them\n", name);
	return 2;
}

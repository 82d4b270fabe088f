/*
 * cmd_lesson.c - the lessons from the command line: `mpscope lessons`
 * lists the course found by folder (number, title, the claims each
 * proves, the student's progress; a broken lesson.json is listed with its
 * one-line problem), `mpscope lessons --check` checks the whole course,
 * `mpscope lesson --check DIR...` checks lessons against their recorded
 * traces, and `mpscope lesson N` opens one on the screen (or prints a
 * frame of it, --print). The json/ and lesson/ modules check, the session
 * (lesson_session.c) shows; this file reads options and prints.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/commands.h"
#include "cli/lesson_session.h"
#include "cli/paths.h"
#include "json/lesson_json.h"
#include "json/progress_json.h"
#include "json/trace_json.h"
#include "lesson/bind.h"
#include "lesson/course.h"
#include "lesson/progress.h"
#include "ui/ui.h"

#define LESSONS_USAGE                                                                              \
	"usage: mpscope lessons [--check | --print [--size COLSxROWS] [--ascii]]\n"                \
	"Lists the lessons (lessons/NN-slug/lesson.json under mpscope's data) with the\n"          \
	"claims each proves and your progress. At a terminal, 'mpscope' alone opens\n"             \
	"them as a menu.\n\n"                                                                      \
	"  --check   check every lesson against its recorded traces, and that every\n"             \
	"            claim of the course is proved by some lesson\n"                               \
	"  --print   print the menu as 'mpscope' shows it, as text (default 80x24)\n"

#define LESSON_USAGE                                                                               \
	"usage: mpscope lesson N|SLUG [--offline] [--present] [--python PATH] [--no-animation]\n"  \
	"       mpscope lesson N|SLUG --print STEP [--size COLSxROWS] [--keys KEYS] [--ascii]\n"   \
	"       mpscope lesson --check [--traces DIR] LESSON_DIR...\n"                             \
	"Opens lesson N (its number, folder or slug: 1, 01-what-gets-pickled,\n"                   \
	"what-gets-pickled) on the screen. Its example.py is recorded first, here, once\n"         \
	"per trace of the lesson; without a CPython 3.8+, or when a run fails or does not\n"       \
	"fit the lesson, the recorded traces are shown (one sentence says why).\n\n"               \
	"  --offline        the recorded traces, no live run\n"                                    \
	"  --present        classroom mode: the story fills the screen and plays by itself,\n"     \
	"                   stopping at each step; quizzes show their answer on a key;\n"          \
	"                   nothing is recorded\n"                                                 \
	"  --python PATH    the interpreter of the live runs (not of a lesson that names\n"        \
	"                   its Pythons)\n"                                                        \
	"  --no-animation   steps change at once (also MPSCOPE_NO_ANIMATION=1)\n"                  \
	"  --print STEP     print lesson step STEP (1 = first) as text, recorded traces, no\n"     \
	"                   terminal; --keys are pressed first ('>' '<' arrows, newline Enter)\n"  \
	"  --check          check lessons against their recorded traces: every step finds\n"       \
	"                   its event, every text fills, every quiz has its answer; one line\n"    \
	"                   per lesson, exit 1 naming the first problem of each that fails\n"      \
	"  --traces DIR     with --check, where the traces are (default: traces/ beside the\n"     \
	"                   lessons' folder, e.g. lessons/01-x -> traces/01-x.fork.json)\n"

#define PATH_LEN 4096

/* The folder `traces` beside the one holding the lesson's folder: the
 * data root holds lessons/ and traces/ side by side. out has room for
 * PATH_LEN + 16 bytes. */
static void traces_beside(const char *dir, char *out)
{
	char root[PATH_LEN];
	size_t n = strlen(dir);
	int up = 0;

	while (n > 1 && dir[n - 1] == '/')
		n--;
	snprintf(root, sizeof(root), "%.*s", (int)n, dir);
	/* Up twice: from the lesson's folder to the lessons folder, then to
	 * the data root. */
	for (; up < 2; up++) {
		char *slash = strrchr(root, '/');

		if (!slash)
			break;
		slash[slash == root] = '\0';
	}
	if (up == 0)
		snprintf(out, PATH_LEN + 16, "../traces");
	else if (up == 1)
		snprintf(out, PATH_LEN + 16, "traces");
	else
		snprintf(out, PATH_LEN + 16, "%s%straces", root, strcmp(root, "/") ? "/" : "");
}

/* "lessons/01-x: 5 steps, 2 quizzes, traces fork spawn forkserver: ok" */
static void say_ok(const char *dir, const struct lesson *l)
{
	size_t n = strlen(dir);

	while (n > 1 && dir[n - 1] == '/')
		n--;
	printf("%.*s: %zu step%s, %zu quiz%s, trace%s", (int)n, dir, l->step_count,
	       l->step_count == 1 ? "" : "s", l->quiz_count, l->quiz_count == 1 ? "" : "zes",
	       l->keys.count == 1 ? "" : "s");
	for (size_t k = 0; k < l->keys.count; k++)
		printf(" %s", l->keys.items[k]);
	printf(": ok\n");
}

/* Loads the traces of a loaded lesson and binds it to them. 0, or 1 with
 * the sentence on stderr. */
static int check_loaded(const char *dir, const struct lesson *l, const char *traces_dir)
{
	struct trace traces[LESSON_MAX_KEYS];
	struct lesson_trace named[LESSON_MAX_KEYS];
	char paths[LESSON_MAX_KEYS][PATH_LEN];
	struct mp_err err;
	size_t loaded = 0;
	int rc = 1;

	for (; loaded < l->keys.count; loaded++) {
		trace_init(&traces[loaded]);
		if (!lesson_trace_path(l, loaded, traces_dir, paths[loaded], PATH_LEN)) {
			mp_err_set(&err, "the path of its traces is too long");
			break;
		}
		if (trace_json_load(paths[loaded], &traces[loaded], &err) < 0) {
			mp_err_prefix(&err, "%s", l->path);
			break;
		}
		named[loaded] = (struct lesson_trace){ &traces[loaded], paths[loaded] };
	}
	if (loaded == l->keys.count && lesson_check(l, named, &err) == 0) {
		say_ok(dir, l);
		rc = 0;
	} else {
		fprintf(stderr, "mpscope: %s\n", err.msg);
	}
	for (size_t k = 0; k <= loaded && k < l->keys.count; k++)
		trace_release(&traces[k]);
	return rc;
}

static int check_dir(const char *dir, const char *traces_dir)
{
	char beside[PATH_LEN + 16];
	struct lesson l;
	struct mp_err err;
	int rc;

	lesson_init(&l);
	if (lesson_json_load_dir(dir, &l, &err) < 0) {
		fprintf(stderr, "mpscope: %s\n", err.msg);
		lesson_release(&l);
		return 1;
	}
	if (!traces_dir) {
		traces_beside(dir, beside);
		traces_dir = beside;
	}
	rc = check_loaded(dir, &l, traces_dir);
	lesson_release(&l);
	return rc;
}

/* ---- mpscope lesson N ---- */

struct open_args {
	const char *name;
	struct lesson_opts o;
	bool is_print;
	struct ui_lesson_frame_opts fo;
};

static int usage_error(const char *fmt, const char *what)
{
	fprintf(stderr, "mpscope: lesson: ");
	fprintf(stderr, fmt, what);
	fprintf(stderr, "\n%s", LESSON_USAGE);
	return 2;
}

/* Options and the lesson's name, in any order. */
static int parse_open(int argc, char **argv, struct open_args *a)
{
	*a = (struct open_args){ .fo = { .cols = 80, .rows = 24 } };
	for (int i = 1; i < argc; i++) {
		const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		long step;
		char *end;

		if (o[0] != '-') {
			if (a->name)
				return usage_error("open one lesson at a time, not '%s' too", o);
			a->name = o;
		} else if (strcmp(o, "--offline") == 0) {
			a->o.is_offline = true;
		} else if (strcmp(o, "--present") == 0) {
			a->o.is_present = true;
		} else if (strcmp(o, "--no-animation") == 0) {
			a->o.is_still = true;
		} else if (strcmp(o, "--ascii") == 0) {
			a->fo.is_ascii = true;
		} else if (!v) {
			return usage_error("'%s' needs a value", o);
		} else if (strcmp(o, "--python") == 0) {
			a->o.python = v, i++;
		} else if (strcmp(o, "--keys") == 0) {
			a->fo.keys = v, i++;
		} else if (strcmp(o, "--print") == 0) {
			step = strtol(v, &end, 10);
			if (end == v || *end || step < 1)
				return usage_error("--print wants a step number from 1, got '%s'",
						   v);
			a->is_print = a->o.is_print = true;
			a->fo.step = (size_t)(step - 1);
			i++;
		} else if (strcmp(o, "--size") == 0) {
			if (sscanf(v, "%dx%d", &a->fo.cols, &a->fo.rows) != 2 || a->fo.cols < 1 ||
			    a->fo.rows < 1 || a->fo.cols > 1000 || a->fo.rows > 1000)
				return usage_error("--size wants COLSxROWS such as 80x24, got '%s'",
						   v);
			i++;
		} else {
			return usage_error("'%s' is not an option of 'mpscope lesson'", o);
		}
	}
	if (!a->name)
		return usage_error("%s",
				   "which lesson? give its number ('mpscope lessons' lists them)");
	return 0;
}

static int print_lesson(struct lesson_session *s, size_t i, const struct open_args *a)
{
	struct sbuf out;
	struct mp_err err;
	int rc = 0;

	sbuf_init(&out);
	if (session_print(s, i, &a->fo, &out, &err) < 0) {
		fprintf(stderr, "mpscope: %s\n", err.msg);
		rc = 1;
	} else {
		fwrite(out.data, 1, out.len, stdout);
	}
	sbuf_release(&out);
	return rc;
}

/* Plays lesson i, then the next ones as long as the student asks. */
static int play_lessons(struct lesson_session *s, size_t i)
{
	struct mp_err err;
	enum ui_lesson_end end = UI_LESSON_NEXT;
	size_t next;

	if (session_screen(s, &err) < 0) {
		fprintf(stderr, "mpscope: %s\n", err.msg);
		return 1;
	}
	while (end == UI_LESSON_NEXT && i != SIZE_MAX) {
		if (session_play(s, i, &end, &next, &err) < 0) {
			ui_term_close(s->term);
			s->term = NULL;
			fprintf(stderr, "mpscope: %s\n", err.msg);
			return 1;
		}
		i = next;
	}
	return 0;
}

static int open_lesson(int argc, char **argv)
{
	struct open_args a;
	struct lesson_session s;
	struct mp_err err;
	const struct course_entry *e;
	int rc = parse_open(argc, argv, &a);

	if (rc != 0)
		return rc;
	if (session_open(&s, &a.o, &err) < 0) {
		fprintf(stderr, "mpscope: %s\n", err.msg);
		session_close(&s);
		return 1;
	}
	e = course_find(&s.course, a.name);
	if (!e) {
		fprintf(stderr,
			"mpscope: no lesson is called '%s' ('mpscope lessons' lists them)\n",
			a.name);
		rc = 1;
	} else if (!e->is_loaded) {
		fprintf(stderr, "mpscope: %s\n", e->problem);
		rc = 1;
	} else if (a.is_print) {
		rc = print_lesson(&s, (size_t)(e - s.course.entries), &a);
	} else {
		rc = play_lessons(&s, (size_t)(e - s.course.entries));
	}
	session_close(&s);
	return rc;
}

int cmd_lesson(int argc, char **argv)
{
	const char *traces_dir = NULL;
	bool is_check = false;
	int i, failed = 0;

	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fputs(LESSON_USAGE, stdout);
			return 0;
		} else if (strcmp(argv[i], "--check") == 0) {
			is_check = true;
		}
	if (!is_check)
		return open_lesson(argc, argv);
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--check") == 0) {
			continue;
		} else if (strcmp(argv[i], "--traces") == 0) {
			if (i + 1 == argc) {
				fprintf(stderr, "mpscope: lesson: --traces needs a folder\n%s",
					LESSON_USAGE);
				return 2;
			}
			traces_dir = argv[++i];
		} else {
			fprintf(stderr, "mpscope: lesson: '%s' is not an option of --check\n%s",
				argv[i], LESSON_USAGE);
			return 2;
		}
	}
	if (i == argc) {
		fprintf(stderr, "mpscope: lesson: name the lesson folders to check\n%s",
			LESSON_USAGE);
		return 2;
	}
	for (; i < argc; i++)
		failed |= check_dir(argv[i], traces_dir);
	return failed;
}

/* ---- mpscope lessons ---- */

/* The student's progress, or none (said why on stderr): the list is still
 * worth showing. */
static bool open_progress(struct progress *pg)
{
	char path[PATH_LEN], note[2 * MP_ERR_MAX];
	struct mp_err err;

	if (progress_json_path(path, sizeof(path), &err) < 0 ||
	    progress_json_open(path, pg, time(NULL), note, sizeof(note), &err) < 0) {
		fprintf(stderr, "mpscope: %s (progress is not shown)\n", err.msg);
		return false;
	}
	if (note[0])
		fprintf(stderr, "mpscope: %s\n", note);
	return true;
}

static void list_entry(const struct course_entry *e, const struct progress *pg)
{
	const struct lesson *l = &e->lesson;
	char title[256];
	struct sbuf words;

	if (!e->is_loaded) {
		printf("%02d  cannot be read: %s\n", e->number, e->problem);
		return;
	}
	mp_quote(title, sizeof(title), l->title, strlen(l->title));
	sbuf_init(&words);
	if (pg)
		progress_describe(pg, e->folder, l->quiz_count, &words);
	printf("%02d  %s\n    %s%s%s\n    proves:", e->number, title, e->folder,
	       words.len ? ": " : "", words.len ? words.data : "");
	for (size_t i = 0; i < l->prove_count; i++)
		printf("%s %s", i ? "," : "", lesson_claim_id(l->proves[i]));
	printf("%s\n", l->prove_count ? "" : " (no claim of the course)");
	sbuf_release(&words);
}

/* Every lesson against its traces, then the course's own rules. */
static int check_course(const struct course *c)
{
	struct mp_err err;
	int failed = 0;

	for (size_t i = 0; i < c->count; i++) {
		const struct course_entry *e = &c->entries[i];

		if (!e->is_loaded) {
			fprintf(stderr, "mpscope: %s\n", e->problem);
			failed = 1;
			continue;
		}
		failed |= check_loaded(e->dir, &e->lesson, paths_traces_dir());
	}
	if (course_check(c, &err) < 0) {
		fprintf(stderr, "mpscope: %s\n", err.msg);
		return 1;
	}
	if (!failed)
		printf("lessons: %zu lesson%s, every claim proved: ok\n", c->count,
		       c->count == 1 ? "" : "s");
	return failed;
}

/* `lessons --print [--size CxR] [--ascii]`: the menu as text. */
static int parse_print(int argc, char **argv, struct ui_frame_opts *fo)
{
	*fo = (struct ui_frame_opts){ .cols = 80, .rows = 24 };
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--ascii") == 0) {
			fo->is_ascii = true;
		} else if (strcmp(argv[i], "--size") == 0 && i + 1 < argc &&
			   sscanf(argv[i + 1], "%dx%d", &fo->cols, &fo->rows) == 2 &&
			   fo->cols > 0 && fo->rows > 0 && fo->cols <= 1000 && fo->rows <= 1000) {
			i++;
		} else {
			fprintf(stderr, "mpscope: lessons: '%s' is not an option of --print\n%s",
				argv[i], LESSONS_USAGE);
			return 2;
		}
	}
	return 0;
}

static int print_menu(const struct course *c, const struct progress *pg,
		      const struct ui_frame_opts *fo)
{
	struct sbuf out;
	struct mp_err err;
	int rc = 0;

	sbuf_init(&out);
	if (ui_menu_render(c, pg, NULL, 0, fo, &out, &err) < 0) {
		fprintf(stderr, "mpscope: %s\n", err.msg);
		rc = 1;
	} else {
		fwrite(out.data, 1, out.len, stdout);
	}
	sbuf_release(&out);
	return rc;
}

int cmd_lessons(int argc, char **argv)
{
	bool is_check = argc == 2 && strcmp(argv[1], "--check") == 0;
	bool is_print = argc >= 2 && strcmp(argv[1], "--print") == 0;
	struct ui_frame_opts fo;
	struct progress pg;
	struct course c;
	struct mp_err err;
	bool has_progress;
	int rc = 0;

	if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		fputs(LESSONS_USAGE, stdout);
		return 0;
	}
	if (is_print && parse_print(argc, argv, &fo) != 0)
		return 2;
	if (!is_print && (argc > 2 || (argc == 2 && !is_check))) {
		fprintf(stderr, "mpscope: lessons: '%s' is not an option\n%s", argv[1],
			LESSONS_USAGE);
		return 2;
	}
	course_init(&c);
	if (lesson_json_load_course(paths_lessons_dir(), &c, &err) < 0) {
		fprintf(stderr, "mpscope: %s\n", err.msg);
		course_release(&c);
		return 1;
	}
	if (c.count == 0) {
		fprintf(stderr,
			"mpscope: no lessons in '%s' yet (a lesson is a folder NN-slug holding a "
			"lesson.json)\n",
			paths_lessons_dir());
		course_release(&c);
		return 1;
	}
	if (is_check) {
		rc = check_course(&c);
	} else {
		progress_init(&pg);
		has_progress = open_progress(&pg);
		if (is_print)
			rc = print_menu(&c, has_progress ? &pg : NULL, &fo);
		else
			for (size_t i = 0; i < c.count; i++)
				list_entry(&c.entries[i], has_progress ? &pg : NULL);
		progress_release(&pg);
	}
	course_release(&c);
	return rc;
}

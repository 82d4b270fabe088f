/*
 * lesson_session.c - lessons on the screen (lesson_session.h): which
 * traces a lesson is shown on, and where its answers go. Live first
 * (lesson_live.c), unless --offline: when no CPython 3.8 or later is
 * there, a live run fails, or a step's trigger finds nothing in a live
 * trace, one sentence says so and the recorded traces are used, so that a
 * class never depends on the machine. The progress file is written after
 * every answer and when a lesson is done; in classroom mode never.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/lesson_live.h"
#include "cli/lesson_session.h"
#include "cli/paths.h"
#include "json/lesson_json.h"
#include "json/progress_json.h"
#include "json/trace_json.h"
#include "lesson/bind.h"

#define NAME_LEN 128

int session_open(struct lesson_session *s, const struct lesson_opts *o, struct mp_err *err)
{
	struct mp_err why;

	memset(s, 0, sizeof(*s));
	s->o = *o;
	course_init(&s->course);
	progress_init(&s->pg);
	if (lesson_json_load_course(paths_lessons_dir(), &s->course, err) < 0)
		return -1;
	if (s->course.count == 0)
		return mp_err_set(err,
				  "no lessons in '%s' yet (a lesson is a folder NN-slug holding a "
				  "lesson.json)",
				  paths_lessons_dir());
	if (o->is_present || o->is_print)
		return 0;
	if (progress_json_path(s->progress_path, sizeof(s->progress_path), &why) < 0 ||
	    progress_json_open(s->progress_path, &s->pg, time(NULL), s->note, sizeof(s->note),
			       &why) < 0) {
		snprintf(s->note, sizeof(s->note), "progress is not recorded this session: %s",
			 why.msg);
		progress_release(&s->pg);
		progress_init(&s->pg);
		return 0;
	}
	s->has_progress = true;
	return 0;
}

int session_screen(struct lesson_session *s, struct mp_err *err)
{
	return ui_term_open(
		&s->term, "the lesson screen needs a terminal ('mpscope lessons' lists them)", err);
}

void session_close(struct lesson_session *s)
{
	ui_term_close(s->term);
	s->term = NULL;
	progress_release(&s->pg);
	course_release(&s->course);
}

size_t session_next(const struct lesson_session *s, size_t i)
{
	for (size_t k = i + 1; k < s->course.count; k++)
		if (s->course.entries[k].is_loaded)
			return k;
	return SIZE_MAX;
}

/* ---- traces ---- */

/* The recorded traces of l, each named by its file. */
static int load_recorded(const struct lesson *l, struct trace *traces, char names[][NAME_LEN * 8],
			 struct mp_err *err)
{
	for (size_t k = 0; k < l->keys.count; k++) {
		if (!lesson_trace_path(l, k, paths_traces_dir(), names[k], NAME_LEN * 8))
			return mp_err_set(err, "%s: the path of its traces is too long", l->path);
		if (trace_json_load(names[k], &traces[k], err) < 0)
			return mp_err_prefix(err, "%s", l->path);
	}
	return 0;
}

static void release_traces(struct trace *traces, size_t count)
{
	for (size_t k = 0; k < count; k++) {
		trace_release(&traces[k]);
		trace_init(&traces[k]);
	}
}

static int bind(const struct lesson *l, struct trace *traces, char names[][NAME_LEN * 8],
		struct lesson_binding *b, struct mp_err *err)
{
	struct lesson_trace named[LESSON_MAX_KEYS];

	for (size_t k = 0; k < l->keys.count; k++)
		named[k] = (struct lesson_trace){ &traces[k], names[k] };
	return lesson_bind(b, l, named, err);
}

struct recording {
	struct lesson_session *s;
	char title[NAME_LEN * 2];
};

/* "Recording example.py on this machine: fork done, spawn…" */
static void show_progress(void *ctx, const struct lesson *l, size_t k)
{
	struct recording *r = ctx;
	char text[1024];
	size_t n;

	n = (size_t)snprintf(text, sizeof(text),
			     "Running example.py on this machine, under the tracer, once per "
			     "trace of the lesson (--offline shows the recorded ones):\n\n");
	for (size_t i = 0; i < l->keys.count && n < sizeof(text); i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "  %s  %s\n", l->keys.items[i],
				      i < k            ? "recorded"
					      : i == k ? "recording…"
						       : "");
	ui_notice(r->s->term, r->title, text);
}

/* Live traces bound in b, or the recorded ones with notice saying why.
 * source gets what they are. -1 when not even the recorded ones do. */
static int get_traces(struct lesson_session *s, const struct course_entry *e, struct trace *traces,
		      struct lesson_binding *b, char *source, size_t source_len, char *notice,
		      size_t notice_len, struct mp_err *err)
{
	const struct lesson *l = &e->lesson;
	static char names[LESSON_MAX_KEYS][NAME_LEN * 8];
	struct recording r = { .s = s };
	char version[64];
	struct mp_err why;

	notice[0] = '\0';
	if (!s->o.is_offline) {
		snprintf(r.title, sizeof(r.title), "mpscope · lesson %d · %s", l->number, l->title);
		if (lesson_live_record(l, e->dir, s->o.python, traces, version, sizeof(version),
				       s->term ? show_progress : NULL, &r, &why) == 0) {
			for (size_t k = 0; k < l->keys.count; k++)
				snprintf(names[k], sizeof(names[k]), "the live %s run",
					 l->keys.items[k]);
			if (bind(l, traces, names, b, &why) == 0) {
				snprintf(source, source_len, "live%s%s", version[0] ? " · " : "",
					 version[0] ? version : "");
				return 0;
			}
			/* The sentence starts with the lesson's file, which the
			 * student did not write: say where in it. */
			snprintf(notice, notice_len,
				 "the live runs do not fit the lesson (%s): showing the recorded "
				 "traces",
				 strncmp(why.msg, l->path, strlen(l->path)) == 0 &&
						 why.msg[strlen(l->path)] == ':'
					 ? why.msg + strlen(l->path) + 2
					 : why.msg);
		} else {
			snprintf(notice, notice_len, "%s: showing the recorded traces", why.msg);
		}
		release_traces(traces, l->keys.count);
	}
	if (s->term)
		ui_term_discard_keys(s->term);
	snprintf(source, source_len, "recorded");
	if (load_recorded(l, traces, names, err) < 0 || bind(l, traces, names, b, err) < 0)
		return -1;
	return 0;
}

/* ---- what the student does ---- */

struct answering {
	struct lesson_session *s;
	const char *folder;
};

static int save(struct lesson_session *s, struct mp_err *err)
{
	if (progress_json_save(s->progress_path, &s->pg, err) < 0)
		return mp_err_prefix(err, "your progress was not saved");
	return 0;
}

static int on_answer(void *ctx, size_t quiz, bool is_right, const char *answer, struct mp_err *err)
{
	struct answering *a = ctx;

	if (progress_answer(&a->s->pg, a->folder, quiz, is_right, answer, time(NULL), err) < 0)
		return -1;
	return save(a->s, err);
}

static int on_finish(void *ctx, struct mp_err *err)
{
	struct answering *a = ctx;

	if (progress_finish(&a->s->pg, a->folder, time(NULL), err) < 0)
		return -1;
	return save(a->s, err);
}

static void next_words(const struct lesson_session *s, size_t next, char *buf, size_t len)
{
	const struct course_entry *e = &s->course.entries[next];

	snprintf(buf, len, "lesson %d %s %s", e->number, "·", e->lesson.title);
}

int session_play(struct lesson_session *s, size_t i, enum ui_lesson_end *end, size_t *next,
		 struct mp_err *err)
{
	const struct course_entry *e = &s->course.entries[i];
	const struct lesson *l = &e->lesson;
	struct trace traces[LESSON_MAX_KEYS];
	struct lesson_binding b;
	struct answering a = { s, e->folder };
	struct ui_lesson_host host = { &a, on_answer, on_finish };
	char source[96], notice[2 * MP_ERR_MAX + 64], next_name[NAME_LEN * 2], both[5 * MP_ERR_MAX];
	struct ui_lesson_spec spec = { .lesson = l };
	int rc;

	*end = UI_LESSON_QUIT;
	*next = session_next(s, i);
	for (size_t k = 0; k < LESSON_MAX_KEYS; k++)
		trace_init(&traces[k]);
	lesson_binding_init(&b);
	rc = get_traces(s, e, traces, &b, source, sizeof(source), notice, sizeof(notice), err);
	if (rc == 0) {
		if (*next != SIZE_MAX)
			next_words(s, *next, next_name, sizeof(next_name));
		/* The progress note goes with the lesson's own when there is no
		 * menu to show it. */
		snprintf(both, sizeof(both), "%s%s%s", notice, notice[0] && s->note[0] ? " · " : "",
			 s->note);
		spec.binding = &b;
		spec.traces = traces;
		spec.source = source;
		spec.notice = both[0] ? both : NULL;
		spec.next = *next != SIZE_MAX ? next_name : NULL;
		spec.progress = s->has_progress ? &s->pg : NULL;
		spec.host = s->has_progress && !s->o.is_present ? &host : NULL;
		spec.flags = (s->o.is_present ? UI_LESSON_PRESENT : 0) |
			(s->o.is_still ? UI_LESSON_NO_ANIMATION : 0) |
			(s->o.is_menu ? UI_LESSON_FROM_MENU : 0);
		rc = ui_lesson(s->term, &spec, end, err);
	}
	lesson_binding_release(&b);
	for (size_t k = 0; k < LESSON_MAX_KEYS; k++)
		trace_release(&traces[k]);
	return rc;
}

int session_print(struct lesson_session *s, size_t i, const struct ui_lesson_frame_opts *fo,
		  struct sbuf *out, struct mp_err *err)
{
	const struct course_entry *e = &s->course.entries[i];
	struct trace traces[LESSON_MAX_KEYS];
	struct lesson_binding b;
	char source[32], notice[2 * MP_ERR_MAX + 64];
	struct ui_lesson_spec spec = { .lesson = &e->lesson };
	int rc;

	for (size_t k = 0; k < LESSON_MAX_KEYS; k++)
		trace_init(&traces[k]);
	lesson_binding_init(&b);
	/* A printed frame is the same wherever it is made. */
	s->o.is_offline = true;
	rc = get_traces(s, e, traces, &b, source, sizeof(source), notice, sizeof(notice), err);
	if (rc == 0) {
		size_t next = session_next(s, i);
		char next_name[NAME_LEN * 2];

		if (next != SIZE_MAX)
			next_words(s, next, next_name, sizeof(next_name));
		spec.binding = &b;
		spec.traces = traces;
		spec.source = source;
		spec.next = next != SIZE_MAX ? next_name : NULL;
		spec.flags = s->o.is_present ? UI_LESSON_PRESENT : 0;
		rc = ui_lesson_render(&spec, fo, out, err);
	}
	lesson_binding_release(&b);
	for (size_t k = 0; k < LESSON_MAX_KEYS; k++)
		trace_release(&traces[k]);
	return rc;
}

/*
 * internal.h - what the files of lesson/ share and nobody else sees: a
 * trace as the engine reads it (a scene), the value of a field in one
 * event, matching, and filling templates. Pure C: no I/O.
 */
#ifndef MP_LESSON_INTERNAL_H
#define MP_LESSON_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "common/err.h"
#include "common/sbuf.h"
#include "lesson/lesson.h"
#include "replay/story.h"
#include "trace/trace.h"

/* An output line is read ahead at most this far (bytes). */
#define SCENE_LINE_MAX 4096

/* One trace, read once for matching: its story (unfolded, no group
 * expanded), its symbolic pids, the modules of the program's own code
 * and where output lines begin. Borrows tr and name, which outlive it. */
struct lesson_scene {
	const struct trace *tr;
	const char *name; /* the trace file, for messages */
	struct story story;
	int main_pid; /* 0: the trace has no root */
	int *children; /* role child, in start order; owned */
	size_t child_count;
	/* __main__, __mp_main__ and the modules imported from the program's
	 * folder; owned array of borrowed strings. */
	const char **own;
	size_t own_count;
	bool *is_continued; /* per event: an output write that goes on a line; owned */
};

/* -1 with err on out-of-memory or a trace with no events. */
int scene_init(struct lesson_scene *sc, const struct trace *tr, const char *name,
	       struct mp_err *err);
void scene_release(struct lesson_scene *sc);
/* The pid a symbolic value names in this scene, 0 when none. */
int scene_pid(const struct lesson_scene *sc, const struct lesson_value *v);
/* True when module names the program's own code. */
bool scene_is_own(const struct lesson_scene *sc, const char *module);
/* Appends the line an output write begins: its text and the writes of the
 * same process and stream after it, up to the first newline (at most
 * SCENE_LINE_MAX bytes). */
void scene_line(const struct lesson_scene *sc, size_t i, struct sbuf *out);
/* The story step that tells event i, or holds it as state. */
size_t scene_step_of(const struct lesson_scene *sc, size_t i);

/* A field's value in one event. */
struct field_value {
	enum lesson_field_type type;
	const char *text; /* LFT_TEXT; LF_TEXT's line lives in the scratch buffer */
	size_t text_len;
	double number; /* LFT_NUMBER, LFT_PID */
	bool is_true; /* LFT_BOOL */
};
/* False when the event has no such field, or does not say it (a pickle of
 * no known type, a peer of pid 0). LF_GLOBAL has no single value. */
bool match_field(const struct lesson_scene *sc, size_t i, enum lesson_field f, struct sbuf *scratch,
		 struct field_value *out);

/* -1 with err when a symbolic pid of m names no process of the scene
 * ("to = \"third_child\", but traces/x.json has 2 child processes"). */
int match_check_pids(const struct lesson_scene *sc, const struct lesson_match *m,
		     struct mp_err *err);
/* True when event i is of m's kind and passes every matcher. */
bool match_event(const struct lesson_scene *sc, const struct lesson_match *m, size_t i,
		 struct sbuf *scratch);
/* The index of m's Nth event, or SIZE_MAX; *found counts the matches seen
 * (all of them when there is no Nth). */
size_t match_find(const struct lesson_scene *sc, const struct lesson_match *m, size_t *found);
/* The sentence for a match that found too little: "no pickle.dump with
 * what = \"process\" in NAME", or "only 1 event matches ... (nth is 2)".
 * Returns -1. */
int match_err(const struct lesson_scene *sc, const struct lesson_match *m, size_t found,
	      struct mp_err *err);
/* "pickle.dump with what = \"process\" and to = first_child". */
void match_describe(const struct lesson_match *m, struct sbuf *out);

/* Fills a template from event ev of the scene (SIZE_MAX: none, then
 * `no_event` says why, for the message) and, in an explain, answer. -1
 * with err: "{size} cannot be filled: ...". */
int say_fill(const struct lesson_scene *sc, size_t ev, const char *text, const char *answer,
	     const char *no_event, struct sbuf *out, struct mp_err *err);
/* A number as a student reads it: "344", "2.5". */
void say_number(double v, struct sbuf *out);

/* A quiz's answer as one trace computes it. */
struct quiz_result {
	size_t ev; /* the match the quiz's texts are filled from; SIZE_MAX: none */
	bool is_number;
	double number;
	struct sbuf text; /* the answer as words, when it is not a number */
};
/* Computes q's answer in the scene (a fixed choice computes nothing).
 * -1 with err, and *where set to the part of the answer at fault
 * ("answer.of", "answer.value", "answer.text"). r->text is the caller's
 * to release, also on failure. */
int quiz_compute(const struct lesson_scene *sc, const struct lesson_quiz *q, struct quiz_result *r,
		 const char **where, struct mp_err *err);

#endif

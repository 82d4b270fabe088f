/*
 * ui.h - what the rest of mpscope asks of the screen: show traces, show
 * the lesson menu and play lessons on the replay screen, or render frames
 * of them as text without a terminal.
 *
 * Callers load and validate the traces first, so that a bad file is
 * reported before the terminal is touched. The live run verb calls
 * ui_replay() after the run, with the traces it recorded (docs/screen.md).
 * The lesson verbs open the terminal once (ui_term_open) and show the
 * menu, a page while they record, and lessons in it; what a lesson
 * records (answers, done) goes back to them through struct
 * ui_lesson_host, since ui/ does no I/O of its own.
 */
#ifndef MP_UI_H
#define MP_UI_H

#include <stdbool.h>
#include <stddef.h>

#include "common/err.h"
#include "common/sbuf.h"
#include "lesson/bind.h"
#include "lesson/course.h"
#include "lesson/lesson.h"
#include "lesson/progress.h"
#include "trace/trace.h"

enum ui_replay_flags {
	/* Steps change at once: no payload travelling, no descriptor column
	 * filling (also MPSCOPE_NO_ANIMATION=1 in the environment). */
	UI_NO_ANIMATION = 1 << 0,
};

/* What the replay screen's `e` key needs from its caller, who knows the
 * export formats and writes the file (ui/ does neither). */
struct ui_exporter {
	void *ctx;
	const char *const *formats; /* the names offered, in this order */
	size_t format_count;
	/* Writes traces [first, first + count) of those given to ui_replay in
	 * formats[format]; fills said with one line saying where it went.
	 * -1 with err (said is then untouched). */
	int (*write)(void *ctx, size_t format, size_t first, size_t count, char *said,
		     size_t said_len, struct mp_err *err);
};

/* Animates count finished traces (two or more open compare mode, with the
 * bookkeeping steps folded) until the user quits. Installs signal handlers
 * that restore the terminal on Ctrl-C, SIGTERM and fatal signals, then
 * re-raise. title may be NULL (the program's name is shown); flags are
 * ui_replay_flags; exporter (NULL: `e` says the screen cannot export) is
 * borrowed for the call. Returns 0, or -1 with err when there is no
 * usable terminal or memory runs out; the terminal is restored either
 * way. */
int ui_replay(const struct trace *traces, size_t count, const char *title, unsigned flags,
	      const struct ui_exporter *exporter, struct mp_err *err);

/* A frame as text, for golden tests and `mpscope replay --print`. */
struct ui_frame_opts {
	int cols, rows;
	size_t step; /* 0-based story step of the shown trace */
	const char *
		keys; /* keys pressed after seeking, as ASCII ('\t' Tab, '\n' Enter); may be NULL */
	bool is_ascii; /* render as a terminal without UTF-8 would show it */
};
int ui_render_frame(const struct trace *traces, size_t count, const struct ui_frame_opts *o,
		    struct sbuf *out, struct mp_err *err);

/* Headless timing of the draw path: builds the replay, draws the first
 * frame, then steps through `frames` steps drawing each. Times are wall
 * milliseconds (CLOCK_MONOTONIC). */
struct ui_bench {
	double first_frame_ms; /* replay built + first frame drawn */
	double frame_avg_ms;
	double frame_p99_ms;
	double frame_max_ms;
	size_t frames;
	size_t steps;
};
int ui_bench_frames(const struct trace *tr, int cols, int rows, size_t frames, struct ui_bench *out,
		    struct mp_err *err);

/* ---- a session of several screens: the lesson menu and its lessons ---- */

/* The terminal while the screen is up. */
struct ui_term;
/* Sets the terminal up: handlers that restore it on q, Ctrl-C, SIGTERM,
 * SIGHUP and fatal signals first, then the screen. -1 with err: no_tty
 * (the caller's sentence) when stdin or stdout is not a terminal, or the
 * terminal cannot be used. */
int ui_term_open(struct ui_term **out, const char *no_tty, struct mp_err *err);
/* Restores the terminal; NULL does nothing. */
void ui_term_close(struct ui_term *t);
/* Throws away keys typed while nothing was reading them (a recording). */
void ui_term_discard_keys(struct ui_term *t);
/* A page with a title and a few lines, drawn at once (no key is read):
 * what the caller is doing, such as recording a lesson live. */
void ui_notice(struct ui_term *t, const char *title, const char *text);
/* False when flags hold UI_NO_ANIMATION or MPSCOPE_NO_ANIMATION=1. */
bool ui_wants_animation(unsigned flags);

/* The lesson menu: every lesson of c, its progress from pg (NULL: not
 * shown), a broken one with its problem. The cursor starts at *cursor.
 * Returns 1 with *cursor the lesson the student opens, 0 when they quit,
 * -1 with err. note, when not NULL or "", is one sentence shown at the
 * top (a progress file moved aside, progress not recorded). */
int ui_menu(struct ui_term *t, const struct course *c, const struct progress *pg, const char *note,
	    size_t *cursor, struct mp_err *err);

/* The menu as text, for golden frames and `mpscope lessons --print`: the
 * cursor at cursor, then o->keys pressed (j k move; o->step unused). */
int ui_menu_render(const struct course *c, const struct progress *pg, const char *note,
		   size_t cursor, const struct ui_frame_opts *o, struct sbuf *out,
		   struct mp_err *err);

enum ui_lesson_flags {
	UI_LESSON_PRESENT = 1 << 0, /* classroom mode: large story, paced, answers revealed */
	UI_LESSON_NO_ANIMATION = 1 << 1, /* steps change at once (also MPSCOPE_NO_ANIMATION=1) */
	UI_LESSON_FROM_MENU = 1 << 2, /* q goes back to the menu rather than quitting */
};

enum ui_lesson_end {
	UI_LESSON_QUIT, /* q, or the terminal went away */
	UI_LESSON_NEXT, /* the student asked for the next lesson */
};

/* What the player hands back as it happens, so that nothing is lost if
 * the session ends abruptly: each answer, then the lesson done. Each
 * returns 0, or -1 with err (shown on the screen; the lesson goes on). */
struct ui_lesson_host {
	void *ctx;
	int (*answer)(void *ctx, size_t quiz, bool is_right, const char *answer,
		      struct mp_err *err);
	int (*finish)(void *ctx, struct mp_err *err);
};

/* A lesson to play. Everything is borrowed for the call. */
struct ui_lesson_spec {
	const struct lesson *lesson;
	const struct lesson_binding *binding; /* the lesson bound to traces */
	const struct trace *traces; /* lesson->keys.count finished traces, in key order */
	const char *source; /* what the traces are, for the bar: "recorded", "live" */
	const char *notice; /* one sentence shown until the first key, or NULL */
	const char *next; /* "lesson 2 · Functions travel by name", NULL after the last */
	const struct progress *progress; /* the student's, for the summary; may be NULL */
	const struct ui_lesson_host *host; /* NULL: answers are not recorded */
	unsigned flags; /* ui_lesson_flags */
};

/* Plays the lesson until the student quits or asks for the next one
 * (*end). Returns 0, or -1 with err when memory runs out. */
int ui_lesson(struct ui_term *t, const struct ui_lesson_spec *spec, enum ui_lesson_end *end,
	      struct mp_err *err);

/* A frame of the lesson player as text, at rest, for golden frames and
 * `mpscope lesson --print`: lesson step `step` (0-based), then keys
 * pressed (ASCII as in ui_frame_opts, '<' '>' for the arrows, '\n' Enter,
 * '\b' Backspace, '\x1b' Esc). Nothing is recorded. */
struct ui_lesson_frame_opts {
	int cols, rows;
	size_t step;
	const char *keys;
	bool is_ascii;
};
int ui_lesson_render(const struct ui_lesson_spec *spec, const struct ui_lesson_frame_opts *o,
		     struct sbuf *out, struct mp_err *err);

#endif

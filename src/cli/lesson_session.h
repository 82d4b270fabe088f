/*
 * lesson_session.h - lessons on the screen, for `mpscope` (the menu) and
 * `mpscope lesson N` (one lesson): the course and the student's progress
 * loaded once, the terminal opened once, and each lesson opened on live
 * traces (recorded now) or the recorded ones, then played until the
 * student quits or asks for the next one. Answers and the lesson done are
 * saved at once (progress_json_save, atomic).
 */
#ifndef MP_CLI_LESSON_SESSION_H
#define MP_CLI_LESSON_SESSION_H

#include <stdbool.h>
#include <stddef.h>

#include "common/err.h"
#include "lesson/course.h"
#include "lesson/progress.h"
#include "ui/ui.h"

#define SESSION_PATH_LEN 4096

struct lesson_opts {
	bool is_offline; /* the recorded traces, never a live run */
	bool is_present; /* classroom mode: nothing recorded */
	bool is_still; /* --no-animation */
	const char *python; /* --python: the interpreter of method keys, or NULL */
	bool is_menu; /* lessons are opened from the menu: q goes back to it */
	bool is_print; /* a frame as text: the recorded traces, no progress */
};

struct lesson_session {
	struct course course;
	struct progress pg;
	bool has_progress; /* pg is the student's and answers are saved to it */
	char progress_path[SESSION_PATH_LEN];
	/* One sentence about progress for the screen (moved aside, not
	 * recorded this session), or "". */
	char note[2 * MP_ERR_MAX];
	struct ui_term *term; /* NULL until the screen is up */
	struct lesson_opts o;
};

/* Loads the course (paths_lessons_dir) and, unless in classroom mode or
 * printing a frame, the progress. -1 with err when the course cannot be read or is empty;
 * progress that cannot be read only leaves a note. */
int session_open(struct lesson_session *s, const struct lesson_opts *o, struct mp_err *err);
/* Opens the terminal (the lesson screen needs one). */
int session_screen(struct lesson_session *s, struct mp_err *err);
void session_close(struct lesson_session *s);

/* Plays lesson i (a loaded entry) from its first step. 0 with *end, or
 * -1 with err when not even its recorded traces can be shown. *next is
 * the entry of the next loaded lesson, SIZE_MAX after the last. */
int session_play(struct lesson_session *s, size_t i, enum ui_lesson_end *end, size_t *next,
		 struct mp_err *err);

/* The entry of the next loaded lesson after i, or SIZE_MAX. */
size_t session_next(const struct lesson_session *s, size_t i);

/* Loads and binds lesson i to its recorded traces, for a frame printed
 * without a terminal (`mpscope lesson N --print`). */
int session_print(struct lesson_session *s, size_t i, const struct ui_lesson_frame_opts *fo,
		  struct sbuf *out, struct mp_err *err);

#endif

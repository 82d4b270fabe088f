/*
 * progress.h - what a student has done (docs/lessons.md, "Progress"): per
 * lesson, by its folder name, whether it is done and when, and the latest
 * answer to each quiz; the score shown beside a lesson.
 *
 * The model only: json/progress_json.h reads and writes progress.json.
 * Pure C: no I/O (times are given, not read from a clock).
 *
 * Ownership: a struct progress owns its entries and every string in them
 * (malloc); progress_release() frees them.
 */
#ifndef MP_LESSON_PROGRESS_H
#define MP_LESSON_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "common/err.h"
#include "common/sbuf.h"

/* "2026-12-06T10:00:00Z" and its NUL. */
#define PROGRESS_TIME_LEN 21

struct progress_answer {
	bool is_answered; /* false: never answered (null in the file) */
	bool is_right;
	char *answer; /* as the student gave it: "963", a choice's text */
	char *at; /* when, as progress_time writes it */
};

struct progress_lesson {
	char *folder; /* "01-what-gets-pickled" */
	bool is_done;
	char *finished_at; /* NULL until done */
	struct progress_answer *quiz; /* [i]: the latest answer to quiz i */
	size_t quiz_count;
};

struct progress {
	struct progress_lesson *lessons;
	size_t lesson_count;
};

void progress_init(struct progress *pg);
void progress_release(struct progress *pg);

/* The lesson's entry, or NULL when the student never answered or
 * finished anything in it. */
struct progress_lesson *progress_find(const struct progress *pg, const char *folder);
/* The lesson's entry, added when missing. NULL with err on out-of-memory. */
struct progress_lesson *progress_get(struct progress *pg, const char *folder, struct mp_err *err);
/* Records the latest answer to quiz i (quizzes before it that have no
 * answer stay unanswered); at is a time as progress_time writes it. */
int progress_set_answer(struct progress_lesson *pl, size_t quiz, bool is_right, const char *answer,
			const char *at, struct mp_err *err);
/* Marks the lesson done, finished at `at`. */
int progress_set_done(struct progress_lesson *pl, const char *at, struct mp_err *err);

/* The same, by folder name and at the given time (what the screen calls). */
int progress_answer(struct progress *pg, const char *folder, size_t quiz, bool is_right,
		    const char *answer, time_t now, struct mp_err *err);
int progress_finish(struct progress *pg, const char *folder, time_t now, struct mp_err *err);
/* Writes t as UTC, "2026-12-06T10:00:00Z". */
void progress_time(time_t t, char buf[PROGRESS_TIME_LEN]);

struct progress_score {
	size_t right;
	size_t wrong;
	size_t unanswered;
};
/* The score over a lesson's quiz_count quizzes (answers recorded for
 * quizzes the lesson no longer has do not count). */
struct progress_score progress_score(const struct progress *pg, const char *folder,
				     size_t quiz_count);
/* Appends the student's progress in words: "not started", "started",
 * "started, quiz 1/3 right", "done", "done, quiz 2/2 right". */
void progress_describe(const struct progress *pg, const char *folder, size_t quiz_count,
		       struct sbuf *out);

#endif

/*
 * course.h - the lessons of a course, as found by folder
 * (lessons/NN-slug/lesson.json): each one loaded, or kept with the one
 * sentence that says why it is not, so a broken lesson never hides the
 * others; finding the lesson a student names; the course's own rules
 * (every claim proved, no two lessons with one number).
 *
 * The model only: json/lesson_json.h lists the folders and reads the
 * files. Pure C: no I/O.
 *
 * Ownership: a struct course owns its entries, their strings and their
 * lessons; course_release() frees them all.
 */
#ifndef MP_LESSON_COURSE_H
#define MP_LESSON_COURSE_H

#include <stdbool.h>
#include <stddef.h>

#include "common/err.h"
#include "lesson/lesson.h"

struct course_entry {
	char *folder; /* "01-what-gets-pickled" */
	char *dir; /* the folder as found: "lessons/01-what-gets-pickled" */
	int number; /* NN */
	bool is_loaded; /* lesson holds it; else problem says why not */
	struct lesson lesson;
	char problem[MP_ERR_MAX];
};

struct course {
	struct course_entry *entries; /* in folder order after course_sort */
	size_t count;
};

void course_init(struct course *c);
void course_release(struct course *c);

/* Adds an entry, not loaded, with an initialised lesson and no problem.
 * The pointer is valid until the next course_add or course_sort. NULL
 * with err on out-of-memory. */
struct course_entry *course_add(struct course *c, const char *dir, const char *folder, int number,
				struct mp_err *err);
/* Orders the entries by folder name, hence by number. */
void course_sort(struct course *c);
/* The entry a student names: its number ("3", "03"), its folder
 * ("03-forkserver") or its slug ("forkserver"). NULL when none does. */
const struct course_entry *course_find(const struct course *c, const char *name);
/* The course's rules: no two lessons share a number, and every claim is
 * proved by some loaded lesson. -1 with err naming the first that fails
 * ("no lesson proves \"rebind-main\": rebinding __main__.f changes what
 * is unpickled"). */
int course_check(const struct course *c, struct mp_err *err);

#endif

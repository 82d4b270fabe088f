/*
 * lesson_json.h - lesson.json (docs/lessons.md) read into the lesson
 * model, strictly: a broken lesson file - bad JSON, a field of the wrong
 * type, an unknown field (a typo), an event kind or a field no trace has,
 * a placeholder that does not exist - is refused with one sentence naming
 * the file, the place and the problem:
 *   lessons/01-x/lesson.json: steps[2].at.kind: "pickle.dumps" is not an event kind (...)
 * Also the lessons of a course, found by folder. Whether a lesson tells
 * its traces is lesson/bind.h's lesson_check. json/ -> lesson/; never prints.
 */
#ifndef MP_JSON_LESSON_JSON_H
#define MP_JSON_LESSON_JSON_H

#include <stddef.h>

#include "common/err.h"
#include "lesson/course.h"
#include "lesson/lesson.h"

/* A lesson.json is a page of text; anything larger is not one. */
#define LESSON_FILE_MAX (1024 * 1024)

/* Reads DIR/lesson.json into l (initialised by the caller with
 * lesson_init); DIR's last part is the lesson's folder, NN-slug. On
 * failure l is left empty (still to be released) and err holds the
 * sentence. */
int lesson_json_load_dir(const char *dir, struct lesson *l, struct mp_err *err);
/* The same over text: name is the file as messages name it (it becomes
 * l->path), folder the name of the folder it is in. */
int lesson_json_load_buffer(const char *name, const char *folder, const char *buf, size_t len,
			    struct lesson *l, struct mp_err *err);

/* Lists the lessons under lessons_dir: every folder named NN-slug that
 * holds a lesson.json, in folder order, each loaded or kept with its
 * problem (course.h). Other files and folders are not lessons and are
 * skipped. c is initialised by the caller. -1 with err only when
 * lessons_dir cannot be read (or out of memory). */
int lesson_json_load_course(const char *lessons_dir, struct course *c, struct mp_err *err);

#endif

/*
 * lesson_read.h - what the two halves of the lesson.json reader share:
 * lesson_json.c reads the document, its steps and quizzes; lesson_match_
 * json.c reads triggers ("at", an answer's "of") and answers. Internal to
 * json/.
 */
#ifndef MP_JSON_LESSON_READ_H
#define MP_JSON_LESSON_READ_H

#include <stddef.h>

#include "json/read.h"
#include "lesson/lesson.h"
#include "trace/trace.h"

struct cJSON;

/* One reading of a lesson.json. fields_read copies strings into a trace's
 * arena, so the reader keeps a trace for its arena alone; the lesson takes
 * that arena over once the file is read. */
struct lesson_reader {
	struct trace store;
	struct lesson *l;
	struct mp_err *err;
};

/* count * size zeroed bytes in the store; NULL with err set on failure. */
void *reader_alloc(struct lesson_reader *rd, size_t count, size_t size);
/* A copy of s in the store; NULL with err set on failure. */
const char *reader_strdup(struct lesson_reader *rd, const char *s);
/* Refuses a member of obj that is not in names (NULL-ended), or one named
 * twice: "\"sya\" is not a field of a step (trace, at, say)". */
int reader_known_members(struct lesson_reader *rd, const struct cJSON *obj, const struct place *at,
			 const char *what, const char *const *names);
/* Checks a template (lesson_text_check) and names its place. */
int reader_text(struct lesson_reader *rd, const char *text, enum lesson_text_use use,
		const struct place *at);

/* An event to match: {"kind": ..., matchers..., "nth": N}. */
int read_match(struct lesson_reader *rd, const struct cJSON *v, const struct place *at,
	       struct lesson_match *m);
/* A step's "at": "start", "end" or a match. */
int read_at(struct lesson_reader *rd, const struct cJSON *v, const struct place *at,
	    struct lesson_step *s);
/* A quiz's "answer"; q->choices is read already. */
int read_answer(struct lesson_reader *rd, const struct cJSON *v, const struct place *at,
		struct lesson_quiz *q);

#endif

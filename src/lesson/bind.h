/*
 * bind.h - a lesson tied to its traces: each step to the event it pauses
 * on and the story step that tells it, every text filled, every quiz's
 * answer computed from a trace; then a student's answer judged.
 * lesson_check is the same binding done for `mpscope lesson --check`.
 *
 * Sits above the replay (trace/ -> replay/ -> lesson/ -> ui/): the screen
 * binds a lesson to the traces it shows, then seeks its replays to the
 * bound steps. Pure C: no I/O, no ncurses.
 */
#ifndef MP_LESSON_BIND_H
#define MP_LESSON_BIND_H

#include <stdbool.h>
#include <stddef.h>

#include "common/arena.h"
#include "common/err.h"
#include "lesson/lesson.h"
#include "trace/trace.h"

/* The trace of one key. */
struct lesson_trace {
	const struct trace *tr; /* finished (trace_finish); borrowed */
	const char *name; /* its file as messages name it: "traces/01-x.spawn.json" */
};

struct lesson_bound_step {
	size_t key; /* the trace it is shown in: index into lesson.keys */
	size_t ev; /* the event it pauses on: index into that trace's events */
	/* The step of the unfolded story (story_build: not folded, no group
	 * expanded) that tells ev, or whose state first holds it (a
	 * descriptor table, a thread count). A screen that folds its story
	 * finds its own step with story_step_of_event(story, ev). */
	size_t story_step;
	const char *say; /* filled */
};

/* What the student gives to answer. */
enum lesson_reply {
	LESSON_REPLY_CHOICE, /* picks one of the choices */
	LESSON_REPLY_NUMBER, /* types a number */
	LESSON_REPLY_TEXT, /* types a word (a value that is text, asked without choices) */
};

struct lesson_bound_quiz {
	size_t key; /* the trace that computed the answer */
	const char *ask; /* filled */
	const char *const *choices; /* filled; choice_count of them */
	size_t choice_count;
	enum lesson_reply reply;
	size_t right_choice; /* LESSON_REPLY_CHOICE */
	double number; /* LESSON_REPLY_NUMBER */
	double tolerance; /* LESSON_REPLY_NUMBER: 0 = exactly */
	const char *answer; /* the right answer in words ("963", "__main__.f"): {answer} */
	const char *explain; /* filled, {answer} included */
};

/* A lesson bound to traces. It owns an arena holding every filled text;
 * it borrows nothing from the lesson or the traces once bound. */
struct lesson_binding {
	struct arena arena;
	struct lesson_bound_step *steps; /* one per lesson step, same order */
	size_t step_count;
	struct lesson_bound_quiz *quizzes; /* one per lesson quiz, same order */
	size_t quiz_count;
};

void lesson_binding_init(struct lesson_binding *b);
void lesson_binding_release(struct lesson_binding *b);

/* Binds every step and quiz of l to traces, which holds l->keys.count
 * entries in key order. On failure -1, b is left empty and err names the
 * first problem in one sentence, starting with l->path:
 *   lessons/01-x/lesson.json: steps[3].at: no pickle.dump with what =
 *   "process" in traces/01-x.fork.json */
int lesson_bind(struct lesson_binding *b, const struct lesson *l, const struct lesson_trace *traces,
		struct mp_err *err);
/* lesson_bind, keeping nothing: 0 when the lesson tells its traces. */
int lesson_check(const struct lesson *l, const struct lesson_trace *traces, struct mp_err *err);

enum lesson_verdict {
	LESSON_WRONG,
	LESSON_RIGHT,
	LESSON_UNREADABLE, /* not a number, a choice out of range, or the wrong kind of reply */
};
/* A typed reply (LESSON_REPLY_NUMBER or _TEXT), spaces around it ignored:
 * a number is right when it is the answer (within the quiz's tolerance),
 * a text when it is the answer exactly. */
enum lesson_verdict lesson_judge(const struct lesson_bound_quiz *q, const char *typed);
/* A picked choice (LESSON_REPLY_CHOICE), 0-based. */
enum lesson_verdict lesson_judge_choice(const struct lesson_bound_quiz *q, size_t choice);

#endif

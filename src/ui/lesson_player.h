/*
 * lesson_player.h - the lesson player: a lesson bound to its traces,
 * shown on the replay screen (docs/screen.md, "Lessons"). The replay app
 * draws the story, framed; around it the player draws the lesson bar, the
 * step's words or the open quiz, and its own key bar. It pauses at each
 * lesson step, plays the story from one pause to the next, asks quizzes
 * when the student leaves a step going forward, and ends on a summary.
 *
 * Internal to ui/: lesson_player.c (state, moves), lesson_keys.c (the
 * key table), quiz.c (questions, answers, feedback), lesson_view.c
 * (drawing). Like the
 * replay app, keys and ticks change the state, lp_settle() fits it to the
 * screen, lp_draw() only reads it; nothing here talks to the terminal.
 */
#ifndef MP_UI_LESSON_PLAYER_H
#define MP_UI_LESSON_PLAYER_H

#include <stdbool.h>
#include <stddef.h>

#include "lesson/bind.h"
#include "lesson/lesson.h"
#include "ui/app.h"
#include "ui/ui.h"

/* A move between two pauses plays at most this many story steps (the
 * ones just before the pause); a longer way starts nearer. */
#define LP_TRAVEL_MAX 12
/* Bytes a typed answer may have. */
#define LP_TYPED_MAX 32

enum lp_phase {
	LP_STEP, /* at a lesson step, or on the way to it */
	LP_QUIZ, /* a question is open */
	LP_FEEDBACK, /* the answer judged (classroom: revealed) */
	LP_SEE, /* showing the step a wrong answer points to */
	LP_SUMMARY, /* the lesson is over */
};

struct lp_answer {
	bool is_answered;
	bool is_right;
};

struct lesson_player {
	struct ui_app app; /* the replay screen, framed: one replay per key */
	struct replay *replays; /* owned */
	size_t replay_count;
	struct ui_lesson_spec spec; /* its pointers are borrowed */
	const struct lesson *l;
	const struct lesson_binding *b;
	bool is_present; /* classroom mode */
	bool is_from_menu;
	enum lp_phase phase;
	size_t step; /* the lesson step shown (0-based) */
	/* On the way to a pause: one story step per beat (REPLAY_BEAT_MS
	 * divided by the replay's speed). */
	bool is_travelling;
	bool is_held; /* classroom: space holds the way, space again goes on */
	size_t travel_to; /* the pause, a story step of the shown replay */
	double travel_ms; /* since the last story step */
	/* An output step's line to bring into the narration panel at the
	 * next settle (the panel's width decides the scroll). */
	bool has_find;
	char find[128];
	/* The open quiz. */
	size_t quiz;
	size_t choice; /* the cursor among its choices */
	char typed[LP_TYPED_MAX + 1];
	size_t typed_len;
	enum lesson_verdict verdict;
	char given[256]; /* the answer as the student gave it */
	bool *is_asked; /* per quiz: answered (or revealed) this session; owned */
	struct lp_answer *answers; /* per quiz, this session; owned */
	size_t see_from; /* the step to come back to from LP_SEE */
	char jump[4]; /* classroom: the step number typed so far */
	size_t jump_len;
	bool show_help;
	bool show_notice; /* spec.notice, until the first key */
	bool is_finished; /* the host was told the lesson is done */
	struct mp_err err; /* shown once in the bar (an answer not saved...) */
	bool has_err;
	enum ui_lesson_end end;
};

/* Builds the player at the first step (on its way there when it moves).
 * is_animated: transitions and the student's moves between pauses play;
 * classroom mode always paces its way. -1 with err on out-of-memory. */
int lp_init(struct lesson_player *p, const struct ui_lesson_spec *spec, bool is_animated,
	    struct mp_err *err);
void lp_release(struct lesson_player *p);

void lp_settle(struct lesson_player *p, int cols, int rows);
void lp_draw(struct canvas *cv, const struct lesson_player *p);
unsigned lp_key(struct lesson_player *p, int key);
unsigned lp_tick(struct lesson_player *p, double elapsed_ms);
unsigned lp_click(struct lesson_player *p, int cols, int rows, int x, int y);
bool lp_is_moving(const struct lesson_player *p);

/* ---- shared inside the player ---- */

/* Shows lesson step i: switches trace when its key differs, opens the
 * group its event is in, and either plays the story there (is_travel,
 * when moving forward and allowed) or goes at once. */
void lp_go(struct lesson_player *p, size_t i, bool is_travel);
/* Ends the way at once: the pause shown at rest. */
void lp_arrive(struct lesson_player *p);
/* The first quiz asked after the current step not yet answered this
 * session, or SIZE_MAX. */
size_t lp_next_quiz(const struct lesson_player *p);
/* Leaves the current step going forward: its next quiz, else the next
 * step, else the summary. */
void lp_forward(struct lesson_player *p);
/* Hands a key to the replay screen, to look around (the way ends first). */
unsigned lp_look(struct lesson_player *p, int key);
/* Changes the pace between pauses (the speed of every replay). */
void lp_change_speed(struct lesson_player *p, int delta);
/* Remembers a sentence for the bar. */
void lp_fail(struct lesson_player *p, const struct mp_err *err);

/* quiz.c */
void lp_quiz_open(struct lesson_player *p, size_t q);
/* Keys while a quiz, its feedback or the step it points to is shown. */
unsigned lp_quiz_key(struct lesson_player *p, int key);
/* Rows the quiz panel's text takes at width w; draws it inside r. */
int lp_quiz_rows(const struct lesson_player *p, int w);
void lp_quiz_draw(struct canvas *cv, const struct lesson_player *p, struct rect r);

/* lesson_view.c: text laid out down a rectangle, line after line; with
 * cv NULL it only counts the rows (to size a panel before drawing it). */
struct lp_pen {
	struct canvas *cv;
	struct rect r;
	int y; /* rows used so far */
};
/* Wraps text indent columns in, after prefix (drawn in indent columns on
 * its first line, may be NULL). */
void lp_put(struct lp_pen *pen, int indent, const char *prefix, enum style prefix_st, enum style st,
	    const char *text);

/* lesson_view.c: where each part goes. */
struct lp_layout {
	struct rect bar, notice, panel, body, keys;
};
struct lp_layout lp_layout(const struct lesson_player *p, int cols, int rows);

/* The lesson keys (for help and the key bar): label and what it does. */
struct lp_key_help {
	const char *label;
	const char *what;
};
size_t lp_key_help(const struct lesson_player *p, struct lp_key_help *rows, size_t max);

#endif

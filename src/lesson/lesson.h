/*
 * lesson.h - a lesson (docs/lessons.md): its words, the claims it proves,
 * the traces it is told over (one per key), its steps - a trigger and what
 * to say there - and its quizzes; the claims table; the fields a trigger
 * matches and a text names ({size}).
 *
 * The model feeds the screen from the side, as json/ does the trace:
 * json/lesson_json.h reads lesson.json into it, lesson/bind.h ties it to
 * traces. Pure C: no I/O, no cJSON, no ncurses.
 *
 * Ownership: a struct lesson owns one arena; every string and array it
 * points to lives there (or in static storage), and lesson_release()
 * frees it all at once.
 */
#ifndef MP_LESSON_H
#define MP_LESSON_H

#include <stdbool.h>
#include <stddef.h>

#include "common/arena.h"
#include "common/err.h"
#include "trace/trace.h"

#define LESSON_VERSION 1
/* Limits a lesson.json is held to (the reader refuses more). */
#define LESSON_MAX_KEYS 8
#define LESSON_MIN_CHOICES 2
#define LESSON_MAX_CHOICES 6

/* ---- claims: what the course proves (the ten of issue 14) ---- */

enum lesson_claim {
	CLAIM_FORK_COPIES,
	CLAIM_SPAWN_PICKLES,
	CLAIM_CALLEE_NOT_PICKLED,
	CLAIM_BY_REFERENCE,
	CLAIM_REIMPORT_MAIN,
	CLAIM_GET_CONTEXT,
	CLAIM_FDS_INHERIT,
	CLAIM_FORKSERVER_SINGLE_THREAD,
	CLAIM_REBIND_MAIN,
	CLAIM_FDS_OVER_SOCKET,
	CLAIM_COUNT
};

/* "fork-copies"; NULL out of range. */
const char *lesson_claim_id(enum lesson_claim c);
/* The claim as one sentence for a student; NULL out of range. */
const char *lesson_claim_sentence(enum lesson_claim c);
/* The claim an id names, or -1. */
int lesson_claim_from_id(const char *id);

/* ---- fields: what a trigger matches and a text names ---- */

/* An event's own fields (size, what, to...) and the derived ones of the
 * contract (role, child_role, to_role, from_role, proc_method, own, text,
 * global). Every field but `global` is also a placeholder ({size}). */
enum lesson_field {
	LF_PID,
	LF_ROLE,
	LF_PROC_METHOD,
	LF_CHILD,
	LF_CHILD_ROLE,
	LF_VIA,
	LF_PATH,
	LF_CODE,
	LF_SIGNAL,
	LF_AT,
	LF_COUNT,
	LF_RSS,
	LF_SHARED,
	LF_METHOD,
	LF_EXPLICIT,
	LF_MODULE,
	LF_FILE,
	LF_BY,
	LF_NAME,
	LF_SIZE,
	LF_WHAT,
	LF_TYPE,
	LF_TO,
	LF_TO_ROLE,
	LF_FROM,
	LF_FROM_ROLE,
	LF_TRUNCATED,
	LF_REDACTED,
	LF_ERROR,
	LF_GLOBAL,
	LF_OWN,
	LF_STREAM,
	LF_TEXT,
	LF_MESSAGE,
	LF_SOCKET,
	LF_FD,
	LF_TARGET,
	LF_PEER,
	LESSON_FIELD_COUNT
};

enum lesson_field_type {
	LFT_TEXT, /* a string; compared whole (text: a substring of the line) */
	LFT_NUMBER, /* an integer of the trace (size, count, code...) */
	LFT_PID, /* a process: a number, or "main", "first_child"... */
	LFT_BOOL,
};

const char *lesson_field_name(enum lesson_field f);
/* The field a name spells, or -1. */
int lesson_field_from_name(const char *name);
enum lesson_field_type lesson_field_type(enum lesson_field f);
/* True when events of this kind have the field. */
bool lesson_field_applies(enum lesson_field f, enum ev_kind kind);
/* Writes the names of the fields of a kind, "pid, role, ..., size", into
 * buf (always NUL-terminated), for messages. */
void lesson_field_list(enum ev_kind kind, char *buf, size_t len);
/* A text field whose values are a fixed set of words for this kind (role,
 * via, what, stream, at, method...): true when word is one of them, else
 * false with the words, "main, child, ...", in buf. Fields with free text
 * always pass. */
bool lesson_field_word_ok(enum lesson_field f, enum ev_kind kind, const char *word, char *buf,
			  size_t len);

/* ---- triggers ---- */

enum lesson_value_kind {
	LV_TEXT,
	LV_NUMBER,
	LV_BOOL,
	LV_MAIN, /* the symbolic pid "main": the root process */
	LV_CHILD, /* "first_child", "second_child", ...: child n, in start order */
};

struct lesson_value {
	enum lesson_value_kind kind;
	const char *text; /* LV_TEXT */
	double number; /* LV_NUMBER */
	bool is_true; /* LV_BOOL */
	size_t child; /* LV_CHILD: 1 for "first_child" */
};

/* Reads a symbolic pid ("main", "first_child" ... "twelfth_child") into
 * out; false when s is none of them. */
bool lesson_pid_symbol(const char *s, struct lesson_value *out);
/* The spelling of an LV_MAIN or LV_CHILD value; NULL for others. */
const char *lesson_pid_symbol_name(const struct lesson_value *v);

/* One matcher: the field equals one of the values (text: contains it). */
struct lesson_matcher {
	enum lesson_field field;
	const struct lesson_value *values;
	size_t value_count; /* at least 1 */
};

/* The Nth event of a kind that passes every matcher, in time order. */
struct lesson_match {
	enum ev_kind kind;
	const struct lesson_matcher *matchers;
	size_t matcher_count;
	size_t nth; /* from 1 */
	bool has_nth; /* nth was written (a count or sum refuses it) */
};

enum lesson_at {
	LESSON_AT_EVENT, /* the match's event */
	LESSON_AT_START, /* the story's first step */
	LESSON_AT_END, /* the story's last step */
};

struct lesson_step {
	size_t key; /* index into lesson.keys */
	enum lesson_at at;
	struct lesson_match match; /* LESSON_AT_EVENT */
	const char *say; /* a template: placeholders are filled at binding */
};

/* ---- quizzes ---- */

enum lesson_answer_kind {
	LESSON_ANSWER_COUNT, /* how many events match `of` */
	LESSON_ANSWER_SUM, /* the sum of `field` over the matches */
	LESSON_ANSWER_VALUE, /* `field` of the Nth match */
	LESSON_ANSWER_TEXT, /* the choice equal to `text` filled from the Nth match */
	LESSON_ANSWER_CHOICE, /* a fixed choice */
};

struct lesson_quiz {
	size_t after; /* asked when the student leaves this step going forward */
	size_t key; /* the trace that computes the answer */
	const char *ask; /* template */
	struct strv choices; /* templates; count 0 = the student types the answer */
	enum lesson_answer_kind answer;
	struct lesson_match of; /* all kinds but LESSON_ANSWER_CHOICE */
	enum lesson_field field; /* SUM, VALUE */
	const char *text; /* TEXT: template */
	size_t choice; /* CHOICE: 0-based */
	double tolerance; /* a typed number within this of the answer is right */
	const char *explain; /* template; also {answer} */
	size_t see; /* the step a wrong answer points to */
};

/* ---- the lesson ---- */

struct lesson {
	struct arena arena;
	const char *path; /* its lesson.json, as messages name it */
	const char *folder; /* "01-what-gets-pickled": NN-slug */
	int number; /* NN */
	const char *slug; /* "what-gets-pickled" */
	const char *title;
	const char *question;
	struct strv goals;
	const enum lesson_claim *proves;
	size_t prove_count;
	struct strv methods; /* fork, spawn, forkserver, default */
	struct strv pythons; /* "3.8", "3.13"; empty for most lessons */
	/* The trace keys, in order: the methods, or "python3.8"... when the
	 * lesson names Pythons. Trace k is traces/<folder>.<keys[k]>.json. */
	struct strv keys;
	const struct lesson_step *steps;
	size_t step_count; /* at least 1 */
	const struct lesson_quiz *quizzes;
	size_t quiz_count;
};

void lesson_init(struct lesson *l);
void lesson_release(struct lesson *l);

bool lesson_proves(const struct lesson *l, enum lesson_claim c);
/* The index of a trace key, or -1. */
int lesson_key_index(const struct lesson *l, const char *key);
/* Sets l->keys from l->methods and l->pythons (the contract's rule),
 * allocated in a: the lesson's arena, or the one a reader hands over to
 * it. -1 with err on out-of-memory. */
int lesson_keys_make(struct lesson *l, struct arena *a, struct mp_err *err);
/* Reads a folder name "NN-slug" (two digits, a dash, lowercase words of
 * letters and digits joined by single dashes): true with the number and
 * a pointer to the slug inside name. */
bool lesson_folder_parse(const char *name, int *number, const char **slug);
/* The recorded trace of key k: "<traces_dir>/<folder>.<key>.json" (no
 * folder part when traces_dir is NULL or ""). False when it does not fit. */
bool lesson_trace_path(const struct lesson *l, size_t key, const char *traces_dir, char *buf,
		       size_t len);

/* Where a template may be used decides the placeholders it may name. */
enum lesson_text_use {
	LESSON_TEXT_EVENT, /* say, ask, choices, text: the event's fields and the trace's */
	LESSON_TEXT_EXPLAIN, /* explain: those and {answer} */
};
/* Checks a template's syntax: every "{" opens a known placeholder closed
 * by "}", "{{" and "}}" are literal braces. -1 with err ("{sise} is not a
 * placeholder (...)") otherwise. */
int lesson_text_check(const char *text, enum lesson_text_use use, struct mp_err *err);

#endif

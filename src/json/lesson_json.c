/*
 * lesson_json.c - lesson.json read into the lesson model: the document
 * and its top-level fields, the steps and the quizzes (their triggers and
 * answers are lesson_match_json.c's), with the field tables of fields.h
 * for plain members and a check for unknown ones. See lesson_json.h.
 * json/ -> lesson/; never prints.
 */
#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/utf8.h"
#include "json/lesson_json.h"
#include "json/lesson_read.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define R(n, t, fl, o) .name = (n), .type = (t), .flags = (fl), .off = (o)
#define REQ FIELD_REQUIRED

/* The plain members of each object; the others are read by hand. */
struct raw_lesson {
	int version;
	const char *title;
	const char *question;
	struct strv goals, proves, methods, pythons;
};
#define TOP(m) offsetof(struct raw_lesson, m)
static const struct field lesson_rows[] = {
	{ R("version", FT_COUNT, REQ, TOP(version)) }, { R("title", FT_STR, REQ, TOP(title)) },
	{ R("question", FT_STR, REQ, TOP(question)) }, { R("goals", FT_STRV, 0, TOP(goals)) },
	{ R("proves", FT_STRV, REQ, TOP(proves)) },    { R("methods", FT_STRV, REQ, TOP(methods)) },
	{ R("pythons", FT_STRV, 0, TOP(pythons)) },
};
static const struct field_table lesson_table = { lesson_rows, ARRAY_LEN(lesson_rows), false };
static const char *const lesson_names[] = { "version", "title",   "question", "goals", "proves",
					    "methods", "pythons", "steps",    "quiz",  NULL };
static const char *const lesson_required[] = { "version", "title",   "question",
					       "proves",  "methods", "steps" };

struct raw_step {
	const char *trace;
	const char *say;
};
static const struct field step_rows[] = {
	{ R("trace", FT_STR, 0, offsetof(struct raw_step, trace)) },
	{ R("say", FT_STR, REQ, offsetof(struct raw_step, say)) },
};
static const struct field_table step_table = { step_rows, ARRAY_LEN(step_rows), false };
static const char *const step_names[] = { "trace", "at", "say", NULL };

struct raw_quiz {
	uint64_t after;
	const char *trace;
	const char *ask;
	struct strv choices;
	const char *explain;
	uint64_t see;
};
#define QUIZ(m) offsetof(struct raw_quiz, m)
static const struct field quiz_rows[] = {
	{ R("after", FT_SEQ, REQ, QUIZ(after)) },     { R("trace", FT_STR, 0, QUIZ(trace)) },
	{ R("ask", FT_STR, REQ, QUIZ(ask)) },         { R("choices", FT_STRV, 0, QUIZ(choices)) },
	{ R("explain", FT_STR, REQ, QUIZ(explain)) }, { R("see", FT_SEQ, REQ, QUIZ(see)) },
};
static const struct field_table quiz_table = { quiz_rows, ARRAY_LEN(quiz_rows), false };
static const char *const quiz_names[] = { "after",  "trace",   "ask", "choices",
					  "answer", "explain", "see", NULL };

static const char *const start_methods[] = { "fork", "spawn", "forkserver", "default", NULL };

/* ---- shared with lesson_match_json.c ---- */

/* A message at a place; the top of the document has none. */
static int at_err(struct lesson_reader *rd, const struct place *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int at_err(struct lesson_reader *rd, const struct place *at, const char *fmt, ...)
{
	char msg[MP_ERR_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return at ? place_err(rd->err, at, "%s", msg) : mp_err_set(rd->err, "%s", msg);
}

void *reader_alloc(struct lesson_reader *rd, size_t count, size_t size)
{
	void *p = arena_calloc(&rd->store.arena, count ? count : 1, size);

	if (!p)
		mp_err_set(rd->err, "out of memory while reading a lesson");
	return p;
}

const char *reader_strdup(struct lesson_reader *rd, const char *s)
{
	const char *p = trace_strdup(&rd->store, s);

	if (!p)
		mp_err_set(rd->err, "out of memory while reading a lesson");
	return p;
}

static void join(const char *const *names, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; names[i] && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "", names[i]);
}

int reader_known_members(struct lesson_reader *rd, const cJSON *obj, const struct place *at,
			 const char *what, const char *const *names)
{
	unsigned seen = 0;
	const cJSON *m;

	cJSON_ArrayForEach(m, obj)
	{
		size_t k = 0;
		char quoted[64], list[256];

		while (names[k] && strcmp(names[k], m->string) != 0)
			k++;
		if (names[k] && (seen >> k & 1))
			return at_err(rd, at, "\"%s\" appears twice", names[k]);
		if (names[k]) {
			seen |= 1u << k;
			continue;
		}
		mp_quote(quoted, sizeof(quoted), m->string, strlen(m->string));
		join(names, list, sizeof(list));
		return at_err(rd, at, "\"%s\" is not a field of %s (%s)", quoted, what, list);
	}
	return 0;
}

int reader_text(struct lesson_reader *rd, const char *text, enum lesson_text_use use,
		const struct place *at)
{
	struct mp_err why;

	if (lesson_text_check(text, use, &why) == 0)
		return 0;
	return place_err(rd->err, at, "%s", why.msg);
}

/* ---- the top: words, claims, methods and Pythons ---- */

static int read_plain(struct lesson_reader *rd, const struct field_table *t, const cJSON *obj,
		      void *raw, const struct place *at)
{
	const struct field_table *tables[] = { t };

	return fields_read(&rd->store, tables, 1, obj, raw, at, NULL, NULL, rd->err);
}

static int not_empty(struct lesson_reader *rd, const char *s, const char *name)
{
	struct place at = { NULL, name, 0, false };

	return *s ? 0 : place_err(rd->err, &at, "is empty");
}

static int read_proves(struct lesson_reader *rd, const struct strv *ids)
{
	struct place top = { NULL, "proves", 0, false };
	enum lesson_claim *proves = reader_alloc(rd, ids->count, sizeof(*proves));
	const char *claim_ids[CLAIM_COUNT + 1] = { NULL };

	if (!proves)
		return -1;
	for (int c = 0; c < CLAIM_COUNT; c++)
		claim_ids[c] = lesson_claim_id((enum lesson_claim)c);
	for (size_t i = 0; i < ids->count; i++) {
		struct place at = { &top, NULL, i, true };
		int c = lesson_claim_from_id(ids->items[i]);
		char quoted[64], list[320];

		mp_quote(quoted, sizeof(quoted), ids->items[i], strlen(ids->items[i]));
		if (c < 0) {
			join(claim_ids, list, sizeof(list));
			return place_err(rd->err, &at, "\"%s\" is not a claim (%s)", quoted, list);
		}
		for (size_t j = 0; j < i; j++)
			if (proves[j] == (enum lesson_claim)c)
				return place_err(rd->err, &at, "\"%s\" is listed twice", quoted);
		proves[i] = (enum lesson_claim)c;
	}
	rd->l->proves = proves;
	rd->l->prove_count = ids->count;
	return 0;
}

static bool is_python_version(const char *s)
{
	size_t major = strspn(s, "0123456789"), minor;

	if (major == 0 || s[major] != '.')
		return false;
	minor = strspn(s + major + 1, "0123456789");
	return minor > 0 && s[major + 1 + minor] == '\0';
}

/* Each item valid (a start method, or a Python version) and none twice. */
static int read_list(struct lesson_reader *rd, const struct strv *v, const char *name,
		     bool is_pythons)
{
	struct place top = { NULL, name, 0, false };
	char quoted[64], list[128];

	for (size_t i = 0; i < v->count; i++) {
		struct place at = { &top, NULL, i, true };
		size_t k = 0;

		mp_quote(quoted, sizeof(quoted), v->items[i], strlen(v->items[i]));
		while (!is_pythons && start_methods[k] && strcmp(start_methods[k], v->items[i]))
			k++;
		if (is_pythons && !is_python_version(v->items[i]))
			return place_err(rd->err, &at,
					 "\"%s\" is not a Python version (such as \"3.8\")",
					 quoted);
		if (!is_pythons && !start_methods[k]) {
			join(start_methods, list, sizeof(list));
			return place_err(rd->err, &at, "\"%s\" is not a start method (%s)", quoted,
					 list);
		}
		for (size_t j = 0; j < i; j++)
			if (strcmp(v->items[j], v->items[i]) == 0)
				return place_err(rd->err, &at, "\"%s\" is listed twice", quoted);
	}
	return 0;
}

static int read_top(struct lesson_reader *rd, const cJSON *doc)
{
	struct lesson *l = rd->l;
	struct raw_lesson raw;
	struct place methods_at = { NULL, "methods", 0, false };

	memset(&raw, 0, sizeof(raw));
	if (reader_known_members(rd, doc, NULL, "a lesson", lesson_names) < 0)
		return -1;
	for (size_t i = 0; i < ARRAY_LEN(lesson_required); i++)
		if (!cJSON_GetObjectItemCaseSensitive(doc, lesson_required[i]))
			return mp_err_set(rd->err, "missing \"%s\"", lesson_required[i]);
	if (read_plain(rd, &lesson_table, doc, &raw, NULL) < 0)
		return -1;
	if (raw.version != LESSON_VERSION)
		return mp_err_set(rd->err,
				  "version: %d is not a version this mpscope reads (it reads %d)",
				  raw.version, LESSON_VERSION);
	if (not_empty(rd, raw.title, "title") < 0 || not_empty(rd, raw.question, "question") < 0 ||
	    read_proves(rd, &raw.proves) < 0 || read_list(rd, &raw.methods, "methods", false) < 0 ||
	    read_list(rd, &raw.pythons, "pythons", true) < 0)
		return -1;
	if (raw.methods.count == 0)
		return place_err(rd->err, &methods_at,
				 "is empty (give fork, spawn, forkserver or default)");
	if (raw.pythons.count && raw.methods.count != 1)
		return place_err(rd->err, &methods_at,
				 "with \"pythons\", give exactly one method (it has %zu)",
				 raw.methods.count);
	if (raw.methods.count > LESSON_MAX_KEYS || raw.pythons.count > LESSON_MAX_KEYS)
		return place_err(rd->err, &methods_at, "a lesson has at most %d traces",
				 LESSON_MAX_KEYS);
	l->title = raw.title;
	l->question = raw.question;
	l->goals = raw.goals;
	l->methods = raw.methods;
	l->pythons = raw.pythons;
	return lesson_keys_make(l, &rd->store.arena, rd->err);
}

/* ---- steps and quizzes ---- */

/* A "trace" member names one of the lesson's keys. */
static int read_key(struct lesson_reader *rd, const char *key, const struct place *at, size_t *out)
{
	struct place here = { at, "trace", 0, false };
	char quoted[64], list[256];
	int k;

	if (!key)
		return 0;
	k = lesson_key_index(rd->l, key);
	if (k >= 0) {
		*out = (size_t)k;
		return 0;
	}
	mp_quote(quoted, sizeof(quoted), key, strlen(key));
	join(rd->l->keys.items, list, sizeof(list));
	return place_err(rd->err, &here, "\"%s\" is not one of the lesson's traces (%s)", quoted,
			 list);
}

static int read_step(struct lesson_reader *rd, const cJSON *v, const struct place *at,
		     struct lesson_step *s)
{
	struct place say_at = { at, "say", 0, false };
	struct place at_at = { at, "at", 0, false };
	const cJSON *trigger;
	struct raw_step raw;

	memset(&raw, 0, sizeof(raw));
	if (!cJSON_IsObject(v)) {
		char got[64];

		json_describe(v, got, sizeof(got));
		return place_err(rd->err, at, "expected an object, got %s", got);
	}
	if (reader_known_members(rd, v, at, "a step", step_names) < 0 ||
	    read_plain(rd, &step_table, v, &raw, at) < 0 ||
	    read_key(rd, raw.trace, at, &s->key) < 0)
		return -1;
	trigger = cJSON_GetObjectItemCaseSensitive(v, "at");
	if (!trigger)
		return place_err(rd->err, at, "missing \"at\"");
	if (read_at(rd, trigger, &at_at, s) < 0 ||
	    reader_text(rd, raw.say, LESSON_TEXT_EVENT, &say_at) < 0)
		return -1;
	s->say = raw.say;
	return 0;
}

/* An array member of the top: steps or quiz. */
static const cJSON *top_array(struct lesson_reader *rd, const cJSON *doc, const char *name,
			      size_t *count)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(doc, name);
	char got[64];

	*count = 0;
	if (!v)
		return NULL;
	if (!cJSON_IsArray(v)) {
		json_describe(v, got, sizeof(got));
		mp_err_set(rd->err, "%s: expected an array, got %s", name, got);
		return NULL;
	}
	*count = (size_t)cJSON_GetArraySize(v);
	return v;
}

static int read_steps(struct lesson_reader *rd, const cJSON *doc)
{
	struct place top = { NULL, "steps", 0, false };
	const cJSON *arr = top_array(rd, doc, "steps", &rd->l->step_count), *item;
	struct lesson_step *steps;
	size_t i = 0;

	if (!arr)
		return -1;
	if (rd->l->step_count == 0)
		return mp_err_set(rd->err, "steps: a lesson needs at least one step");
	steps = reader_alloc(rd, rd->l->step_count, sizeof(*steps));
	if (!steps)
		return -1;
	rd->l->steps = steps;
	cJSON_ArrayForEach(item, arr)
	{
		struct place at = { &top, NULL, i, true };

		if (read_step(rd, item, &at, &steps[i]) < 0)
			return -1;
		i++;
	}
	return 0;
}

/* "after" and "see" name steps; quizzes are asked in order. */
static int read_quiz_steps(struct lesson_reader *rd, const struct raw_quiz *raw,
			   const struct place *at, struct lesson_quiz *q,
			   const struct lesson_quiz *prev)
{
	size_t n = rd->l->step_count;
	struct place after_at = { at, "after", 0, false }, see_at = { at, "see", 0, false };

	if (raw->after >= n)
		return place_err(rd->err, &after_at, "%llu is past the last step (0 to %zu)",
				 (unsigned long long)raw->after, n - 1);
	if (raw->see >= n)
		return place_err(rd->err, &see_at, "%llu is past the last step (0 to %zu)",
				 (unsigned long long)raw->see, n - 1);
	if (prev && raw->after < prev->after)
		return place_err(rd->err, &after_at,
				 "%llu comes before the quiz above it (%zu): quizzes are asked in "
				 "order",
				 (unsigned long long)raw->after, prev->after);
	q->after = (size_t)raw->after;
	q->see = (size_t)raw->see;
	q->key = rd->l->steps[q->after].key;
	return 0;
}

static int read_quiz_texts(struct lesson_reader *rd, const struct raw_quiz *raw,
			   const struct place *at, struct lesson_quiz *q)
{
	struct place ask_at = { at, "ask", 0, false }, explain_at = { at, "explain", 0, false };
	struct place choices_at = { at, "choices", 0, false };

	if (reader_text(rd, raw->ask, LESSON_TEXT_EVENT, &ask_at) < 0 ||
	    reader_text(rd, raw->explain, LESSON_TEXT_EXPLAIN, &explain_at) < 0)
		return -1;
	if (raw->choices.count &&
	    (raw->choices.count < LESSON_MIN_CHOICES || raw->choices.count > LESSON_MAX_CHOICES))
		return place_err(rd->err, &choices_at, "give %d to %d choices (it has %zu)",
				 LESSON_MIN_CHOICES, LESSON_MAX_CHOICES, raw->choices.count);
	for (size_t c = 0; c < raw->choices.count; c++) {
		struct place el = { &choices_at, NULL, c, true };

		if (reader_text(rd, raw->choices.items[c], LESSON_TEXT_EVENT, &el) < 0)
			return -1;
	}
	q->ask = raw->ask;
	q->explain = raw->explain;
	q->choices = raw->choices;
	return 0;
}

static int read_quiz(struct lesson_reader *rd, const cJSON *v, const struct place *at,
		     struct lesson_quiz *q, const struct lesson_quiz *prev)
{
	struct place answer_at = { at, "answer", 0, false };
	const cJSON *answer;
	struct raw_quiz raw;

	memset(&raw, 0, sizeof(raw));
	if (!cJSON_IsObject(v)) {
		char got[64];

		json_describe(v, got, sizeof(got));
		return place_err(rd->err, at, "expected an object, got %s", got);
	}
	if (reader_known_members(rd, v, at, "a quiz", quiz_names) < 0 ||
	    read_plain(rd, &quiz_table, v, &raw, at) < 0 ||
	    read_quiz_steps(rd, &raw, at, q, prev) < 0 ||
	    read_key(rd, raw.trace, at, &q->key) < 0 || read_quiz_texts(rd, &raw, at, q) < 0)
		return -1;
	answer = cJSON_GetObjectItemCaseSensitive(v, "answer");
	if (!answer)
		return place_err(rd->err, at, "missing \"answer\"");
	return read_answer(rd, answer, &answer_at, q);
}

static int read_quizzes(struct lesson_reader *rd, const cJSON *doc)
{
	struct place top = { NULL, "quiz", 0, false };
	const cJSON *arr = top_array(rd, doc, "quiz", &rd->l->quiz_count), *item;
	struct lesson_quiz *quizzes;
	size_t i = 0;

	if (!arr)
		return cJSON_GetObjectItemCaseSensitive(doc, "quiz") ? -1 : 0;
	quizzes = reader_alloc(rd, rd->l->quiz_count, sizeof(*quizzes));
	if (!quizzes)
		return -1;
	rd->l->quizzes = quizzes;
	cJSON_ArrayForEach(item, arr)
	{
		struct place at = { &top, NULL, i, true };

		if (read_quiz(rd, item, &at, &quizzes[i], i ? &quizzes[i - 1] : NULL) < 0)
			return -1;
		i++;
	}
	return 0;
}

/* ---- the document ---- */

static void line_and_byte(const char *buf, size_t pos, size_t *line, size_t *byte)
{
	size_t line_start = 0;

	*line = 1;
	for (size_t i = 0; i < pos; i++)
		if (buf[i] == '\n') {
			(*line)++;
			line_start = i + 1;
		}
	*byte = pos - line_start + 1;
}

static cJSON *parse(const char *buf, size_t len, struct mp_err *err)
{
	const char *end = NULL;
	size_t bad_at, line, byte;
	cJSON *doc;

	if (!utf8_is_valid((const unsigned char *)buf, len, &bad_at)) {
		line_and_byte(buf, bad_at, &line, &byte);
		mp_err_set(err, "line %zu, byte %zu: invalid UTF-8 (byte 0x%02x)", line, byte,
			   (unsigned char)buf[bad_at]);
		return NULL;
	}
	doc = cJSON_ParseWithLengthOpts(buf, len, &end, false);
	if (!doc) {
		size_t pos = end && end >= buf && end <= buf + len ? (size_t)(end - buf) : len;

		line_and_byte(buf, pos, &line, &byte);
		mp_err_set(err, "line %zu, byte %zu: not valid JSON", line, byte);
		return NULL;
	}
	while (end && end < buf + len && strchr(" \t\r\n", *end))
		end++;
	if (end && end < buf + len) {
		line_and_byte(buf, (size_t)(end - buf), &line, &byte);
		mp_err_set(err, "line %zu, byte %zu: unexpected text after the lesson", line, byte);
		cJSON_Delete(doc);
		return NULL;
	}
	return doc;
}

static int read_document(struct lesson_reader *rd, const char *buf, size_t len)
{
	cJSON *doc = parse(buf, len, rd->err);
	char got[64];
	int rc = -1;

	if (!doc)
		return -1;
	if (!cJSON_IsObject(doc)) {
		json_describe(doc, got, sizeof(got));
		mp_err_set(rd->err, "expected a JSON object at the top, got %s", got);
	} else if (read_top(rd, doc) == 0 && read_steps(rd, doc) == 0 &&
		   read_quizzes(rd, doc) == 0) {
		rc = 0;
	}
	cJSON_Delete(doc);
	return rc;
}

int lesson_json_load_buffer(const char *name, const char *folder, const char *buf, size_t len,
			    struct lesson *l, struct mp_err *err)
{
	struct lesson_reader rd = { .l = l, .err = err };
	const char *slug;
	int number;

	lesson_release(l);
	trace_init(&rd.store);
	if (!lesson_folder_parse(folder, &number, &slug))
		mp_err_set(err,
			   "a lesson's folder is named NN-slug: two digits, a dash, then "
			   "lowercase words joined by dashes");
	else if (len > LESSON_FILE_MAX)
		mp_err_set(err, "a lesson.json is at most %d bytes (this one has %zu)",
			   LESSON_FILE_MAX, len);
	else if (read_document(&rd, buf, len) == 0 && (l->path = reader_strdup(&rd, name)) &&
		 (l->folder = reader_strdup(&rd, folder))) {
		/* The lesson takes over the store's arena, where every string
		 * and array of it lives. */
		l->arena = rd.store.arena;
		arena_init(&rd.store.arena);
		l->number = number;
		l->slug = l->folder + (slug - folder);
		trace_release(&rd.store);
		return 0;
	}
	trace_release(&rd.store);
	lesson_release(l);
	return mp_err_prefix(err, "%s", name);
}

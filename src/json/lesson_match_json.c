/*
 * lesson_match_json.c - the parts of lesson.json that name events: a
 * step's "at" ("start", "end" or {"kind": ..., matchers..., "nth": N}) and
 * a quiz's "answer". Every matcher is checked against the event kind (a
 * fork has no "size"), its field's type and, for fields with a fixed
 * vocabulary, its words, so a typo is refused with its place rather than
 * found later as an event no trace has. See lesson_read.h.
 */
#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "json/lesson_read.h"

/* Integers are exact in a double up to 2^53. */
#define MAX_EXACT 9007199254740992.0

static int expected(struct lesson_reader *rd, const struct place *at, const char *what,
		    const cJSON *v)
{
	char got[64];

	json_describe(v, got, sizeof(got));
	return place_err(rd->err, at, "expected %s, got %s", what, got);
}

static bool is_integer(const cJSON *v, double min, double max)
{
	return cJSON_IsNumber(v) && v->valuedouble >= min && v->valuedouble <= max &&
		v->valuedouble == (double)(int64_t)v->valuedouble;
}

/* A value for a text field: its words, for a field with a vocabulary. */
static int read_text_value(struct lesson_reader *rd, enum lesson_field f, enum ev_kind kind,
			   const cJSON *v, const struct place *at, struct lesson_value *out)
{
	char words[256], got[64];
	const char *s, *dot;

	if (!cJSON_IsString(v))
		return expected(rd, at, "a string", v);
	s = v->valuestring;
	json_describe(v, got, sizeof(got));
	if (!lesson_field_word_ok(f, kind, s, words, sizeof(words)))
		return place_err(rd->err, at, "%s is not one of: %s", got, words);
	dot = strrchr(s, '.');
	if (f == LF_GLOBAL && (!dot || dot == s || !dot[1]))
		return place_err(rd->err, at, "%s is not a module.name (such as \"__main__.f\")",
				 got);
	if (f == LF_TEXT && !*s)
		return place_err(rd->err, at, "\"\" is in every line (give some text)");
	out->kind = LV_TEXT;
	out->text = reader_strdup(rd, s);
	return out->text ? 0 : -1;
}

static int read_value(struct lesson_reader *rd, enum lesson_field f, enum ev_kind kind,
		      const cJSON *v, const struct place *at, struct lesson_value *out)
{
	switch (lesson_field_type(f)) {
	case LFT_TEXT:
		return read_text_value(rd, f, kind, v, at, out);
	case LFT_NUMBER:
		if (!is_integer(v, -MAX_EXACT, MAX_EXACT))
			return expected(rd, at, "an integer", v);
		out->kind = LV_NUMBER;
		out->number = v->valuedouble;
		return 0;
	case LFT_PID:
		if (is_integer(v, 1, TRACE_MAX_PID)) {
			out->kind = LV_NUMBER;
			out->number = v->valuedouble;
			return 0;
		}
		if (cJSON_IsString(v) && lesson_pid_symbol(v->valuestring, out))
			return 0;
		return expected(
			rd, at,
			"a process: \"main\", \"first_child\", \"second_child\"... or a pid", v);
	case LFT_BOOL:
		if (!cJSON_IsBool(v))
			return expected(rd, at, "true or false", v);
		out->kind = LV_BOOL;
		out->is_true = cJSON_IsTrue(v);
		return 0;
	}
	return place_err(rd->err, at, "internal error: a field of no type");
}

/* One value, or an array of them (any of). */
static int read_matcher(struct lesson_reader *rd, enum lesson_field f, enum ev_kind kind,
			const cJSON *v, const struct place *at, struct lesson_matcher *mt)
{
	size_t n = cJSON_IsArray(v) ? (size_t)cJSON_GetArraySize(v) : 1;
	struct lesson_value *values;
	const cJSON *item;
	size_t i = 0;

	mt->field = f;
	if (n == 0)
		return place_err(rd->err, at, "is an empty array (give one value or more)");
	values = reader_alloc(rd, n, sizeof(*values));
	if (!values)
		return -1;
	mt->values = values;
	mt->value_count = n;
	if (!cJSON_IsArray(v))
		return read_value(rd, f, kind, v, at, &values[0]);
	cJSON_ArrayForEach(item, v)
	{
		struct place el = { at, NULL, i, true };

		if (read_value(rd, f, kind, item, &el, &values[i]) < 0)
			return -1;
		i++;
	}
	return 0;
}

static int read_kind(struct lesson_reader *rd, const cJSON *obj, const struct place *at,
		     enum ev_kind *kind)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, "kind");
	struct place here = { at, "kind", 0, false };
	char names[320] = "", got[64];
	int k;

	if (!v)
		return place_err(rd->err, at, "missing \"kind\"");
	if (!cJSON_IsString(v))
		return expected(rd, &here, "a string", v);
	k = ev_kind_from_name(v->valuestring);
	if (k >= 0 && k < EV_UNKNOWN) {
		*kind = (enum ev_kind)k;
		return 0;
	}
	for (int i = 0; i < EV_UNKNOWN; i++) {
		size_t used = strlen(names);

		snprintf(names + used, sizeof(names) - used, "%s%s", i ? ", " : "",
			 ev_kind_name((enum ev_kind)i));
	}
	json_describe(v, got, sizeof(got));
	return place_err(rd->err, &here, "%s is not an event kind (%s)", got, names);
}

static int read_nth(struct lesson_reader *rd, const cJSON *v, const struct place *at,
		    struct lesson_match *m)
{
	if (!is_integer(v, 1, MAX_EXACT))
		return expected(rd, at, "a positive integer", v);
	m->nth = (size_t)v->valuedouble;
	m->has_nth = true;
	return 0;
}

/* A matcher of m, read into mt. */
static int read_member(struct lesson_reader *rd, const cJSON *member, const struct place *at,
		       const struct lesson_match *m, uint64_t *seen, struct lesson_matcher *mt)
{
	struct place here = { at, member->string, 0, false };
	int f = lesson_field_from_name(member->string);
	char fields[400];

	if (f < 0 || !lesson_field_applies((enum lesson_field)f, m->kind)) {
		char quoted[64];

		mp_quote(quoted, sizeof(quoted), member->string, strlen(member->string));
		lesson_field_list(m->kind, fields, sizeof(fields));
		return place_err(rd->err, at, "a %s has no field \"%s\" (it has: %s, nth)",
				 ev_kind_name(m->kind), quoted, fields);
	}
	if (*seen >> f & 1)
		return place_err(rd->err, at, "\"%s\" appears twice", member->string);
	*seen |= (uint64_t)1 << f;
	return read_matcher(rd, (enum lesson_field)f, m->kind, member, &here, mt);
}

_Static_assert(LESSON_FIELD_COUNT <= 64, "fields seen are a 64-bit mask");

int read_match(struct lesson_reader *rd, const cJSON *v, const struct place *at,
	       struct lesson_match *m)
{
	const cJSON *member;
	struct lesson_matcher *matchers;
	uint64_t seen = 0;
	bool has_kind = false;
	size_t n = 0;

	memset(m, 0, sizeof(*m));
	m->nth = 1;
	if (!cJSON_IsObject(v))
		return expected(rd, at, "an object with \"kind\"", v);
	if (read_kind(rd, v, at, &m->kind) < 0)
		return -1;
	cJSON_ArrayForEach(member, v) n++;
	matchers = reader_alloc(rd, n, sizeof(*matchers));
	if (!matchers)
		return -1;
	m->matchers = matchers;
	cJSON_ArrayForEach(member, v)
	{
		struct place here = { at, member->string, 0, false };
		int rc;

		if (strcmp(member->string, "kind") == 0) {
			rc = has_kind ? place_err(rd->err, at, "\"kind\" appears twice") : 0;
			has_kind = true;
		} else if (strcmp(member->string, "nth") == 0) {
			rc = m->has_nth ? place_err(rd->err, at, "\"nth\" appears twice")
					: read_nth(rd, member, &here, m);
		} else {
			rc = read_member(rd, member, at, m, &seen, &matchers[m->matcher_count]);
			m->matcher_count += rc == 0;
		}
		if (rc < 0)
			return -1;
	}
	return 0;
}

int read_at(struct lesson_reader *rd, const cJSON *v, const struct place *at, struct lesson_step *s)
{
	if (cJSON_IsString(v) && strcmp(v->valuestring, "start") == 0) {
		s->at = LESSON_AT_START;
		return 0;
	}
	if (cJSON_IsString(v) && strcmp(v->valuestring, "end") == 0) {
		s->at = LESSON_AT_END;
		return 0;
	}
	if (!cJSON_IsObject(v))
		return expected(rd, at, "\"start\", \"end\" or an object with \"kind\"", v);
	s->at = LESSON_AT_EVENT;
	return read_match(rd, v, at, &s->match);
}

/* ---- answers ---- */

static const char *const answer_kinds[] = { "count", "sum", "value", "text", "choice" };
static const char *const answer_names[] = { "count",  "sum", "value",     "text",
					    "choice", "of",  "tolerance", NULL };
#define ANSWER_KIND_COUNT 5

static int which_answer(struct lesson_reader *rd, const cJSON *v, const struct place *at,
			struct lesson_quiz *q)
{
	int found = -1;

	for (int k = 0; k < ANSWER_KIND_COUNT; k++) {
		if (!cJSON_GetObjectItemCaseSensitive(v, answer_kinds[k]))
			continue;
		if (found >= 0)
			return place_err(rd->err, at, "has both \"%s\" and \"%s\" (give one)",
					 answer_kinds[found], answer_kinds[k]);
		found = k;
	}
	if (found < 0)
		return place_err(
			rd->err, at,
			"give one of \"count\", \"sum\", \"value\", \"text\" or \"choice\"");
	q->answer = (enum lesson_answer_kind)found;
	return 0;
}

/* "sum" and "value" name a field of the events "of" matches. */
static int read_answer_field(struct lesson_reader *rd, const cJSON *v, const struct place *at,
			     struct lesson_quiz *q)
{
	int f;
	char got[64];

	if (!cJSON_IsString(v))
		return expected(rd, at, "a field name", v);
	json_describe(v, got, sizeof(got));
	f = lesson_field_from_name(v->valuestring);
	if (f < 0 || !lesson_field_applies((enum lesson_field)f, q->of.kind))
		return place_err(rd->err, at, "a %s has no field %s", ev_kind_name(q->of.kind),
				 got);
	if (f == LF_GLOBAL)
		return place_err(rd->err, at,
				 "\"global\" has no single value (use {globals} in a "
				 "text, or \"count\" with a \"global\" matcher)");
	if (q->answer == LESSON_ANSWER_SUM && lesson_field_type((enum lesson_field)f) != LFT_NUMBER)
		return place_err(rd->err, at, "%s is not a number, so it cannot be summed", got);
	q->field = (enum lesson_field)f;
	return 0;
}

static bool is_typed_number(const struct lesson_quiz *q)
{
	enum lesson_field_type t = lesson_field_type(q->field);

	if (q->choices.count)
		return false;
	return q->answer == LESSON_ANSWER_COUNT || q->answer == LESSON_ANSWER_SUM ||
		(q->answer == LESSON_ANSWER_VALUE && (t == LFT_NUMBER || t == LFT_PID));
}

static int read_tolerance(struct lesson_reader *rd, const cJSON *v, const struct place *at,
			  struct lesson_quiz *q)
{
	if (!cJSON_IsNumber(v) || !(v->valuedouble >= 0) || v->valuedouble > MAX_EXACT)
		return expected(rd, at, "a number, 0 or more", v);
	if (!is_typed_number(q))
		return place_err(rd->err, at, "only an answer typed as a number has a tolerance");
	q->tolerance = v->valuedouble;
	return 0;
}

static int read_choice(struct lesson_reader *rd, const cJSON *v, const struct place *at,
		       struct lesson_quiz *q)
{
	if (!is_integer(v, 0, MAX_EXACT))
		return expected(rd, at, "a choice's index (0 for the first)", v);
	if (q->choices.count == 0)
		return place_err(rd->err, at, "a fixed choice needs \"choices\"");
	if (v->valuedouble >= (double)q->choices.count)
		return place_err(rd->err, at, "%.0f is past the last choice (0 to %zu)",
				 v->valuedouble, q->choices.count - 1);
	q->choice = (size_t)v->valuedouble;
	return 0;
}

static int read_answer_text(struct lesson_reader *rd, const cJSON *v, const struct place *at,
			    struct lesson_quiz *q)
{
	if (!cJSON_IsString(v))
		return expected(rd, at, "a string", v);
	if (q->choices.count == 0)
		return place_err(rd->err, at, "a text answer needs \"choices\"");
	if (reader_text(rd, v->valuestring, LESSON_TEXT_EVENT, at) < 0)
		return -1;
	q->text = reader_strdup(rd, v->valuestring);
	return q->text ? 0 : -1;
}

/* The events the answer is computed from: "count" holds them itself,
 * the others name them in "of". */
static int read_answer_of(struct lesson_reader *rd, const cJSON *v, const struct place *at,
			  struct lesson_quiz *q)
{
	const cJSON *of = cJSON_GetObjectItemCaseSensitive(v, "of");
	struct place of_at = { at, "of", 0, false };
	struct place count_at = { at, "count", 0, false };
	const struct place *match_at = &of_at;

	if (q->answer == LESSON_ANSWER_COUNT) {
		if (of)
			return place_err(rd->err, &of_at,
					 "a count names its events in \"count\" itself");
		of = cJSON_GetObjectItemCaseSensitive(v, "count");
		match_at = &count_at;
	} else if (!of) {
		return place_err(rd->err, at, "missing \"of\"");
	}
	if (read_match(rd, of, match_at, &q->of) < 0)
		return -1;
	if (q->of.has_nth && (q->answer == LESSON_ANSWER_COUNT || q->answer == LESSON_ANSWER_SUM)) {
		struct place nth_at = { match_at, "nth", 0, false };

		return place_err(rd->err, &nth_at, "a %s takes every match (remove \"nth\")",
				 q->answer == LESSON_ANSWER_COUNT ? "count" : "sum");
	}
	return 0;
}

int read_answer(struct lesson_reader *rd, const cJSON *v, const struct place *at,
		struct lesson_quiz *q)
{
	const char *name;
	const cJSON *part, *tolerance;
	struct place part_at = { at, NULL, 0, false };

	if (!cJSON_IsObject(v))
		return expected(rd, at, "an object", v);
	if (reader_known_members(rd, v, at, "an answer", answer_names) < 0 ||
	    which_answer(rd, v, at, q) < 0)
		return -1;
	name = answer_kinds[q->answer];
	part = cJSON_GetObjectItemCaseSensitive(v, name);
	part_at.name = name;
	if (q->answer == LESSON_ANSWER_CHOICE) {
		if (cJSON_GetObjectItemCaseSensitive(v, "of"))
			return place_err(rd->err, at, "a fixed choice has no \"of\"");
		if (read_choice(rd, part, &part_at, q) < 0)
			return -1;
	} else if (read_answer_of(rd, v, at, q) < 0) {
		return -1;
	}
	if ((q->answer == LESSON_ANSWER_SUM || q->answer == LESSON_ANSWER_VALUE) &&
	    read_answer_field(rd, part, &part_at, q) < 0)
		return -1;
	if (q->answer == LESSON_ANSWER_TEXT && read_answer_text(rd, part, &part_at, q) < 0)
		return -1;
	tolerance = cJSON_GetObjectItemCaseSensitive(v, "tolerance");
	if (tolerance) {
		struct place tol_at = { at, "tolerance", 0, false };

		return read_tolerance(rd, tolerance, &tol_at, q);
	}
	return 0;
}

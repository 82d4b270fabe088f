/*
 * read_fields.c - the generic, table-driven reader of one JSON object into
 * a model struct: types, ranges, required and one-of rules, duplicates and
 * unknown members (kept for the writer), or the lenient reading of the
 * probe's own messages. See read.h and fields.h.
 */
#include <cjson/cJSON.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json/base64.h"
#include "json/read.h"

/* Integers in a trace are exact in a double up to 2^53 (cJSON reads
 * numbers as doubles); larger counts are refused, not silently rounded. */
#define MAX_EXACT 9007199254740992.0

/* Enums are stored through int pointers (the tables hold ints). */
_Static_assert(sizeof(enum role) == sizeof(int) && sizeof(enum fd_type) == sizeof(int) &&
		       sizeof(enum fork_via) == sizeof(int) && sizeof(enum pass_via) == sizeof(int),
	       "enums of the model must be int-sized");

/* Enough fields for the longest combination of tables (common + a kind). */
#define MAX_FIELDS 64

static int expected(struct mp_err *err, const struct place *at, const char *what, const cJSON *v)
{
	char got[64];

	json_describe(v, got, sizeof(got));
	return place_err(err, at, "expected %s, got %s", what, got);
}

struct int_rule {
	double min;
	double max;
	const char *what; /* for "expected ..." */
};

static const struct int_rule *int_rule_of(enum field_type type)
{
	static const struct int_rule seq = { 0, MAX_EXACT, "a non-negative integer" };
	static const struct int_rule time = { 0, (double)TRACE_MAX_TIME_NS,
					      "a time in nanoseconds (a non-negative integer)" };
	static const struct int_rule pid = { 1, TRACE_MAX_PID, "a positive integer" };
	static const struct int_rule peer = { 0, TRACE_MAX_PID, "a pid or 0" };
	static const struct int_rule fd = { 0, INT_MAX,
					    "a file descriptor (a non-negative integer)" };
	static const struct int_rule any = { INT_MIN, INT_MAX, "an integer" };
	static const struct int_rule sig = { 1, 127, "a signal number (1 to 127)" };
	static const struct int_rule count = { 1, INT_MAX, "a positive integer" };

	switch (type) {
	case FT_SEQ:
	case FT_U64:
	case FT_SEQ_REF:
		return &seq;
	case FT_TIME:
		return &time;
	case FT_PID:
		return &pid;
	case FT_PEER:
		return &peer;
	case FT_FD:
	case FT_FD_AS:
		return &fd;
	case FT_INT:
		return &any;
	case FT_SIGNAL:
		return &sig;
	case FT_COUNT:
		return &count;
	default:
		return NULL;
	}
}

/* Checks an integer field against its rule; a value above the maximum gets
 * its own sentence because "expected a positive integer, got 5e+20" would
 * puzzle the reader. Leniently a number that is not whole is truncated. */
static int read_integer(const cJSON *v, const struct int_rule *rule, bool is_lenient,
			const struct place *at, double *out, struct mp_err *err)
{
	char got[64];
	double d;

	if (!cJSON_IsNumber(v))
		return expected(err, at, rule->what, v);
	d = v->valuedouble;
	if (d > rule->max && d == d)
		return place_err(err, at, "%s is too large (the limit is %.0f)",
				 (json_describe(v, got, sizeof(got)), got), rule->max);
	if (!(d >= rule->min) || (!is_lenient && (double)(int64_t)d != d))
		return expected(err, at, rule->what, v);
	*out = d;
	return 0;
}

static int store_integer(const struct field *f, void *slot, double d)
{
	switch (f->type) {
	case FT_SEQ:
	case FT_U64:
		*(uint64_t *)slot = (uint64_t)d;
		break;
	case FT_TIME:
	case FT_SEQ_REF:
		*(int64_t *)slot = (int64_t)d;
		break;
	default:
		*(int *)slot = (int)d;
		break;
	}
	return 0;
}

static char *dup_string(struct trace *tr, const cJSON *v, size_t *len, struct mp_err *err)
{
	size_t n = strlen(v->valuestring);
	char *s = trace_strndup(tr, v->valuestring, n);

	if (!s)
		mp_err_set(err, "out of memory while reading the trace");
	if (len)
		*len = n;
	return s;
}

static int read_string(struct trace *tr, const cJSON *v, const struct place *at, const char **out,
		       struct mp_err *err)
{
	if (!cJSON_IsString(v))
		return expected(err, at, "a string", v);
	*out = dup_string(tr, v, NULL, err);
	return *out ? 0 : -1;
}

/* Leniently, items that are not strings are left out. */
static int read_strv(struct trace *tr, const cJSON *v, bool is_lenient, const struct place *at,
		     struct strv *out, struct mp_err *err)
{
	size_t n = 0;
	const cJSON *item;

	if (!cJSON_IsArray(v))
		return expected(err, at, "an array of strings", v);
	cJSON_ArrayForEach(item, v) n++;
	out->count = 0;
	out->items = trace_alloc(tr, n * sizeof(*out->items));
	if (!out->items)
		return mp_err_set(err, "out of memory while reading the trace");
	cJSON_ArrayForEach(item, v)
	{
		struct place el = { at, NULL, out->count, true };

		if (is_lenient && !cJSON_IsString(item))
			continue;
		if (read_string(tr, item, &el, &out->items[out->count], err) < 0)
			return -1;
		out->count++;
	}
	return 0;
}

static int read_enum(const struct field *f, const cJSON *v, const struct place *at, int *out,
		     struct mp_err *err)
{
	char names[160] = "";
	char got[64];
	int k;

	if (!cJSON_IsString(v))
		return expected(err, at, "a string", v);
	k = f->enum_parse(v->valuestring);
	if (k >= 0) {
		*out = k;
		return 0;
	}
	for (int i = 0; f->enum_name(i); i++) {
		size_t used = strlen(names);

		snprintf(names + used, sizeof(names) - used, "%s%s", i ? ", " : "",
			 f->enum_name(i));
	}
	json_describe(v, got, sizeof(got));
	return place_err(err, at, "%s is not one of %s", got, names);
}

static int read_base64(struct trace *tr, const cJSON *v, const struct place *at,
		       const uint8_t **out, size_t *out_len, struct mp_err *err)
{
	size_t text_len, bad_at;
	uint8_t *bytes;

	if (!cJSON_IsString(v))
		return expected(err, at, "a base64 string", v);
	text_len = strlen(v->valuestring);
	bytes = trace_alloc(tr, base64_decoded_max(text_len));
	if (!bytes)
		return mp_err_set(err, "out of memory while reading the trace");
	if (base64_decode(v->valuestring, text_len, bytes, out_len, &bad_at) < 0) {
		if (bad_at == text_len)
			return place_err(err, at,
					 "not valid base64 (%zu characters, not a multiple of 4)",
					 text_len);
		return place_err(err, at, "not valid base64 (bad character at offset %zu)", bad_at);
	}
	*out = bytes;
	return 0;
}

static int read_globals(struct trace *tr, const cJSON *v, const struct place *at,
			struct global_ref **out, size_t *count, struct mp_err *err)
{
	const cJSON *pair;
	size_t n = 0;

	if (!cJSON_IsArray(v))
		return expected(err, at, "an array of [module, name] pairs", v);
	cJSON_ArrayForEach(pair, v) n++;
	*count = 0;
	*out = trace_alloc(tr, n * sizeof(**out));
	if (!*out)
		return mp_err_set(err, "out of memory while reading the trace");
	cJSON_ArrayForEach(pair, v)
	{
		struct place el = { at, NULL, *count, true };
		const cJSON *module = cJSON_GetArrayItem(pair, 0);
		const cJSON *name = cJSON_GetArrayItem(pair, 1);
		struct global_ref *g = &(*out)[*count];

		if (!cJSON_IsArray(pair) || cJSON_GetArraySize(pair) != 2 ||
		    !cJSON_IsString(module) || !cJSON_IsString(name))
			return expected(err, &el, "a [module, name] pair of strings", pair);
		g->module = dup_string(tr, module, NULL, err);
		g->name = dup_string(tr, name, NULL, err);
		if (!g->module || !g->name)
			return -1;
		(*count)++;
	}
	return 0;
}

static void set_defaults(const struct field_table *t, void *base);

static int read_fds(struct trace *tr, const struct field *f, const cJSON *v, const struct place *at,
		    void *base, struct mp_err *err)
{
	const struct field_table *tables[] = { f->sub };
	struct fd_entry *fds;
	size_t n = 0, i = 0;
	const cJSON *item;

	if (!cJSON_IsArray(v))
		return expected(err, at, "an array of descriptor objects", v);
	cJSON_ArrayForEach(item, v) n++;
	fds = trace_alloc(tr, n * sizeof(*fds));
	if (!fds)
		return mp_err_set(err, "out of memory while reading the trace");
	cJSON_ArrayForEach(item, v)
	{
		struct place el = { at, NULL, i, true };

		memset(&fds[i], 0, sizeof(fds[i]));
		set_defaults(f->sub, &fds[i]);
		if (!cJSON_IsObject(item))
			return expected(err, &el, "an object", item);
		if (fields_read(tr, tables, 1, item, &fds[i], &el, NULL, NULL, err) < 0)
			return -1;
		i++;
	}
	*(struct fd_entry **)((char *)base + f->off) = fds;
	*(size_t *)((char *)base + f->off_len) = n;
	return 0;
}

static int read_text(struct trace *tr, const struct field *f, const cJSON *v,
		     const struct place *at, void *base, struct mp_err *err)
{
	const char **text = (const char **)((char *)base + f->off);
	size_t *len = (size_t *)((char *)base + f->off_len);
	const uint8_t *bytes;

	if (f->type == FT_TEXT) {
		if (!cJSON_IsString(v))
			return expected(err, at, "a string", v);
		*text = dup_string(tr, v, len, err);
		return *text ? 0 : -1;
	}
	if (read_base64(tr, v, at, &bytes, len, err) < 0)
		return -1;
	*text = (const char *)bytes;
	return 0;
}

/* The probe's received descriptors (probe.fds_recv): the numbers are all
 * that matter, and one unreadable item must not shift the others. */
static int read_received_fds(struct trace *tr, const struct field *f, const cJSON *v,
			     const struct place *at, void *base, struct mp_err *err)
{
	size_t n = 0, i = 0;
	const cJSON *item;
	int *fds;

	if (!cJSON_IsArray(v))
		return expected(err, at, "an array of descriptors", v);
	cJSON_ArrayForEach(item, v) n++;
	fds = trace_alloc(tr, n * sizeof(*fds));
	if (!fds)
		return mp_err_set(err, "out of memory while reading the trace");
	cJSON_ArrayForEach(item, v)
	{
		const cJSON *num =
			cJSON_IsObject(item) ? cJSON_GetObjectItemCaseSensitive(item, "fd") : item;

		/* Out of int range the conversion is undefined. */
		fds[i++] = cJSON_IsNumber(num) && num->valuedouble >= INT_MIN &&
				num->valuedouble <= INT_MAX
			? (int)num->valuedouble
			: -1;
	}
	*(int **)((char *)base + f->off) = fds;
	*(size_t *)((char *)base + f->off_len) = n;
	return 0;
}

/* Reads one member into its slot. */
static int read_field(struct trace *tr, const struct field *f, bool is_lenient, const cJSON *v,
		      const struct place *at, void *base, struct mp_err *err)
{
	void *slot = (char *)base + f->off;
	const struct int_rule *rule = int_rule_of(f->type);
	double d = 0;

	if ((f->flags & FIELD_HAS) && !(f->flags & FIELD_UNLESS_HAS))
		*(bool *)((char *)base + f->off_has) = true;
	if (rule) {
		if (read_integer(v, rule, is_lenient, at, &d, err) < 0)
			return -1;
		return store_integer(f, slot, d);
	}
	switch (f->type) {
	case FT_STR:
		return read_string(tr, v, at, (const char **)slot, err);
	case FT_BOOL:
		if (!cJSON_IsBool(v))
			return expected(err, at, "true or false", v);
		*(bool *)slot = cJSON_IsTrue(v);
		return 0;
	case FT_STRV:
		return read_strv(tr, v, is_lenient, at, (struct strv *)slot, err);
	case FT_ENUM:
		return read_enum(f, v, at, (int *)slot, err);
	case FT_FDS:
		return read_fds(tr, f, v, at, base, err);
	case FT_BYTES:
		return read_base64(tr, v, at, (const uint8_t **)slot,
				   (size_t *)((char *)base + f->off_len), err);
	case FT_TEXT:
	case FT_TEXT_B64:
		return read_text(tr, f, v, at, base, err);
	case FT_GLOBALS:
		return read_globals(tr, v, at, (struct global_ref **)slot,
				    (size_t *)((char *)base + f->off_len), err);
	case FT_RECEIVED_FDS:
		return read_received_fds(tr, f, v, at, base, err);
	case FT_OBJECT: {
		const struct field_table *tables[] = { f->sub };

		if (!cJSON_IsObject(v))
			return expected(err, at, "an object", v);
		return fields_read(tr, tables, 1, v, slot, at, NULL, NULL, err);
	}
	default:
		return place_err(err, at, "internal error: field type %d has no reader", f->type);
	}
}

static void set_defaults(const struct field_table *t, void *base)
{
	for (size_t i = 0; i < t->count; i++) {
		const struct field *f = &t->fields[i];

		if (f->type == FT_FD_AS)
			*(int *)((char *)base + f->off) = -1;
		else if (f->type == FT_SEQ_REF)
			*(int64_t *)((char *)base + f->off) = -1;
	}
}

/* Unknown members are gathered in a fresh object, so the writer can put
 * them back as they were (forward compatibility: a newer mpscope's fields
 * survive a round trip through this one). Duplicates among them are found
 * once at the end (finish_unknown), not by a lookup per member, which
 * would be quadratic in a hostile object with 100,000 members. */
static int keep_unknown(cJSON **unknown, const cJSON *member, struct mp_err *err)
{
	cJSON *copy;

	if (!*unknown) {
		*unknown = cJSON_CreateObject();
		if (!*unknown)
			return mp_err_set(err, "out of memory while reading the trace");
	}
	copy = cJSON_Duplicate(member, true);
	if (!copy)
		return mp_err_set(err, "out of memory while reading the trace");
	if (!cJSON_AddItemToObject(*unknown, member->string, copy)) {
		/* Not attached (out of memory for the name): ours to free. */
		cJSON_Delete(copy);
		return mp_err_set(err, "out of memory while reading the trace");
	}
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int check_unknown_names(const cJSON *unknown, const struct place *at, struct mp_err *err)
{
	size_t n = 0, i = 0;
	const char **names;
	const cJSON *m;
	int rc = 0;

	cJSON_ArrayForEach(m, unknown) n++;
	if (n < 2)
		return 0;
	names = malloc(n * sizeof(*names));
	if (!names)
		return mp_err_set(err, "out of memory while reading the trace");
	cJSON_ArrayForEach(m, unknown) names[i++] = m->string;
	qsort(names, n, sizeof(*names), cmp_names);
	for (i = 1; i < n && rc == 0; i++)
		if (strcmp(names[i - 1], names[i]) == 0)
			rc = place_err(err, at, "\"%s\" appears twice", names[i]);
	free(names);
	return rc;
}

static int finish_unknown(struct trace *tr, cJSON *unknown, const struct place *at,
			  const char **extra, struct mp_err *err)
{
	char *text;

	*extra = NULL;
	if (!unknown)
		return 0;
	if (check_unknown_names(unknown, at, err) < 0)
		return -1;
	text = cJSON_PrintUnformatted(unknown);
	if (!text)
		return mp_err_set(err, "out of memory while reading the trace");
	*extra = trace_strdup(tr, text);
	cJSON_free(text);
	return *extra ? 0 : mp_err_set(err, "out of memory while reading the trace");
}

static const struct field *find_field(const struct field_table *const *tables, size_t table_count,
				      const char *name, size_t *index)
{
	size_t k = 0;

	for (size_t t = 0; t < table_count; t++)
		for (size_t i = 0; i < tables[t]->count; i++, k++)
			if (tables[t]->fields[i].name[0] == name[0] &&
			    strcmp(tables[t]->fields[i].name, name) == 0) {
				*index = k;
				return &tables[t]->fields[i];
			}
	return NULL;
}

static int check_presence(const struct field_table *const *tables, size_t table_count,
			  uint64_t seen, const struct place *at, struct mp_err *err)
{
	char either[128] = "", both[128] = "";
	size_t k = 0, one_of_seen = 0, one_of_count = 0;

	for (size_t t = 0; t < table_count; t++)
		for (size_t i = 0; i < tables[t]->count; i++, k++) {
			const struct field *f = &tables[t]->fields[i];
			bool is_seen = seen >> k & 1;
			size_t used = strlen(either);

			if ((f->flags & FIELD_REQUIRED) && !is_seen)
				return place_err(err, at, "missing \"%s\"", f->name);
			if (!(f->flags & FIELD_ONE_OF))
				continue;
			snprintf(either + used, sizeof(either) - used, "%s\"%s\"",
				 one_of_count ? " or " : "", f->name);
			used = strlen(both);
			snprintf(both + used, sizeof(both) - used, "%s\"%s\"",
				 one_of_count ? " and " : "", f->name);
			one_of_count++;
			one_of_seen += is_seen;
		}
	if (one_of_count && one_of_seen == 0)
		return place_err(err, at, "missing %s", either);
	if (one_of_seen > 1)
		return place_err(err, at, "has both %s (only one may be given)", both);
	return 0;
}

int fields_read(struct trace *tr, const struct field_table *const *tables, size_t table_count,
		const cJSON *obj, void *base, const struct place *at, const char *skip,
		const char **extra, struct mp_err *err)
{
	cJSON *unknown = NULL;
	uint64_t seen = 0;
	bool is_skip_seen = false, is_lenient = table_count > 0 && tables[0]->is_lenient;
	const cJSON *member;

	for (size_t t = 0; t < table_count; t++)
		set_defaults(tables[t], base);
	cJSON_ArrayForEach(member, obj)
	{
		struct place here = { at, member->string, 0, false };
		size_t k;
		const struct field *f;

		if (skip && strcmp(member->string, skip) == 0) {
			if (is_skip_seen) {
				place_err(err, at, "\"%s\" appears twice", skip);
				goto fail;
			}
			is_skip_seen = true;
			continue;
		}
		f = find_field(tables, table_count, member->string, &k);
		if (!f) {
			if (extra && keep_unknown(&unknown, member, err) < 0)
				goto fail;
			continue;
		}
		if (k >= MAX_FIELDS || (seen >> k & 1)) {
			if (is_lenient)
				continue; /* the first of a repeated member counts */
			place_err(err, at, "\"%s\" appears twice", member->string);
			goto fail;
		}
		seen |= (uint64_t)1 << k;
		if (read_field(tr, f, is_lenient, member, &here, base, is_lenient ? NULL : err) ==
		    0)
			continue;
		if (!is_lenient)
			goto fail;
		/* Leniently a member that fails its check is as good as absent. */
		if ((f->flags & FIELD_HAS) && !(f->flags & FIELD_UNLESS_HAS))
			*(bool *)((char *)base + f->off_has) = false;
	}
	if (check_presence(tables, table_count, seen, at, err) < 0)
		goto fail;
	if (extra && finish_unknown(tr, unknown, at, extra, err) < 0)
		goto fail;
	cJSON_Delete(unknown);
	return 0;
fail:
	cJSON_Delete(unknown);
	return -1;
}

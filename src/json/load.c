/*
 * load.c - reading a trace file: the top-level object is scanned here by
 * hand and every element of "processes" and "events" is parsed on its own
 * with cJSON, validated into the model and freed at once, so a file of
 * millions of events never becomes one huge DOM (memory stays near the
 * size of the model). json/ -> trace/; never prints.
 *
 * Limits enforced here (docs/trace-format.md lists them all): the whole
 * file must be valid UTF-8 with no raw control characters, nesting is at
 * most CJSON_NESTING_LIMIT (1000) levels, nothing may follow the object.
 */
#include <cjson/cJSON.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/utf8.h"
#include "json/read.h"
#include "json/trace_json.h"
#include "json/whole_file.h"

struct scan {
	const char *buf;
	size_t len;
	size_t pos;
	struct trace *tr;
	struct mp_err *err;
};

/* The top-level members this version reads; others are skipped. */
enum member { M_FORMAT, M_VERSION, M_META, M_PROCESSES, M_EVENTS, M_COUNT };
static const char *const member_names[M_COUNT] = { "format", "version", "meta", "processes",
						   "events" };

static void line_and_byte(const struct scan *sc, size_t pos, size_t *line, size_t *byte)
{
	size_t line_start = 0;

	*line = 1;
	for (size_t i = 0; i < pos && i < sc->len; i++)
		if (sc->buf[i] == '\n') {
			(*line)++;
			line_start = i + 1;
		}
	*byte = pos - line_start + 1;
}

static int at_err(const struct scan *sc, size_t pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int at_err(const struct scan *sc, size_t pos, const char *fmt, ...)
{
	char msg[MP_ERR_MAX];
	size_t line, byte;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	line_and_byte(sc, pos, &line, &byte);
	return mp_err_set(sc->err, "line %zu, byte %zu: %s", line, byte, msg);
}

/* True if any of the 8 bytes in w is below 0x20, a backslash or not ASCII:
 * the bytes check_bytes must look at. Exact as a yes/no answer. */
static bool word_needs_look(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
	uint64_t below_space = (w - ones * 0x20) & ~w & highs;
	uint64_t bs = w ^ (ones * '\\');
	uint64_t backslash = (bs - ones) & ~bs & highs;

	return (below_space | backslash | (w & highs)) != 0;
}

/* Invalid UTF-8 is reported first wherever it is in the file, so a problem
 * found at `from` waits until the rest has been checked for it. */
static int utf8_err_from(const struct scan *sc, size_t from)
{
	size_t bad_at;

	if (utf8_is_valid((const unsigned char *)sc->buf + from, sc->len - from, &bad_at))
		return 0;
	return at_err(sc, from + bad_at, "invalid UTF-8 (byte 0x%02x)",
		      (unsigned char)sc->buf[from + bad_at]);
}

/* JSON allows no raw control characters, and every string we keep must be
 * UTF-8: checking the whole buffer once up front lets the element parser
 * and the messages trust it. One pass, eight bytes at a time for the ASCII
 * runs: this pass is a tenth of the load time of a big trace, and a
 * separate UTF-8 pass cost as much again. */
static int check_bytes(const struct scan *sc)
{
	const unsigned char *s = (const unsigned char *)sc->buf;
	size_t i = 0;

	while (i < sc->len) {
		unsigned char c;
		uint64_t w;

		if (sc->len - i >= 8) {
			memcpy(&w, s + i, 8);
			if (!word_needs_look(w)) {
				i += 8;
				continue;
			}
		}
		c = s[i];
		if (c >= 0x80) {
			size_t n = utf8_valid_prefix(s + i, sc->len - i);

			if (n == 0)
				return at_err(sc, i, "invalid UTF-8 (byte 0x%02x)", c);
			i += n;
			continue;
		}
		if (c < 0x20 && c != '\n' && c != '\r' && c != '\t')
			return utf8_err_from(sc, i) < 0
				? -1
				: at_err(sc, i, "control character 0x%02x is not allowed in JSON",
					 c);
		if (c == '\\') {
			/* cJSON strings end at NUL: "a\u0000b" would load as "a".
			 * Output with NUL bytes is written as text_b64 instead. */
			if (sc->len - i >= 6 && memcmp(s + i + 1, "u0000", 5) == 0)
				return utf8_err_from(sc, i) < 0
					? -1
					: at_err(sc, i, "\\u0000 (NUL) is not allowed in a string");
			/* The escaped character: "\\\\" is not an escape. A non-ASCII
			 * one is left for the UTF-8 check. */
			if (sc->len - i >= 2 && s[i + 1] < 0x80)
				i++;
		}
		i++;
	}
	return 0;
}

static void skip_space(struct scan *sc)
{
	while (sc->pos < sc->len) {
		char c = sc->buf[sc->pos];

		if (c != ' ' && c != '\n' && c != '\r' && c != '\t')
			break;
		sc->pos++;
	}
}

static int expect_more(const struct scan *sc)
{
	if (sc->pos < sc->len)
		return 0;
	return mp_err_set(sc->err, "the file ends too early: the JSON is incomplete (truncated?)");
}

/* How deep the brackets are at `upto`, counting from `from` (strings are
 * skipped); used only to explain a parse failure. */
static size_t depth_at(const struct scan *sc, size_t from, size_t upto)
{
	size_t depth = 0, deepest = 0;
	bool in_string = false;

	for (size_t i = from; i < upto && i < sc->len; i++) {
		char c = sc->buf[i];

		if (in_string) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_string = false;
		} else if (c == '"') {
			in_string = true;
		} else if (c == '[' || c == '{') {
			if (++depth > deepest)
				deepest = depth;
		} else if (c == ']' || c == '}') {
			depth--;
		}
	}
	return deepest;
}

static int syntax_err(const struct scan *sc, size_t start, size_t pos)
{
	char near[24];

	if (depth_at(sc, start, pos + 1) >= CJSON_NESTING_LIMIT)
		return at_err(sc, pos, "nested deeper than %d levels", CJSON_NESTING_LIMIT);
	if (pos + 1 >= sc->len)
		return mp_err_set(sc->err,
				  "the file ends too early: the JSON is incomplete (truncated?)");
	mp_quote(near, sizeof(near), sc->buf + pos, sc->len - pos < 12 ? sc->len - pos : 12);
	return at_err(sc, pos, "not valid JSON near '%s'", near);
}

/* Parses the one JSON value at the cursor. The caller owns *out. */
static int parse_value(struct scan *sc, cJSON **out)
{
	const char *end = NULL;
	size_t start;

	skip_space(sc);
	if (expect_more(sc) < 0)
		return -1;
	start = sc->pos;
	/* cJSON would skip a byte-order mark before any value; only the
	 * characters that can start a JSON value are accepted. */
	if (!strchr("{[\"-0123456789tfn", sc->buf[start]) || sc->buf[start] == '\0')
		return syntax_err(sc, start, start);
	*out = cJSON_ParseWithLengthOpts(sc->buf + start, sc->len - start, &end, false);
	if (!*out) {
		size_t pos = end && end >= sc->buf + start ? (size_t)(end - sc->buf) : start;

		return syntax_err(sc, start, pos);
	}
	sc->pos = (size_t)(end - sc->buf);
	return 0;
}

static int expect_char(struct scan *sc, char want, const char *what)
{
	skip_space(sc);
	if (expect_more(sc) < 0)
		return -1;
	if (sc->buf[sc->pos] != want)
		return at_err(sc, sc->pos, "expected %s", what);
	sc->pos++;
	return 0;
}

typedef int (*element_fn)(struct scan *sc, const cJSON *item, size_t index);

static int add_process(struct scan *sc, const cJSON *item, size_t index)
{
	const struct place at = { NULL, "processes", index, true };
	struct process p;

	if (read_process(sc->tr, item, &at, &p, sc->err) < 0)
		return -1;
	return trace_add_process(sc->tr, &p, sc->err);
}

static int add_event(struct scan *sc, const cJSON *item, size_t index)
{
	const struct place at = { NULL, "events", index, true };
	struct event ev;

	if (read_event(sc->tr, item, &at, &ev, sc->err) < 0)
		return -1;
	return trace_add_event(sc->tr, &ev, sc->err);
}

/* Walks an array one element at a time: each element is parsed, handed to
 * fn and freed before the next is parsed. */
static int scan_array(struct scan *sc, const char *name, element_fn fn)
{
	size_t index = 0;

	skip_space(sc);
	if (expect_more(sc) < 0)
		return -1;
	if (sc->buf[sc->pos] != '[') {
		cJSON *v = NULL;
		char got[64];

		if (parse_value(sc, &v) < 0)
			return -1;
		json_describe(v, got, sizeof(got));
		cJSON_Delete(v);
		return mp_err_set(sc->err, "%s: expected an array, got %s", name, got);
	}
	sc->pos++;
	skip_space(sc);
	if (sc->pos < sc->len && sc->buf[sc->pos] == ']') {
		sc->pos++;
		return 0;
	}
	for (;;) {
		cJSON *item = NULL;
		int rc;

		if (parse_value(sc, &item) < 0)
			return -1;
		rc = fn(sc, item, index++);
		cJSON_Delete(item);
		if (rc < 0)
			return -1;
		skip_space(sc);
		if (expect_more(sc) < 0)
			return -1;
		if (sc->buf[sc->pos] == ']') {
			sc->pos++;
			return 0;
		}
		if (sc->buf[sc->pos] != ',')
			return at_err(sc, sc->pos, "expected ',' or ']' after %s[%zu]", name,
				      index - 1);
		sc->pos++;
	}
}

static int read_format(struct scan *sc)
{
	cJSON *v = NULL;
	char got[64];
	int rc = 0;

	if (parse_value(sc, &v) < 0)
		return -1;
	if (!cJSON_IsString(v) || strcmp(v->valuestring, TRACE_FORMAT_NAME) != 0) {
		json_describe(v, got, sizeof(got));
		rc = mp_err_set(sc->err, "format: expected \"%s\", got %s (not an mpscope trace)",
				TRACE_FORMAT_NAME, got);
	}
	cJSON_Delete(v);
	return rc;
}

static int read_version(struct scan *sc)
{
	cJSON *v = NULL;
	char got[64];
	int rc = 0;

	if (parse_value(sc, &v) < 0)
		return -1;
	json_describe(v, got, sizeof(got));
	/* Range first: converting an out-of-range double to int is undefined. */
	if (!cJSON_IsNumber(v) || !(v->valuedouble >= 1 && v->valuedouble <= INT_MAX) ||
	    (double)(int)v->valuedouble != v->valuedouble)
		rc = mp_err_set(sc->err, "version: expected a version number, got %s", got);
	else if (v->valuedouble != TRACE_FORMAT_VERSION)
		rc = mp_err_set(sc->err,
				"version: the file is version %s, this mpscope reads version %d",
				got, TRACE_FORMAT_VERSION);
	cJSON_Delete(v);
	return rc;
}

static int read_member(struct scan *sc, enum member m)
{
	const struct place meta_at = { NULL, "meta", 0, false };
	cJSON *v = NULL;
	int rc;

	switch (m) {
	case M_FORMAT:
		return read_format(sc);
	case M_VERSION:
		return read_version(sc);
	case M_PROCESSES:
		return scan_array(sc, "processes", add_process);
	case M_EVENTS:
		return scan_array(sc, "events", add_event);
	case M_META:
		if (parse_value(sc, &v) < 0)
			return -1;
		rc = read_meta(sc->tr, v, &meta_at, sc->err);
		cJSON_Delete(v);
		return rc;
	default:
		/* A member from a newer version: parsed (it must be JSON) and
		 * ignored. */
		if (parse_value(sc, &v) < 0)
			return -1;
		cJSON_Delete(v);
		return 0;
	}
}

static int read_member_name(struct scan *sc, enum member *m)
{
	cJSON *name = NULL;

	*m = M_COUNT;
	skip_space(sc);
	if (sc->pos < sc->len && sc->buf[sc->pos] != '"')
		return at_err(sc, sc->pos, "expected a member name in quotes");
	if (parse_value(sc, &name) < 0)
		return -1;
	for (int i = 0; i < M_COUNT; i++)
		if (strcmp(name->valuestring, member_names[i]) == 0)
			*m = (enum member)i;
	cJSON_Delete(name);
	return expect_char(sc, ':', "':' after a member name");
}

static const char *top_type(char c)
{
	switch (c) {
	case '[':
		return "an array";
	case '"':
		return "a string";
	case 't':
	case 'f':
		return "true or false";
	case 'n':
		return "null";
	default:
		return strchr("-0123456789", c) ? "a number" : NULL;
	}
}

static int check_required(const struct scan *sc, const bool seen[M_COUNT])
{
	if (!seen[M_FORMAT])
		return mp_err_set(sc->err, "missing \"format\": this is not an mpscope trace");
	for (int i = M_VERSION; i < M_COUNT; i++)
		if (!seen[i])
			return mp_err_set(sc->err, "missing \"%s\"", member_names[i]);
	return 0;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

static bool has_pid(const int *pids, size_t count, int pid)
{
	return bsearch(&pid, pids, count, sizeof(*pids), cmp_int) != NULL;
}

/* Events must name processes of the trace. trace_finish checks this too,
 * but after sorting events by time; checking here, while the events are
 * still in file order, makes "events[12]" in the message the 12th event of
 * the file even when the file is not sorted. */
static int check_references(const struct scan *sc)
{
	const struct trace *tr = sc->tr;
	int *pids = malloc((tr->proc_count + 1) * sizeof(*pids));
	int rc = 0;

	if (!pids)
		return mp_err_set(sc->err, "out of memory while checking the trace");
	for (size_t i = 0; i < tr->proc_count; i++)
		pids[i] = tr->procs[i].pid;
	qsort(pids, tr->proc_count, sizeof(*pids), cmp_int);
	for (size_t i = 0; i < tr->event_count && rc == 0; i++) {
		const struct event *ev = &tr->events[i];

		if (!has_pid(pids, tr->proc_count, ev->pid))
			rc = mp_err_set(sc->err,
					"events[%zu].pid: %d is not a process of this trace", i,
					ev->pid);
		else if (ev->kind == EV_FORK && !has_pid(pids, tr->proc_count, ev->u.fork.child))
			rc = mp_err_set(sc->err,
					"events[%zu].child: %d is not a process of this trace", i,
					ev->u.fork.child);
	}
	free(pids);
	return rc;
}

static int scan_document(struct scan *sc)
{
	bool seen[M_COUNT] = { false };

	skip_space(sc);
	if (sc->pos == sc->len)
		return mp_err_set(sc->err, "the file is empty");
	if (check_bytes(sc) < 0)
		return -1;
	if (sc->len - sc->pos >= 3 && memcmp(sc->buf + sc->pos, "\xef\xbb\xbf", 3) == 0)
		return at_err(sc, sc->pos,
			      "a byte-order mark is not allowed (save as UTF-8 without BOM)");
	if (sc->buf[sc->pos] != '{') {
		const char *type = top_type(sc->buf[sc->pos]);

		if (type)
			return mp_err_set(sc->err, "expected a JSON object at the top, got %s",
					  type);
		return syntax_err(sc, sc->pos, sc->pos);
	}
	sc->pos++;
	skip_space(sc);
	if (sc->pos < sc->len && sc->buf[sc->pos] == '}') {
		sc->pos++;
	} else {
		for (;;) {
			enum member m = M_COUNT;

			if (expect_more(sc) < 0 || read_member_name(sc, &m) < 0)
				return -1;
			if (m < M_COUNT && seen[m])
				return mp_err_set(sc->err, "\"%s\" appears twice", member_names[m]);
			if (m < M_COUNT)
				seen[m] = true;
			if (read_member(sc, m) < 0)
				return -1;
			skip_space(sc);
			if (expect_more(sc) < 0)
				return -1;
			if (sc->buf[sc->pos] == '}') {
				sc->pos++;
				break;
			}
			if (sc->buf[sc->pos] != ',')
				return at_err(sc, sc->pos, "expected ',' or '}' between members");
			sc->pos++;
		}
	}
	skip_space(sc);
	if (sc->pos < sc->len)
		return at_err(sc, sc->pos, "unexpected text after the end of the trace");
	if (check_required(sc, seen) < 0 || check_references(sc) < 0)
		return -1;
	return trace_finish(sc->tr, sc->err);
}

int trace_json_load_buffer(const char *name, const char *buf, size_t len, struct trace *tr,
			   struct mp_err *err)
{
	struct scan sc = { buf, len, 0, tr, err };

	if (scan_document(&sc) < 0)
		return mp_err_prefix(err, "%s", name);
	return 0;
}

int trace_json_load(const char *path, struct trace *tr, struct mp_err *err)
{
	size_t len = 0;
	char *buf = json_read_whole_file(path, 0, "trace", &len, err);
	int rc;

	if (!buf)
		return -1;
	rc = trace_json_load_buffer(path, buf, len, tr, err);
	free(buf);
	return rc;
}

/*
 * write.c - the trace model as JSON text (contract v1), emitted from the
 * tables of fields.h so the writer and the reader cannot disagree. One
 * process or event per line keeps traces readable and their diffs small.
 * json/ <- trace/; never prints.
 */
#include <string.h>

#include "common/utf8.h"
#include "json/base64.h"
#include "json/fields.h"
#include "json/trace_json.h"

static void add_u64(struct sbuf *o, uint64_t v)
{
	char digits[24];
	size_t n = sizeof(digits);

	do {
		digits[--n] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	sbuf_add(o, digits + n, sizeof(digits) - n);
}

static void add_i64(struct sbuf *o, int64_t v)
{
	if (v < 0) {
		sbuf_addc(o, '-');
		add_u64(o, (uint64_t)0 - (uint64_t)v);
	} else {
		add_u64(o, (uint64_t)v);
	}
}

/* A JSON string. Bytes that are not UTF-8 become U+FFFD: every string the
 * model holds must survive our own strict reader (output text, which may
 * be any bytes, goes through text_b64 instead). */
static void add_string(struct sbuf *o, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run = 0;

	sbuf_addc(o, '"');
	while (i < len) {
		unsigned char c = p[i];
		size_t n = c < 0x80 ? 1 : utf8_valid_prefix(p + i, len - i);

		if (n > 0 && c >= 0x20 && c != '"' && c != '\\') {
			i += n;
			continue;
		}
		sbuf_add(o, s + run, i - run);
		if (n == 0)
			sbuf_adds(o, "\xef\xbf\xbd");
		else if (c == '"' || c == '\\')
			sbuf_addf(o, "\\%c", c);
		else if (c == '\n')
			sbuf_adds(o, "\\n");
		else if (c == '\t')
			sbuf_adds(o, "\\t");
		else if (c == '\r')
			sbuf_adds(o, "\\r");
		else
			sbuf_addf(o, "\\u%04x", c);
		i++;
		run = i;
	}
	sbuf_add(o, s + run, len - run);
	sbuf_addc(o, '"');
}

static void add_cstring(struct sbuf *o, const char *s)
{
	add_string(o, s, strlen(s));
}

/* Output text is written as a JSON string only when reading it back gives
 * the same bytes: valid UTF-8 and no NUL (cJSON strings end at NUL). */
static bool text_fits_string(const char *text, size_t len)
{
	return utf8_is_valid((const unsigned char *)text, len, NULL) && !memchr(text, '\0', len);
}

static bool is_present(const struct field *f, const void *base)
{
	const char *p = (const char *)base + f->off;

	if (f->flags & FIELD_HAS) {
		bool has = *(const bool *)((const char *)base + f->off_has);

		return (f->flags & FIELD_UNLESS_HAS) ? !has : has;
	}
	if (f->flags & (FIELD_ALWAYS | FIELD_REQUIRED))
		return true;
	switch (f->type) {
	case FT_STR:
	case FT_BYTES:
		return *(const void *const *)p != NULL;
	case FT_BOOL:
		return *(const bool *)p;
	case FT_U64:
	case FT_SEQ:
		return *(const uint64_t *)p != 0;
	case FT_PEER:
	case FT_INT:
		return *(const int *)p != 0;
	case FT_FD_AS:
		return *(const int *)p >= 0;
	case FT_SEQ_REF:
		return *(const int64_t *)p >= 0;
	case FT_STRV:
		return ((const struct strv *)p)->count > 0;
	case FT_FDS:
	case FT_GLOBALS:
		return *(const size_t *)((const char *)base + f->off_len) > 0;
	case FT_TEXT:
	case FT_TEXT_B64: {
		const char *text = *(const char *const *)p;
		size_t len = *(const size_t *)((const char *)base + f->off_len);

		if (!text)
			return false;
		return (f->type == FT_TEXT) == text_fits_string(text, len);
	}
	default:
		return true;
	}
}

static int add_fields(struct sbuf *o, const struct field_table *t, const void *base, bool *is_first,
		      struct mp_err *err);

static int add_value(struct sbuf *o, const struct field *f, const void *base, struct mp_err *err)
{
	const char *p = (const char *)base + f->off;
	size_t len = f->off_len ? *(const size_t *)((const char *)base + f->off_len) : 0;

	switch (f->type) {
	case FT_SEQ:
	case FT_U64:
		add_u64(o, *(const uint64_t *)p);
		break;
	case FT_TIME:
	case FT_SEQ_REF:
		add_i64(o, *(const int64_t *)p);
		break;
	case FT_STR: {
		/* A required string the producer left unset is written empty
		 * rather than losing the whole recording. */
		const char *str = *(const char *const *)p;

		add_cstring(o, str ? str : "");
		break;
	}
	case FT_BOOL:
		sbuf_adds(o, *(const bool *)p ? "true" : "false");
		break;
	case FT_ENUM: {
		const char *name = f->enum_name(*(const int *)p);

		if (!name)
			return mp_err_set(
				err, "cannot write the trace: \"%s\" holds %d, which has no name",
				f->name, *(const int *)p);
		add_cstring(o, name);
		break;
	}
	case FT_STRV: {
		const struct strv *v = (const struct strv *)p;

		sbuf_addc(o, '[');
		for (size_t i = 0; i < v->count; i++) {
			if (i)
				sbuf_adds(o, ", ");
			add_cstring(o, v->items[i] ? v->items[i] : "");
		}
		sbuf_addc(o, ']');
		break;
	}
	case FT_FDS: {
		const struct fd_entry *fds = *(const struct fd_entry *const *)p;

		sbuf_addc(o, '[');
		for (size_t i = 0; i < len; i++) {
			bool is_first = true;

			sbuf_adds(o, i ? ", {" : "{");
			if (add_fields(o, f->sub, &fds[i], &is_first, err) < 0)
				return -1;
			sbuf_addc(o, '}');
		}
		sbuf_addc(o, ']');
		break;
	}
	case FT_BYTES:
	case FT_TEXT_B64:
		sbuf_addc(o, '"');
		base64_encode(o, *(const uint8_t *const *)p, len);
		sbuf_addc(o, '"');
		break;
	case FT_TEXT:
		add_string(o, *(const char *const *)p, len);
		break;
	case FT_GLOBALS: {
		const struct global_ref *g = *(const struct global_ref *const *)p;

		sbuf_addc(o, '[');
		for (size_t i = 0; i < len; i++) {
			sbuf_adds(o, i ? ", [" : "[");
			add_cstring(o, g[i].module ? g[i].module : "");
			sbuf_adds(o, ", ");
			add_cstring(o, g[i].name ? g[i].name : "");
			sbuf_addc(o, ']');
		}
		sbuf_addc(o, ']');
		break;
	}
	case FT_OBJECT: {
		bool is_first = true;

		sbuf_addc(o, '{');
		if (add_fields(o, f->sub, p, &is_first, err) < 0)
			return -1;
		sbuf_addc(o, '}');
		break;
	}
	default: /* the int-sized types */
		add_i64(o, *(const int *)p);
		break;
	}
	return 0;
}

static void add_key(struct sbuf *o, const char *name, bool *is_first)
{
	if (!*is_first)
		sbuf_adds(o, ", ");
	*is_first = false;
	sbuf_addc(o, '"');
	sbuf_adds(o, name);
	sbuf_adds(o, "\": ");
}

static int add_fields(struct sbuf *o, const struct field_table *t, const void *base, bool *is_first,
		      struct mp_err *err)
{
	for (size_t i = 0; i < t->count; i++) {
		const struct field *f = &t->fields[i];

		if (!is_present(f, base))
			continue;
		add_key(o, f->name, is_first);
		if (add_value(o, f, base, err) < 0)
			return -1;
	}
	return 0;
}

/* Unknown members kept by the reader go back after the known ones. extra
 * must be a JSON object's text; anything else is the caller's bug. */
static int add_extra(struct sbuf *o, const char *extra, bool is_first, struct mp_err *err)
{
	size_t len;

	if (!extra)
		return 0;
	len = strlen(extra);
	if (len < 2 || extra[0] != '{' || extra[len - 1] != '}')
		return mp_err_set(err,
				  "cannot write the trace: unknown fields are not a JSON object");
	if (len == 2)
		return 0;
	if (!is_first)
		sbuf_adds(o, ", ");
	sbuf_add(o, extra + 1, len - 2);
	return 0;
}

static int add_event(struct sbuf *o, const struct event *ev, struct mp_err *err)
{
	bool is_first = true;
	const char *kind = ev->kind == EV_UNKNOWN ? ev->kind_name : ev_kind_name(ev->kind);

	if (!kind || !*kind)
		return mp_err_set(err, "cannot write the trace: event %llu has no kind",
				  (unsigned long long)ev->seq);
	sbuf_addc(o, '{');
	if (add_fields(o, &event_common_fields, ev, &is_first, err) < 0)
		return -1;
	add_key(o, "kind", &is_first);
	add_cstring(o, kind);
	if (add_fields(o, event_kind_fields(ev->kind), ev, &is_first, err) < 0)
		return -1;
	if (add_extra(o, ev->extra, is_first, err) < 0)
		return -1;
	sbuf_addc(o, '}');
	return 0;
}

static int add_object(struct sbuf *o, const struct field_table *t, const void *base,
		      const char *extra, struct mp_err *err)
{
	bool is_first = true;

	sbuf_addc(o, '{');
	if (add_fields(o, t, base, &is_first, err) < 0)
		return -1;
	if (add_extra(o, extra, is_first, err) < 0)
		return -1;
	sbuf_addc(o, '}');
	return 0;
}

int trace_json_dump(const struct trace *tr, struct sbuf *out, struct mp_err *err)
{
	sbuf_adds(out, "{\n  \"format\": \"" TRACE_FORMAT_NAME "\",\n  \"version\": ");
	add_u64(out, TRACE_FORMAT_VERSION);
	sbuf_adds(out, ",\n  \"meta\": ");
	if (add_object(out, &meta_fields, &tr->meta, tr->meta.extra, err) < 0)
		return -1;
	sbuf_adds(out, ",\n  \"processes\": [");
	for (size_t i = 0; i < tr->proc_count; i++) {
		sbuf_adds(out, i ? ",\n    " : "\n    ");
		if (add_object(out, &process_fields, &tr->procs[i], tr->procs[i].extra, err) < 0)
			return -1;
	}
	sbuf_adds(out, tr->proc_count ? "\n  ],\n  \"events\": [" : "],\n  \"events\": [");
	for (size_t i = 0; i < tr->event_count; i++) {
		sbuf_adds(out, i ? ",\n    " : "\n    ");
		if (add_event(out, &tr->events[i], err) < 0)
			return -1;
	}
	sbuf_adds(out, tr->event_count ? "\n  ]\n}\n" : "]\n}\n");
	if (out->is_oom)
		return mp_err_set(err, "out of memory while writing the trace");
	return 0;
}

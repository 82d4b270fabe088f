/*
 * html_payload.c - one pickle as the page shows it, in the screen's three
 * views: the disassembly (pickletools' listing, GLOBAL / STACK_GLOBAL /
 * INST lines marked with the name they resolve to), the decoded object
 * (the line naming the program's own code marked), and the bytes for the
 * hex view (the page lays them out), with the verdict line under the
 * header (what loading would import and call, docs/verdict.md). Built from
 * src/pickle/, which never executes a pickle; the authkey is redacted in
 * the bytes before anything is made of them, unless EXPORT_NO_REDACT.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export/html_internal.h"
#include "pickle/pickle.h"

/* The lines of one view: the text, and which lines are references. */
struct view {
	struct sbuf text;
	struct sbuf marks; /* JSON list of marked line numbers, without brackets */
	size_t line_count;
	long first; /* the line to open at, -1 for the top */
};

static void view_init(struct view *v)
{
	sbuf_init(&v->text);
	sbuf_init(&v->marks);
	v->line_count = 0;
	v->first = -1;
}

static void view_release(struct view *v)
{
	sbuf_release(&v->text);
	sbuf_release(&v->marks);
}

static void view_mark(struct view *v, size_t line)
{
	sbuf_addf(&v->marks, "%s%zu", v->marks.len ? "," : "", line);
}

static void view_line(struct view *v, const char *s, bool is_ref)
{
	if (is_ref)
		view_mark(v, v->line_count);
	sbuf_adds(&v->text, s);
	sbuf_addc(&v->text, '\n');
	v->line_count++;
}

static void build_dis(struct view *v, const uint8_t *b, size_t len, bool is_cut, unsigned flags,
		      struct arena *a)
{
	struct pickle_listing lst;
	struct pickle_redactions red = { 0 };
	struct pickle_global *globals = NULL;
	size_t global_count = 0;
	struct mp_err err;
	bool ok = pickle_dis(b, len, a, &lst, &err) == 0;
	unsigned fmt = PK_FMT_NO_OPCODE_BYTE | PK_FMT_NO_NEWLINE;

	pickle_globals(b, len, a, &globals, &global_count, NULL);
	if (flags & EXPORT_NO_REDACT)
		fmt |= PK_FMT_SHOW_AUTHKEY;
	else
		pickle_find_authkeys(b, len, a, &red, NULL);
	for (size_t i = 0; i < lst.insn_count; i++) {
		const struct pickle_insn *in = &lst.insns[i];
		bool is_ref = replay_insn_names_global(in);

		if (is_ref && v->first < 0 &&
		    !replay_global_is_machinery(globals, global_count, in->offset))
			v->first = (long)v->line_count;
		if (is_ref)
			view_mark(v, v->line_count);
		pickle_insn_format_with(in, &red, fmt, &v->text);
		for (size_t g = 0; is_ref && g < global_count; g++)
			if (globals[g].offset == in->offset)
				sbuf_addf(&v->text, "  → %s.%s", globals[g].module,
					  globals[g].name);
		sbuf_addc(&v->text, '\n');
		v->line_count++;
	}
	if (!ok)
		view_line(v, is_cut ? "(the rest was not captured)" : err.msg, false);
}

/* The decoded line that names the program's own code: a process object's
 * `_target=`, else the first line holding its first own reference. */
static void mark_own_line(struct view *v, const struct event *ev)
{
	const struct global_ref *g = replay_payload_ref(ev);
	char name[256];
	const char *keys[2] = { "_target=", NULL };

	if (g) {
		snprintf(name, sizeof(name), "%s.%s", g->module, g->name);
		keys[1] = name;
	}
	for (int k = 0; k < 2; k++) {
		size_t line = 0;

		for (size_t i = 0; keys[k] && i < v->text.len; line++) {
			const char *nl = memchr(v->text.data + i, '\n', v->text.len - i);
			size_t end = nl ? (size_t)(nl - v->text.data) : v->text.len;

			if (memmem(v->text.data + i, end - i, keys[k], strlen(keys[k]))) {
				v->first = (long)line;
				view_mark(v, line);
				return;
			}
			i = end + 1;
		}
	}
}

static void build_decoded(struct view *v, const struct event *ev, const uint8_t *b, size_t len,
			  unsigned flags, struct arena *a)
{
	struct pickle_node *root = NULL;
	struct mp_err err;

	if (pickle_decode(b, len, a, &root, &err) < 0) {
		view_line(v, err.msg, false);
		return;
	}
	pickle_render(root,
		      PK_RENDER_ELIDE | (flags & EXPORT_NO_REDACT ? PK_RENDER_SHOW_AUTHKEY : 0u),
		      &v->text);
	if (!v->text.is_oom)
		mark_own_line(v, ev);
}

static const char *what_label(const char *what)
{
	static const char *const words[][2] = {
		{ "process", "process object" }, { "preparation", "preparation data" },
		{ "pool_task", "pool task" },    { "pool_result", "pool result" },
		{ "queue_item", "queue item" },
	};

	if (!what)
		return "object";
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcmp(what, words[i][0]) == 0)
			return words[i][1];
	return what;
}

static void add_string(struct sbuf *out, const char *key, struct html_strings *strs, const char *s,
		       size_t len)
{
	sbuf_addf(out, "\"%s\":%ld,", key, html_strings_add(strs, s, len));
}

static void add_view(struct sbuf *out, const char *key, struct view *v, struct html_strings *strs)
{
	sbuf_addf(out, "\"%s\":[%ld,%ld,[", key,
		  html_strings_add(strs, v->text.data ? v->text.data : "", v->text.len), v->first);
	sbuf_add(out, v->marks.data ? v->marks.data : "", v->marks.len);
	sbuf_adds(out, "]],");
}

static void add_head(const struct event *ev, bool is_redacted, struct html_strings *strs,
		     struct sbuf *out)
{
	const struct global_ref *g = replay_payload_ref(ev);
	struct sbuf t;

	sbuf_init(&t);
	if (!ev->u.pickle.peer)
		sbuf_addf(&t, "payload %d · %llu B", ev->pid,
			  (unsigned long long)ev->u.pickle.size);
	else
		sbuf_addf(&t, "payload %d %s %d · %llu B", ev->pid,
			  ev->kind == EV_PICKLE_DUMP ? "→" : "←", ev->u.pickle.peer,
			  (unsigned long long)ev->u.pickle.size);
	add_string(out, "h", strs, t.data ? t.data : "", t.len);
	sbuf_clear(&t);
	sbuf_adds(&t, what_label(ev->u.pickle.what));
	add_string(out, "w", strs, t.data, t.len);
	sbuf_clear(&t);
	if (g)
		sbuf_addf(&t, "%s.%s", g->module, g->name);
	sbuf_addf(out, "\"r\":%ld,", g ? html_strings_add(strs, t.data, t.len) : -1L);
	sbuf_clear(&t);
	sbuf_addf(&t, "%s%s%s%s", ev->u.pickle.type ? " · " : "",
		  ev->u.pickle.type ? ev->u.pickle.type : "",
		  ev->u.pickle.is_truncated ? " · cut" : "",
		  is_redacted ? " · authkey hidden" : "");
	add_string(out, "i", strs, t.data ? t.data : "", t.len);
	/* The travelling box's label on the lanes: "344 B __main__.f". */
	sbuf_clear(&t);
	sbuf_add_size(&t, ev->u.pickle.size);
	add_string(out, "s", strs, t.data, t.len);
	sbuf_release(&t);
	sbuf_addf(out, "\"d\":%d,\"e\":%d,", ev->kind == EV_PICKLE_DUMP,
		  ev->u.pickle.error ? 1 : 0);
}

/* "v": the verdict line of the bytes as they leave (-1: none captured),
 * "vd": 1 when it is dangerous, for the page's alarm colour. */
static void add_verdict(const uint8_t *bytes, size_t len, const struct event *ev,
			struct html_strings *strs, struct sbuf *out)
{
	struct sbuf line;
	int v;

	sbuf_init(&line);
	v = bytes ? replay_payload_verdict(bytes, len, ev->u.pickle.size, &line) : -1;
	if (line.is_oom)
		out->is_oom = true;
	sbuf_addf(out, "\"v\":%ld,\"vd\":%d,",
		  v >= 0 ? html_strings_add(strs, line.data, line.len) : -1L,
		  v == PK_VERDICT_DANGEROUS);
	sbuf_release(&line);
}

/* Payload bytes as they may leave: a redacted copy (the caller frees it),
 * or NULL when out of memory. */
static uint8_t *bytes_out(const struct event *ev, unsigned flags, const struct export_keys *keys,
			  size_t *redacted)
{
	uint8_t *copy = malloc(ev->u.pickle.bytes_len ? ev->u.pickle.bytes_len : 1);

	*redacted = 0;
	if (!copy)
		return NULL;
	memcpy(copy, ev->u.pickle.bytes, ev->u.pickle.bytes_len);
	/* A payload that does not walk to its end is redacted as far as it
	 * walks: what follows is not shown as a listing either. */
	if (!(flags & EXPORT_NO_REDACT))
		*redacted = export_keys_redact_payload(keys, copy, ev->u.pickle.bytes_len);
	return copy;
}

int html_payload_json(const struct event *ev, unsigned flags, const struct export_keys *keys,
		      struct html_strings *strs, struct sbuf *out, struct mp_err *err)
{
	struct view dis, dec;
	struct arena a;
	uint8_t *bytes = NULL;
	size_t redacted = 0, len = ev->u.pickle.bytes_len;
	bool is_oom;
	bool has_bytes =
		ev->u.pickle.bytes && len && !(flags & EXPORT_NO_PAYLOADS) && !ev->u.pickle.error;

	if (has_bytes && !(bytes = bytes_out(ev, flags, keys, &redacted)))
		return mp_err_set(err, "out of memory while redacting a payload");
	view_init(&dis);
	view_init(&dec);
	arena_init(&a);
	sbuf_addc(out, '{');
	add_head(ev, ev->u.pickle.is_redacted || redacted, strs, out);
	add_verdict(bytes, len, ev, strs, out);
	if (ev->u.pickle.error) {
		view_line(&dis, ev->u.pickle.error, false);
		view_line(&dec, ev->u.pickle.error, false);
	} else if (!has_bytes) {
		view_line(&dis, "(the bytes were not captured)", false);
		for (size_t i = 0; i < ev->u.pickle.global_count; i++) {
			char line[512];

			snprintf(line, sizeof(line), "reference %s.%s",
				 ev->u.pickle.globals[i].module, ev->u.pickle.globals[i].name);
			view_line(&dis, line, true);
		}
		view_line(&dec, "(the bytes were not captured)", false);
	} else {
		build_dis(&dis, bytes, len, ev->u.pickle.is_truncated, flags, &a);
		build_decoded(&dec, ev, bytes, len, flags, &a);
	}
	add_view(out, "p", &dis, strs);
	add_view(out, "o", &dec, strs);
	/* The hex view is laid out by the page from the bytes: a quarter of
	 * the size of the dump itself. A dump and its load share them. */
	sbuf_clear(&dis.text);
	if (has_bytes)
		html_base64(bytes, len, &dis.text);
	sbuf_addf(out, "\"x\":%ld}",
		  html_strings_add(strs, dis.text.data ? dis.text.data : "", dis.text.len));
	is_oom = dis.text.is_oom || dec.text.is_oom || dis.marks.is_oom || dec.marks.is_oom ||
		strs->is_oom;
	arena_release(&a);
	free(bytes);
	view_release(&dis);
	view_release(&dec);
	if (is_oom)
		return mp_err_set(err, "out of memory while writing a payload");
	return 0;
}

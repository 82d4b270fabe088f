/*
 * json.c - `export -f json`: the trace per mpscope's own format, in the
 * canonical form json/ writes, with its payloads redacted again or left
 * out. See export.h.
 */
#include <stdlib.h>
#include <string.h>

#include "export/export.h"
#include "json/trace_json.h"
#include "pickle/pickle.h"

/* Payload bytes as they may leave: NULL when left out, else a redacted
 * copy in a (NULL when nothing in them needed it: the trace's own bytes). */
static const uint8_t *payload_out(const struct event *ev, unsigned flags,
				  const struct export_keys *keys, struct arena *a,
				  struct mp_err *err)
{
	uint8_t *copy;

	if (flags & EXPORT_NO_REDACT)
		return ev->u.pickle.bytes;
	copy = arena_alloc(a, ev->u.pickle.bytes_len);
	if (!copy) {
		mp_err_set(err, "out of memory while redacting a payload");
		return NULL;
	}
	memcpy(copy, ev->u.pickle.bytes, ev->u.pickle.bytes_len);
	return export_keys_redact_payload(keys, copy, ev->u.pickle.bytes_len) ? copy
									      : ev->u.pickle.bytes;
}

/* What the program printed, with any key it printed redacted (a copy in
 * a), or the trace's own text. */
static const char *output_out(const struct event *ev, const struct export_keys *keys,
			      struct arena *a)
{
	char *copy = arena_memdup(a, ev->u.output.text, ev->u.output.text_len);

	if (copy && export_keys_scrub(keys, copy, ev->u.output.text_len) > 0)
		return copy;
	return copy ? ev->u.output.text : NULL;
}

/* The last lock: a key left anywhere else in the text (a command line, a
 * path) is overwritten too. The marker is plain ASCII with no quote or
 * backslash, so the text stays JSON; that it is still a trace is checked,
 * since a key inside base64 text would not be. */
static int scrub_text(const struct export_keys *keys, struct sbuf *out, size_t start,
		      const char *name, struct mp_err *err)
{
	struct trace back;
	int rc = 0;

	if (out->len == start || export_keys_scrub(keys, out->data + start, out->len - start) == 0)
		return 0;
	trace_init(&back);
	if (trace_json_load_buffer(name ? name : "the export", out->data + start, out->len - start,
				   &back, err) < 0)
		rc = mp_err_set(err,
				"cannot redact the authkey of %s without breaking it; "
				"--no-redact exports it as it is",
				name ? name : "the trace");
	trace_release(&back);
	return rc;
}

int export_json(const struct export_input *in, size_t count, const struct export_opts *o,
		struct sbuf *out, struct mp_err *err)
{
	struct trace copy;
	struct event *events;
	struct arena a;
	struct export_keys keys;
	size_t start = out->len;
	int rc = 0;

	if (count != 1)
		return mp_err_set(err, "-f json writes one trace at a time; %zu were given", count);
	copy = *in[0].tr;
	events = malloc((copy.event_count ? copy.event_count : 1) * sizeof(*events));
	if (!events)
		return mp_err_set(err, "out of memory while exporting %s", in[0].name);
	memcpy(events, copy.events, copy.event_count * sizeof(*events));
	copy.events = events;
	arena_init(&a);
	export_keys_init(&keys);
	if (!(o->flags & EXPORT_NO_REDACT))
		rc = export_keys_collect(&keys, in[0].tr, err);
	for (size_t i = 0; i < copy.event_count && rc == 0; i++) {
		struct event *ev = &events[i];

		if (ev->kind == EV_OUTPUT && ev->u.output.text_len && keys.form_count > 0) {
			ev->u.output.text = output_out(ev, &keys, &a);
			if (!ev->u.output.text)
				rc = mp_err_set(err, "out of memory while redacting output");
			continue;
		}
		if ((ev->kind != EV_PICKLE_DUMP && ev->kind != EV_PICKLE_LOAD) ||
		    !ev->u.pickle.bytes)
			continue;
		if (o->flags & EXPORT_NO_PAYLOADS) {
			ev->u.pickle.bytes = NULL;
			ev->u.pickle.bytes_len = 0;
			ev->u.pickle.is_truncated = ev->u.pickle.size > 0;
			continue;
		}
		ev->u.pickle.bytes = payload_out(ev, o->flags, &keys, &a, err);
		if (!ev->u.pickle.bytes)
			rc = -1;
	}
	if (rc == 0)
		rc = trace_json_dump(&copy, out, err);
	if (rc == 0 && keys.form_count > 0)
		rc = scrub_text(&keys, out, start, in[0].name, err);
	export_keys_release(&keys);
	arena_release(&a);
	free(events);
	return rc;
}

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
static const uint8_t *payload_out(const struct event *ev, unsigned flags, struct arena *a,
				  struct mp_err *err)
{
	uint8_t *copy;
	size_t redacted;
	struct mp_err ignored;

	if (flags & EXPORT_NO_REDACT)
		return ev->u.pickle.bytes;
	copy = arena_alloc(a, ev->u.pickle.bytes_len);
	if (!copy) {
		mp_err_set(err, "out of memory while redacting a payload");
		return NULL;
	}
	memcpy(copy, ev->u.pickle.bytes, ev->u.pickle.bytes_len);
	/* A payload that does not walk to its end (capped, or not a pickle)
	 * is redacted as far as it walks. */
	pickle_redact_authkeys(copy, ev->u.pickle.bytes_len, &redacted, &ignored);
	return redacted ? copy : ev->u.pickle.bytes;
}

int export_json(const struct export_input *in, size_t count, const struct export_opts *o,
		struct sbuf *out, struct mp_err *err)
{
	struct trace copy;
	struct event *events;
	struct arena a;
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
	for (size_t i = 0; i < copy.event_count && rc == 0; i++) {
		struct event *ev = &events[i];

		if ((ev->kind != EV_PICKLE_DUMP && ev->kind != EV_PICKLE_LOAD) ||
		    !ev->u.pickle.bytes)
			continue;
		if (o->flags & EXPORT_NO_PAYLOADS) {
			ev->u.pickle.bytes = NULL;
			ev->u.pickle.bytes_len = 0;
			ev->u.pickle.is_truncated = ev->u.pickle.size > 0;
			continue;
		}
		ev->u.pickle.bytes = payload_out(ev, o->flags, &a, err);
		if (!ev->u.pickle.bytes)
			rc = -1;
	}
	if (rc == 0)
		rc = trace_json_dump(&copy, out, err);
	arena_release(&a);
	free(events);
	return rc;
}

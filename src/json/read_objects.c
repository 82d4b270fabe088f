/*
 * read_objects.c - the three objects of a trace file (meta, a process, an
 * event) read into the model, with the checks that span several fields.
 * read_event also reads the events of the probe's messages (probe_json.c).
 */
#include <cjson/cJSON.h>
#include <string.h>

#include "json/read.h"

/* Each of the three objects is refused the same way when it is not one. */
static int expect_object(const cJSON *obj, const struct place *at, struct mp_err *err)
{
	char got[64];

	if (cJSON_IsObject(obj))
		return 0;
	json_describe(obj, got, sizeof(got));
	return place_err(err, at, "expected an object, got %s", got);
}

int read_meta(struct trace *tr, const cJSON *obj, const struct place *at, struct mp_err *err)
{
	const struct field_table *tables[] = { &meta_fields };

	if (expect_object(obj, at, err) < 0)
		return -1;
	memset(&tr->meta, 0, sizeof(tr->meta));
	return fields_read(tr, tables, 1, obj, &tr->meta, at, NULL, &tr->meta.extra, err);
}

int read_process(struct trace *tr, const cJSON *obj, const struct place *at, struct process *p,
		 struct mp_err *err)
{
	const struct field_table *tables[] = { &process_fields };

	memset(p, 0, sizeof(*p));
	if (expect_object(obj, at, err) < 0)
		return -1;
	if (fields_read(tr, tables, 1, obj, p, at, NULL, &p->extra, err) < 0)
		return -1;
	if (p->has_end && p->end < p->start)
		return place_err(err, at, "ends (%lld ns) before it starts (%lld ns)",
				 (long long)p->end, (long long)p->start);
	return 0;
}

/* A payload's captured bytes must agree with its declared size: never more,
 * and fewer only when the capture says it was truncated. */
static int check_pickle_sizes(const struct event *ev, const struct place *at, struct mp_err *err)
{
	const struct place bytes_at = { at, "bytes", 0, false };
	size_t len = ev->u.pickle.bytes_len;
	uint64_t size = ev->u.pickle.size;

	if (!ev->u.pickle.bytes)
		return 0;
	if (len > size)
		return place_err(err, &bytes_at, "holds %zu bytes but \"size\" says %llu", len,
				 (unsigned long long)size);
	if (len < size && !ev->u.pickle.is_truncated)
		return place_err(err, &bytes_at,
				 "holds %zu of %llu bytes but \"truncated\" is not true", len,
				 (unsigned long long)size);
	return 0;
}

int read_event(struct trace *tr, const cJSON *obj, const struct place *at, struct event *ev,
	       struct mp_err *err)
{
	const struct field_table *tables[2] = { &event_common_fields, NULL };
	const struct place kind_at = { at, "kind", 0, false };
	const cJSON *kind;
	int k;

	memset(ev, 0, sizeof(*ev));
	if (expect_object(obj, at, err) < 0)
		return -1;
	kind = cJSON_GetObjectItemCaseSensitive(obj, "kind");
	if (!kind)
		return place_err(err, at, "missing \"kind\"");
	if (!cJSON_IsString(kind) || kind->valuestring[0] == '\0') {
		char got[64];

		json_describe(kind, got, sizeof(got));
		return place_err(err, &kind_at, "expected an event kind, got %s", got);
	}
	k = ev_kind_from_name(kind->valuestring);
	if (k < 0 || k == EV_UNKNOWN) {
		/* A kind from a newer mpscope: kept whole, ignored by the rest. */
		ev->kind = EV_UNKNOWN;
		ev->kind_name = trace_strdup(tr, kind->valuestring);
		if (!ev->kind_name)
			return mp_err_set(err, "out of memory while reading the trace");
	} else {
		ev->kind = (enum ev_kind)k;
		ev->kind_name = ev_kind_name(ev->kind);
	}
	tables[1] = event_kind_fields(ev->kind);
	if (fields_read(tr, tables, 2, obj, ev, at, "kind", &ev->extra, err) < 0)
		return -1;
	if (ev->kind == EV_PICKLE_DUMP || ev->kind == EV_PICKLE_LOAD)
		return check_pickle_sizes(ev, at, err);
	return 0;
}

/*
 * probe_json.c - one packet of the probe (docs/probe-protocol.md) read
 * message by message: the envelope ("kind", "t", "pid"), then the event
 * tables or the probe kind's table of fields.c, then the references of a
 * descriptor pass. See probe_json.h.
 */
#include <cjson/cJSON.h>
#include <string.h>

#include "json/fields.h"
#include "json/probe_json.h"
#include "json/read.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
	const char *name;
	enum probe_kind kind;
} probe_kinds[] = {
	{ "probe.hello", PROBE_HELLO },     { "probe.role", PROBE_ROLE },
	{ "probe.spawn", PROBE_SPAWN },     { "probe.fds_recv", PROBE_FDS_RECV },
	{ "probe.dropped", PROBE_DROPPED }, { "probe.launch", PROBE_LAUNCH },
	{ "probe.tally", PROBE_TALLY },
};

/* Messages name no file or array position: the tracer only counts the
 * ones it refuses. */
static const struct place message_at = { NULL, "probe message", 0, false };

void probe_json_init(struct probe_json *pj, int64_t t0)
{
	pj->t0 = t0;
	pj->error.msg[0] = '\0';
}

static enum probe_kind kind_of(const char *name)
{
	if (strncmp(name, "probe.", 6) != 0)
		return PROBE_EVENT;
	for (size_t i = 0; i < ARRAY_LEN(probe_kinds); i++)
		if (strcmp(name, probe_kinds[i].name) == 0)
			return probe_kinds[i].kind;
	return PROBE_OTHER;
}

/* The probe stamps absolute CLOCK_MONOTONIC ns; the trace counts from t0.
 * Anything not after t0 is 0. */
static int64_t trace_time(double sent, int64_t t0)
{
	double rel = sent - (double)t0;

	if (!(rel > 0))
		return 0;
	/* Converting a double beyond int64_t is undefined (x86 gives INT64_MIN,
	 * a negative time); past the limit the event tables refuse it anyway. */
	return rel <= (double)TRACE_MAX_TIME_NS ? (int64_t)rel : TRACE_MAX_TIME_NS + 1;
}

/* The event tables want trace time where the probe wrote its own clock.
 * A "t" that is not a number becomes 0, as it reads for the other kinds;
 * a missing one stays missing, and the event tables refuse the event. */
static void set_trace_time(cJSON *obj, cJSON *v, int64_t t)
{
	cJSON *rel;

	if (cJSON_IsNumber(v)) {
		cJSON_SetNumberValue(v, (double)t);
		return;
	}
	if (!v)
		return;
	rel = cJSON_CreateNumber((double)t);
	/* By name, so the new item gets it (it replaces the first "t", which
	 * is v). Out of memory: the old value stays, and the event tables
	 * refuse it. */
	if (rel && !cJSON_ReplaceItemInObjectCaseSensitive(obj, "t", rel))
		cJSON_Delete(rel);
}

/* Reads an event and the references it carries. -1 when the event tables
 * refuse it (the reason is in pj->error). */
static int read_event_message(struct probe_json *pj, cJSON *obj, cJSON *t, struct trace *tr,
			      struct probe_message *msg)
{
	const struct field_table *refs[] = { &probe_ref_fields };

	set_trace_time(obj, t, msg->t);
	if (read_event(tr, obj, &message_at, &msg->ev, &pj->error) < 0)
		return -1;
	msg->is_valid = true;
	/* A valid event has one "pid", a pid: the one the envelope would read. */
	msg->pid = msg->ev.pid;
	/* The references are not fields of the trace format, so an event
	 * without extra fields carries none. */
	if (msg->ev.extra)
		fields_read(tr, refs, 1, obj, msg, &message_at, NULL, NULL, NULL);
	return 0;
}

/* "kind" picks the tables and "t" must become trace time before the event
 * tables read it, so both are read here by hand; the first of each counts,
 * as it does for "pid" in the lenient envelope table. */
static void read_message(struct probe_json *pj, cJSON *obj, struct trace *tr,
			 struct probe_message *msg)
{
	const struct field_table *tables[2] = { &probe_envelope_fields, NULL };
	const cJSON *kind;
	cJSON *t;

	if (!cJSON_IsObject(obj))
		return;
	kind = cJSON_GetObjectItemCaseSensitive(obj, "kind");
	if (!cJSON_IsString(kind))
		return;
	t = cJSON_GetObjectItemCaseSensitive(obj, "t");
	msg->kind = kind_of(kind->valuestring);
	msg->t = trace_time(cJSON_IsNumber(t) ? t->valuedouble : 0, pj->t0);
	if (msg->kind == PROBE_EVENT && read_event_message(pj, obj, t, tr, msg) == 0)
		return;
	/* Lenient tables never fail: a "pid" that is not a pid reads as 0,
	 * which no sender has. */
	tables[1] = probe_kind_fields(msg->kind);
	fields_read(tr, tables, tables[1] ? 2 : 1, obj, msg, &message_at, NULL, NULL, NULL);
}

void probe_json_read_packet(struct probe_json *pj, struct trace *tr, const char *data, size_t len,
			    probe_json_fn *fn, void *ctx)
{
	const char *at = data, *end = data + len;

	while (at < end) {
		const char *stop = NULL;
		cJSON *obj = cJSON_ParseWithLengthOpts(at, (size_t)(end - at), &stop, false);
		bool is_json = obj != NULL;
		struct probe_message msg;

		memset(&msg, 0, sizeof(msg));
		read_message(pj, obj, tr, &msg);
		/* The object is freed only after fn: freeing each one before
		 * the tracer allocates for its message (pickle_globals) made
		 * malloc consolidate its free lists, and the merge of a
		 * 20,000-task Pool 8% slower. */
		fn(&msg, ctx);
		cJSON_Delete(obj);
		if (!is_json || !stop || stop <= at)
			return;
		at = stop;
		while (at < end && (*at == '\n' || *at == ' ' || *at == '\r' || *at == '\t'))
			at++;
	}
}

/*
 * trace_json.h - trace files: read and validate, write atomically.
 *
 * Feeds the trace model from the side (json/ -> trace/). Only this module
 * and tracer/ include cJSON. Every refusal is one sentence naming the file,
 * the place and the problem, e.g.
 *   trace.json: events[12].pid: expected a positive integer, got "10"
 */
#ifndef MP_TRACE_JSON_H
#define MP_TRACE_JSON_H

#include <stddef.h>

#include "../common/sbuf.h"
#include "../trace/trace.h"

struct cJSON;

/* Reads and validates the file at path into tr (initialised by the caller,
 * released by the caller also on failure). The trace is finished
 * (trace_finish) on success. */
int trace_json_load(const char *path, struct trace *tr, struct mp_err *err);

/* The same over a buffer; name is used in messages in place of the path. */
int trace_json_load_buffer(const char *name, const char *buf, size_t len, struct trace *tr,
			   struct mp_err *err);

/* Appends the trace as JSON (contract v1) to out. */
int trace_json_dump(const struct trace *tr, struct sbuf *out, struct mp_err *err);

/* Writes the trace to path atomically: a temporary file beside it, fsync,
 * rename. A killed writer leaves the old file or none, never a torn one. */
int trace_json_save(const char *path, const struct trace *tr, struct mp_err *err);

/* Parses one event object (as found in a file's "events" array; "seq" may be
 * absent, then it is 0) into ev, copying strings and bytes into tr's arena.
 * `where` names the place for messages ("events[12]", "probe message").
 * Used by the reader and by the tracer for probe messages. */
int trace_json_parse_event(struct trace *tr, const struct cJSON *obj, const char *where,
			   struct event *ev, struct mp_err *err);

#endif

/*
 * trace_json.h - trace files: read and validate, write atomically.
 *
 * Feeds the trace model from the side (json/ -> trace/). Only this module
 * includes cJSON (the tracer reads the probe's messages through
 * probe_json.h). Every refusal is one sentence naming the file,
 * the place and the problem, e.g.
 *   trace.json: events[12].pid: expected a positive integer, got "10"
 */
#ifndef MP_TRACE_JSON_H
#define MP_TRACE_JSON_H

#include <stddef.h>

#include "common/sbuf.h"
#include "trace/trace.h"

/* Reads and validates the file at path into tr (initialised by the caller,
 * released by the caller also on failure, when it may hold part of the
 * file: never use it then). The trace is finished (trace_finish) on
 * success. The rules and limits are in docs/trace-format.md; the message
 * starts with the path: "<path>: <place>: <problem>". */
int trace_json_load(const char *path, struct trace *tr, struct mp_err *err);

/* The same over a buffer; name is used in messages in place of the path. */
int trace_json_load_buffer(const char *name, const char *buf, size_t len, struct trace *tr,
			   struct mp_err *err);

/* Appends the trace as JSON (contract v1) to out, in the canonical form:
 * fields in table order, one process or event per line, unknown fields
 * (extra) after the known ones. Output text that is not UTF-8 or holds NUL
 * is written as text_b64; other strings have bad bytes replaced by U+FFFD,
 * so every string reads back; a required string left NULL is written as
 * "". -1 (nothing usable in out) on out-of-memory, an enum value with no
 * name, or an extra that is not a JSON object. */
int trace_json_dump(const struct trace *tr, struct sbuf *out, struct mp_err *err);

/* Writes the trace to path atomically: a temporary file beside it, fsync,
 * rename. A killed writer leaves the old file or none, never a torn one. */
int trace_json_save(const char *path, const struct trace *tr, struct mp_err *err);

#endif

/*
 * read.h - validating cJSON values into the trace model, driven by the
 * tables of fields.h. Internal to json/: load.c scans the file and hands
 * each meta, process and event object to these readers; probe_json.c
 * hands them the probe's messages.
 */
#ifndef MP_JSON_READ_H
#define MP_JSON_READ_H

#include <stdbool.h>
#include <stddef.h>

#include "trace/trace.h"
#include "json/fields.h"

struct cJSON;

/* Where a value sits in the file, as a chain up to the top:
 * events[12] -> fds[3] -> type renders as "events[12].fds[3].type".
 * Built on the stack and rendered only when there is an error to report. */
struct place {
	const struct place *up;
	const char *name; /* member name; NULL for an element of an array */
	size_t index;
	bool has_index;
};

/* Renders the place into buf (always NUL-terminated). */
void place_format(const struct place *at, char *buf, size_t len);

/* Sets err to "<place>: <message>". Returns -1. */
int place_err(struct mp_err *err, const struct place *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Describes a JSON value for a message: "10" quoted for a string, 10 for a
 * number, "an object", "an array", true, false, null. */
void json_describe(const struct cJSON *v, char *buf, size_t len);

/* Reads the members of obj into the struct at base, which the caller has
 * zeroed: each member named in one of the tables is checked and stored
 * (strings and arrays copied into tr's arena); required and one-of rules
 * are enforced; a member named twice is refused. A lenient table's members
 * never fail the read (fields.h). Members no table names are kept as JSON
 * object text in *extra (NULL when there are none) or ignored when extra
 * is NULL. skip names one member the caller handles. */
int fields_read(struct trace *tr, const struct field_table *const *tables, size_t table_count,
		const struct cJSON *obj, void *base, const struct place *at, const char *skip,
		const char **extra, struct mp_err *err);

/* The readers of the three kinds of object in a trace file. */
int read_meta(struct trace *tr, const struct cJSON *obj, const struct place *at,
	      struct mp_err *err);
int read_process(struct trace *tr, const struct cJSON *obj, const struct place *at,
		 struct process *p, struct mp_err *err);
int read_event(struct trace *tr, const struct cJSON *obj, const struct place *at, struct event *ev,
	       struct mp_err *err);

#endif

/*
 * fields.h - the trace contract as tables: for every event kind, for
 * processes and for meta, the fields a file may hold, their JSON type, the
 * range they must fall in and where they live in the model. The reader
 * (read_fields.c) validates with these tables and the writer (write.c)
 * emits from them, so the two cannot disagree. Internal to json/.
 */
#ifndef MP_JSON_FIELDS_H
#define MP_JSON_FIELDS_H

#include <stdbool.h>
#include <stddef.h>

#include "trace/trace.h"

enum field_type {
	FT_SEQ, /* uint64_t, integer 0..2^53 */
	FT_TIME, /* int64_t, integer ns 0..TRACE_MAX_TIME_NS */
	FT_PID, /* int, 1..TRACE_MAX_PID */
	FT_PEER, /* int, 0..TRACE_MAX_PID; 0 (unknown) is not written */
	FT_FD, /* int, 0..INT_MAX */
	FT_FD_AS, /* int, 0..INT_MAX; -1 (unknown) by default, not written */
	FT_INT, /* int, INT_MIN..INT_MAX (exit codes) */
	FT_SIGNAL, /* int, 1..127 */
	FT_COUNT, /* int, 1..INT_MAX */
	FT_U64, /* uint64_t, integer 0..2^53; 0 is not written when optional */
	FT_SEQ_REF, /* int64_t, integer 0..2^53; -1 (none) by default, not written */
	FT_STR, /* const char *, NULL when absent */
	FT_BOOL, /* bool; false is not written when optional */
	FT_STRV, /* struct strv: array of strings */
	FT_ENUM, /* an enum stored as int, spelled by names[] */
	FT_FDS, /* struct fd_entry * with its count (size_t) at off_len */
	FT_BYTES, /* const uint8_t * (base64 in the file), size_t length at off_len */
	FT_TEXT, /* output text as a JSON string; size_t length at off_len */
	FT_TEXT_B64, /* the same text as base64 (not UTF-8, or holds NUL) */
	FT_GLOBALS, /* struct global_ref *, count at off_len: [[module, name], ...] */
	FT_OBJECT, /* a nested object read with sub (offsets relative to off) */
};

enum field_flags {
	FIELD_REQUIRED = 1 << 0,
	FIELD_ONE_OF = 1 << 1, /* exactly one of the ONE_OF fields of a table */
	FIELD_ALWAYS = 1 << 2, /* written even when it holds the default */
	FIELD_HAS = 1 << 3, /* off_has names a bool: set when present */
	FIELD_UNLESS_HAS = 1 << 4, /* with FIELD_HAS: present when that bool is false */
};

struct field_table;

struct field {
	const char *name;
	enum field_type type;
	unsigned flags;
	size_t off; /* where the value lives, from the start of the struct */
	size_t off_len; /* FT_FDS, FT_BYTES, FT_TEXT*, FT_GLOBALS: the size_t count */
	size_t off_has; /* with FIELD_HAS: the bool that says the field is present */
	const char *(*enum_name)(int v); /* FT_ENUM: spelling of a value */
	int (*enum_parse)(const char *s); /* FT_ENUM: value of a spelling, -1 */
	const struct field_table *sub; /* FT_OBJECT, FT_FDS: the entry's fields */
};

struct field_table {
	const struct field *fields;
	size_t count;
};

/* The fields every event has: seq, t, pid ("kind", which picks the table
 * of the rest, is read and written by hand). */
extern const struct field_table event_common_fields;
/* The fields of one known kind (not EV_UNKNOWN, which has none). */
const struct field_table *event_kind_fields(enum ev_kind kind);
extern const struct field_table process_fields;
extern const struct field_table meta_fields;

#endif

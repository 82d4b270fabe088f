/*
 * fields.h - the trace contract as tables: for every event kind, for
 * processes and for meta, the fields a file may hold, their JSON type, the
 * range they must fall in and where they live in the model. The reader
 * (read_fields.c) validates with these tables and the writer (write.c)
 * emits from them, so the two cannot disagree. The probe's messages
 * (docs/probe-protocol.md) have tables here too, read by probe_json.c and
 * never written. Internal to json/.
 */
#ifndef MP_JSON_FIELDS_H
#define MP_JSON_FIELDS_H

#include <stdbool.h>
#include <stddef.h>

#include "json/probe_json.h"
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
	/* Probe messages only (never written): */
	FT_RECEIVED_FDS, /* int * with its count (size_t) at off_len: each item an integer
			    or an object with "fd"; an item that is neither, or out of int
			    range, reads as -1 */
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
	/* A lenient table never refuses its object: a member of the wrong type
	 * or out of range reads as absent, a repeated one is ignored (the
	 * first wins), items of an FT_STRV that are not strings are skipped
	 * and integers are truncated rather than refused when not whole. Its
	 * types must leave their slot untouched when they fail (no FT_FDS,
	 * FT_GLOBALS, FT_OBJECT). Tables read together are all lenient or all
	 * strict. The probe-only messages are read this way. */
	bool is_lenient;
};

/* The fields every event has: seq, t, pid ("kind", which picks the table
 * of the rest, is read and written by hand). */
extern const struct field_table event_common_fields;
/* The fields of one known kind (not EV_UNKNOWN, which has none). */
const struct field_table *event_kind_fields(enum ev_kind kind);
extern const struct field_table process_fields;
extern const struct field_table meta_fields;

/* The tables below are read into a struct probe_message. */
/* The sender every probe message names: "pid" ("kind" and "t" are read by
 * hand in probe_json.c). */
extern const struct field_table probe_envelope_fields;
/* The fields of a probe-only kind (PROBE_HELLO ... PROBE_DROPPED); NULL
 * for the other kinds. */
const struct field_table *probe_kind_fields(enum probe_kind kind);
/* The descriptor-passing references an event of the probe may carry
 * besides its trace fields (fds.pass, pickle.dump, pickle.load). They
 * also stay in the event's extra. */
extern const struct field_table probe_ref_fields;

#endif

/*
 * chrome_internal.h - what the files of `export -f chrome` share and
 * nobody else sees: chrome.c writes the document (processes, marks, the
 * JSON text), chrome_events.c says what each kind of event is called and
 * carries, chrome_layout.c pairs the arrows and gives every mark its
 * time. See chrome.c for the format and why it is laid out this way.
 */
#ifndef MP_EXPORT_CHROME_INTERNAL_H
#define MP_EXPORT_CHROME_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "export/export.h"
#include "replay/replay.h"

/* A slice for an instantaneous event: a microsecond, or less when the
 * next mark on its track comes sooner, so that slices never overlap. */
#define CHROME_SLICE_NS 1000
/* Several traces: trace k's pids are moved up by k * CHROME_PID_STRIDE
 * (2^22, Linux's highest pid_max), so that they never meet. */
#define CHROME_PID_STRIDE 4194304

enum chrome_shape { CHROME_NONE, CHROME_SLICE, CHROME_INSTANT, CHROME_COUNTER };

/* Where an event is drawn: its time on its track (ns, strictly after
 * the mark before it) and, for a slice, its length and its arrow. */
struct chrome_mark {
	int64_t t;
	int64_t dur;
	uint64_t flow; /* bind_id; 0: no arrow */
	bool is_flow_out;
	size_t cause; /* a load's arrow: the event index of its dump */
};

/* A process while its trace is laid out. */
struct chrome_track {
	int64_t start, end; /* its lifetime slice */
	int64_t last; /* the latest mark on it */
	int64_t next; /* the mark after (laying out backwards) */
	uint64_t fork_flow; /* the arrow from the fork that created it */
	int64_t fork_t;
	struct chrome_mark started; /* the slice the fork's arrow ends at */
	bool has_started;
	bool has_exec_arrow; /* its first exec ends the fork's arrow too */
	long out_pid;
};

struct chrome {
	struct sbuf *out;
	const struct export_keys *keys; /* NULL: --no-redact */
	struct sbuf text, name; /* scratch */
	struct sbuf brief, narration; /* of the current step */
	bool has_events; /* a comma goes before the next event */
	uint64_t next_flow;
	const struct export_input *all;
	/* The trace being written: its replay (rp is &replay while it is
	 * written, NULL otherwise). */
	struct replay replay;
	struct replay *rp;
	const struct export_input *in;
	size_t index, count;
	struct chrome_mark *marks; /* per event */
	struct chrome_track *tracks; /* per process (tr->procs order) */
	size_t step; /* of the event being written */
	bool is_step_start;
};

/* ---- chrome.c: JSON text into c->out ---- */

/* A string from the trace or the story: scrubbed of authkeys, escaped,
 * invalid UTF-8 as U+FFFD, quoted. */
void chrome_add_string(struct chrome *c, const char *s, size_t len);
void chrome_add_cstring(struct chrome *c, const char *s); /* NULL: "" */
/* ,"name": then the value; arg_str writes nothing for a NULL value. */
void chrome_key(struct chrome *c, const char *name);
void chrome_arg_str(struct chrome *c, const char *name, const char *value);
void chrome_arg_num(struct chrome *c, const char *name, long long value);
void chrome_add_strv(struct chrome *c, const char *name, const struct strv *v);

/* ---- chrome_events.c: one row per kind of event ---- */

typedef void (*chrome_event_fn)(struct chrome *c, const struct event *ev);

struct chrome_kind {
	enum ev_kind kind;
	enum chrome_shape shape;
	const char *cat;
	chrome_event_fn name; /* appends the slice's name to c->name */
	chrome_event_fn args; /* appends ,"key":value pairs (a counter: its values) */
};

/* The row of kind k, or NULL: that kind is not drawn. */
const struct chrome_kind *chrome_kind_of(enum ev_kind k);
enum chrome_shape chrome_shape_of(const struct event *ev);

/* ---- chrome_layout.c: arrows and times ---- */

/* The track of pid in the trace being written, or NULL. */
struct chrome_track *chrome_track_of(const struct chrome *c, int pid);
/* Gives each load the arrow of its dump (c->marks). -1 with err when
 * memory runs out. */
int chrome_pair_pickles(struct chrome *c, struct mp_err *err);
/* Fills c->marks and c->tracks: every mark its own nanosecond, each
 * lifetime around its marks, out_pid per track. */
void chrome_lay_out(struct chrome *c, bool is_renumbered);
/* Event i is the fork that started its child (the arrow's start). */
bool chrome_owns_started(const struct chrome *c, size_t i);

#endif

/*
 * probe_json.h - the probe's messages (docs/probe-protocol.md) read into
 * trace events and plain fields, so that the tracer never sees JSON.
 *
 * A packet holds one JSON object, or several separated by '\n'. Each is read
 * with the tables of fields.h: a trace event with the event tables, strictly
 * (one that fails them is lost, and the trace must say so); the probe-only
 * kinds and the descriptor-passing references with lenient tables (a member
 * of the wrong type is ignored, the message is never refused for it).
 * json/ -> trace/; never prints.
 */
#ifndef MP_JSON_PROBE_JSON_H
#define MP_JSON_PROBE_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "trace/trace.h"

enum probe_kind {
	PROBE_NOT_A_MESSAGE, /* not a JSON object with a string "kind": refused */
	PROBE_EVENT, /* a trace event: ev, when is_valid */
	PROBE_HELLO, /* probe.hello */
	PROBE_ROLE, /* probe.role */
	PROBE_SPAWN, /* probe.spawn */
	PROBE_FDS_RECV, /* probe.fds_recv */
	PROBE_DROPPED, /* probe.dropped */
	PROBE_LAUNCH, /* probe.launch */
	PROBE_TALLY, /* probe.tally */
	PROBE_OTHER, /* another probe.* kind: nothing to read */
	PROBE_KIND_COUNT
};

/* One message. Strings and arrays live in the trace's arena (they outlive
 * the packet); absent fields are 0, NULL or empty. */
struct probe_message {
	enum probe_kind kind;
	int pid; /* "pid" as sent (not yet checked against the sender); 0 when not a pid */
	int64_t t; /* "t" made trace time: the probe's absolute ns minus t0, at least 0 */
	bool is_valid; /* PROBE_EVENT: ev passed the trace format's checks */
	struct event ev; /* PROBE_EVENT: its t is trace time, its seq 0 */
	/* Descriptor passing (fds.pass, pickle.dump, pickle.load, probe.fds_recv). */
	const char *pass_ref;
	const char *pickle_ref;
	struct strv pickle_refs;
	union {
		struct {
			const char *executable;
			struct strv argv;
			int ppid;
			bool is_forked; /* a fork child that reconnected */
		} hello;
		struct {
			enum role role;
			bool has_role; /* false when missing or not a role's name */
		} role;
		struct {
			int child;
			struct strv argv;
		} spawn;
		struct {
			int *fds; /* as the receiver got them; -1 where unreadable */
			size_t fd_count;
		} fds_recv;
		struct {
			int count;
		} dropped;
		struct {
			int child; /* the pid Popen._launch started */
			const char *method; /* the start method it used */
		} launch;
		struct {
			const char *file; /* the name of its tally file in the probe's folder */
		} tally;
	} u;
};

/* The reader of a run's packets. */
struct probe_json {
	int64_t t0; /* CLOCK_MONOTONIC ns at which the trace starts */
	struct mp_err error; /* why the latest refused event was refused */
};

/* Called once per message, in packet order. msg lives until fn returns;
 * what it points to lives in the trace's arena. */
typedef void probe_json_fn(struct probe_message *msg, void *ctx);

/* t0 is the trace's start in the probe's clock. */
void probe_json_init(struct probe_json *pj, int64_t t0);

/* Reads the messages of the packet data[0..len), copying what they keep
 * into tr's arena, and hands each to fn. A value that is not an object
 * with a string "kind" is PROBE_NOT_A_MESSAGE; text that is not JSON is
 * one too, and ends the packet (what follows it is not read). */
void probe_json_read_packet(struct probe_json *pj, struct trace *tr, const char *data, size_t len,
			    probe_json_fn *fn, void *ctx);

#endif

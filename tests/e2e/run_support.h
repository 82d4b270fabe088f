/*
 * run_support.h - helpers for the `mpscope run` end-to-end tests: run a
 * program from tests/programs/ under the real binary and real Python, load
 * the trace it wrote, check the properties every trace must have
 * (trace_props.h), and ask the questions the tests assert on.
 * Header-only (static functions) so each test_e2e_run*.c stays one file.
 */
#ifndef MP_TEST_RUN_SUPPORT_H
#define MP_TEST_RUN_SUPPORT_H

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json/trace_json.h"
#include "support/support.h"
#include "trace/trace.h"
#include "trace_props.h"

struct run {
	struct trace tr;
	int status; /* mpscope's exit status */
	char *out; /* what mpscope and the program printed (stdout + stderr) */
	char path[256];
};

/* Runs `mpscope run --no-ui OPTS -o TMP tests/programs/PROGRAM ARGS` and
 * loads the trace; fails the test when no valid trace was written, or when
 * it breaks a property of trace_props.h (the trace is then kept). */
static inline void run_program(struct run *r, const char *opts, const char *program,
			       const char *args)
{
	char cmd[2048], why[1024];
	struct mp_err err;

	snprintf(r->path, sizeof(r->path), "/tmp/mpscope-e2e-%d-%s.json", (int)getpid(), program);
	snprintf(cmd, sizeof(cmd), "'%s' run --no-ui %s -o '%s' tests/programs/%s %s",
		 support_mpscope(), opts, r->path, program, args);
	r->status = support_run(cmd, &r->out, 1);
	trace_init(&r->tr);
	if (trace_json_load(r->path, &r->tr, &err) < 0)
		fail_msg("%s wrote no valid trace: %s\nits output:\n%s", cmd, err.msg,
			 r->out ? r->out : "");
	if (trace_props_check(&r->tr, why, sizeof(why)) < 0)
		fail_msg("%s wrote a trace (kept in %s) that breaks the property %s", cmd, r->path,
			 why);
}

static inline void run_release(struct run *r)
{
	trace_release(&r->tr);
	free(r->out);
	unlink(r->path);
}

static inline const struct process *proc_with_role(const struct trace *tr, enum role role,
						   size_t nth)
{
	for (size_t i = 0; i < tr->proc_count; i++)
		if (tr->procs[i].role == role && nth-- == 0)
			return &tr->procs[i];
	return NULL;
}

static inline size_t count_role(const struct trace *tr, enum role role)
{
	size_t n = 0;

	for (size_t i = 0; i < tr->proc_count; i++)
		n += tr->procs[i].role == role;
	return n;
}

static inline size_t count_events(const struct trace *tr, enum ev_kind kind, int pid)
{
	size_t n = 0;

	for (size_t i = 0; i < tr->event_count; i++)
		n += tr->events[i].kind == kind && (pid == 0 || tr->events[i].pid == pid);
	return n;
}

/* Everything pid wrote to stdout, joined (malloc'd). */
static inline char *output_of(const struct trace *tr, int pid)
{
	size_t len = 0;
	char *text = calloc(1, 1);

	for (size_t i = 0; text && i < tr->event_count; i++) {
		const struct event *ev = &tr->events[i];
		char *grown;

		if (ev->kind != EV_OUTPUT || ev->pid != pid)
			continue;
		grown = realloc(text, len + ev->u.output.text_len + 1);
		if (!grown)
			break;
		text = grown;
		memcpy(text + len, ev->u.output.text, ev->u.output.text_len);
		len += ev->u.output.text_len;
		text[len] = '\0';
	}
	return text;
}

static inline bool has_global(const struct event *ev, const char *module, const char *name)
{
	for (size_t g = 0; g < ev->u.pickle.global_count; g++)
		if (strcmp(ev->u.pickle.globals[g].module, module) == 0 &&
		    strcmp(ev->u.pickle.globals[g].name, name) == 0)
			return true;
	return false;
}

/* The first pickle.dump with this `what` (NULL: any), or NULL. */
static inline const struct event *find_dump(const struct trace *tr, const char *what)
{
	for (size_t i = 0; i < tr->event_count; i++) {
		const struct event *ev = &tr->events[i];

		if (ev->kind == EV_PICKLE_DUMP &&
		    (!what || (ev->u.pickle.what && strcmp(ev->u.pickle.what, what) == 0)))
			return ev;
	}
	return NULL;
}

static inline bool asked_find_class(const struct trace *tr, int pid, const char *module,
				    const char *name)
{
	for (size_t i = 0; i < tr->event_count; i++) {
		const struct event *ev = &tr->events[i];

		if (ev->kind == EV_PICKLE_FIND_CLASS && ev->pid == pid &&
		    strcmp(ev->u.find_class.module, module) == 0 &&
		    strcmp(ev->u.find_class.name, name) == 0)
			return true;
	}
	return false;
}

/* The latest fds event of pid with this `at`, or NULL. */
static inline const struct event *fds_of(const struct trace *tr, int pid, enum fds_at at)
{
	const struct event *found = NULL;

	for (size_t i = 0; i < tr->event_count; i++)
		if (tr->events[i].kind == EV_FDS && tr->events[i].pid == pid &&
		    tr->events[i].u.fds.at == at)
			found = &tr->events[i];
	return found;
}

/* The descriptor whose target ends with suffix, or NULL. */
static inline const struct fd_entry *entry_with_target(const struct fd_entry *fds, size_t count,
						       const char *suffix)
{
	size_t sl = strlen(suffix);

	for (size_t i = 0; i < count; i++) {
		const char *t = fds[i].target;
		size_t tl = t ? strlen(t) : 0;

		if (tl >= sl && strcmp(t + tl - sl, suffix) == 0)
			return &fds[i];
	}
	return NULL;
}

static inline bool fds_have_target(const struct event *ev, const char *suffix)
{
	return ev && entry_with_target(ev->u.fds.fds, ev->u.fds.fd_count, suffix);
}

/* The first fds.pass via `via` that pid sent to `to` (0: to anyone), or NULL. */
static inline const struct event *find_pass(const struct trace *tr, enum pass_via via, int pid,
					    int to)
{
	for (size_t i = 0; i < tr->event_count; i++) {
		const struct event *ev = &tr->events[i];

		if (ev->kind == EV_FDS_PASS && ev->u.fds_pass.via == via && ev->pid == pid &&
		    (to == 0 || ev->u.fds_pass.to == to))
			return ev;
	}
	return NULL;
}

static inline const struct event *event_with_seq(const struct trace *tr, int64_t seq)
{
	for (size_t i = 0; seq >= 0 && i < tr->event_count; i++)
		if (tr->events[i].seq == (uint64_t)seq)
			return &tr->events[i];
	return NULL;
}

/* The latest event of this kind of pid at or before t, or NULL. */
static inline const struct event *last_before(const struct trace *tr, enum ev_kind kind, int pid,
					      int64_t t)
{
	const struct event *found = NULL;

	for (size_t i = 0; i < tr->event_count && tr->events[i].t <= t; i++)
		if (tr->events[i].kind == kind && tr->events[i].pid == pid)
			found = &tr->events[i];
	return found;
}

/* No process of the trace may outlive mpscope. */
static inline void assert_none_left(const struct trace *tr)
{
	for (size_t i = 0; i < tr->proc_count; i++)
		if (kill(tr->procs[i].pid, 0) == 0 || errno != ESRCH)
			fail_msg("process %d (%s) is still alive after mpscope ended",
				 tr->procs[i].pid, role_name(tr->procs[i].role));
}

#endif

/*
 * test_tracer_merge.c - which probe packets the merge believes
 * (src/tracer/merge.c): a sender checked to be ours when it connected, and
 * one that had already ended (a forkserver child that printed and exited
 * before the reader thread accepted it) whose pid the run knows; not a
 * stranger the run never saw.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tracer/probe_server.h"
#include "tracer/tracer_internal.h"

struct fixture {
	struct tracer t;
	struct trace tr;
	struct tracer_result res;
	struct probe_server ps;
};

static void fixture_init(struct fixture *f, bool has_ptrace)
{
	memset(f, 0, sizeof(*f));
	trace_init(&f->tr);
	f->t.tr = &f->tr;
	f->t.res = &f->res;
	f->t.is_traced = has_ptrace;
	arena_init(&f->t.proc_arena);
	pidmap_init(&f->t.proc_index);
	pidmap_init(&f->t.tasks);
	f->ps.listen_fd = -1;
	f->ps.wake_fd = -1;
}

static void fixture_release(struct fixture *f)
{
	struct probe_packet *p = f->ps.head;

	while (p) {
		struct probe_packet *next = p->next;

		free(p);
		p = next;
	}
	free(f->t.procs);
	pidmap_release(&f->t.proc_index);
	pidmap_release(&f->t.tasks);
	arena_release(&f->t.proc_arena);
	trace_release(&f->tr);
}

/* Queues a packet holding one lookup by pid, as the reader thread does. */
static void add_packet(struct fixture *f, int pid, bool is_verified)
{
	char json[256];
	int len = snprintf(json, sizeof(json),
			   "{\"kind\":\"pickle.find_class\",\"t\":5,\"pid\":%d,"
			   "\"module\":\"__main__\",\"name\":\"f\"}",
			   pid);
	struct probe_packet *p = malloc(sizeof(*p) + (size_t)len + 1);

	assert_non_null(p);
	*p = (struct probe_packet){ .peer_pid = pid,
				    .is_verified = is_verified,
				    .len = (size_t)len };
	memcpy(p->data, json, (size_t)len + 1);
	if (f->ps.tail)
		f->ps.tail->next = p;
	else
		f->ps.head = p;
	f->ps.tail = p;
}

static size_t lookups_of(const struct trace *tr, int pid)
{
	size_t n = 0;

	for (size_t i = 0; i < tr->event_count; i++)
		n += tr->events[i].kind == EV_PICKLE_FIND_CLASS && tr->events[i].pid == pid;
	return n;
}

static void ended_sender_counts_when_the_run_knows_it(void **state)
{
	struct fixture f;
	struct mp_err err;

	(void)state;
	fixture_init(&f, true);
	assert_non_null(record_add_proc(&f.t, 100, 0, 0));
	assert_non_null(record_add_proc(&f.t, 101, 100, 1));
	add_packet(&f, 100, true);
	add_packet(&f, 101, false); /* ended before it was accepted: ptrace saw its fork */
	add_packet(&f, 999, false); /* ended, and no process of this run */
	assert_int_equal(merge_probe_messages(&f.t, &f.ps, &err), 0);
	assert_int_equal(lookups_of(&f.tr, 100), 1);
	assert_int_equal(lookups_of(&f.tr, 101), 1);
	assert_int_equal(lookups_of(&f.tr, 999), 0);
	assert_int_equal(f.res.probe_messages, 2);
	fixture_release(&f);
}

static void without_ptrace_an_unchecked_stranger_is_not_a_new_process(void **state)
{
	struct fixture f;
	struct mp_err err;

	(void)state;
	fixture_init(&f, false);
	assert_non_null(record_add_proc(&f.t, 100, 0, 0));
	add_packet(&f, 200, true); /* checked: a descendant the probe introduces */
	add_packet(&f, 999, false);
	assert_int_equal(merge_probe_messages(&f.t, &f.ps, &err), 0);
	assert_non_null(record_find_proc(&f.t, 200));
	assert_null(record_find_proc(&f.t, 999));
	fixture_release(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ended_sender_counts_when_the_run_knows_it),
		cmocka_unit_test(without_ptrace_an_unchecked_stranger_is_not_a_new_process),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

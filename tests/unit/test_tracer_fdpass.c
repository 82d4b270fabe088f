/*
 * test_tracer_fdpass.c - the two halves of a descriptor pass joined
 * (src/tracer/fdpass_links.h): the receiver's numbers become the sender's
 * `as`, a resource-sharer pass gets the seq of the dump that carried it,
 * and notes that match nothing change nothing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "tracer/fdpass_links.h"

/* Appends an fds.pass of count fds (numbers 3, 4, ...) and returns its index. */
static size_t add_pass(struct trace *tr, enum pass_via via, size_t count)
{
	struct event ev = { .t = 1, .pid = 10, .kind = EV_FDS_PASS };
	struct fd_entry *fds = trace_alloc(tr, count * sizeof(*fds));
	struct mp_err err;

	assert_non_null(fds);
	for (size_t i = 0; i < count; i++)
		fds[i] = (struct fd_entry){ .fd = 3 + (int)i, .type = FD_PIPE, .as_fd = -1 };
	ev.u.fds_pass.via = via;
	ev.u.fds_pass.fds = fds;
	ev.u.fds_pass.fd_count = count;
	ev.u.fds_pass.pickle_seq = -1;
	assert_int_equal(trace_add_event(tr, &ev, &err), 0);
	return tr->event_count - 1;
}

static void receipts_and_dumps_fill_the_pass(void **state)
{
	static const int got[] = { 7, 9, 11 };
	const char *refs[] = { "rs:x#2", "rs:x#1" };
	const struct strv dump_refs = { refs, 2 };
	struct fdpass_links l;
	struct trace tr;
	size_t scm, sharer, lonely;

	(void)state;
	trace_init(&tr);
	scm = add_pass(&tr, PASS_SCM_RIGHTS, 2);
	sharer = add_pass(&tr, PASS_RESOURCE_SHARER, 1);
	lonely = add_pass(&tr, PASS_SCM_RIGHTS, 1);
	fdpass_links_init(&l);
	fdpass_links_note_pass(&l, scm, "scm:10>20#1", NULL);
	fdpass_links_note_pass(&l, sharer, "rs:x#1", "rs:x#1");
	fdpass_links_note_pass(&l, lonely, "scm:10>20#2", NULL);
	fdpass_links_note_dump(&l, 41, &dump_refs);
	/* a third number the sender did not send is ignored */
	fdpass_links_note_recv(&l, "scm:10>20#1", got, 3);
	fdpass_links_note_recv(&l, "rs:x#1", got + 2, 1);
	fdpass_links_note_recv(&l, "scm:99>20#1", got, 1);
	fdpass_links_apply(&l, &tr);
	fdpass_links_release(&l);

	assert_int_equal(tr.events[scm].u.fds_pass.fds[0].as_fd, 7);
	assert_int_equal(tr.events[scm].u.fds_pass.fds[1].as_fd, 9);
	assert_int_equal(tr.events[scm].u.fds_pass.pickle_seq, -1);
	assert_int_equal(tr.events[sharer].u.fds_pass.fds[0].as_fd, 11);
	assert_int_equal(tr.events[sharer].u.fds_pass.pickle_seq, 41);
	assert_int_equal(tr.events[lonely].u.fds_pass.fds[0].as_fd, -1);
	trace_release(&tr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(receipts_and_dumps_fill_the_pass),
	};

	return cmocka_run_group_tests_name("tracer_fdpass", tests, NULL, NULL);
}

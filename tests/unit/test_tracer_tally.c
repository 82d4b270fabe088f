/*
 * test_tracer_tally.c - the probe's tally files read by the tracer
 * (src/tracer/tally.c) and turned into pickle.summary events by the merge:
 * every thread's row is summed, a file that is short, foreign or another
 * process's adds nothing and the trace says it lost events, and no name
 * outside the probe's own pattern is ever opened.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "tracer/probe_server.h"
#include "tracer/tally.h"
#include "tracer/tracer_internal.h"

/* tally.py's layout, written here independently of tally.c. */
#define MAGIC 0x31594C4C4154504DULL
#define HEADER 4
#define ROW_WORDS 24
#define WORDS (HEADER + 64 * ROW_WORDS)

struct fixture {
	char dir[64];
	uint64_t words[WORDS];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	snprintf(f->dir, sizeof(f->dir), "/tmp/mpscope-tally-test-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

/* A tally of pid with rows rows, ready to fill. */
static void start_tally(struct fixture *f, int pid, uint64_t rows)
{
	memset(f->words, 0, sizeof(f->words));
	f->words[0] = MAGIC;
	f->words[1] = 1;
	f->words[2] = (uint64_t)pid;
	f->words[3] = rows;
}

/* Adds count pickles of size bytes in all to a thread's row. */
static void add_count(struct fixture *f, int row, int slot, uint64_t count, uint64_t size)
{
	f->words[HEADER + row * ROW_WORDS + 2 * slot] += count;
	f->words[HEADER + row * ROW_WORDS + 2 * slot + 1] += size;
}

static void write_tally(const struct fixture *f, const char *name, size_t len)
{
	char path[128];
	FILE *out;

	snprintf(path, sizeof(path), "%s/%s", f->dir, name);
	out = fopen(path, "wb");
	assert_non_null(out);
	assert_int_equal(fwrite(f->words, 1, len, out), len);
	assert_int_equal(fclose(out), 0);
}

static int read_tally(const struct fixture *f, const char *name, int pid, struct tally *out)
{
	int dir_fd = open(f->dir, O_RDONLY | O_DIRECTORY);
	int rc;

	assert_true(dir_fd >= 0);
	rc = tally_read(dir_fd, name, pid, out);
	close(dir_fd);
	return rc;
}

static void rows_of_every_thread_are_summed(void **state)
{
	struct fixture *f = *state;
	struct tally t;

	start_tally(f, 42, 2);
	add_count(f, 0, 7, 10, 800); /* pool_result load, the result handler thread */
	add_count(f, 1, 7, 3, 240); /* the same, another thread */
	add_count(f, 1, 6, 7, 70); /* pool_result dump */
	add_count(f, 2, 7, 99, 99); /* beyond the rows in use: never read */
	write_tally(f, "tally-42", sizeof(f->words));
	assert_int_equal(read_tally(f, "tally-42", 42, &t), 0);
	assert_int_equal(t.count[7], 13);
	assert_int_equal(t.size[7], 1040);
	assert_int_equal(t.count[6], 7);
	assert_string_equal(tally_what(7), "pool_result");
	assert_int_equal(tally_direction(7), DIRECTION_LOAD);
	assert_string_equal(tally_what(4), "pool_task");
	assert_int_equal(tally_direction(4), DIRECTION_DUMP);
	assert_string_equal(tally_what(0), "process");
	assert_string_equal(tally_what(11), "other");
	assert_null(tally_what(12));
}

static void a_file_that_is_not_a_whole_tally_of_that_pid_is_refused(void **state)
{
	struct fixture *f = *state;
	struct tally t;

	start_tally(f, 42, 1);
	add_count(f, 0, 0, 1, 1);
	write_tally(f, "tally-42", sizeof(f->words) - 8);
	assert_int_equal(read_tally(f, "tally-42", 42, &t), -1); /* short */
	write_tally(f, "tally-42", sizeof(f->words));
	assert_int_equal(read_tally(f, "tally-42", 43, &t), -1); /* another process's */
	assert_int_equal(read_tally(f, "tally-43", 43, &t), -1); /* missing */
	f->words[3] = 65;
	write_tally(f, "tally-42", sizeof(f->words));
	assert_int_equal(read_tally(f, "tally-42", 42, &t), -1); /* more rows than there are */
	start_tally(f, 42, 1);
	f->words[0] = 0;
	write_tally(f, "tally-42", sizeof(f->words));
	assert_int_equal(read_tally(f, "tally-42", 42, &t), -1); /* not yet whole */
}

static void only_the_probes_names_are_opened(void **state)
{
	(void)state;
	assert_true(tally_is_file_name("tally-42"));
	assert_true(tally_is_file_name("tally-42-3"));
	assert_false(tally_is_file_name("tally-"));
	assert_false(tally_is_file_name("tally-../../etc/passwd"));
	assert_false(tally_is_file_name("tally-4/2"));
	assert_false(tally_is_file_name("probe.sock"));
	assert_false(tally_is_file_name(NULL));
	assert_false(tally_is_file_name("tally-11111111111111111111111111111111111111"));
}

/* ---- the merge: probe.tally messages become pickle.summary events ---- */

static void add_packet(struct probe_server *ps, int pid, const char *json)
{
	size_t len = strlen(json);
	struct probe_packet *p = malloc(sizeof(*p) + len + 1);

	assert_non_null(p);
	*p = (struct probe_packet){ .peer_pid = pid, .is_verified = true, .len = len };
	memcpy(p->data, json, len + 1);
	if (ps->tail)
		ps->tail->next = p;
	else
		ps->head = p;
	ps->tail = p;
}

static void merged_tallies_become_summaries_at_the_process_end(void **state)
{
	struct fixture *f = *state;
	struct tracer t = { 0 };
	struct trace tr;
	struct tracer_result res = { 0 };
	struct probe_server ps = { .listen_fd = -1, .wake_fd = -1 };
	struct tproc *p;
	struct mp_err err;
	size_t summaries = 0;

	trace_init(&tr);
	t.tr = &tr;
	t.res = &res;
	t.is_traced = true;
	arena_init(&t.proc_arena);
	pidmap_init(&t.proc_index);
	pidmap_init(&t.tasks);
	snprintf(ps.dir, sizeof(ps.dir), "%s", f->dir);
	p = record_add_proc(&t, 42, 0, 0);
	assert_non_null(p);
	p->end = 5000;
	p->has_end = true;
	assert_non_null(record_add_proc(&t, 43, 42, 10));
	start_tally(f, 42, 1);
	add_count(f, 0, 4, 19968, 1200000); /* pool_task dump */
	write_tally(f, "tally-42", sizeof(f->words));
	add_packet(&ps, 42, "{\"kind\":\"probe.tally\",\"t\":1,\"pid\":42,\"file\":\"tally-42\"}");
	/* Another process naming 42's file: not its tally, so lost. */
	add_packet(&ps, 43, "{\"kind\":\"probe.tally\",\"t\":1,\"pid\":43,\"file\":\"tally-42\"}");
	assert_int_equal(merge_probe_messages(&t, &ps, &err), 0);
	for (size_t i = 0; i < tr.event_count; i++) {
		const struct event *ev = &tr.events[i];

		if (ev->kind != EV_PICKLE_SUMMARY)
			continue;
		summaries++;
		assert_int_equal(ev->pid, 42);
		assert_int_equal(ev->t, 5000);
		assert_string_equal(ev->u.pickle_summary.what, "pool_task");
		assert_int_equal(ev->u.pickle_summary.op, DIRECTION_DUMP);
		assert_int_equal(ev->u.pickle_summary.count, 19968);
		assert_int_equal(ev->u.pickle_summary.size, 1200000);
	}
	assert_int_equal(summaries, 1);
	assert_int_equal(tr.meta.dropped_events, 1);
	while (ps.head) {
		struct probe_packet *next = ps.head->next;

		free(ps.head);
		ps.head = next;
	}
	free(t.procs);
	pidmap_release(&t.proc_index);
	pidmap_release(&t.tasks);
	arena_release(&t.proc_arena);
	trace_release(&tr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(rows_of_every_thread_are_summed, setup, teardown),
		cmocka_unit_test_setup_teardown(
			a_file_that_is_not_a_whole_tally_of_that_pid_is_refused, setup, teardown),
		cmocka_unit_test(only_the_probes_names_are_opened),
		cmocka_unit_test_setup_teardown(merged_tallies_become_summaries_at_the_process_end,
						setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

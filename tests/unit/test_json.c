/*
 * test_json.c - trace files: the fixture loads with every field, a round
 * trip keeps the model and the bytes, unknown kinds and fields survive,
 * the per-child method, import "by" and fds.label survive and are checked,
 * output text that is not UTF-8 survives. Probe messages: test_json_probe.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "json/fields.h"
#include "json/trace_json.h"
#include "support/support.h"

#define FIXTURE "tests/fixtures/traces/small-spawn.json"

static void load_fixture(struct trace *tr)
{
	struct mp_err err = { { 0 } };

	trace_init(tr);
	if (trace_json_load(FIXTURE, tr, &err) < 0)
		fail_msg("%s", err.msg);
}

static void load_text(const char *text, struct trace *tr)
{
	struct mp_err err = { { 0 } };

	trace_init(tr);
	if (trace_json_load_buffer("text.json", text, strlen(text), tr, &err) < 0)
		fail_msg("%s", err.msg);
}

static char *dump(const struct trace *tr, size_t *len)
{
	struct sbuf out;
	struct mp_err err = { { 0 } };

	sbuf_init(&out);
	if (trace_json_dump(tr, &out, &err) < 0)
		fail_msg("%s", err.msg);
	*len = out.len;
	return out.data;
}

/* ---- field-by-field comparison, walking every field of the contract ---- */

static void assert_same_str(const char *a, const char *b, const char *what)
{
	if (!a || !b) {
		if (a != b)
			fail_msg("%s: one side is missing", what);
		return;
	}
	if (strcmp(a, b) != 0)
		fail_msg("%s: '%s' != '%s'", what, a, b);
}

static void assert_same_fields(const struct field_table *t, const void *a, const void *b);

static void assert_same_field(const struct field *f, const void *base_a, const void *base_b)
{
	const char *pa = (const char *)base_a + f->off, *pb = (const char *)base_b + f->off;
	size_t len_a = f->off_len ? *(const size_t *)((const char *)base_a + f->off_len) : 0;
	size_t len_b = f->off_len ? *(const size_t *)((const char *)base_b + f->off_len) : 0;

	if (f->flags & FIELD_HAS)
		assert_int_equal(*(const bool *)((const char *)base_a + f->off_has),
				 *(const bool *)((const char *)base_b + f->off_has));
	switch (f->type) {
	case FT_SEQ:
	case FT_U64:
		assert_int_equal(*(const uint64_t *)pa, *(const uint64_t *)pb);
		break;
	case FT_TIME:
	case FT_SEQ_REF:
		assert_int_equal(*(const int64_t *)pa, *(const int64_t *)pb);
		break;
	case FT_STR:
		assert_same_str(*(const char *const *)pa, *(const char *const *)pb, f->name);
		break;
	case FT_BOOL:
		assert_int_equal(*(const bool *)pa, *(const bool *)pb);
		break;
	case FT_STRV: {
		const struct strv *va = (const void *)pa, *vb = (const void *)pb;

		assert_int_equal(va->count, vb->count);
		for (size_t i = 0; i < va->count; i++)
			assert_same_str(va->items[i], vb->items[i], f->name);
		break;
	}
	case FT_FDS: {
		const struct fd_entry *fa = *(const struct fd_entry *const *)pa;
		const struct fd_entry *fb = *(const struct fd_entry *const *)pb;

		assert_int_equal(len_a, len_b);
		for (size_t i = 0; i < len_a; i++)
			assert_same_fields(f->sub, &fa[i], &fb[i]);
		break;
	}
	case FT_BYTES:
	case FT_TEXT:
	case FT_TEXT_B64:
		assert_int_equal(len_a, len_b);
		if (len_a)
			assert_memory_equal(*(const void *const *)pa, *(const void *const *)pb,
					    len_a);
		break;
	case FT_GLOBALS: {
		const struct global_ref *ga = *(const struct global_ref *const *)pa;
		const struct global_ref *gb = *(const struct global_ref *const *)pb;

		assert_int_equal(len_a, len_b);
		for (size_t i = 0; i < len_a; i++) {
			assert_same_str(ga[i].module, gb[i].module, "globals module");
			assert_same_str(ga[i].name, gb[i].name, "globals name");
		}
		break;
	}
	case FT_OBJECT:
		assert_same_fields(f->sub, pa, pb);
		break;
	default:
		assert_int_equal(*(const int *)pa, *(const int *)pb);
		break;
	}
}

static void assert_same_fields(const struct field_table *t, const void *a, const void *b)
{
	for (size_t i = 0; i < t->count; i++)
		assert_same_field(&t->fields[i], a, b);
}

static void assert_same_trace(const struct trace *a, const struct trace *b)
{
	assert_same_fields(&meta_fields, &a->meta, &b->meta);
	assert_same_str(a->meta.extra, b->meta.extra, "meta extra");
	assert_int_equal(a->proc_count, b->proc_count);
	for (size_t i = 0; i < a->proc_count; i++) {
		assert_same_fields(&process_fields, &a->procs[i], &b->procs[i]);
		assert_same_str(a->procs[i].extra, b->procs[i].extra, "process extra");
	}
	assert_int_equal(a->event_count, b->event_count);
	for (size_t i = 0; i < a->event_count; i++) {
		const struct event *ea = &a->events[i], *eb = &b->events[i];

		assert_int_equal(ea->kind, eb->kind);
		if (ea->kind == EV_UNKNOWN)
			assert_same_str(ea->kind_name, eb->kind_name, "kind");
		assert_same_fields(&event_common_fields, ea, eb);
		assert_same_fields(event_kind_fields(ea->kind), ea, eb);
		assert_same_str(ea->extra, eb->extra, "event extra");
	}
}

/* Load text, write it, read the writing: same model; write again: same bytes. */
static void assert_round_trip(const struct trace *tr)
{
	struct trace again;
	size_t len1, len2;
	char *first = dump(tr, &len1);
	char *second;

	load_text(first, &again);
	assert_same_trace(tr, &again);
	second = dump(&again, &len2);
	assert_int_equal(len1, len2);
	assert_memory_equal(first, second, len1);
	free(first);
	free(second);
	trace_release(&again);
}

/* ---- tests ---- */

static void fixture_loads_every_field(void **state)
{
	struct trace tr;
	const struct process *p;
	const struct event *ev;

	(void)state;
	load_fixture(&tr);
	assert_string_equal(tr.meta.method, "spawn");
	assert_string_equal(tr.meta.requested_method, "spawn");
	assert_true(tr.meta.has_ptrace && tr.meta.has_probe);
	assert_int_equal(tr.meta.payload_cap, 65536);
	assert_int_equal(tr.meta.redacted.count, 1);
	assert_int_equal(tr.proc_count, 4);
	assert_int_equal(tr.event_count, 28);
	p = trace_find_proc(&tr, 4214);
	assert_non_null(p);
	assert_true(p->has_exit && p->exit.is_signal);
	assert_int_equal(p->exit.signal, 9);
	assert_int_equal(trace_find_proc(&tr, 4211)->ppid, 4210);

	ev = &tr.events[5];
	assert_int_equal(ev->kind, EV_PICKLE_DUMP);
	assert_int_equal(ev->u.pickle.size, 148);
	assert_int_equal(ev->u.pickle.bytes_len, 148);
	assert_int_equal(ev->u.pickle.bytes[0], 0x80); /* PROTO */
	assert_int_equal(ev->u.pickle.peer, 4213);
	ev = &tr.events[6];
	assert_int_equal(ev->u.pickle.global_count, 1);
	assert_string_equal(ev->u.pickle.globals[0].module, "__main__");
	assert_string_equal(ev->u.pickle.globals[0].name, "f");
	ev = &tr.events[9];
	assert_int_equal(ev->kind, EV_FDS_PASS);
	assert_int_equal(ev->u.fds_pass.via, PASS_EXEC);
	assert_int_equal(ev->u.fds_pass.fd_count, 3);
	assert_int_equal(ev->u.fds_pass.fds[1].as_fd, -1);
	assert_int_equal(ev->u.fds_pass.closed_count, 1);
	assert_true(ev->u.fds_pass.closed[0].is_cloexec);
	assert_int_equal(ev->u.fds_pass.pickle_seq, -1);
	ev = &tr.events[20];
	assert_true(ev->u.pickle.is_truncated);
	assert_int_equal(ev->u.pickle.bytes_len, 6);
	ev = &tr.events[25];
	assert_int_equal(ev->kind, EV_EXIT);
	assert_true(ev->u.exit.is_signal);
	assert_int_equal(tr.events[17].u.output.text_len, 15);
	trace_release(&tr);
}

static void fixture_round_trips(void **state)
{
	struct trace tr;
	size_t len, want_len;
	char *text, *want;

	(void)state;
	load_fixture(&tr);
	assert_round_trip(&tr);
	/* The fixture is written in the writer's own canonical form. */
	text = dump(&tr, &len);
	want = support_read_file(FIXTURE, &want_len);
	assert_non_null(want);
	assert_int_equal(len, want_len);
	assert_memory_equal(text, want, len);
	free(text);
	free(want);
	trace_release(&tr);
}

static const char future_trace[] =
	"{\"format\": \"mpscope-trace\", \"version\": 1, \"written_by\": \"mpscope 9\",\n"
	" \"meta\": {\"program\": \"a.py\", \"method\": \"fork\", \"gil\": false,"
	" \"dropped_events\": 3},\n"
	" \"processes\": [{\"pid\": 7, \"role\": \"main\", \"start\": 0,"
	" \"cgroup\": {\"path\": \"/user.slice\"}}],\n"
	" \"events\": [{\"seq\": 0, \"t\": 5, \"pid\": 7, \"kind\": \"gc.collect\","
	" \"generation\": 2, \"freed\": [1, 2]},\n"
	"  {\"seq\": 1, \"t\": 6, \"pid\": 7, \"kind\": \"pickle.dump\", \"size\": 5,"
	" \"protocol\": 5, \"to\": 8}]}";

static void unknown_kinds_and_fields_survive(void **state)
{
	struct trace tr;
	size_t len;
	char *text;

	(void)state;
	load_text(future_trace, &tr);
	assert_int_equal(tr.meta.dropped_events, 3);
	assert_string_equal(tr.meta.extra, "{\"gil\":false}");
	assert_string_equal(tr.procs[0].extra, "{\"cgroup\":{\"path\":\"/user.slice\"}}");
	assert_int_equal(tr.events[0].kind, EV_UNKNOWN);
	assert_string_equal(tr.events[0].kind_name, "gc.collect");
	assert_string_equal(tr.events[0].extra, "{\"generation\":2,\"freed\":[1,2]}");
	assert_int_equal(tr.events[1].kind, EV_PICKLE_DUMP);
	assert_string_equal(tr.events[1].extra, "{\"protocol\":5}");
	text = dump(&tr, &len);
	assert_non_null(
		strstr(text, "\"kind\": \"gc.collect\", \"generation\":2,\"freed\":[1,2]}"));
	assert_non_null(strstr(text, "\"to\": 8, \"protocol\":5}"));
	assert_non_null(strstr(text, "\"dropped_events\": 3"));
	free(text);
	assert_round_trip(&tr);
	trace_release(&tr);
}

/* The fields that say how each child was started, who caused an import and
 * what a descriptor is to multiprocessing. */
static const char facts_trace[] =
	"{\"format\": \"mpscope-trace\", \"version\": 1,\n"
	" \"meta\": {\"program\": \"example.py\", \"method\": \"spawn\","
	" \"methods\": [\"spawn\", \"fork\"]},\n"
	" \"processes\": [{\"pid\": 10, \"role\": \"main\", \"start\": 0},\n"
	"  {\"pid\": 11, \"ppid\": 10, \"role\": \"child\", \"start\": 5, \"method\": \"spawn\"},\n"
	"  {\"pid\": 12, \"ppid\": 10, \"role\": \"child\", \"start\": 9, \"method\": \"fork\"}],\n"
	" \"events\": [{\"seq\": 0, \"t\": 1, \"pid\": 10, \"kind\": \"import\","
	" \"module\": \"helper\", \"file\": \"/p/helper.py\", \"by\": \"__main__\"},\n"
	"  {\"seq\": 1, \"t\": 6, \"pid\": 10, \"kind\": \"fds.label\", \"fd\": 3,"
	" \"target\": \"pipe:[77]\", \"what\": \"sentinel\", \"peer\": 11},\n"
	"  {\"seq\": 2, \"t\": 7, \"pid\": 11, \"kind\": \"fds.label\", \"fd\": 5,"
	" \"what\": \"resource_tracker\"}]}";

static void facts_fields_round_trip(void **state)
{
	struct trace tr;
	const struct event *ev;
	size_t len;
	char *text;

	(void)state;
	load_text(facts_trace, &tr);
	assert_string_equal(tr.meta.method, "spawn");
	assert_int_equal(tr.meta.methods.count, 2);
	assert_string_equal(tr.meta.methods.items[1], "fork");
	assert_null(tr.procs[0].method);
	assert_string_equal(trace_find_proc(&tr, 11)->method, "spawn");
	assert_string_equal(trace_find_proc(&tr, 12)->method, "fork");
	ev = &tr.events[0];
	assert_int_equal(ev->kind, EV_IMPORT);
	assert_string_equal(ev->u.import.by, "__main__");
	ev = &tr.events[1];
	assert_int_equal(ev->kind, EV_FDS_LABEL);
	assert_int_equal(ev->u.fds_label.fd, 3);
	assert_string_equal(ev->u.fds_label.target, "pipe:[77]");
	assert_int_equal(ev->u.fds_label.what, FD_SENTINEL);
	assert_int_equal(ev->u.fds_label.peer, 11);
	ev = &tr.events[2];
	assert_int_equal(ev->u.fds_label.what, FD_RESOURCE_TRACKER);
	assert_null(ev->u.fds_label.target);
	assert_int_equal(ev->u.fds_label.peer, 0);
	text = dump(&tr, &len);
	assert_non_null(strstr(text, "\"methods\": [\"spawn\", \"fork\"]"));
	assert_non_null(strstr(text, "\"method\": \"fork\""));
	assert_non_null(strstr(text, "\"by\": \"__main__\""));
	assert_non_null(strstr(text, "\"what\": \"resource_tracker\"}"));
	free(text);
	assert_round_trip(&tr);
	trace_release(&tr);
}

/* The pickles counted but not kept, and the policy that says so. */
static const char summary_trace[] =
	"{\"format\": \"mpscope-trace\", \"version\": 1,\n"
	" \"meta\": {\"program\": \"pool.py\", \"method\": \"fork\", \"payload_keep_first\": 32},\n"
	" \"processes\": [{\"pid\": 10, \"role\": \"main\", \"start\": 0}],\n"
	" \"events\": [{\"seq\": 0, \"t\": 9, \"pid\": 10, \"kind\": \"pickle.summary\","
	" \"what\": \"pool_task\", \"op\": \"dump\", \"count\": 19968, \"size\": 1234567}]}";

static void pickle_summary_round_trips(void **state)
{
	struct trace tr;
	const struct event *ev;
	size_t len;
	char *text;

	(void)state;
	load_text(summary_trace, &tr);
	assert_true(tr.meta.has_payload_keep_first);
	assert_int_equal(tr.meta.payload_keep_first, 32);
	assert_false(tr.meta.is_all_payloads);
	ev = &tr.events[0];
	assert_int_equal(ev->kind, EV_PICKLE_SUMMARY);
	assert_string_equal(ev->u.pickle_summary.what, "pool_task");
	assert_int_equal(ev->u.pickle_summary.op, DIRECTION_DUMP);
	assert_int_equal(ev->u.pickle_summary.count, 19968);
	assert_int_equal(ev->u.pickle_summary.size, 1234567);
	text = dump(&tr, &len);
	assert_non_null(strstr(text, "\"payload_keep_first\": 32"));
	assert_non_null(strstr(text, "\"op\": \"dump\", \"count\": 19968, \"size\": 1234567"));
	assert_null(strstr(text, "all_payloads"));
	free(text);
	assert_round_trip(&tr);
	trace_release(&tr);
}

/* A label that is not one of the purposes, or names no descriptor, is
 * refused like any other field. */
static void facts_fields_are_checked(void **state)
{
	static const struct {
		const char *event, *message;
	} cases[] = {
		{ "\"kind\": \"fds.label\", \"fd\": 3, \"what\": \"pipe\"",
		  "text.json: events[0].what: \"pipe\" is not one of startup_data, sentinel, "
		  "parent_sentinel, resource_tracker, forkserver_listener, forkserver_client, "
		  "forkserver_alive, connection" },
		{ "\"kind\": \"fds.label\", \"what\": \"sentinel\"",
		  "text.json: events[0]: missing \"fd\"" },
		{ "\"kind\": \"fds.label\", \"fd\": -1, \"what\": \"sentinel\"",
		  "text.json: events[0].fd: expected a file descriptor (a non-negative integer), "
		  "got -1" },
		{ "\"kind\": \"pickle.summary\", \"what\": \"pool_task\", \"op\": \"sent\", "
		  "\"count\": 1, \"size\": 1",
		  "text.json: events[0].op: \"sent\" is not one of dump, load" },
		{ "\"kind\": \"pickle.summary\", \"what\": \"pool_task\", \"op\": \"dump\", "
		  "\"size\": 1",
		  "text.json: events[0]: missing \"count\"" },
		{ "\"kind\": \"import\", \"module\": \"m\", \"by\": 5",
		  "text.json: events[0].by: expected a string, got 5" },
	};
	char text[1024];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct trace tr;
		struct mp_err err = { { 0 } };

		snprintf(text, sizeof(text),
			 "{\"format\": \"mpscope-trace\", \"version\": 1, \"meta\": {\"program\":"
			 " \"p\", \"method\": \"fork\"}, \"processes\": [{\"pid\": 1, \"role\":"
			 " \"main\", \"start\": 0}], \"events\": [{\"t\": 1, \"pid\": 1, %s}]}",
			 cases[i].event);
		trace_init(&tr);
		assert_int_equal(trace_json_load_buffer("text.json", text, strlen(text), &tr, &err),
				 -1);
		assert_string_equal(err.msg, cases[i].message);
		trace_release(&tr);
	}
}

/* Output is whatever the program wrote: any bytes must come back. */
static void output_bytes_survive(void **state)
{
	static const char *const texts[] = { "plain\n", "caf\xc3\xa9 \"q\" \\ \t\x01",
					     "\xff\xfe raw", "nul\0inside" };
	static const size_t lens[] = { 6, 14, 6, 10 };
	struct trace tr, again;
	struct process p = { .pid = 1, .role = ROLE_MAIN };
	struct mp_err err = { { 0 } };
	size_t len;
	char *text;

	(void)state;
	trace_init(&tr);
	tr.meta.program = "p.py";
	tr.meta.method = "fork";
	assert_int_equal(trace_add_process(&tr, &p, &err), 0);
	for (size_t i = 0; i < 4; i++) {
		struct event ev = { .seq = i, .t = (int64_t)i, .pid = 1, .kind = EV_OUTPUT };

		ev.u.output.text = texts[i];
		ev.u.output.text_len = lens[i];
		assert_int_equal(trace_add_event(&tr, &ev, &err), 0);
	}
	assert_int_equal(trace_finish(&tr, &err), 0);
	text = dump(&tr, &len);
	assert_non_null(strstr(text, "\"text\": \"caf\xc3\xa9 \\\"q\\\" \\\\ \\t\\u0001\""));
	assert_non_null(strstr(text, "\"text_b64\": \"//4gcmF3\""));
	load_text(text, &again);
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(again.events[i].u.output.text_len, lens[i]);
		assert_memory_equal(again.events[i].u.output.text, texts[i], lens[i]);
	}
	free(text);
	assert_round_trip(&tr);
	trace_release(&again);
	trace_release(&tr);
}

/* Strings other than output text must stay loadable: bad bytes -> U+FFFD. */
static void non_utf8_argv_is_written_loadably(void **state)
{
	const char *argv[] = { "python3", "caf\xe9.py" };
	struct trace tr, again;
	struct process p = { .pid = 1, .role = ROLE_MAIN, .argv = { argv, 2 } };
	struct mp_err err = { { 0 } };
	size_t len;
	char *text;

	(void)state;
	trace_init(&tr);
	tr.meta.program = "caf\xe9.py";
	tr.meta.method = "fork";
	assert_int_equal(trace_add_process(&tr, &p, &err), 0);
	assert_int_equal(trace_finish(&tr, &err), 0);
	text = dump(&tr, &len);
	load_text(text, &again);
	assert_string_equal(again.procs[0].argv.items[1], "caf\xef\xbf\xbd.py");
	free(text);
	trace_release(&again);
	trace_release(&tr);
}

/* A trace built by the tracer may miss a required string or hold a bad
 * enum: the first is written empty (the recording is kept), the second is
 * refused with a sentence, never written as a file we would refuse. */
static void writer_handles_producer_mistakes(void **state)
{
	struct trace tr, again;
	struct process p = { .pid = 3, .role = ROLE_MAIN };
	struct event ev = { .t = 1, .pid = 3, .kind = EV_FORK, .u.fork = { .child = 3, .via = 7 } };
	struct mp_err err = { { 0 } };
	struct sbuf out;
	size_t len;
	char *text;

	(void)state;
	trace_init(&tr);
	assert_int_equal(trace_add_process(&tr, &p, &err), 0);
	assert_int_equal(trace_finish(&tr, &err), 0);
	text = dump(&tr, &len);
	assert_non_null(strstr(text, "\"program\": \"\""));
	load_text(text, &again);
	assert_string_equal(again.meta.program, "");
	free(text);
	trace_release(&again);
	assert_int_equal(trace_add_event(&tr, &ev, &err), 0);
	sbuf_init(&out);
	assert_int_equal(trace_json_dump(&tr, &out, &err), -1);
	assert_string_equal(err.msg, "cannot write the trace: \"via\" holds 7, which has no name");
	sbuf_release(&out);
	trace_release(&tr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fixture_loads_every_field),
		cmocka_unit_test(fixture_round_trips),
		cmocka_unit_test(unknown_kinds_and_fields_survive),
		cmocka_unit_test(facts_fields_round_trip),
		cmocka_unit_test(pickle_summary_round_trips),
		cmocka_unit_test(facts_fields_are_checked),
		cmocka_unit_test(output_bytes_survive),
		cmocka_unit_test(non_utf8_argv_is_written_loadably),
		cmocka_unit_test(writer_handles_producer_mistakes),
	};

	return cmocka_run_group_tests_name("json", tests, NULL, NULL);
}

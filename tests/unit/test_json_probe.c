/*
 * test_json_probe.c - the probe's messages (docs/probe-protocol.md) read
 * through src/json/probe_json.h: events checked by the trace format's tables
 * with their time made relative (fds.label and import "by" among them), the
 * probe-only kinds read leniently (probe.launch among them), the
 * references of a descriptor pass, and how a packet is split.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "json/probe_json.h"

#define T0 1000000000LL

struct collected {
	struct probe_message *out;
	size_t max, count;
};

static void collect(struct probe_message *msg, void *ctx)
{
	struct collected *c = ctx;

	if (c->count < c->max)
		c->out[c->count] = *msg;
	c->count++;
}

/* Reads every message of one packet into out (room for max); returns how
 * many there were. */
static size_t read_packet(struct trace *tr, const char *text, struct probe_message *out, size_t max,
			  struct probe_json *pj)
{
	struct collected c = { out, max, 0 };

	probe_json_init(pj, T0);
	probe_json_read_packet(pj, tr, text, strlen(text), collect, &c);
	return c.count;
}

static void read_one(struct trace *tr, const char *text, struct probe_message *msg)
{
	struct probe_json pj;

	assert_int_equal(read_packet(tr, text, msg, 1, &pj), 1);
}

static void events_get_trace_time_and_keep_their_refs(void **state)
{
	struct trace tr;
	struct probe_message msg;

	(void)state;
	trace_init(&tr);
	read_one(&tr,
		 "{\"kind\":\"pickle.find_class\",\"t\":1000009000,\"pid\":4212,"
		 "\"module\":\"__main__\",\"name\":\"f\"}",
		 &msg);
	assert_int_equal(msg.kind, PROBE_EVENT);
	assert_true(msg.is_valid);
	assert_int_equal(msg.pid, 4212);
	assert_int_equal(msg.t, 9000);
	assert_int_equal(msg.ev.kind, EV_PICKLE_FIND_CLASS);
	assert_int_equal(msg.ev.t, 9000);
	assert_int_equal(msg.ev.seq, 0);
	assert_string_equal(msg.ev.u.find_class.name, "f");
	assert_null(msg.pass_ref);

	read_one(&tr,
		 "{\"kind\":\"fds.pass\",\"t\":1000000050,\"pid\":7,\"via\":\"resource_sharer\","
		 "\"fds\":[{\"fd\":5,\"type\":\"socket\",\"cloexec\":true}],"
		 "\"pass_ref\":\"rs:a#1\",\"pickle_ref\":\"rs:a#1\"}",
		 &msg);
	assert_true(msg.is_valid);
	assert_string_equal(msg.pass_ref, "rs:a#1");
	assert_string_equal(msg.pickle_ref, "rs:a#1");
	/* the trace keeps them too, as fields it does not know */
	assert_string_equal(msg.ev.extra, "{\"pass_ref\":\"rs:a#1\",\"pickle_ref\":\"rs:a#1\"}");

	read_one(&tr,
		 "{\"kind\":\"pickle.dump\",\"t\":1000000060,\"pid\":7,\"size\":3,"
		 "\"pickle_refs\":[\"rs:a#1\",5,\"rs:b#2\"]}",
		 &msg);
	assert_true(msg.is_valid);
	assert_int_equal(msg.pickle_refs.count, 2);
	assert_string_equal(msg.pickle_refs.items[1], "rs:b#2");
	trace_release(&tr);
}

static void event_times_are_clamped_and_bad_events_refused(void **state)
{
	struct trace tr;
	struct probe_message msg;
	struct probe_json pj;

	(void)state;
	trace_init(&tr);
	/* sent before the trace started: time 0 */
	read_one(&tr, "{\"kind\":\"import\",\"t\":5,\"pid\":3,\"module\":\"m\"}", &msg);
	assert_true(msg.is_valid);
	assert_int_equal(msg.ev.t, 0);
	/* a "t" that is not a number reads as 0, as for every kind */
	read_one(&tr, "{\"kind\":\"import\",\"t\":\"x\",\"pid\":3,\"module\":\"m\"}", &msg);
	assert_true(msg.is_valid);
	assert_int_equal(msg.ev.t, 0);
	/* no "t" at all: refused */
	read_one(&tr, "{\"kind\":\"import\",\"pid\":3,\"module\":\"m\"}", &msg);
	assert_int_equal(msg.kind, PROBE_EVENT);
	assert_false(msg.is_valid);
	assert_int_equal(msg.pid, 3);

	assert_int_equal(
		read_packet(&tr, "{\"t\":1000009000,\"pid\":0,\"kind\":\"threads\",\"count\":1}",
			    &msg, 1, &pj),
		1);
	assert_false(msg.is_valid);
	assert_int_equal(msg.pid, 0);
	assert_string_equal(pj.error.msg, "probe message.pid: expected a positive integer, got 0");
	/* a pid that is not whole: the sender reads leniently, the event does not */
	read_one(&tr, "{\"kind\":\"import\",\"t\":1,\"pid\":3.5,\"module\":\"m\"}", &msg);
	assert_false(msg.is_valid);
	assert_int_equal(msg.pid, 3);
	trace_release(&tr);
}

static void probe_kinds_are_read_leniently(void **state)
{
	struct trace tr;
	struct probe_message msg;

	(void)state;
	trace_init(&tr);
	read_one(&tr,
		 "{\"kind\":\"probe.hello\",\"t\":1000000100,\"pid\":12,\"python\":\"3.11.7\","
		 "\"executable\":\"/usr/bin/python3\",\"argv\":[\"a.py\",7,\"-x\"],\"ppid\":11.9,"
		 "\"forked\":true,\"forked\":false}",
		 &msg);
	assert_int_equal(msg.kind, PROBE_HELLO);
	assert_int_equal(msg.pid, 12);
	assert_int_equal(msg.t, 100);
	assert_string_equal(msg.u.hello.executable, "/usr/bin/python3");
	assert_int_equal(msg.u.hello.argv.count, 2);
	assert_string_equal(msg.u.hello.argv.items[1], "-x");
	assert_int_equal(msg.u.hello.ppid, 11);
	assert_true(msg.u.hello.is_forked); /* the first of a repeated member counts */

	read_one(&tr,
		 "{\"kind\":\"probe.hello\",\"t\":1,\"pid\":12,\"executable\":5,\"ppid\":\"11\"}",
		 &msg);
	assert_int_equal(msg.kind, PROBE_HELLO);
	assert_null(msg.u.hello.executable);
	assert_int_equal(msg.u.hello.ppid, 0);

	read_one(&tr, "{\"kind\":\"probe.role\",\"t\":1,\"pid\":12,\"role\":\"forkserver\"}", &msg);
	assert_true(msg.u.role.has_role);
	assert_int_equal(msg.u.role.role, ROLE_FORKSERVER);
	read_one(&tr, "{\"kind\":\"probe.role\",\"t\":1,\"pid\":12,\"role\":\"pilot\"}", &msg);
	assert_int_equal(msg.kind, PROBE_ROLE);
	assert_false(msg.u.role.has_role);

	read_one(&tr, "{\"kind\":\"probe.spawn\",\"t\":1,\"pid\":12,\"child\":13,\"argv\":[\"b\"]}",
		 &msg);
	assert_int_equal(msg.u.spawn.child, 13);
	assert_string_equal(msg.u.spawn.argv.items[0], "b");

	read_one(&tr,
		 "{\"kind\":\"probe.fds_recv\",\"t\":1,\"pid\":12,\"pass_ref\":\"scm:11>12#1\","
		 "\"fds\":[{\"fd\":7,\"type\":\"pipe\"},9,\"x\",{\"type\":\"pipe\"},3e10]}",
		 &msg);
	assert_int_equal(msg.kind, PROBE_FDS_RECV);
	assert_string_equal(msg.pass_ref, "scm:11>12#1");
	assert_int_equal(msg.u.fds_recv.fd_count, 5);
	assert_int_equal(msg.u.fds_recv.fds[0], 7);
	assert_int_equal(msg.u.fds_recv.fds[1], 9);
	assert_int_equal(msg.u.fds_recv.fds[2], -1);
	assert_int_equal(msg.u.fds_recv.fds[3], -1);
	assert_int_equal(msg.u.fds_recv.fds[4], -1);

	read_one(&tr, "{\"kind\":\"probe.dropped\",\"t\":1,\"pid\":12,\"count\":4}", &msg);
	assert_int_equal(msg.u.dropped.count, 4);
	read_one(&tr, "{\"kind\":\"probe.dropped\",\"t\":1,\"pid\":12,\"count\":-4}", &msg);
	assert_int_equal(msg.kind, PROBE_DROPPED);
	assert_int_equal(msg.u.dropped.count, 0);

	read_one(&tr,
		 "{\"kind\":\"probe.launch\",\"t\":1,\"pid\":12,\"child\":14,"
		 "\"method\":\"forkserver\"}",
		 &msg);
	assert_int_equal(msg.kind, PROBE_LAUNCH);
	assert_int_equal(msg.u.launch.child, 14);
	assert_string_equal(msg.u.launch.method, "forkserver");
	read_one(&tr, "{\"kind\":\"probe.launch\",\"t\":1,\"pid\":12,\"child\":-3,\"method\":5}",
		 &msg);
	assert_int_equal(msg.kind, PROBE_LAUNCH);
	assert_int_equal(msg.u.launch.child, 0);
	assert_null(msg.u.launch.method);

	read_one(&tr, "{\"kind\":\"probe.later\",\"t\":1,\"pid\":12}", &msg);
	assert_int_equal(msg.kind, PROBE_OTHER);
	assert_int_equal(msg.pid, 12);
	trace_release(&tr);
}

/* What the probe learns at a process start travels as trace events. */
static void labels_and_imports_are_events(void **state)
{
	struct trace tr;
	struct probe_message msg;
	struct probe_json pj;

	(void)state;
	trace_init(&tr);
	read_one(&tr,
		 "{\"kind\":\"fds.label\",\"t\":1000000070,\"pid\":7,\"fd\":5,"
		 "\"target\":\"pipe:[756054]\",\"what\":\"startup_data\",\"peer\":8}",
		 &msg);
	assert_true(msg.is_valid);
	assert_int_equal(msg.ev.kind, EV_FDS_LABEL);
	assert_int_equal(msg.ev.t, 70);
	assert_int_equal(msg.ev.u.fds_label.fd, 5);
	assert_int_equal(msg.ev.u.fds_label.what, FD_STARTUP_DATA);
	assert_string_equal(msg.ev.u.fds_label.target, "pipe:[756054]");
	assert_int_equal(msg.ev.u.fds_label.peer, 8);
	assert_null(msg.ev.extra);

	read_one(&tr,
		 "{\"kind\":\"import\",\"t\":1000000080,\"pid\":8,\"module\":\"helper\","
		 "\"file\":\"/p/helper.py\",\"by\":\"__mp_main__\"}",
		 &msg);
	assert_true(msg.is_valid);
	assert_string_equal(msg.ev.u.import.module, "helper");
	assert_string_equal(msg.ev.u.import.by, "__mp_main__");

	/* A label for a purpose this version does not know is a probe bug:
	 * refused, so the trace counts it as lost. */
	assert_int_equal(read_packet(&tr,
				     "{\"kind\":\"fds.label\",\"t\":1,\"pid\":7,\"fd\":5,"
				     "\"what\":\"mystery\"}",
				     &msg, 1, &pj),
			 1);
	assert_int_equal(msg.kind, PROBE_EVENT);
	assert_false(msg.is_valid);
	assert_non_null(strstr(pj.error.msg, "\"mystery\" is not one of startup_data"));
	trace_release(&tr);
}

static void packets_split_on_newlines_and_end_at_bad_json(void **state)
{
	struct trace tr;
	struct probe_message msgs[8];
	struct probe_json pj;

	(void)state;
	trace_init(&tr);
	/* the find_class events of a load travel with it */
	assert_int_equal(
		read_packet(&tr,
			    "{\"kind\":\"pickle.find_class\",\"t\":2,\"pid\":4,\"module\":\"m\","
			    "\"name\":\"a\"}\n{\"kind\":\"pickle.load\",\"t\":3,\"pid\":4,"
			    "\"size\":1}\n",
			    msgs, 8, &pj),
		2);
	assert_int_equal(msgs[0].ev.kind, EV_PICKLE_FIND_CLASS);
	assert_int_equal(msgs[1].ev.kind, EV_PICKLE_LOAD);
	/* JSON that is no message is one refusal; the packet goes on */
	assert_int_equal(
		read_packet(&tr,
			    "5\n{\"t\":1}\n{\"kind\":7}\n{\"kind\":\"probe.later\",\"t\":1,"
			    "\"pid\":4}",
			    msgs, 8, &pj),
		4);
	assert_int_equal(msgs[0].kind, PROBE_NOT_A_MESSAGE);
	assert_int_equal(msgs[1].kind, PROBE_NOT_A_MESSAGE);
	assert_int_equal(msgs[2].kind, PROBE_NOT_A_MESSAGE);
	assert_int_equal(msgs[3].kind, PROBE_OTHER);
	/* text that is not JSON ends the packet */
	assert_int_equal(read_packet(&tr,
				     "{\"kind\":\"probe.later\",\"t\":1,\"pid\":4}\n{oops\n"
				     "{\"kind\":\"probe.later\",\"t\":1,\"pid\":4}",
				     msgs, 8, &pj),
			 2);
	assert_int_equal(msgs[0].kind, PROBE_OTHER);
	assert_int_equal(msgs[1].kind, PROBE_NOT_A_MESSAGE);
	assert_int_equal(read_packet(&tr, "", msgs, 8, &pj), 0);
	assert_int_equal(read_packet(&tr, " \n", msgs, 8, &pj), 1);
	assert_int_equal(msgs[0].kind, PROBE_NOT_A_MESSAGE);
	trace_release(&tr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(events_get_trace_time_and_keep_their_refs),
		cmocka_unit_test(event_times_are_clamped_and_bad_events_refused),
		cmocka_unit_test(probe_kinds_are_read_leniently),
		cmocka_unit_test(labels_and_imports_are_events),
		cmocka_unit_test(packets_split_on_newlines_and_end_at_bad_json),
	};

	return cmocka_run_group_tests_name("json_probe", tests, NULL, NULL);
}

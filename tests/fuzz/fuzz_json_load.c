/*
 * fuzz_json_load.c - libFuzzer target: any bytes go through the trace
 * loader; whatever loads is written back out and must load again (the
 * writer may never produce a file our own reader refuses). The same bytes
 * then go through the reader of the probe's packets (json/probe_json.h),
 * which must take anything without a crash or a leak.
 *   make fuzz FUZZ=json_load FUZZ_SECONDS=600
 * `make check` replays tests/fuzz/corpus/json_load under ASan+UBSan.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json/probe_json.h"
#include "json/trace_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile unsigned fd_sum; /* keeps the reads of the numbers below */

/* Everything a message holds was copied from the packet: reading it all
 * lets ASan see a bad pointer, and no string or list can be longer than
 * the packet itself. */
static void check_message(struct probe_message *msg, void *ctx)
{
	size_t size = *(const size_t *)ctx;
	const struct strv *strings = msg->kind == PROBE_HELLO ? &msg->u.hello.argv
		: msg->kind == PROBE_SPAWN                    ? &msg->u.spawn.argv
							      : &msg->pickle_refs;

	if (msg->pass_ref && strlen(msg->pass_ref) > size)
		abort();
	for (size_t i = 0; i < strings->count; i++)
		if (strlen(strings->items[i]) > size)
			abort();
	if (msg->kind == PROBE_FDS_RECV) {
		if (msg->u.fds_recv.fd_count > size)
			abort();
		for (size_t i = 0; i < msg->u.fds_recv.fd_count; i++)
			fd_sum += (unsigned)msg->u.fds_recv.fds[i];
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct trace tr, again;
	struct mp_err err;
	struct sbuf out;
	struct probe_json pj;

	trace_init(&tr);
	if (trace_json_load_buffer("fuzz.json", (const char *)data, size, &tr, &err) == 0) {
		sbuf_init(&out);
		if (trace_json_dump(&tr, &out, &err) == 0) {
			trace_init(&again);
			if (trace_json_load_buffer("dump.json", out.data, out.len, &again, &err) <
			    0)
				abort(); /* the writer produced a file the reader refuses */
			trace_release(&again);
		}
		sbuf_release(&out);
	}
	trace_release(&tr);

	trace_init(&tr);
	probe_json_init(&pj, 1000);
	probe_json_read_packet(&pj, &tr, (const char *)data, size, check_message, &size);
	trace_release(&tr);
	return 0;
}

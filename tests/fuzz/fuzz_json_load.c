/*
 * fuzz_json_load.c - libFuzzer target: any bytes go through the trace
 * loader; whatever loads is written back out and must load again (the
 * writer may never produce a file our own reader refuses).
 *   make fuzz FUZZ=json_load FUZZ_SECONDS=600
 * `make check` replays tests/fuzz/corpus/json_load under ASan+UBSan.
 */
#include <stdint.h>
#include <stdlib.h>

#include "json/trace_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct trace tr, again;
	struct mp_err err;
	struct sbuf out;

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
	return 0;
}

/*
 * replay_array.c - one replay per open trace: what the screen, compare mode,
 * lessons and exports hold when several traces are shown side by side.
 */
#include <stdlib.h>

#include "replay/replay.h"

int replay_array_new(const struct trace *traces, size_t count, struct replay **out,
		     struct mp_err *err)
{
	struct replay *rps = calloc(count ? count : 1, sizeof(*rps));

	if (!rps)
		return mp_err_set(err, "out of memory while opening %zu traces", count);
	for (size_t i = 0; i < count; i++) {
		if (replay_init(&rps[i], &traces[i], err) < 0) {
			replay_array_free(rps, i);
			return -1;
		}
	}
	*out = rps;
	return 0;
}

void replay_array_free(struct replay *replays, size_t count)
{
	if (!replays)
		return;
	for (size_t i = 0; i < count; i++)
		replay_release(&replays[i]);
	free(replays);
}

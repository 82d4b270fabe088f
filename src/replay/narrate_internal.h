/*
 * narrate_internal.h - what the narration's files share inside replay/:
 * narrate.c tells processes, pickles, imports and output, narrate_fds.c
 * descriptors. Not for other modules: they use replay.h.
 */
#ifndef MP_REPLAY_NARRATE_INTERNAL_H
#define MP_REPLAY_NARRATE_INTERNAL_H

#include "replay/replay.h"

/* The narration of a fds.pass step. */
void narrate_fds_pass(const struct replay *rp, const struct step *s, struct sbuf *out);

/* Does pid exec after event i? */
bool narrate_execs_after(const struct replay *rp, size_t i, int pid);

/* Did multiprocessing start the process and choose what it keeps at exec:
 * the resource tracker, the forkserver, a child started by spawn? */
bool narrate_is_mp_started(const struct replay *rp, const struct process *p);

#endif

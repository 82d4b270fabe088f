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

/* The first event of `kind` done by pid after event i, or NULL. */
const struct event *narrate_next_event(const struct trace *tr, size_t i, int pid,
				       enum ev_kind kind);

/* Did multiprocessing start the process and choose what it keeps at exec:
 * the resource tracker, the forkserver, a child started by spawn? */
bool narrate_is_mp_started(const struct replay *rp, const struct process *p);

#endif

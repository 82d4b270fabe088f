/*
 * tally.h - reading the probe's tally files (tally.c): how many pickles of
 * each purpose and direction a process counted without sending them.
 */
#ifndef MP_TRACER_TALLY_H
#define MP_TRACER_TALLY_H

#include <stdbool.h>
#include <stdint.h>

#include "trace/trace.h"

#define TALLY_SLOT_COUNT 12 /* 6 purposes x (dump, load) */

struct tally {
	uint64_t count[TALLY_SLOT_COUNT];
	uint64_t size[TALLY_SLOT_COUNT]; /* bytes, in all */
};

/* True for the names the probe gives its tally files ("tally-PID[-N]"):
 * nothing else in the folder is ever opened. */
bool tally_is_file_name(const char *name);
/* Reads the tally file name (in the folder dir_fd) of process pid and sums
 * its threads' rows. -1 when it is missing, short, or not pid's. */
int tally_read(int dir_fd, const char *name, int pid, struct tally *out);
/* The purpose ("pool_task") and direction of a slot. */
const char *tally_what(int slot);
enum pickle_direction tally_direction(int slot);

#endif

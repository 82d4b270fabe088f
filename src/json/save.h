/*
 * save.h - writing a file atomically (save.c): trace files and the
 * student's progress both go through it, so neither is ever left torn.
 */
#ifndef MP_JSON_SAVE_H
#define MP_JSON_SAVE_H

#include <stddef.h>

#include "common/err.h"

enum json_save {
	JSON_SAVE_QUICK, /* atomic: a killed writer never leaves a torn file */
	JSON_SAVE_DURABLE, /* and fsync'ed, file and folder: survives a crash of the machine */
};

/* Writes len bytes to path atomically: a temporary file beside it, renamed
 * over path (with JSON_SAVE_DURABLE, fsync'ed first, and the folder after).
 * A writer that fails or is killed leaves the old file (or none). -1 with
 * err. */
int json_save_atomic(const char *path, const char *data, size_t len, enum json_save how,
		     struct mp_err *err);

#endif

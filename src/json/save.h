/*
 * save.h - writing a file atomically (save.c): trace files and the
 * student's progress both go through it, so neither is ever left torn.
 */
#ifndef MP_JSON_SAVE_H
#define MP_JSON_SAVE_H

#include <stddef.h>

#include "common/err.h"

/* Writes len bytes to path atomically: a temporary file beside it,
 * fsync, rename over path, fsync of the folder. A writer that fails or is
 * killed leaves the old file (or none). -1 with err. */
int json_save_atomic(const char *path, const char *data, size_t len, struct mp_err *err);

#endif

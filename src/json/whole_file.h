/*
 * whole_file.h - a JSON file read whole into memory (whole_file.c), for the
 * readers of json/ that parse from one buffer: traces and lessons.
 */
#ifndef MP_JSON_WHOLE_FILE_H
#define MP_JSON_WHOLE_FILE_H

#include <stddef.h>

#include "common/err.h"

/* The whole regular file at path, NUL-terminated, in a buffer the caller
 * frees; its length in *len. With max > 0 a longer file is refused before
 * it is read ("PATH: a WHAT is at most MAX bytes (this one has N)"). NULL
 * with err. */
char *json_read_whole_file(const char *path, size_t max, const char *what, size_t *len,
			   struct mp_err *err);

#endif

/*
 * progress_json.h - the student's progress file (docs/lessons.md,
 * "Progress"): where it lives, reading it, writing it atomically, and
 * moving a corrupt one aside so that the student starts afresh rather
 * than being stuck. json/ -> lesson/; never prints.
 */
#ifndef MP_JSON_PROGRESS_JSON_H
#define MP_JSON_PROGRESS_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "common/err.h"
#include "common/sbuf.h"
#include "lesson/progress.h"

#define PROGRESS_FORMAT_NAME "mpscope-progress"
#define PROGRESS_FORMAT_VERSION 1
/* Far above what a course's answers take; a larger file is not ours. */
#define PROGRESS_FILE_MAX (4 * 1024 * 1024)

/* Where progress lives: $XDG_STATE_HOME/mpscope/progress.json when
 * XDG_STATE_HOME is an absolute path, else
 * $HOME/.local/state/mpscope/progress.json. -1 with err when neither
 * variable says, or the path does not fit. */
int progress_json_path(char *buf, size_t len, struct mp_err *err);

/* Reads the file at path into pg (initialised by the caller, emptied
 * first). A missing file is no progress yet: 0 with pg empty. -1 with err
 * otherwise; *is_corrupt then says whether the content is broken (not
 * JSON, not a progress file, a field of the wrong type) rather than
 * unreadable or written by a newer mpscope (a higher "version"). */
int progress_json_load(const char *path, struct progress *pg, bool *is_corrupt, struct mp_err *err);
/* The same over text; every refusal here is a corrupt file. name is used
 * in messages in place of the path. */
int progress_json_load_buffer(const char *name, const char *buf, size_t len, struct progress *pg,
			      bool *is_corrupt, struct mp_err *err);
/* Appends pg as JSON (format 1) to out. -1 with err on out-of-memory. */
int progress_json_dump(const struct progress *pg, struct sbuf *out, struct mp_err *err);
/* Writes pg to path atomically (json/save.h), making its folder first. */
int progress_json_save(const char *path, const struct progress *pg, struct mp_err *err);

/* Loads the progress at path for a session: a corrupt file is renamed
 * to path.corrupt-YYYYmmddTHHMMSS (now, UTC), pg is left empty, and note
 * gets the one sentence to show ("<why>; moved it to '<aside>' and
 * starting afresh"); otherwise note is "". -1 with err when the file
 * cannot be read, is a newer mpscope's, or cannot be moved aside: then
 * progress cannot be kept this session (do not save over it). */
int progress_json_open(const char *path, struct progress *pg, time_t now, char *note,
		       size_t note_len, struct mp_err *err);

#endif

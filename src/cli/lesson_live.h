/*
 * lesson_live.h - a lesson's traces recorded now, on this machine, for
 * `mpscope lesson` (docs/lessons.md, "Live or recorded"): its example.py
 * run under the tracer once per trace key, as `make traces` records them
 * (scripts/record-traces.sh), but into temporary files and with the
 * program's output kept off the screen.
 */
#ifndef MP_CLI_LESSON_LIVE_H
#define MP_CLI_LESSON_LIVE_H

#include <stddef.h>

#include "common/err.h"
#include "lesson/lesson.h"
#include "trace/trace.h"

/* The longest a live run may take before it counts as failed. */
#define LESSON_LIVE_TIMEOUT_S 60

/* Called before the run of each key (k from 0), to show progress. */
typedef void (*lesson_live_progress)(void *ctx, const struct lesson *l, size_t k);

/* Records every key of l: lesson_dir/example.py, under -m KEY for a
 * method key (none for "default") with python (NULL: python3), under the
 * newest CPython X.Y found (pyenv's, else pythonX.Y on PATH) for a
 * pythonX.Y key. traces holds l->keys.count traces initialised by the
 * caller, who releases them whatever happens. version gets the Python
 * version of a method key's runs ("3.11.7"), "" otherwise. -1 with err,
 * one sentence, when a key cannot be recorded: no CPython 3.8 or later,
 * or a run that failed or was stopped. */
int lesson_live_record(const struct lesson *l, const char *lesson_dir, const char *python,
		       struct trace *traces, char *version, size_t version_len,
		       lesson_live_progress progress, void *ctx, struct mp_err *err);

#endif

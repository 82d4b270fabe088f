/*
 * support.h - helpers shared by the cmocka tests: read fixtures, compare
 * with golden files. Tests run from the repository root.
 */
#ifndef MP_TEST_SUPPORT_H
#define MP_TEST_SUPPORT_H

#include <stddef.h>

/* Reads a whole file; returns a malloc'd NUL-terminated buffer (caller
 * frees) and its length in *len, or NULL if it cannot be read. */
char *support_read_file(const char *path, size_t *len);

/* Writes len bytes to path (creating folders is the caller's job). 0 or -1. */
int support_write_file(const char *path, const void *data, size_t len);

/* Fails the current test with a diff-like message when text differs from
 * the golden file. With MPSCOPE_GOLDEN_UPDATE=1 in the environment it
 * rewrites the golden file instead (review with `git diff tests/golden`). */
void support_assert_golden(const char *text, size_t len, const char *golden_path);

/* Runs a shell command, captures stdout (and stderr when merge_stderr) into a
 * malloc'd buffer; returns the exit status (or -1). */
int support_run(const char *cmd, char **out, int merge_stderr);
/* support_run of a command built printf-style (at most 4 KiB), stdout only. */
int support_runf(char **out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Path of the mpscope binary under test: $MPSCOPE, else ./mpscope. */
const char *support_mpscope(void);

#endif

/*
 * err.h - the one way modules report failure: a sentence in a caller-owned buffer.
 *
 * Modules below cli/ never print and never exit; they return -1 and fill a
 * struct mp_err. Only cli/ shows err.msg to the user (as "mpscope: <msg>").
 * Messages often quote hostile input (trace files, pickles, argv), so
 * mp_err_set() replaces control characters and invalid UTF-8 with '?'.
 */
#ifndef MP_ERR_H
#define MP_ERR_H

#include <stddef.h>

#define MP_ERR_MAX 512

struct mp_err {
	char msg[MP_ERR_MAX];
};

/* Formats a message into err (NULL err is allowed: the message is dropped).
 * Always returns -1, so callers can write `return mp_err_set(err, ...);`. */
int mp_err_set(struct mp_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Puts "prefix: " in front of the message already in err. Returns -1. */
int mp_err_prefix(struct mp_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Copies text into dst (size dst_len, always NUL-terminated) with every
 * control character, escape and invalid UTF-8 byte replaced by '?', and
 * long text cut with "...". Used to quote untrusted input in messages. */
void mp_quote(char *dst, size_t dst_len, const char *text, size_t text_len);

#endif

/*
 * utf8.h - strict UTF-8 checks (no overlongs, no surrogates, max U+10FFFF).
 * Pure functions over bytes; used to refuse bad trace files and to keep
 * untrusted text from reaching a terminal raw.
 */
#ifndef MP_UTF8_H
#define MP_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Length (1-4) of the valid UTF-8 sequence at s, or 0 if it is invalid or
 * cut short by len. */
size_t utf8_valid_prefix(const unsigned char *s, size_t len);

/* True when the sequence at s, of length n as utf8_valid_prefix() measured
 * it (0 = invalid), must not reach a terminal raw: invalid UTF-8, a C0
 * control, DEL, or a C1 control (U+0080..U+009F, which can start escapes). */
bool utf8_is_unsafe(const unsigned char *s, size_t n);

/* True if all len bytes are valid UTF-8. On false, *bad_at (if not NULL)
 * is the offset of the first bad byte. */
bool utf8_is_valid(const unsigned char *s, size_t len, size_t *bad_at);

/* Decodes the valid sequence at s (checked with utf8_valid_prefix first). */
uint32_t utf8_decode(const unsigned char *s, size_t n);

/* Writes cp as UTF-8 into out (room for 4 bytes); returns the length. */
size_t utf8_encode(uint32_t cp, char *out);

#endif

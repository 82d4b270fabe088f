/*
 * base64.h - standard base64 (RFC 4648, "+/" alphabet, "=" padding) for
 * pickle payloads and non-UTF-8 output text in trace files. Internal to json/.
 */
#ifndef MP_JSON_BASE64_H
#define MP_JSON_BASE64_H

#include <stddef.h>
#include <stdint.h>

#include "common/sbuf.h"

/* Bytes that decoding text_len characters can produce at most. */
size_t base64_decoded_max(size_t text_len);

/* Decodes text into out (room for base64_decoded_max(text_len) bytes) and
 * returns 0 with the decoded length in *out_len. Refuses anything that is
 * not canonical padded base64: returns -1 with *bad_at the offset of the
 * first offending character (text_len when the length is wrong). */
int base64_decode(const char *text, size_t text_len, uint8_t *out, size_t *out_len, size_t *bad_at);

/* Appends the base64 form of len bytes to out. */
void base64_encode(struct sbuf *out, const uint8_t *p, size_t len);

#endif

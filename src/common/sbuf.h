/*
 * sbuf.h - a growable byte buffer for building output text.
 *
 * The caller owns the struct; sbuf_release() frees its memory. Appends
 * never fail silently: after an allocation failure the buffer is marked
 * is_oom, further appends are ignored, and callers check it once at the end.
 */
#ifndef MP_SBUF_H
#define MP_SBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sbuf {
	char *data; /* NUL-terminated when len > 0; owned */
	size_t len;
	size_t cap;
	bool is_oom;
};

void sbuf_init(struct sbuf *b);
void sbuf_release(struct sbuf *b);
/* Empties the buffer but keeps its memory for reuse. */
void sbuf_clear(struct sbuf *b);
void sbuf_add(struct sbuf *b, const void *p, size_t len);
void sbuf_adds(struct sbuf *b, const char *s);
void sbuf_addc(struct sbuf *b, char c);
void sbuf_addf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends a byte count the way people read it: "344 B", "12.3 kB", "1.5 MB"
 * (decimal units, as `ls -h --si` and Python's docs write them). */
void sbuf_add_size(struct sbuf *b, uint64_t bytes);
/* Appends a count exactly, a comma between each three digits: "19,968",
 * "1,204,000" (a thousand pool tasks are read at a glance). */
void sbuf_add_count(struct sbuf *b, uint64_t n);
/* Makes sure len + extra bytes fit; false (and is_oom) if they cannot. */
bool sbuf_reserve(struct sbuf *b, size_t extra);

#endif

/*
 * sbuf.c - growable byte buffer; see sbuf.h.
 */
#include "common/sbuf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sbuf_init(struct sbuf *b)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->is_oom = false;
}

void sbuf_release(struct sbuf *b)
{
	free(b->data);
	sbuf_init(b);
}

void sbuf_clear(struct sbuf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

bool sbuf_reserve(struct sbuf *b, size_t extra)
{
	size_t need;
	size_t cap;
	char *p;

	if (b->is_oom)
		return false;
	if (extra > SIZE_MAX / 4 - b->len) {
		b->is_oom = true;
		return false;
	}
	need = b->len + extra + 1;
	if (need <= b->cap)
		return true;
	cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap *= 2;
	p = realloc(b->data, cap);
	if (!p) {
		b->is_oom = true;
		return false;
	}
	b->data = p;
	b->cap = cap;
	return true;
}

void sbuf_add(struct sbuf *b, const void *p, size_t len)
{
	if (!sbuf_reserve(b, len))
		return;
	if (len)
		memcpy(b->data + b->len, p, len);
	b->len += len;
	b->data[b->len] = '\0';
}

void sbuf_adds(struct sbuf *b, const char *s)
{
	sbuf_add(b, s, strlen(s));
}

void sbuf_addc(struct sbuf *b, char c)
{
	sbuf_add(b, &c, 1);
}

void sbuf_addf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!sbuf_reserve(b, 64))
		return;
	va_start(ap, fmt);
	n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->is_oom = true;
		return;
	}
	if ((size_t)n >= b->cap - b->len) {
		if (!sbuf_reserve(b, (size_t)n))
			return;
		va_start(ap, fmt);
		vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
	}
	b->len += (size_t)n;
}

void sbuf_add_size(struct sbuf *b, uint64_t bytes)
{
	if (bytes < 1000)
		sbuf_addf(b, "%llu B", (unsigned long long)bytes);
	else if (bytes < 999950) /* from here "%.1f" would round to "1000.0 kB" */
		sbuf_addf(b, "%.1f kB", (double)bytes / 1e3);
	else
		sbuf_addf(b, "%.1f MB", (double)bytes / 1e6);
}

void sbuf_add_count(struct sbuf *b, uint64_t n)
{
	char digits[24];
	int len = snprintf(digits, sizeof(digits), "%llu", (unsigned long long)n);

	for (int i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			sbuf_addc(b, ',');
		sbuf_addc(b, digits[i]);
	}
}

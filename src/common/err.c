/*
 * err.c - formatting of error sentences; see err.h.
 */
#include "common/err.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "common/utf8.h"

/* True if the n-byte sequence at s (n from utf8_valid_prefix, 0 when
 * invalid) must not reach a terminal: invalid UTF-8, a C0 control or DEL,
 * or a C1 control (U+0080..U+009F), which can start terminal escapes. */
static void sanitize_in_place(char *s)
{
	size_t len = strlen(s);
	size_t i = 0;

	while (i < len) {
		unsigned char *c = (unsigned char *)s + i;
		size_t n = utf8_valid_prefix(c, len - i);

		if (utf8_is_unsafe(c, n)) {
			n = n ? n : 1;
			memset(c, '?', n);
		}
		i += n;
	}
}

int mp_err_set(struct mp_err *err, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return -1;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	sanitize_in_place(err->msg);
	return -1;
}

int mp_err_prefix(struct mp_err *err, const char *fmt, ...)
{
	char prefix[MP_ERR_MAX];
	char both[2 * MP_ERR_MAX + 2];
	va_list ap;

	if (!err)
		return -1;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	snprintf(both, sizeof(both), "%s: %s", prefix, err->msg);
	snprintf(err->msg, sizeof(err->msg), "%.*s", MP_ERR_MAX - 1, both);
	sanitize_in_place(err->msg);
	return -1;
}

void mp_quote(char *dst, size_t dst_len, const char *text, size_t text_len)
{
	size_t out = 0;
	size_t i = 0;

	if (dst_len == 0)
		return;
	while (i < text_len && out + 4 < dst_len) {
		const unsigned char *c = (const unsigned char *)text + i;
		size_t n = utf8_valid_prefix(c, text_len - i);

		if (utf8_is_unsafe(c, n)) {
			dst[out++] = '?';
			i += n ? n : 1;
			continue;
		}
		if (out + n + 4 >= dst_len)
			break;
		memcpy(dst + out, text + i, n);
		out += n;
		i += n;
	}
	if (i < text_len && dst_len >= 4) {
		if (out > dst_len - 4)
			out = dst_len - 4;
		memcpy(dst + out, "...", 3);
		out += 3;
	}
	dst[out] = '\0';
}

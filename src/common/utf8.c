/*
 * utf8.c - strict UTF-8 validation, decoding and encoding; see utf8.h.
 */
#include "common/utf8.h"

size_t utf8_valid_prefix(const unsigned char *s, size_t len)
{
	unsigned char c;

	if (len == 0)
		return 0;
	c = s[0];
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return (len >= 2 && (s[1] & 0xc0) == 0x80) ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		unsigned char lo = (c == 0xe0) ? 0xa0 : 0x80;
		unsigned char hi = (c == 0xed) ? 0x9f : 0xbf; /* no surrogates */

		if (len < 3 || s[1] < lo || s[1] > hi || (s[2] & 0xc0) != 0x80)
			return 0;
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		unsigned char lo = (c == 0xf0) ? 0x90 : 0x80;
		unsigned char hi = (c == 0xf4) ? 0x8f : 0xbf;

		if (len < 4 || s[1] < lo || s[1] > hi || (s[2] & 0xc0) != 0x80 ||
		    (s[3] & 0xc0) != 0x80)
			return 0;
		return 4;
	}
	return 0;
}

bool utf8_is_unsafe(const unsigned char *s, size_t n)
{
	return n == 0 || (n == 1 && (s[0] < 0x20 || s[0] == 0x7f)) ||
		(n == 2 && s[0] == 0xc2 && s[1] < 0xa0);
}

bool utf8_is_valid(const unsigned char *s, size_t len, size_t *bad_at)
{
	size_t i = 0;

	while (i < len) {
		size_t n;

		/* Fast path: ASCII runs dominate trace files. */
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		n = utf8_valid_prefix(s + i, len - i);
		if (n == 0) {
			if (bad_at)
				*bad_at = i;
			return false;
		}
		i += n;
	}
	return true;
}

uint32_t utf8_decode(const unsigned char *s, size_t n)
{
	switch (n) {
	case 1:
		return s[0];
	case 2:
		return ((uint32_t)(s[0] & 0x1f) << 6) | (s[1] & 0x3f);
	case 3:
		return ((uint32_t)(s[0] & 0x0f) << 12) | ((uint32_t)(s[1] & 0x3f) << 6) |
			(s[2] & 0x3f);
	case 4:
		return ((uint32_t)(s[0] & 0x07) << 18) | ((uint32_t)(s[1] & 0x3f) << 12) |
			((uint32_t)(s[2] & 0x3f) << 6) | (s[3] & 0x3f);
	default:
		return 0xfffd;
	}
}

size_t utf8_encode(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

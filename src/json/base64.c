/*
 * base64.c - strict base64 decoding and encoding; see base64.h.
 */
#include "json/base64.h"

static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* 0..63 for alphabet characters, -1 for anything else ('=' included).
 * A table, because decoding payloads is most of the time spent loading a
 * trace (measured: 44% with a chain of comparisons). */
/* clang-format off */
static const signed char sextets[256] = {
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 62, -1, -1, -1, 63,
	52, 53, 54, 55, 56, 57, 58, 59, 60, 61, -1, -1, -1, -1, -1, -1,
	-1,  0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11, 12, 13, 14,
	15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, -1, -1, -1, -1, -1,
	-1, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40,
	41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
};
/* clang-format on */

size_t base64_decoded_max(size_t text_len)
{
	return text_len / 4 * 3;
}

int base64_decode(const char *text, size_t text_len, uint8_t *out, size_t *out_len, size_t *bad_at)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t n = 0, i = 0;

	if (text_len % 4 != 0) {
		*bad_at = text_len;
		return -1;
	}
	/* Every group but the last has no padding. */
	for (; i + 4 < text_len; i += 4) {
		int a = sextets[s[i]], b = sextets[s[i + 1]], c = sextets[s[i + 2]],
		    d = sextets[s[i + 3]];

		if ((a | b | c | d) < 0) {
			*bad_at = i + (a < 0 ? 0 : b < 0 ? 1 : c < 0 ? 2 : 3);
			return -1;
		}
		out[n++] = (uint8_t)(a << 2 | b >> 4);
		out[n++] = (uint8_t)((b & 0x0f) << 4 | c >> 2);
		out[n++] = (uint8_t)((c & 0x03) << 6 | d);
	}
	if (i < text_len) {
		int v[4];
		int pad = 0;

		for (int j = 0; j < 4; j++) {
			v[j] = sextets[s[i + j]];
			/* '=' may only end the last group: "xx==" or "xxx=". */
			if (v[j] < 0 && s[i + j] == '=' && j >= 2 && (j == 3 || s[i + 3] == '=')) {
				v[j] = 0;
				pad++;
				continue;
			}
			if (v[j] < 0 || pad > 0) {
				*bad_at = i + (size_t)j;
				return -1;
			}
		}
		/* Canonical form: the bits dropped by padding must be zero, so that
		 * every payload has exactly one spelling (and write->read->write
		 * gives the same bytes). */
		if ((pad == 2 && (v[1] & 0x0f)) || (pad == 1 && (v[2] & 0x03))) {
			*bad_at = i + (size_t)(3 - pad);
			return -1;
		}
		out[n++] = (uint8_t)(v[0] << 2 | v[1] >> 4);
		if (pad < 2)
			out[n++] = (uint8_t)((v[1] & 0x0f) << 4 | v[2] >> 2);
		if (pad < 1)
			out[n++] = (uint8_t)((v[2] & 0x03) << 6 | v[3]);
	}
	*out_len = n;
	return 0;
}

void base64_encode(struct sbuf *out, const uint8_t *p, size_t len)
{
	char quad[4];

	if (!sbuf_reserve(out, (len + 2) / 3 * 4))
		return;
	for (size_t i = 0; i < len; i += 3) {
		uint32_t w = (uint32_t)p[i] << 16;

		if (i + 1 < len)
			w |= (uint32_t)p[i + 1] << 8;
		if (i + 2 < len)
			w |= p[i + 2];
		quad[0] = alphabet[w >> 18 & 63];
		quad[1] = alphabet[w >> 12 & 63];
		quad[2] = i + 1 < len ? alphabet[w >> 6 & 63] : '=';
		quad[3] = i + 2 < len ? alphabet[w & 63] : '=';
		sbuf_add(out, quad, 4);
	}
}

/*
 * base64.c - strict base64 decoding and encoding; see base64.h.
 */
#include "base64.h"

#include <stdbool.h>

static const char alphabet[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* 0..63 for alphabet characters, -1 for anything else ('=' included). */
static int sextet(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

size_t base64_decoded_max(size_t text_len)
{
	return text_len / 4 * 3;
}

int base64_decode(const char *text, size_t text_len, uint8_t *out, size_t *out_len,
		  size_t *bad_at)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t n = 0;

	if (text_len % 4 != 0) {
		*bad_at = text_len;
		return -1;
	}
	for (size_t i = 0; i < text_len; i += 4) {
		bool is_last = i + 4 == text_len;
		int v[4];
		int pad = 0;

		for (int j = 0; j < 4; j++) {
			v[j] = sextet(s[i + j]);
			/* '=' may only end the last group: "xx==" or "xxx=". */
			if (v[j] < 0 && s[i + j] == '=' && is_last && j >= 2 &&
			    (j == 3 || s[i + 3] == '=')) {
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

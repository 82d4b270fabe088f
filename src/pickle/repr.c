/*
 * repr.c - Python's repr() of the values a pickle argument can hold, so the
 * listing matches pickletools byte for byte: str (quote choice, \x \u \U
 * escapes per str.isprintable()), bytes, and integers of any size up to
 * Python's 4300-digit limit. Floats are in float_repr.c.
 *
 * Output goes straight into an sbuf reserved for the worst case (4 output
 * bytes per input byte), so a long string costs one reserve, not one call
 * per character.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/utf8.h"
#include "pickle/internal.h"

static const char hexdig[] = "0123456789abcdef";

/* Walks the code points of text that pk_read_arg validated. */
struct text_iter {
	enum pickle_text text;
	const uint8_t *p;
	size_t len;
	size_t i;
	int pending; /* a character owed after a raw "\\x" pair, or -1 */
};

static int hex_of(uint8_t c)
{
	return (int)(strchr(hexdig, c | 0x20) - hexdig);
}

/* Python's bytes escapes (codecs.escape_decode); false for a line
 * continuation, which yields no character. */
static bool escaped_char(struct text_iter *t, uint32_t *cp)
{
	uint8_t c = t->p[t->i++];

	if (c != '\\' || t->i >= t->len) {
		*cp = c;
		return true;
	}
	c = t->p[t->i++];
	switch (c) {
	case '\n':
		return false;
	case 'a':
		*cp = '\a';
		return true;
	case 'b':
		*cp = '\b';
		return true;
	case 'f':
		*cp = '\f';
		return true;
	case 'n':
		*cp = '\n';
		return true;
	case 'r':
		*cp = '\r';
		return true;
	case 't':
		*cp = '\t';
		return true;
	case 'v':
		*cp = '\v';
		return true;
	case '\\':
	case '\'':
	case '"':
		*cp = c;
		return true;
	case 'x':
		*cp = (uint32_t)(hex_of(t->p[t->i]) << 4 | hex_of(t->p[t->i + 1]));
		t->i += 2;
		return true;
	default:
		if (c >= '0' && c <= '7') {
			uint32_t v = c - '0';

			for (int k = 0;
			     k < 2 && t->i < t->len && t->p[t->i] >= '0' && t->p[t->i] <= '7'; k++)
				v = v * 8 + (t->p[t->i++] - '0');
			*cp = v & 0xff;
			return true;
		}
		t->i--; /* an unknown escape keeps its backslash */
		*cp = '\\';
		return true;
	}
}

/* The next character, or false when it produced none (a continuation). */
static bool text_char(struct text_iter *t, uint32_t *cp)
{
	uint8_t c;
	int count;

	if (t->pending >= 0) {
		*cp = (uint32_t)t->pending;
		t->pending = -1;
		return true;
	}
	switch (t->text) {
	case PK_TEXT_ESCAPED:
		return escaped_char(t, cp);
	case PK_TEXT_UTF8:
		c = t->p[t->i++];
		if (c < 0x80) {
			*cp = c;
			return true;
		}
		count = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : 1;
		*cp = c & (0x3f >> count);
		while (count-- > 0 && t->i < t->len)
			*cp = *cp << 6 | (t->p[t->i++] & 0x3f);
		return true;
	case PK_TEXT_RAW_ESCAPE:
		c = t->p[t->i++];
		*cp = c;
		if (c != '\\' || t->i >= t->len)
			return true;
		if (t->p[t->i] != 'u' && t->p[t->i] != 'U') {
			/* CPython copies the backslash and the byte after it, so
			 * "\\\\u0041" stays literal. */
			t->pending = t->p[t->i++];
			return true;
		}
		count = t->p[t->i++] == 'u' ? 4 : 8;
		*cp = 0;
		while (count-- > 0)
			*cp = *cp << 4 | (uint32_t)hex_of(t->p[t->i++]);
		return true;
	case PK_TEXT_LATIN1:
		break;
	}
	*cp = t->p[t->i++];
	return true;
}

static char pick_quote(bool has_single, bool has_double)
{
	return has_single && !has_double ? '"' : '\'';
}

static char *put_escape(char *w, uint32_t cp)
{
	if (cp <= 0xff) {
		*w++ = '\\';
		*w++ = 'x';
	} else if (cp <= 0xffff) {
		*w++ = '\\';
		*w++ = 'u';
		*w++ = hexdig[cp >> 12 & 0xf];
		*w++ = hexdig[cp >> 8 & 0xf];
	} else {
		*w++ = '\\';
		*w++ = 'U';
		for (int s = 28; s >= 8; s -= 4)
			*w++ = hexdig[cp >> s & 0xf];
	}
	*w++ = hexdig[cp >> 4 & 0xf];
	*w++ = hexdig[cp & 0xf];
	return w;
}

static char *put_utf8(char *w, uint32_t cp)
{
	if (cp < 0x800) {
		*w++ = (char)(0xc0 | cp >> 6);
	} else if (cp < 0x10000) {
		*w++ = (char)(0xe0 | cp >> 12);
		*w++ = (char)(0x80 | (cp >> 6 & 0x3f));
	} else {
		*w++ = (char)(0xf0 | cp >> 18);
		*w++ = (char)(0x80 | (cp >> 12 & 0x3f));
		*w++ = (char)(0x80 | (cp >> 6 & 0x3f));
	}
	*w++ = (char)(0x80 | (cp & 0x3f));
	return w;
}

static char *put_char(char *w, uint32_t cp, char quote)
{
	if (cp == (uint32_t)quote || cp == '\\') {
		*w++ = '\\';
		*w++ = (char)cp;
	} else if (cp == '\t') {
		*w++ = '\\';
		*w++ = 't';
	} else if (cp == '\n') {
		*w++ = '\\';
		*w++ = 'n';
	} else if (cp == '\r') {
		*w++ = '\\';
		*w++ = 'r';
	} else if (cp >= 0x20 && cp < 0x7f) {
		*w++ = (char)cp;
	} else if (cp < 0x80 || !pk_is_printable(cp)) {
		w = put_escape(w, cp);
	} else {
		w = put_utf8(w, cp);
	}
	return w;
}

void pk_repr_text(enum pickle_text text, const uint8_t *p, size_t len, struct sbuf *out)
{
	struct text_iter t = { .text = text, .p = p, .len = len, .pending = -1 };
	bool has_single = false, has_double = false;
	char quote, *w;
	uint32_t cp;

	if (text == PK_TEXT_UTF8 || text == PK_TEXT_LATIN1) {
		/* Quotes are ASCII and never inside a UTF-8 sequence. */
		has_single = memchr(p, '\'', len) != NULL;
		has_double = memchr(p, '"', len) != NULL;
	} else {
		while (t.i < t.len || t.pending >= 0)
			if (text_char(&t, &cp)) {
				has_single |= cp == '\'';
				has_double |= cp == '"';
			}
		t.i = 0;
	}
	quote = pick_quote(has_single, has_double);
	if (len > SIZE_MAX / 4 - 16 || !sbuf_reserve(out, 4 * len + 16))
		return;
	w = out->data + out->len;
	*w++ = quote;
	while (t.i < t.len || t.pending >= 0) {
		if (t.pending < 0 && p[t.i] >= 0x20 && p[t.i] < 0x7f && p[t.i] != '\\' &&
		    p[t.i] != (uint8_t)quote) {
			*w++ = (char)p[t.i++]; /* the common case, whatever the encoding */
			continue;
		}
		if (text_char(&t, &cp))
			w = put_char(w, cp, quote);
	}
	*w++ = quote;
	out->len = (size_t)(w - out->data);
	out->data[out->len] = '\0';
}

void pk_text_utf8(enum pickle_text text, const uint8_t *p, size_t len, struct sbuf *out)
{
	struct text_iter t = { .text = text, .p = p, .len = len, .pending = -1 };
	uint32_t cp;
	char *w;

	if (len > SIZE_MAX / 4 - 16 || !sbuf_reserve(out, 4 * len + 16))
		return;
	w = out->data + out->len;
	while (t.i < t.len || t.pending >= 0)
		if (text_char(&t, &cp))
			w = cp < 0x80 ? (*w = (char)cp, w + 1) : put_utf8(w, cp);
	out->len = (size_t)(w - out->data);
	out->data[out->len] = '\0';
}

char *pk_safe_text_dup(struct arena *a, enum pickle_text text, const uint8_t *p, size_t len)
{
	struct sbuf tmp;
	char *s;

	sbuf_init(&tmp);
	pk_text_utf8(text, p, len, &tmp);
	for (size_t i = 0; i < tmp.len;) {
		unsigned char *c = (unsigned char *)tmp.data + i;
		size_t n = utf8_valid_prefix(c, tmp.len - i);

		if (utf8_is_unsafe(c, n)) {
			*c = '?'; /* a C1 control's second byte is then invalid on its own */
			n = 1;
		}
		i += n;
	}
	s = tmp.is_oom ? NULL : arena_strndup(a, tmp.data ? tmp.data : "", tmp.len);
	sbuf_release(&tmp);
	return s;
}

/* repr() of each byte inside b'...' (the single-quote form); the pickle
 * bytes of a large payload go through this table, 4 bytes at a time. */
/* clang-format off */
static const char byte_escapes[256][5] = {
	"\\x00", "\\x01", "\\x02", "\\x03", "\\x04", "\\x05", "\\x06", "\\x07",
	"\\x08", "\\t", "\\n", "\\x0b", "\\x0c", "\\r", "\\x0e", "\\x0f",
	"\\x10", "\\x11", "\\x12", "\\x13", "\\x14", "\\x15", "\\x16", "\\x17",
	"\\x18", "\\x19", "\\x1a", "\\x1b", "\\x1c", "\\x1d", "\\x1e", "\\x1f",
	" ", "!", "\"", "#", "$", "%", "&", "\\'",
	"(", ")", "*", "+", ",", "-", ".", "/",
	"0", "1", "2", "3", "4", "5", "6", "7",
	"8", "9", ":", ";", "<", "=", ">", "?",
	"@", "A", "B", "C", "D", "E", "F", "G",
	"H", "I", "J", "K", "L", "M", "N", "O",
	"P", "Q", "R", "S", "T", "U", "V", "W",
	"X", "Y", "Z", "[", "\\\\", "]", "^", "_",
	"`", "a", "b", "c", "d", "e", "f", "g",
	"h", "i", "j", "k", "l", "m", "n", "o",
	"p", "q", "r", "s", "t", "u", "v", "w",
	"x", "y", "z", "{", "|", "}", "~", "\\x7f",
	"\\x80", "\\x81", "\\x82", "\\x83", "\\x84", "\\x85", "\\x86", "\\x87",
	"\\x88", "\\x89", "\\x8a", "\\x8b", "\\x8c", "\\x8d", "\\x8e", "\\x8f",
	"\\x90", "\\x91", "\\x92", "\\x93", "\\x94", "\\x95", "\\x96", "\\x97",
	"\\x98", "\\x99", "\\x9a", "\\x9b", "\\x9c", "\\x9d", "\\x9e", "\\x9f",
	"\\xa0", "\\xa1", "\\xa2", "\\xa3", "\\xa4", "\\xa5", "\\xa6", "\\xa7",
	"\\xa8", "\\xa9", "\\xaa", "\\xab", "\\xac", "\\xad", "\\xae", "\\xaf",
	"\\xb0", "\\xb1", "\\xb2", "\\xb3", "\\xb4", "\\xb5", "\\xb6", "\\xb7",
	"\\xb8", "\\xb9", "\\xba", "\\xbb", "\\xbc", "\\xbd", "\\xbe", "\\xbf",
	"\\xc0", "\\xc1", "\\xc2", "\\xc3", "\\xc4", "\\xc5", "\\xc6", "\\xc7",
	"\\xc8", "\\xc9", "\\xca", "\\xcb", "\\xcc", "\\xcd", "\\xce", "\\xcf",
	"\\xd0", "\\xd1", "\\xd2", "\\xd3", "\\xd4", "\\xd5", "\\xd6", "\\xd7",
	"\\xd8", "\\xd9", "\\xda", "\\xdb", "\\xdc", "\\xdd", "\\xde", "\\xdf",
	"\\xe0", "\\xe1", "\\xe2", "\\xe3", "\\xe4", "\\xe5", "\\xe6", "\\xe7",
	"\\xe8", "\\xe9", "\\xea", "\\xeb", "\\xec", "\\xed", "\\xee", "\\xef",
	"\\xf0", "\\xf1", "\\xf2", "\\xf3", "\\xf4", "\\xf5", "\\xf6", "\\xf7",
	"\\xf8", "\\xf9", "\\xfa", "\\xfb", "\\xfc", "\\xfd", "\\xfe", "\\xff",
};

static const uint8_t byte_escape_len[256] = {
	4, 4, 4, 4, 4, 4, 4, 4, 4, 2, 2, 4, 4, 2, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
	1, 1, 1, 1, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 4,
	4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
	4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
	4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
	4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
};
/* clang-format on */

void pk_repr_bytes(const uint8_t *p, size_t len, struct sbuf *out)
{
	char quote = pick_quote(memchr(p, '\'', len) != NULL, memchr(p, '"', len) != NULL);
	char *w;

	if (len > SIZE_MAX / 4 - 16 || !sbuf_reserve(out, 4 * len + 16))
		return;
	w = out->data + out->len;
	*w++ = 'b';
	*w++ = quote;
	for (size_t i = 0; i < len; i++) {
		uint8_t c = p[i];

		if (quote == '"' && (c == '\'' || c == '"')) {
			if (c == '"')
				*w++ = '\\';
			*w++ = (char)c;
			continue;
		}
		memcpy(w, byte_escapes[c], 4);
		w += byte_escape_len[c];
	}
	*w++ = quote;
	out->len = (size_t)(w - out->data);
	out->data[out->len] = '\0';
}

void pk_repr_int(int64_t v, struct sbuf *out)
{
	char tmp[24];
	char *w = tmp + sizeof(tmp);
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;

	do {
		*--w = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--w = '-';
	sbuf_add(out, w, (size_t)(tmp + sizeof(tmp) - w));
}

void pk_repr_decimal(const uint8_t *p, size_t len, struct sbuf *out)
{
	size_t i = 0;
	bool is_negative = false, any = false;

	while (i < len && (p[i] == ' ' || (p[i] >= '\t' && p[i] <= '\r')))
		i++;
	if (i < len && (p[i] == '+' || p[i] == '-'))
		is_negative = p[i++] == '-';
	for (size_t k = i; k < len; k++)
		if (p[k] >= '1' && p[k] <= '9')
			any = true;
	if (!any) {
		sbuf_addc(out, '0');
		return;
	}
	if (is_negative)
		sbuf_addc(out, '-');
	while (i < len && (p[i] == '0' || p[i] == '_'))
		i++;
	for (; i < len && ((p[i] >= '0' && p[i] <= '9') || p[i] == '_'); i++)
		if (p[i] != '_')
			sbuf_addc(out, (char)p[i]);
}

bool pk_repr_long_le(const uint8_t *p, size_t len, struct sbuf *out)
{
	enum { MAX_BYTES = 1800, MAX_WORDS = (MAX_BYTES + 8) / 4, MAX_LIMBS = 500 };
	uint8_t mag[MAX_BYTES + 4] = { 0 };
	uint32_t words[MAX_WORDS], limbs[MAX_LIMBS];
	size_t k = len, nw, nl = 0, ndigits;
	bool is_negative = len > 0 && (p[len - 1] & 0x80);
	char tmp[16];

	while (k > 0 && p[k - 1] == (is_negative ? 0xff : 0x00))
		k--;
	if (k > MAX_BYTES)
		return false;
	/* |value| = 2^(8k) - u for a negative number whose upper bytes are 0xff. */
	if (is_negative) {
		unsigned carry = 1;

		for (size_t i = 0; i <= k; i++) {
			unsigned b = (i < k ? (uint8_t)~p[i] : 0) + carry;

			mag[i] = (uint8_t)b;
			carry = b >> 8;
		}
	} else {
		memcpy(mag, p, k);
	}
	nw = (k + 1 + 3) / 4;
	for (size_t i = 0; i < nw; i++)
		words[i] = (uint32_t)mag[4 * i] | (uint32_t)mag[4 * i + 1] << 8 |
			(uint32_t)mag[4 * i + 2] << 16 | (uint32_t)mag[4 * i + 3] << 24;
	while (nw > 0 && words[nw - 1] == 0)
		nw--;
	while (nw > 0) {
		uint64_t rem = 0;

		for (size_t i = nw; i-- > 0;) {
			uint64_t cur = rem << 32 | words[i];

			words[i] = (uint32_t)(cur / 1000000000u);
			rem = cur % 1000000000u;
		}
		if (nl == MAX_LIMBS)
			return false;
		limbs[nl++] = (uint32_t)rem;
		while (nw > 0 && words[nw - 1] == 0)
			nw--;
	}
	if (nl == 0) {
		sbuf_addc(out, '0');
		return true;
	}
	ndigits = (size_t)snprintf(tmp, sizeof(tmp), "%u", limbs[nl - 1]) + 9 * (nl - 1);
	if (ndigits > PICKLE_MAX_INT_DIGITS)
		return false;
	if (is_negative)
		sbuf_addc(out, '-');
	sbuf_adds(out, tmp);
	for (size_t i = nl - 1; i-- > 0;)
		sbuf_addf(out, "%09u", limbs[i]);
	return true;
}

void pk_repr_arg(const struct pickle_arg *arg, struct sbuf *out)
{
	switch (arg->kind) {
	case PK_VAL_NONE:
		break;
	case PK_VAL_INT:
		pk_repr_int(arg->i, out);
		break;
	case PK_VAL_BOOL:
		sbuf_adds(out, arg->i ? "True" : "False");
		break;
	case PK_VAL_DECIMAL:
		pk_repr_decimal(arg->data, arg->data_len, out);
		break;
	case PK_VAL_LONG_LE:
		pk_repr_long_le(arg->data, arg->data_len, out);
		break;
	case PK_VAL_FLOAT:
		pk_repr_float(arg->f, out);
		break;
	case PK_VAL_STR:
		pk_repr_text(arg->text, arg->data, arg->data_len, out);
		break;
	case PK_VAL_BYTES:
		pk_repr_bytes(arg->data, arg->data_len, out);
		break;
	case PK_VAL_BYTEARRAY:
		sbuf_adds(out, "bytearray(");
		pk_repr_bytes(arg->data, arg->data_len, out);
		sbuf_addc(out, ')');
		break;
	}
}

/*
 * read.c - the argument readers: an opcode's argument kind (opcodes.h) picks
 * its reader from readers[], which turns the bytes after the opcode into a
 * struct pickle_arg, checking what pickletools checks. Kinds that differ only
 * in a width (UINT1..UINT8, BYTES1..BYTES8, ...) share one reader and take
 * the width from their row.
 *
 * Nothing is copied: text and bytes point into the input, and the only
 * allocation is scratch space for a LONG1/LONG4 near Python's digit limit,
 * converted once to count its digits. A declared length is compared with the bytes that remain before
 * it is used, so a length of 2^63 is just a truncated pickle.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/utf8.h"
#include "pickle/internal.h"

struct rd {
	const uint8_t *buf;
	size_t len;
	size_t pos;
	size_t at; /* offset of the opcode, for messages */
	const char *name;
	size_t width; /* of the kind's fixed-size number or length prefix */
	struct mp_err *err;
};

static size_t remain(const struct rd *r)
{
	return r->len - r->pos;
}

static uint64_t le(const uint8_t *p, size_t n)
{
	uint64_t v = 0;

	for (size_t i = n; i-- > 0;)
		v = v << 8 | p[i];
	return v;
}

static int fixed(struct rd *r, size_t n, const char *what, uint64_t *v)
{
	if (remain(r) < n)
		return mp_err_set(r->err,
				  "byte %zu: truncated: %s needs %zu byte%s of %s, %zu remain%s",
				  r->at, r->name, n, n == 1 ? "" : "s", what, remain(r),
				  remain(r) == 1 ? "s" : "");
	*v = le(r->buf + r->pos, n);
	r->pos += n;
	return 0;
}

/* Reads a length prefix of n bytes, then checks the data is all there. */
static int counted(struct rd *r, size_t n, bool is_signed, struct pickle_arg *arg)
{
	uint64_t count;

	if (fixed(r, n, "length", &count) < 0)
		return -1;
	if (is_signed && n == 4 && (count & 0x80000000u))
		return mp_err_set(r->err, "byte %zu: %s length %d is negative", r->at, r->name,
				  (int)(int32_t)(uint32_t)count);
	if (count > remain(r))
		return mp_err_set(r->err, "byte %zu: truncated: %s declares %llu bytes, %zu remain",
				  r->at, r->name, (unsigned long long)count, remain(r));
	arg->data = r->buf + r->pos;
	arg->data_len = (size_t)count;
	r->pos += (size_t)count;
	return 0;
}

/* The text of a '\n'-terminated line, without the newline. */
static int line(struct rd *r, const uint8_t **p, size_t *n)
{
	const uint8_t *start = r->buf + r->pos;
	const uint8_t *nl = memchr(start, '\n', remain(r));

	if (!nl)
		return mp_err_set(
			r->err, "byte %zu: truncated: %s needs a line ending in '\\n', none found",
			r->at, r->name);
	*p = start;
	*n = (size_t)(nl - start);
	r->pos += *n + 1;
	return 0;
}

static bool is_space(uint8_t c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

static bool is_digit(uint8_t c)
{
	return c >= '0' && c <= '9';
}

static int hex_value(uint8_t c)
{
	if (is_digit(c))
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Checks the literal int() accepts in base 10; counts significant digits. */
static bool decimal_ok(const uint8_t *p, size_t n, size_t *digits)
{
	size_t i = 0, sig = 0;
	bool any = false, last_digit = false;

	while (i < n && is_space(p[i]))
		i++;
	if (i < n && (p[i] == '+' || p[i] == '-'))
		i++;
	for (; i < n && (is_digit(p[i]) || p[i] == '_'); i++) {
		if (p[i] == '_') {
			if (!last_digit)
				return false;
			last_digit = false;
			continue;
		}
		if (sig || p[i] != '0')
			sig++;
		any = last_digit = true;
	}
	if (!any || !last_digit)
		return false;
	while (i < n && is_space(p[i]))
		i++;
	*digits = sig;
	return i == n;
}

static int decimal(struct rd *r, const uint8_t *p, size_t n, struct pickle_arg *arg)
{
	size_t digits;
	int64_t v = 0;
	bool is_negative = false;

	if (!decimal_ok(p, n, &digits))
		return mp_err_set(r->err, "byte %zu: %s argument is not a decimal integer", r->at,
				  r->name);
	if (digits > PICKLE_MAX_INT_DIGITS)
		return mp_err_set(
			r->err,
			"byte %zu: %s integer has %zu digits, more than Python's limit of %d",
			r->at, r->name, digits, PICKLE_MAX_INT_DIGITS);
	arg->data = p;
	arg->data_len = n;
	arg->kind = PK_VAL_DECIMAL;
	if (digits > 18)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '-')
			is_negative = true;
		else if (is_digit(p[i]))
			v = v * 10 + (p[i] - '0');
	}
	arg->i = is_negative ? -v : v;
	arg->kind = PK_VAL_INT;
	return 0;
}

/* float() of a line: whitespace, sign, '_' between digits, inf and nan. */
static int float_literal(struct rd *r, const uint8_t *p, size_t n, struct pickle_arg *arg)
{
	char tmp[512];
	size_t i = 0, t = 0, end = n;
	bool ok;

	while (i < end && is_space(p[i]))
		i++;
	while (end > i && is_space(p[end - 1]))
		end--;
	if (end - i >= sizeof(tmp))
		return mp_err_set(r->err, "byte %zu: %s literal is longer than %zu bytes", r->at,
				  r->name, sizeof(tmp) - 1);
	for (size_t k = i; k < end; k++) {
		if (p[k] == '_') {
			if (k == i || k + 1 == end || !is_digit(p[k - 1]) || !is_digit(p[k + 1]))
				return mp_err_set(r->err, "byte %zu: %s argument is not a number",
						  r->at, r->name);
			continue;
		}
		if (p[k] == '\0')
			return mp_err_set(r->err, "byte %zu: %s argument is not a number", r->at,
					  r->name);
		tmp[t++] = (char)p[k];
	}
	tmp[t] = '\0';
	{
		const char *s = tmp + (tmp[0] == '+' || tmp[0] == '-');
		char *stop;

		/* strtod also takes hex and "nan(...)"; Python's float() does not. */
		ok = t > 0 && strpbrk(s, "xX(") == NULL;
		if (ok && !is_digit((uint8_t)s[0]) && s[0] != '.')
			ok = strcasecmp(s, "inf") == 0 || strcasecmp(s, "infinity") == 0 ||
				strcasecmp(s, "nan") == 0;
		arg->f = strtod(tmp, &stop);
		ok = ok && *stop == '\0';
	}
	if (!ok)
		return mp_err_set(r->err, "byte %zu: %s argument is not a number", r->at, r->name);
	arg->kind = PK_VAL_FLOAT;
	return 0;
}

/* codecs.escape_decode(...).decode("ascii") must succeed. */
static int escaped_ok(struct rd *r, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned v;

		if (p[i] != '\\') {
			if (p[i] >= 0x80)
				goto not_ascii;
			continue;
		}
		if (++i == n)
			return mp_err_set(r->err, "byte %zu: %s argument ends in a lone backslash",
					  r->at, r->name);
		if (p[i] >= '0' && p[i] <= '7') {
			v = p[i] - '0';
			for (int k = 0; k < 2 && i + 1 < n && p[i + 1] >= '0' && p[i + 1] <= '7';
			     k++)
				v = v * 8 + (p[++i] - '0');
			if ((v & 0xff) >= 0x80)
				goto not_ascii;
		} else if (p[i] == 'x') {
			if (n - i < 3 || hex_value(p[i + 1]) < 0 || hex_value(p[i + 2]) < 0)
				return mp_err_set(r->err,
						  "byte %zu: %s argument has a bad \\x escape",
						  r->at, r->name);
			if (hex_value(p[i + 1]) >= 8)
				goto not_ascii;
			i += 2;
		}
	}
	return 0;
not_ascii:
	return mp_err_set(r->err, "byte %zu: %s argument is not ASCII", r->at, r->name);
}

static int stringnl(struct rd *r, bool strip_quotes, struct pickle_arg *arg)
{
	const uint8_t *p;
	size_t n;

	if (line(r, &p, &n) < 0)
		return -1;
	if (strip_quotes) {
		if (n == 0 || (p[0] != '\'' && p[0] != '"'))
			return mp_err_set(r->err, "byte %zu: %s argument has no quotes around it",
					  r->at, r->name);
		if (n < 2 || p[n - 1] != p[0])
			return mp_err_set(r->err,
					  "byte %zu: %s argument does not end with its quote %c",
					  r->at, r->name, p[0]);
		p++;
		n -= 2;
	}
	if (escaped_ok(r, p, n) < 0)
		return -1;
	arg->kind = PK_VAL_STR;
	arg->text = PK_TEXT_ESCAPED;
	arg->data = p;
	arg->data_len = n;
	return 0;
}

static int raw_escape_ok(struct rd *r, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t count;
		uint32_t cp = 0;

		if (p[i] != '\\' || i + 1 == n)
			continue;
		i++;
		if (p[i] != 'u' && p[i] != 'U')
			continue;
		count = p[i] == 'u' ? 4 : 8;
		for (size_t k = 0; k < count; k++) {
			int d = i + 1 + k < n ? hex_value(p[i + 1 + k]) : -1;

			if (d < 0)
				return mp_err_set(
					r->err, "byte %zu: %s argument has a truncated \\%c escape",
					r->at, r->name, p[i]);
			cp = cp << 4 | (uint32_t)d;
		}
		if (cp > 0x10ffff)
			return mp_err_set(r->err,
					  "byte %zu: %s argument has an escape beyond U+10FFFF",
					  r->at, r->name);
		i += count;
	}
	return 0;
}

/* UTF-8 with surrogates allowed, as str(data, 'utf-8', 'surrogatepass'). */
static int utf8_ok(struct rd *r, const uint8_t *p, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t k;

		if (p[i] < 0x80) {
			i++;
			continue;
		}
		k = utf8_valid_prefix(p + i, n - i);
		if (k == 0 && n - i >= 3 && p[i] == 0xed && p[i + 1] >= 0xa0 && p[i + 1] <= 0xbf &&
		    (p[i + 2] & 0xc0) == 0x80)
			k = 3; /* an encoded surrogate */
		if (k == 0)
			return mp_err_set(r->err,
					  "byte %zu: %s argument is not valid UTF-8 (at byte %zu)",
					  r->at, r->name, (size_t)(p + i - r->buf));
		i += k;
	}
	return 0;
}

/* ---- the readers, one per argument kind -------------------------------- */

static int read_none(struct rd *r, struct pickle_arg *arg)
{
	(void)r;
	(void)arg;
	return 0;
}

/* UINT1, UINT2, UINT4, UINT8: little-endian unsigned. */
static int read_uint(struct rd *r, struct pickle_arg *arg)
{
	uint64_t v = 0;

	if (fixed(r, r->width, "argument", &v) < 0)
		return -1;
	/* Only FRAME has 8 bytes; such a frame cannot fit in the input. */
	if (v > INT64_MAX)
		return mp_err_set(r->err, "byte %zu: truncated: %s declares %llu bytes, %zu remain",
				  r->at, r->name, (unsigned long long)v, remain(r));
	arg->kind = PK_VAL_INT;
	arg->i = (int64_t)v;
	return 0;
}

static int read_int4(struct rd *r, struct pickle_arg *arg)
{
	uint64_t v = 0;

	if (fixed(r, 4, "argument", &v) < 0)
		return -1;
	arg->kind = PK_VAL_INT;
	arg->i = (int32_t)(uint32_t)v;
	return 0;
}

static int read_float8(struct rd *r, struct pickle_arg *arg)
{
	uint64_t v = 0, bits = 0;

	if (fixed(r, 8, "argument", &v) < 0)
		return -1;
	for (size_t k = 8; k > 0; k--) /* big-endian on the wire */
		bits = bits << 8 | r->buf[r->pos - k];
	memcpy(&arg->f, &bits, sizeof(bits));
	arg->kind = PK_VAL_FLOAT;
	return 0;
}

/* INT, GET, PUT: a decimal line; as in pickletools, "00" and "01" read as
 * False and True (protocol 0's bools). */
static int read_decimalnl_short(struct rd *r, struct pickle_arg *arg)
{
	const uint8_t *p;
	size_t n;

	if (line(r, &p, &n) < 0)
		return -1;
	if (n == 2 && p[0] == '0' && (p[1] == '0' || p[1] == '1')) {
		arg->kind = PK_VAL_BOOL;
		arg->i = p[1] == '1';
		return 0;
	}
	return decimal(r, p, n, arg);
}

/* LONG: Python 2 wrote a trailing 'L'. */
static int read_decimalnl_long(struct rd *r, struct pickle_arg *arg)
{
	const uint8_t *p;
	size_t n;

	if (line(r, &p, &n) < 0)
		return -1;
	return decimal(r, p, n > 0 && p[n - 1] == 'L' ? n - 1 : n, arg);
}

static int read_floatnl(struct rd *r, struct pickle_arg *arg)
{
	const uint8_t *p;
	size_t n;

	if (line(r, &p, &n) < 0)
		return -1;
	return float_literal(r, p, n, arg);
}

/* LONG1, LONG4: little-endian two's complement after a length. */
static int read_long(struct rd *r, struct pickle_arg *arg)
{
	struct sbuf scratch;
	size_t sig;
	uint8_t fill;
	bool ok = true;

	if (counted(r, r->width, true, arg) < 0)
		return -1;
	arg->kind = PK_VAL_LONG_LE;
	/* The bytes below the sign extension (0x00 over a number >= 0, 0xff
	 * over a negative one) bound the digit count; only a value near
	 * Python's 4300-digit limit needs the exact conversion. */
	fill = arg->data_len > 0 && (arg->data[arg->data_len - 1] & 0x80) ? 0xff : 0x00;
	sig = arg->data_len;
	while (sig > 0 && arg->data[sig - 1] == fill)
		sig--;
	if (sig < 1780)
		return 0;
	if (sig > 1800)
		ok = false;
	else {
		sbuf_init(&scratch);
		ok = pk_repr_long_le(arg->data, arg->data_len, &scratch);
		sbuf_release(&scratch);
	}
	if (!ok)
		return mp_err_set(r->err,
				  "byte %zu: %s integer has more than Python's limit of %d digits",
				  r->at, r->name, PICKLE_MAX_INT_DIGITS);
	return 0;
}

/* STRING: a quoted line with Python's bytes escapes. */
static int read_stringnl(struct rd *r, struct pickle_arg *arg)
{
	return stringnl(r, true, arg);
}

/* PERSID: a line without quotes ("noescape" in pickletools' naming, which
 * still undoes escapes). */
static int read_stringnl_noescape(struct rd *r, struct pickle_arg *arg)
{
	return stringnl(r, false, arg);
}

/* GLOBAL, INST: module and name, one line each, without quotes. */
static int read_stringnl_noescape_pair(struct rd *r, struct pickle_arg *arg)
{
	struct pickle_arg second = { 0 };

	if (stringnl(r, false, arg) < 0 || stringnl(r, false, &second) < 0)
		return -1;
	arg->data2 = second.data;
	arg->data2_len = second.data_len;
	return 0;
}

/* STRING1, STRING4 (SHORT_BINSTRING, BINSTRING): Python 2 str, one byte per
 * character; pickletools reads the 4-byte length as signed. */
static int read_string(struct rd *r, struct pickle_arg *arg)
{
	if (counted(r, r->width, true, arg) < 0)
		return -1;
	arg->kind = PK_VAL_STR;
	arg->text = PK_TEXT_LATIN1;
	return 0;
}

static int read_bytes(struct rd *r, struct pickle_arg *arg)
{
	if (counted(r, r->width, false, arg) < 0)
		return -1;
	arg->kind = PK_VAL_BYTES;
	return 0;
}

static int read_bytearray(struct rd *r, struct pickle_arg *arg)
{
	if (counted(r, r->width, false, arg) < 0)
		return -1;
	arg->kind = PK_VAL_BYTEARRAY;
	return 0;
}

/* UNICODE: a raw-unicode-escape line. */
static int read_unicodestringnl(struct rd *r, struct pickle_arg *arg)
{
	const uint8_t *p;
	size_t n;

	if (line(r, &p, &n) < 0 || raw_escape_ok(r, p, n) < 0)
		return -1;
	arg->kind = PK_VAL_STR;
	arg->text = PK_TEXT_RAW_ESCAPE;
	arg->data = p;
	arg->data_len = n;
	return 0;
}

static int read_unicodestring(struct rd *r, struct pickle_arg *arg)
{
	if (counted(r, r->width, false, arg) < 0 || utf8_ok(r, arg->data, arg->data_len) < 0)
		return -1;
	arg->kind = PK_VAL_STR;
	arg->text = PK_TEXT_UTF8;
	return 0;
}

static const struct reader {
	int (*read)(struct rd *r, struct pickle_arg *arg);
	uint8_t width; /* bytes of the fixed-size number or the length prefix */
} readers[] = {
	[PK_ARG_NONE] = { read_none, 0 },
	[PK_ARG_UINT1] = { read_uint, 1 },
	[PK_ARG_UINT2] = { read_uint, 2 },
	[PK_ARG_INT4] = { read_int4, 4 },
	[PK_ARG_UINT4] = { read_uint, 4 },
	[PK_ARG_UINT8] = { read_uint, 8 },
	[PK_ARG_DECIMALNL_SHORT] = { read_decimalnl_short, 0 },
	[PK_ARG_DECIMALNL_LONG] = { read_decimalnl_long, 0 },
	[PK_ARG_FLOATNL] = { read_floatnl, 0 },
	[PK_ARG_FLOAT8] = { read_float8, 8 },
	[PK_ARG_LONG1] = { read_long, 1 },
	[PK_ARG_LONG4] = { read_long, 4 },
	[PK_ARG_STRINGNL] = { read_stringnl, 0 },
	[PK_ARG_STRINGNL_NOESCAPE] = { read_stringnl_noescape, 0 },
	[PK_ARG_STRINGNL_NOESCAPE_PAIR] = { read_stringnl_noescape_pair, 0 },
	[PK_ARG_STRING1] = { read_string, 1 },
	[PK_ARG_STRING4] = { read_string, 4 },
	[PK_ARG_BYTES1] = { read_bytes, 1 },
	[PK_ARG_BYTES4] = { read_bytes, 4 },
	[PK_ARG_BYTES8] = { read_bytes, 8 },
	[PK_ARG_BYTEARRAY8] = { read_bytearray, 8 },
	[PK_ARG_UNICODESTRINGNL] = { read_unicodestringnl, 0 },
	[PK_ARG_UNICODESTRING1] = { read_unicodestring, 1 },
	[PK_ARG_UNICODESTRING4] = { read_unicodestring, 4 },
	[PK_ARG_UNICODESTRING8] = { read_unicodestring, 8 },
};

_Static_assert(sizeof(readers) / sizeof(readers[0]) == PK_ARG_UNICODESTRING8 + 1,
	       "every argument kind has a reader");

int pk_read_arg(const uint8_t *buf, size_t len, size_t *pos, size_t op_offset,
		const struct pickle_op *op, struct pickle_arg *arg, struct mp_err *err)
{
	const struct reader *reader = &readers[op->arg];
	struct rd r = { .buf = buf,
			.len = len,
			.pos = *pos,
			.at = op_offset,
			.name = op->name,
			.width = reader->width,
			.err = err };

	memset(arg, 0, sizeof(*arg));
	if (reader->read(&r, arg) < 0)
		return -1;
	*pos = r.pos;
	return 0;
}

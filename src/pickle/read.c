/*
 * read.c - one reader per argument kind: turns the bytes after an opcode
 * into a struct pickle_arg, checking what pickletools checks.
 *
 * Nothing is allocated and nothing is copied: text and bytes point into the
 * input. A declared length is compared with the bytes that remain before
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
static int floatnl(struct rd *r, const uint8_t *p, size_t n, struct pickle_arg *arg)
{
	char tmp[512];
	size_t i = 0, t = 0, end = n;
	bool ok;

	while (i < end && is_space(p[i]))
		i++;
	while (end > i && is_space(p[end - 1]))
		end--;
	if (end - i >= sizeof(tmp))
		return mp_err_set(r->err, "byte %zu: FLOAT literal is longer than %zu bytes", r->at,
				  sizeof(tmp) - 1);
	for (size_t k = i; k < end; k++) {
		if (p[k] == '_') {
			if (k == i || k + 1 == end || !is_digit(p[k - 1]) || !is_digit(p[k + 1]))
				return mp_err_set(
					r->err, "byte %zu: FLOAT argument is not a number", r->at);
			continue;
		}
		if (p[k] == '\0')
			return mp_err_set(r->err, "byte %zu: FLOAT argument is not a number",
					  r->at);
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
		return mp_err_set(r->err, "byte %zu: FLOAT argument is not a number", r->at);
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
					r->err,
					"byte %zu: UNICODE argument has a truncated \\%c escape",
					r->at, p[i]);
			cp = cp << 4 | (uint32_t)d;
		}
		if (cp > 0x10ffff)
			return mp_err_set(
				r->err, "byte %zu: UNICODE argument has an escape beyond U+10FFFF",
				r->at);
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

static int long_le(struct rd *r, size_t n, struct pickle_arg *arg)
{
	struct sbuf scratch;
	size_t sig;
	bool ok = true;

	if (counted(r, n, true, arg) < 0)
		return -1;
	arg->kind = PK_VAL_LONG_LE;
	/* Bytes beyond the sign extension decide the digit count; only a value
	 * near Python's 4300-digit limit needs the exact conversion. */
	sig = arg->data_len;
	while (sig > 0 && (arg->data[sig - 1] == 0 || arg->data[sig - 1] == 0xff))
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

int pk_read_arg(const uint8_t *buf, size_t len, size_t *pos, size_t op_offset,
		const struct pickle_op *op, struct pickle_arg *arg, struct mp_err *err)
{
	struct rd r = {
		.buf = buf, .len = len, .pos = *pos, .at = op_offset, .name = op->name, .err = err
	};
	const uint8_t *p;
	size_t n;
	uint64_t v = 0;
	int rc = 0;

	memset(arg, 0, sizeof(*arg));
	switch (op->arg) {
	case PK_ARG_NONE:
		break;
	case PK_ARG_UINT1:
	case PK_ARG_UINT2:
	case PK_ARG_UINT4:
	case PK_ARG_UINT8: {
		size_t width = op->arg == PK_ARG_UINT1 ? 1
			: op->arg == PK_ARG_UINT2      ? 2
			: op->arg == PK_ARG_UINT4      ? 4
						       : 8;

		rc = fixed(&r, width, "argument", &v);
		arg->kind = PK_VAL_INT;
		if (rc == 0 && v > INT64_MAX) {
			/* Only FRAME has 8 bytes; such a frame cannot fit in the input. */
			return mp_err_set(err,
					  "byte %zu: truncated: %s declares %llu bytes, %zu remain",
					  op_offset, op->name, (unsigned long long)v, remain(&r));
		}
		arg->i = (int64_t)v;
		break;
	}
	case PK_ARG_INT4:
		rc = fixed(&r, 4, "argument", &v);
		arg->kind = PK_VAL_INT;
		arg->i = (int32_t)(uint32_t)v;
		break;
	case PK_ARG_FLOAT8:
		rc = fixed(&r, 8, "argument", &v);
		if (rc == 0) {
			uint64_t bits = 0;

			for (int k = 0; k < 8; k++) /* big-endian on the wire */
				bits = bits << 8 | buf[r.pos - 8 + (size_t)k];
			memcpy(&arg->f, &bits, sizeof(bits));
			arg->kind = PK_VAL_FLOAT;
		}
		break;
	case PK_ARG_DECIMALNL_SHORT:
		rc = line(&r, &p, &n);
		if (rc == 0 && n == 2 && p[0] == '0' && (p[1] == '0' || p[1] == '1')) {
			arg->kind = PK_VAL_BOOL;
			arg->i = p[1] == '1';
		} else if (rc == 0) {
			rc = decimal(&r, p, n, arg);
		}
		break;
	case PK_ARG_DECIMALNL_LONG:
		rc = line(&r, &p, &n);
		if (rc == 0)
			rc = decimal(&r, p, n > 0 && p[n - 1] == 'L' ? n - 1 : n, arg);
		break;
	case PK_ARG_FLOATNL:
		rc = line(&r, &p, &n);
		if (rc == 0)
			rc = floatnl(&r, p, n, arg);
		break;
	case PK_ARG_LONG1:
		rc = long_le(&r, 1, arg);
		break;
	case PK_ARG_LONG4:
		rc = long_le(&r, 4, arg);
		break;
	case PK_ARG_STRINGNL:
		rc = stringnl(&r, true, arg);
		break;
	case PK_ARG_STRINGNL_NOESCAPE:
		rc = stringnl(&r, false, arg);
		break;
	case PK_ARG_STRINGNL_NOESCAPE_PAIR: {
		struct pickle_arg second = { 0 };

		rc = stringnl(&r, false, arg);
		if (rc == 0)
			rc = stringnl(&r, false, &second);
		arg->data2 = second.data;
		arg->data2_len = second.data_len;
		break;
	}
	case PK_ARG_STRING1:
	case PK_ARG_STRING4:
		rc = counted(&r, op->arg == PK_ARG_STRING1 ? 1 : 4, true, arg);
		arg->kind = PK_VAL_STR;
		arg->text = PK_TEXT_LATIN1;
		break;
	case PK_ARG_BYTES1:
	case PK_ARG_BYTES4:
	case PK_ARG_BYTES8:
		rc = counted(&r,
			     op->arg == PK_ARG_BYTES1           ? 1
				     : op->arg == PK_ARG_BYTES4 ? 4
								: 8,
			     false, arg);
		arg->kind = PK_VAL_BYTES;
		break;
	case PK_ARG_BYTEARRAY8:
		rc = counted(&r, 8, false, arg);
		arg->kind = PK_VAL_BYTEARRAY;
		break;
	case PK_ARG_UNICODESTRINGNL:
		rc = line(&r, &p, &n);
		if (rc == 0)
			rc = raw_escape_ok(&r, p, n);
		arg->kind = PK_VAL_STR;
		arg->text = PK_TEXT_RAW_ESCAPE;
		arg->data = p;
		arg->data_len = n;
		break;
	case PK_ARG_UNICODESTRING1:
	case PK_ARG_UNICODESTRING4:
	case PK_ARG_UNICODESTRING8:
		rc = counted(&r,
			     op->arg == PK_ARG_UNICODESTRING1           ? 1
				     : op->arg == PK_ARG_UNICODESTRING4 ? 4
									: 8,
			     false, arg);
		if (rc == 0)
			rc = utf8_ok(&r, arg->data, arg->data_len);
		arg->kind = PK_VAL_STR;
		arg->text = PK_TEXT_UTF8;
		break;
	}
	if (rc < 0)
		return -1;
	*pos = r.pos;
	return 0;
}

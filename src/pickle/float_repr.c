/*
 * float_repr.c - Python's repr() of a float: the shortest digits that read
 * back as the same double (CPython's "short" float_repr_style), written in
 * fixed notation for 1e-4 <= |v| < 1e16, else as 1e+16. Needed so BINFLOAT
 * and FLOAT lines match pickletools.
 *
 * Digits come exact from integer arithmetic for the common range, else from
 * printf; a binary search over roundings to 1..17 digits, each checked with
 * strtod, picks the shortest. No allocation.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pickle/internal.h"

#define EXACT_DIGITS 40

/* Rounds the significant digits d (EXACT_DIGITS of them) to p digits into
 * out; returns the decimal exponent, one higher when 9.99 rounds to 10.0.
 * d has far more digits than a double needs, so rounding it again is the
 * same as rounding the exact value (an exact tie rounds half to even). */
static int round_digits(const char *d, int exp10, int p, char *out)
{
	bool up = d[p] > '5';

	if (d[p] == '5') {
		up = (d[p - 1] - '0') % 2 == 1;
		for (int k = p + 1; k < EXACT_DIGITS; k++)
			up |= d[k] != '0';
	}
	memcpy(out, d, (size_t)p);
	if (up) {
		int k = p - 1;

		while (k >= 0 && out[k] == '9')
			out[k--] = '0';
		if (k >= 0) {
			out[k]++;
		} else {
			out[0] = '1';
			return exp10 + 1;
		}
	}
	return exp10;
}

/* True if d.ddd e exp10 (p digits) reads back as v. When the digits fit in
 * 53 bits and the power of ten is exact (<= 1e22), one IEEE multiply or
 * divide is correctly rounded, so it gives strtod's answer without strtod
 * (Clinger's fast path); otherwise ask strtod. */
static bool round_trips(double v, bool is_negative, const char *digits, int p, int exp10)
{
	static const double pow10[23] = { 1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
					  1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
					  1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22 };
	char buf[40], *w = buf;
	unsigned e = (unsigned)(exp10 < 0 ? -exp10 : exp10);
	uint64_t m = 0;
	int k = exp10 - (p - 1);

	for (int i = 0; i < p; i++)
		m = m * 10 + (uint64_t)(digits[i] - '0');
	if (m < ((uint64_t)1 << 53) && k >= -22 && k <= 22) {
		double x = k >= 0 ? (double)m * pow10[k] : (double)m / pow10[-k];

		return (is_negative ? -x : x) == v;
	}
	if (is_negative)
		*w++ = '-';
	*w++ = digits[0];
	*w++ = '.';
	memcpy(w, digits + 1, (size_t)p - 1);
	w += p - 1;
	*w++ = 'e';
	if (exp10 < 0)
		*w++ = '-';
	if (e >= 100)
		*w++ = (char)('0' + e / 100);
	if (e >= 10)
		*w++ = (char)('0' + e / 10 % 10);
	*w++ = (char)('0' + e % 10);
	*w = '\0';
	return strtod(buf, NULL) == v;
}

/* The exact decimal digits of |v| when it is m * 2^e with -60 <= e and
 * |v| < 2^64: integer part in a uint64, then the fraction one digit at a
 * time (frac * 10 stays below 2^64). Returns false for other doubles. */
static bool fixed_point_digits(double v, char *d, int *exp10)
{
	uint64_t bits, m, ipart, frac, mask;
	int e, n = 0, k;
	char tmp[24];

	memcpy(&bits, &v, sizeof(bits));
	e = (int)(bits >> 52 & 0x7ff);
	if (e == 0)
		return false; /* subnormal: tiny, take the slow path */
	m = (bits & 0xfffffffffffffu) | 0x10000000000000u;
	e -= 1075;
	if (e < -60 || e > 11)
		return false;
	if (e >= 0) {
		ipart = m << e;
		frac = 0;
		k = 0;
	} else {
		k = -e;
		ipart = m >> k;
		frac = m & (((uint64_t)1 << k) - 1);
	}
	mask = k ? ((uint64_t)1 << k) - 1 : 0;
	if (ipart) {
		int t = 0;

		for (uint64_t x = ipart; x; x /= 10)
			tmp[t++] = (char)('0' + x % 10);
		*exp10 = t - 1;
		while (t > 0 && n < EXACT_DIGITS)
			d[n++] = tmp[--t];
	} else {
		*exp10 = -1;
		/* Skip the zeros right after the point; they are not significant. */
		for (;;) {
			frac *= 10;
			if (frac >> k)
				break;
			(*exp10)--;
		}
		d[n++] = (char)('0' + (frac >> k));
		frac &= mask;
	}
	while (n < EXACT_DIGITS) {
		frac *= 10;
		d[n++] = (char)('0' + (k ? frac >> k : 0));
		frac &= mask;
	}
	return true;
}

/* EXACT_DIGITS significant digits of |v| into d; returns the decimal
 * exponent. Integer arithmetic where fixed_point_digits() can, else printf
 * with 21 digits, or with all 40 when those 21 cannot tell a tie at some
 * rounding to 1..17 digits from a near-tie. */
static int exact_digits(double v, bool is_negative, char *d)
{
	char sci[64];
	const char *s;
	int n = 21, exp10;

	if (fixed_point_digits(v, d, &exp10))
		return exp10;
	for (;;) {
		bool ambiguous = false;

		snprintf(sci, sizeof(sci), "%.*e", n - 1, v);
		s = sci + is_negative;
		d[0] = s[0];
		memcpy(d + 1, s + 2, (size_t)n - 1);
		memset(d + n, '0', (size_t)(EXACT_DIGITS - n));
		if (n == EXACT_DIGITS)
			return atoi(s + n + 2);
		for (int p = 1; p <= 17 && !ambiguous; p++) {
			bool tail_zero = true, tail_nine = true;

			for (int k = p + 1; k < n; k++) {
				tail_zero &= d[k] == '0';
				tail_nine &= d[k] == '9';
			}
			ambiguous = (d[p] == '5' && tail_zero) || (d[p] == '4' && tail_nine);
		}
		if (!ambiguous)
			return atoi(s + n + 2);
		n = EXACT_DIGITS;
	}
}

/* True if v rounded to p significant digits reads back as v. */
static bool shortest_fits(double v, bool is_negative, const char *d, int exp10, int p)
{
	char digits[EXACT_DIGITS + 1];
	int e = round_digits(d, exp10, p, digits);

	return round_trips(v, is_negative, digits, p, e);
}

/* Python's float repr: the shortest digits that read back as v, in fixed
 * notation for 1e-4 <= |v| < 1e16, else as 1e+16. The exact digits come
 * from exact_digits(); then 16 and 15 digits are tried (most doubles need
 * 16 or 17), and a binary search over the rest of 1..17, each rounding
 * checked with strtod (17 digits always round-trip). */
void pk_repr_float(double v, struct sbuf *out)
{
	char d[EXACT_DIGITS + 1], digits[EXACT_DIGITS + 1], res[64];
	int exp10, decpt, ndig = 0, n = 0, lo = 1, hi = 17;
	bool is_negative = signbit(v);

	if (isnan(v)) {
		sbuf_adds(out, "nan");
		return;
	}
	if (isinf(v)) {
		sbuf_adds(out, v < 0 ? "-inf" : "inf");
		return;
	}
	if (v == 0) {
		sbuf_adds(out, is_negative ? "-0.0" : "0.0");
		return;
	}
	exp10 = exact_digits(v, is_negative, d);
	/* Most doubles need 16 or 17 digits: try those before searching. */
	if (!shortest_fits(v, is_negative, d, exp10, 16))
		lo = 17;
	else if (!shortest_fits(v, is_negative, d, exp10, 15))
		lo = 16;
	else
		hi = 15;
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;

		if (shortest_fits(v, is_negative, d, exp10, mid))
			hi = mid;
		else
			lo = mid + 1;
	}
	exp10 = round_digits(d, exp10, lo, digits);
	ndig = lo;
	while (ndig > 1 && digits[ndig - 1] == '0')
		ndig--;
	if (is_negative)
		res[n++] = '-';
	decpt = exp10 + 1;
	if (decpt > -4 && decpt <= 16) {
		if (decpt <= 0) {
			res[n++] = '0';
			res[n++] = '.';
			for (int k = 0; k < -decpt; k++)
				res[n++] = '0';
			memcpy(res + n, digits, (size_t)ndig);
			n += ndig;
		} else if (decpt >= ndig) {
			memcpy(res + n, digits, (size_t)ndig);
			n += ndig;
			for (int k = ndig; k < decpt; k++)
				res[n++] = '0';
			res[n++] = '.';
			res[n++] = '0';
		} else {
			memcpy(res + n, digits, (size_t)decpt);
			n += decpt;
			res[n++] = '.';
			memcpy(res + n, digits + decpt, (size_t)(ndig - decpt));
			n += ndig - decpt;
		}
	} else {
		res[n++] = digits[0];
		if (ndig > 1) {
			res[n++] = '.';
			memcpy(res + n, digits + 1, (size_t)(ndig - 1));
			n += ndig - 1;
		}
		n += snprintf(res + n, sizeof(res) - (size_t)n, "e%c%02d", exp10 < 0 ? '-' : '+',
			      exp10 < 0 ? -exp10 : exp10);
	}
	sbuf_add(out, res, (size_t)n);
}

/*
 * format.c - one listing line per instruction, exactly as
 * `python3 -m pickletools` prints it: "%5d: %-4s <indent>NAME      arg note",
 * or with the columns a caller asks to leave out (the screen's payload panel
 * has no room for the opcode byte). Also the same-length marker that stands
 * in for an authkey.
 */
#include <string.h>

#include "pickle/internal.h"

#define AUTHKEY_MARKER "<authkey-redacted>"

void pickle_authkey_marker(char *dst, size_t len)
{
	size_t n = strlen(AUTHKEY_MARKER);

	memcpy(dst, AUTHKEY_MARKER, len < n ? len : n);
	if (len > n)
		memset(dst + n, '*', len - n);
}

bool pickle_is_authkey_marker(const uint8_t *p, size_t len)
{
	size_t n = strlen(AUTHKEY_MARKER);

	return len >= n && memcmp(p, AUTHKEY_MARKER, n) == 0;
}

static bool is_redacted(const struct pickle_redactions *r, size_t offset)
{
	size_t lo = 0, hi;

	if (!r)
		return false;
	hi = r->count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (r->offsets[mid] == offset)
			return true;
		if (r->offsets[mid] < offset)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/* The argument with its bytes replaced by the marker, same length. */
static void repr_redacted(const struct pickle_arg *arg, struct sbuf *out)
{
	char marker[256];
	size_t n = arg->data_len;

	if (n >= sizeof(marker)) {
		/* A long authkey: show the marker's start and say how long. */
		sbuf_addf(out, "<redacted authkey, %zu bytes>", n);
		return;
	}
	pickle_authkey_marker(marker, n);
	if (arg->kind == PK_VAL_STR)
		pk_repr_text(PK_TEXT_LATIN1, (const uint8_t *)marker, n, out);
	else
		pk_repr_bytes((const uint8_t *)marker, n, out);
}

/* Writes v in decimal at w, right-aligned in `width` columns; returns the
 * end. Two digits per step from a table: this runs for every line. */
static char *put_uint(char *w, size_t v, int width)
{
	static const char pairs[] = "00010203040506070809101112131415161718192021222324"
				    "25262728293031323334353637383940414243444546474849"
				    "50515253545556575859606162636465666768697071727374"
				    "75767778798081828384858687888990919293949596979899";
	int n = 1;
	char *end;

	if (v < 100000000u) {
		/* Offsets and memo indexes: eight digits from four table pairs
		 * assembled in a register, leading zeros shifted out, one 8-byte
		 * store (callers reserve room past the number). */
		uint32_t hi = (uint32_t)v / 10000, lo = (uint32_t)v % 10000;
		uint16_t p0, p1, p2, p3;
		uint64_t eight;

		memcpy(&p0, pairs + hi / 100 * 2, 2);
		memcpy(&p1, pairs + hi % 100 * 2, 2);
		memcpy(&p2, pairs + lo / 100 * 2, 2);
		memcpy(&p3, pairs + lo % 100 * 2, 2);
		/* Little-endian: the first character is the lowest byte. */
		eight = (uint64_t)p0 | (uint64_t)p1 << 16 | (uint64_t)p2 << 32 | (uint64_t)p3 << 48;
		n = v >= 10000000      ? 8
			: v >= 1000000 ? 7
			: v >= 100000  ? 6
			: v >= 10000   ? 5
			: v >= 1000    ? 4
			: v >= 100     ? 3
			: v >= 10      ? 2
				       : 1;
		eight >>= 8 * (8 - n);
		for (int pad = width - n; pad > 0; pad--)
			*w++ = ' ';
		memcpy(w, &eight, 8);
		return w + n;
	}
	for (size_t limit = 10; v >= limit && n < 19; limit *= 10)
		n++;
	if (v >= 10000000000000000000u)
		n = 20;
	for (int pad = width - n; pad > 0; pad--)
		*w++ = ' ';
	end = w + n;
	w = end;
	while (v >= 100) {
		size_t i = (v % 100) * 2;

		v /= 100;
		*--w = pairs[i + 1];
		*--w = pairs[i];
	}
	if (v >= 10) {
		*--w = pairs[v * 2 + 1];
		*--w = pairs[v * 2];
	} else {
		*--w = (char)('0' + v);
	}
	return end;
}

static void add_note(struct sbuf *out, const char *before, size_t value, const char *after)
{
	char *w;

	if (!sbuf_reserve(out, 64))
		return;
	w = out->data + out->len;
	memcpy(w, before, strlen(before));
	w = put_uint(w + strlen(before), value, 0);
	*w++ = *after;
	out->len = (size_t)(w - out->data);
	out->data[out->len] = '\0';
}

/* The hot path of a 17 MB listing: no printf, one reserve per line head. */
void pickle_insn_format_with(const struct pickle_insn *insn, const struct pickle_redactions *redact,
			     unsigned flags, struct sbuf *out)
{
	static const char hexdig[] = "0123456789abcdef";
	const struct pickle_op *op = insn->op;
	size_t name_len = op->name_len;
	size_t indent = 4 * insn->mark_level;
	bool has_tail = insn->arg.kind != PK_VAL_NONE || insn->note != PK_NOTE_NONE;
	char *w;

	if (flags & PK_FMT_SHOW_AUTHKEY)
		redact = NULL;
	if (indent > SIZE_MAX / 2 || !sbuf_reserve(out, 96 + indent))
		return;
	w = out->data + out->len;
	w = put_uint(w, insn->offset, 5);
	*w++ = ':';
	*w++ = ' ';
	/* repr(opcode.code)[1:-1] padded to 4: printable ASCII as is, else \xNN. */
	if (!(flags & PK_FMT_NO_OPCODE_BYTE)) {
		if (op->code >= 0x80) {
			*w++ = '\\';
			*w++ = 'x';
			*w++ = hexdig[op->code >> 4];
			*w++ = hexdig[op->code & 0xf];
		} else {
			*w++ = (char)op->code;
			*w++ = ' ';
			*w++ = ' ';
			*w++ = ' ';
		}
		*w++ = ' ';
	}
	memset(w, ' ', indent);
	w += indent;
	memcpy(w, op->name, name_len);
	w += name_len;
	if (has_tail && name_len < 10) {
		memset(w, ' ', 10 - name_len);
		w += 10 - name_len;
	}
	if (insn->arg.kind != PK_VAL_NONE)
		*w++ = ' ';
	if (insn->arg.kind == PK_VAL_INT) {
		/* The most common argument (BININT, memo indexes): write it here. */
		int64_t v = insn->arg.i;

		if (v < 0)
			*w++ = '-';
		w = put_uint(w, v < 0 ? 0 - (uint64_t)v : (uint64_t)v, 0);
	}
	if (insn->arg.kind == PK_VAL_NONE && insn->note != PK_NOTE_NO_MARK) {
		/* No argument: the note and the newline fit in what was reserved. */
		if (insn->note == PK_NOTE_MEMO_AS) {
			memcpy(w, " (as ", 5);
			w = put_uint(w + 5, insn->note_value, 0);
			*w++ = ')';
		} else if (insn->note == PK_NOTE_MARK_AT) {
			memcpy(w, " (MARK at ", 10);
			w = put_uint(w + 10, insn->note_value, 0);
			*w++ = ')';
		}
		if (!(flags & PK_FMT_NO_NEWLINE))
			*w++ = '\n';
		*w = '\0';
		out->len = (size_t)(w - out->data);
		return;
	}
	out->len = (size_t)(w - out->data);
	if (insn->arg.kind != PK_VAL_NONE && insn->arg.kind != PK_VAL_INT) {
		if (insn->arg.data2) {
			/* GLOBAL/INST: pickletools joins the two lines with a blank;
			 * both are escape-decoded ASCII, so repr the joined text. */
			struct sbuf tmp;

			sbuf_init(&tmp);
			sbuf_add(&tmp, insn->arg.data, insn->arg.data_len);
			sbuf_addc(&tmp, ' ');
			sbuf_add(&tmp, insn->arg.data2, insn->arg.data2_len);
			if (!tmp.is_oom)
				pk_repr_text(PK_TEXT_ESCAPED, (const uint8_t *)tmp.data, tmp.len,
					     out);
			else
				out->is_oom = true;
			sbuf_release(&tmp);
		} else if ((insn->arg.kind == PK_VAL_BYTES || insn->arg.kind == PK_VAL_STR) &&
			   redact && redact->count && is_redacted(redact, insn->offset)) {
			repr_redacted(&insn->arg, out);
		} else {
			pk_repr_arg(&insn->arg, out);
		}
	}
	if (insn->note == PK_NOTE_MARK_AT)
		add_note(out, " (MARK at ", insn->note_value, ")");
	else if (insn->note == PK_NOTE_MEMO_AS)
		add_note(out, " (as ", insn->note_value, ")");
	else if (insn->note == PK_NOTE_NO_MARK)
		sbuf_adds(out, " no MARK exists on stack");
	if (flags & PK_FMT_NO_NEWLINE)
		return;
	if (out->len + 1 < out->cap) {
		out->data[out->len++] = '\n';
		out->data[out->len] = '\0';
	} else {
		sbuf_addc(out, '\n');
	}
}

void pickle_insn_format(const struct pickle_insn *insn, const struct pickle_redactions *redact,
			struct sbuf *out)
{
	pickle_insn_format_with(insn, redact, 0, out);
}

void pickle_format_highest(int max_proto, struct sbuf *out)
{
	sbuf_adds(out, "highest protocol among opcodes = ");
	if (max_proto < 0)
		sbuf_addc(out, '-'); /* -1: no opcode at all, which cannot end in STOP */
	add_note(out, "", max_proto < 0 ? 1u : (size_t)max_proto, "\n");
}

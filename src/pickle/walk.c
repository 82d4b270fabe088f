/*
 * walk.c - steps through a pickle one opcode at a time and emulates the
 * stack the way pickletools.dis() does: only its shape (how many items,
 * where the MARKs are) and which memo slots are filled. That is what the
 * listing needs for its indentation, "(MARK at N)" and "(as N)" notes, and
 * it catches underflow, missing MARKs and bad memo use.
 *
 * Memory grows with the input only: the stack is a count plus the
 * positions of its MARKs, and there is at most one MARK and one memo entry
 * per input byte, under the caps in pickle.h.
 */
#include <stdlib.h>
#include <string.h>

#include "pickle/internal.h"

void pickle_walker_init(struct pickle_walker *w, const uint8_t *buf, size_t len)
{
	memset(w, 0, sizeof(*w));
	w->buf = buf;
	w->len = len;
	w->max_proto = -1;
}

void pickle_walker_release(struct pickle_walker *w)
{
	free(w->stack_marks);
	free(w->mark_offsets);
	free(w->memo_bits);
	free(w->memo_keys);
	free(w->memo_used);
	pickle_walker_init(w, NULL, 0);
}

static bool push(size_t **arr, size_t *count, size_t *cap, size_t v)
{
	if (*count == *cap) {
		size_t ncap = *cap ? *cap * 2 : 64;
		size_t *p = realloc(*arr, ncap * sizeof(**arr));

		if (!p)
			return false;
		*arr = p;
		*cap = ncap;
	}
	(*arr)[(*count)++] = v;
	return true;
}

static size_t memo_slot(const struct pickle_walker *w, int64_t key)
{
	uint64_t h = (uint64_t)key * 0x9e3779b97f4a7c15u;
	size_t mask = w->memo_cap - 1;
	size_t i = (size_t)(h >> 20) & mask;

	while (w->memo_used[i] && w->memo_keys[i] != key)
		i = (i + 1) & mask;
	return i;
}

/* Memo indexes are nearly always 0, 1, 2...: a bitmap keeps them in cache.
 * It grows up to one bit per input byte (no valid pickle has more memo
 * entries than bytes); other indexes go to the hash set. */
static bool memo_in_bits(const struct pickle_walker *w, int64_t key)
{
	return key >= 0 && (uint64_t)key < w->memo_bit_cap;
}

static bool memo_has(const struct pickle_walker *w, int64_t key)
{
	if (memo_in_bits(w, key))
		return w->memo_bits[key / 64] >> (key % 64) & 1;
	return w->memo_cap && w->memo_used[memo_slot(w, key)];
}

static bool memo_bits_grow(struct pickle_walker *w, int64_t key)
{
	size_t ncap = w->memo_bit_cap ? w->memo_bit_cap : 4096;
	uint64_t *p;

	while (ncap <= (uint64_t)key)
		ncap *= 2;
	p = realloc(w->memo_bits, ncap / 8);
	if (!p)
		return false;
	memset((char *)p + w->memo_bit_cap / 8, 0, (ncap - w->memo_bit_cap) / 8);
	w->memo_bits = p;
	w->memo_bit_cap = ncap;
	return true;
}

static bool memo_add(struct pickle_walker *w, int64_t key)
{
	size_t i;

	if (key >= 0 && (uint64_t)key >= w->memo_bit_cap && (uint64_t)key <= w->len &&
	    !memo_bits_grow(w, key))
		return false;
	if (memo_in_bits(w, key)) {
		w->memo_bits[key / 64] |= (uint64_t)1 << (key % 64);
		w->memo_count++;
		return true;
	}

	/* Sized by the set's own entries: counting the bitmap's too would make
	 * one odd index after a million dense ones allocate a set of millions. */
	if (2 * (w->memo_key_count + 1) > w->memo_cap) {
		struct pickle_walker grown = *w;

		grown.memo_cap = w->memo_cap ? w->memo_cap * 2 : 256;
		grown.memo_keys = malloc(grown.memo_cap * sizeof(*grown.memo_keys));
		grown.memo_used = calloc(grown.memo_cap, sizeof(*grown.memo_used));
		if (!grown.memo_keys || !grown.memo_used) {
			free(grown.memo_keys);
			free(grown.memo_used);
			return false;
		}
		for (size_t k = 0; k < w->memo_cap; k++)
			if (w->memo_used[k]) {
				i = memo_slot(&grown, w->memo_keys[k]);
				grown.memo_used[i] = true;
				grown.memo_keys[i] = w->memo_keys[k];
			}
		free(w->memo_keys);
		free(w->memo_used);
		w->memo_keys = grown.memo_keys;
		w->memo_used = grown.memo_used;
		w->memo_cap = grown.memo_cap;
	}
	i = memo_slot(w, key);
	w->memo_used[i] = true;
	w->memo_keys[i] = key;
	w->memo_key_count++;
	w->memo_count++;
	return true;
}

static bool top_is_mark(const struct pickle_walker *w)
{
	return w->stack_mark_count > 0 && w->stack_marks[w->stack_mark_count - 1] + 1 == w->depth;
}

static int oom(struct mp_err *err, size_t at)
{
	return mp_err_set(err, "byte %zu: out of memory while checking the stack", at);
}

/* The memo index an opcode names, or -1 with err. */
static int memo_index(const struct pickle_insn *in, int64_t *idx, struct mp_err *err)
{
	if (in->arg.kind == PK_VAL_INT || in->arg.kind == PK_VAL_BOOL) {
		*idx = in->arg.i;
		return 0;
	}
	return mp_err_set(err, "byte %zu: %s memo index is too large", in->offset, in->op->name);
}

static int check_memo(struct pickle_walker *w, struct pickle_insn *in, struct mp_err *err)
{
	const char *name = in->op->name;
	uint8_t code = in->op->code;
	int64_t idx = 0;

	if (code == PK_OP_PUT || code == PK_OP_BINPUT || code == PK_OP_LONG_BINPUT ||
	    code == PK_OP_MEMOIZE) {
		if (code == PK_OP_MEMOIZE) {
			idx = (int64_t)w->memo_count;
			in->note = PK_NOTE_MEMO_AS;
			in->note_value = w->memo_count;
		} else if (memo_index(in, &idx, err) < 0) {
			return -1;
		}
		if (memo_has(w, idx))
			return mp_err_set(err, "byte %zu: %s: memo index %lld is already defined",
					  in->offset, name, (long long)idx);
		if (w->depth == 0)
			return mp_err_set(err,
					  "byte %zu: %s: stack underflow: the stack is empty, "
					  "nothing to store in the memo",
					  in->offset, name);
		if (top_is_mark(w))
			return mp_err_set(err, "byte %zu: %s: a MARK cannot be stored in the memo",
					  in->offset, name);
		if (!memo_add(w, idx))
			return oom(err, in->offset);
	} else if (code == PK_OP_GET || code == PK_OP_BINGET || code == PK_OP_LONG_BINGET) {
		if (memo_index(in, &idx, err) < 0)
			return -1;
		if (!memo_has(w, idx))
			return mp_err_set(
				err,
				"byte %zu: %s: memo index %lld out of range: it was never stored",
				in->offset, name, (long long)idx);
	}
	return 0;
}

/* Pops down to the innermost MARK, as pickletools does for opcodes that
 * take one (and for a POP whose top item is a MARK). */
static int pop_mark(struct pickle_walker *w, struct pickle_insn *in, size_t *numtopop,
		    struct mp_err *err)
{
	if (w->mark_count == 0) {
		in->note = PK_NOTE_NO_MARK;
		return mp_err_set(err, "byte %zu: mark mismatch: %s needs a MARK but none is open",
				  in->offset, in->op->name);
	}
	in->note = PK_NOTE_MARK_AT;
	in->note_value = w->mark_offsets[--w->mark_count];
	/* A fixed-size pop (TUPLE2 after MARK) can drop a MARK from the stack
	 * while its offset stays open; pickletools then fails here too. */
	if (w->stack_mark_count == 0)
		return mp_err_set(err,
				  "byte %zu: mark mismatch: %s finds no MARK left on the stack",
				  in->offset, in->op->name);
	w->depth = w->stack_marks[--w->stack_mark_count];
	*numtopop = in->op->takes_mark ? in->op->pop : 0;
	return 0;
}

static int apply(struct pickle_walker *w, struct pickle_insn *in, struct mp_err *err)
{
	const struct pickle_op *op = in->op;
	size_t numtopop = op->pop;

	if (op->takes_mark || (op->code == PK_OP_POP && top_is_mark(w)))
		if (pop_mark(w, in, &numtopop, err) < 0)
			return -1;
	if (check_memo(w, in, err) < 0)
		return -1;
	if (w->depth < numtopop)
		return mp_err_set(
			err, "byte %zu: stack underflow: %s pops %zu item%s, the stack has %zu",
			in->offset, op->name, numtopop, numtopop == 1 ? "" : "s", w->depth);
	w->depth -= numtopop;
	while (w->stack_mark_count > 0 && w->stack_marks[w->stack_mark_count - 1] >= w->depth)
		w->stack_mark_count--;
	if (op->pushes_mark) {
		if (w->mark_count >= PICKLE_MAX_MARKS)
			return mp_err_set(err, "byte %zu: more than %u nested MARKs", in->offset,
					  PICKLE_MAX_MARKS);
		if (!push(&w->stack_marks, &w->stack_mark_count, &w->stack_mark_cap, w->depth) ||
		    !push(&w->mark_offsets, &w->mark_count, &w->mark_cap, in->offset))
			return oom(err, in->offset);
		w->depth++;
	}
	w->depth += op->push;
	if (w->depth > PICKLE_MAX_STACK)
		return mp_err_set(err, "byte %zu: the stack holds more than %u items", in->offset,
				  PICKLE_MAX_STACK);
	return 0;
}

int pickle_walker_next(struct pickle_walker *w, struct pickle_insn *insn, bool *insn_printable,
		       struct mp_err *err)
{
	const struct pickle_op *op;
	size_t at = w->pos;

	*insn_printable = false;
	if (w->is_done) {
		if (w->depth != 0)
			return mp_err_set(err, "byte %zu: STOP leaves %zu item%s on the stack",
					  w->pos - 1, w->depth, w->depth == 1 ? "" : "s");
		return 0;
	}
	if (at >= w->len)
		return mp_err_set(err, "byte %zu: truncated: the pickle ends before STOP", at);
	op = &pk_ops[w->buf[at]];
	if (!op->name) {
		uint8_t c = w->buf[at];

		if (c > 0x20 && c < 0x7f)
			return mp_err_set(err, "byte %zu: unknown opcode '%c' (0x%02x)", at, c, c);
		return mp_err_set(err, "byte %zu: unknown opcode 0x%02x", at, c);
	}
	w->pos++;
	insn->offset = at;
	insn->op = op;
	if (op->arg == PK_ARG_NONE) {
		/* Most opcodes of a big pickle (MEMOIZE, TUPLE2, SETITEMS...). */
		insn->arg.kind = PK_VAL_NONE;
		insn->arg.data = insn->arg.data2 = NULL;
		insn->arg.data_len = insn->arg.data2_len = 0;
	} else if (pk_read_arg(w->buf, w->len, &w->pos, at, op, &insn->arg, err) < 0) {
		return -1;
	}
	insn->len = w->pos - at;
	insn->mark_level = w->mark_count;
	insn->note = PK_NOTE_NONE;
	insn->note_value = 0;
	if (op->proto > w->max_proto)
		w->max_proto = op->proto;
	*insn_printable = true;
	if (apply(w, insn, err) < 0)
		return -1;
	if (op->code == PK_OP_STOP)
		w->is_done = true;
	return 1;
}

/*
 * summary.c - what a pickle is made of, in a few lines: protocol, size,
 * opcode and memo counts, every global it names, and the largest leaves
 * (the arguments that make it big).
 */
#include <string.h>

#include "pickle/internal.h"

static void keep_if_large(struct pickle_summary *s, const struct pickle_insn *in)
{
	struct pickle_leaf leaf = { .offset = in->offset, .op = in->op, .arg = in->arg };
	size_t i;

	if (!in->arg.data || in->arg.data2 || in->arg.data_len == 0)
		return;
	if (s->leaf_count == PICKLE_TOP_LEAVES &&
	    s->leaves[s->leaf_count - 1].arg.data_len >= in->arg.data_len)
		return;
	if (s->leaf_count < PICKLE_TOP_LEAVES)
		s->leaf_count++;
	for (i = s->leaf_count - 1; i > 0 && s->leaves[i - 1].arg.data_len < in->arg.data_len; i--)
		s->leaves[i] = s->leaves[i - 1];
	s->leaves[i] = leaf;
}

int pickle_summarize(const uint8_t *buf, size_t len, struct arena *a, struct pickle_summary *out,
		     struct mp_err *err)
{
	struct pickle_walker w;
	struct pickle_insn in;
	bool printable;
	int rc;

	memset(out, 0, sizeof(*out));
	pickle_walker_init(&w, buf, len);
	while ((rc = pickle_walker_next(&w, &in, &printable, err)) > 0) {
		out->opcode_count++;
		out->total_len = in.offset + in.len;
		if (in.op->code == PK_OP_PROTO && out->opcode_count == 1)
			out->protocol = (int)in.arg.i;
		else if (in.op->code == PK_OP_FRAME)
			out->frame_count++;
		else if (in.op->code == PK_OP_NEXT_BUFFER)
			out->buffer_count++;
		keep_if_large(out, &in);
	}
	out->max_proto = w.max_proto;
	out->memo_count = w.memo_count;
	pickle_walker_release(&w);
	if (rc < 0)
		return -1;
	if (pk_scan(buf, len, a, &out->globals, &out->global_count, &out->authkeys, err) < 0)
		return -1;
	for (size_t i = 0; i < out->leaf_count; i++)
		for (size_t k = 0; k < out->authkeys.count; k++)
			out->leaves[i].is_authkey |=
				out->authkeys.offsets[k] == out->leaves[i].offset;
	return 0;
}

/* A short preview of a leaf: the repr of its first PREVIEW bytes. */
static void preview(const struct pickle_leaf *leaf, struct sbuf *out)
{
	enum { PREVIEW = 24 };
	struct pickle_arg arg = leaf->arg;
	struct sbuf tmp;
	bool is_cut = false;

	if (leaf->is_authkey) {
		sbuf_adds(out, "multiprocessing authkey (redacted)");
		return;
	}
	if ((arg.kind == PK_VAL_STR || arg.kind == PK_VAL_BYTES || arg.kind == PK_VAL_BYTEARRAY) &&
	    arg.data_len > PREVIEW) {
		/* Cut text only where a character starts, and only plain encodings. */
		if (arg.kind == PK_VAL_STR && arg.text != PK_TEXT_UTF8 &&
		    arg.text != PK_TEXT_LATIN1)
			return;
		arg.data_len = PREVIEW;
		while (arg.kind == PK_VAL_STR && arg.text == PK_TEXT_UTF8 && arg.data_len > 0 &&
		       (arg.data[arg.data_len] & 0xc0) == 0x80)
			arg.data_len--;
		is_cut = true;
	} else if (arg.kind == PK_VAL_DECIMAL || arg.kind == PK_VAL_LONG_LE) {
		sbuf_adds(out, "a big integer");
		return;
	}
	sbuf_init(&tmp);
	pk_repr_arg(&arg, &tmp);
	if (!tmp.is_oom && tmp.len > 0) {
		sbuf_add(out, tmp.data, tmp.len);
		if (is_cut)
			sbuf_adds(out, "...");
	}
	sbuf_release(&tmp);
}

void pickle_summary_format(const struct pickle_summary *s, struct sbuf *out)
{
	sbuf_addf(out, "protocol:        %d (highest among opcodes: %d)\n", s->protocol,
		  s->max_proto);
	sbuf_addf(out, "size:            %zu bytes, %zu opcodes, %zu memo entries", s->total_len,
		  s->opcode_count, s->memo_count);
	if (s->frame_count)
		sbuf_addf(out, ", %zu frame%s", s->frame_count, s->frame_count == 1 ? "" : "s");
	if (s->buffer_count)
		sbuf_addf(out, ", %zu out-of-band buffer%s", s->buffer_count,
			  s->buffer_count == 1 ? "" : "s");
	/* Each distinct global once, with how often it is named; a hostile
	 * pickle may name a million, so the list stops at MAX_LISTED. */
	{
		enum { MAX_LISTED = 64 };
		size_t first[MAX_LISTED], uses[MAX_LISTED], listed = 0, unlisted = 0;

		for (size_t i = 0; i < s->global_count; i++) {
			const struct pickle_global *g = &s->globals[i];
			size_t k = 0;

			while (k < listed &&
			       (strcmp(s->globals[first[k]].module, g->module) != 0 ||
				strcmp(s->globals[first[k]].name, g->name) != 0))
				k++;
			if (k < listed) {
				uses[k]++;
			} else if (listed < MAX_LISTED) {
				first[listed] = i;
				uses[listed++] = 1;
			} else {
				unlisted++;
			}
		}
		sbuf_addf(out, "\nglobals:         %zu%s distinct, %zu reference%s\n", listed,
			  unlisted ? "+" : "", s->global_count, s->global_count == 1 ? "" : "s");
		for (size_t k = 0; k < listed; k++) {
			const struct pickle_global *g = &s->globals[first[k]];

			sbuf_addf(out, "  byte %-8zu %s.%s", g->offset, g->module, g->name);
			if (uses[k] > 1)
				sbuf_addf(out, " (named %zu times)", uses[k]);
			sbuf_addc(out, '\n');
		}
		if (unlisted)
			sbuf_addf(out, "  ... %zu more references not listed\n", unlisted);
	}
	sbuf_addf(out, "largest leaves:  %zu\n", s->leaf_count);
	for (size_t i = 0; i < s->leaf_count; i++) {
		sbuf_addf(out, "  byte %-8zu %-16s %8zu bytes  ", s->leaves[i].offset,
			  s->leaves[i].op->name, s->leaves[i].arg.data_len);
		preview(&s->leaves[i], out);
		sbuf_addc(out, '\n');
	}
}

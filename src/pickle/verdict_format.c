/*
 * verdict_format.c - the verdict as text: the report of `mpscope dis
 * --verdict` (every import, looked up or called; every call in the order
 * loading makes it, with its arguments as decoded symbols and its own
 * verdict), the closing "verdict: WORD — reason" line, and the short
 * one-line form of symbols both use. Formats only: verdict.c decides.
 */
#include <string.h>

#include "pickle/verdict.h"

#define SHOW_TEXT 32 /* bytes of a long str/bytes shown */
#define LONG_TEXT 48 /* longer than this is cut */
#define ARGS_BUDGET 100 /* bytes of arguments on a call's line */
#define SHORT_DEPTH 4
#define SHOWN_PER_GROUP 3 /* calls shown of one callee, via and verdict */

const char *pickle_verdict_name(enum pickle_verdict v)
{
	static const char *const names[] = { "data", "imports", "calls", "dangerous" };

	return (unsigned)v < sizeof(names) / sizeof(names[0]) ? names[v] : "?";
}

/* ---- one-line symbols --------------------------------------------------- */

static void short_node(const struct pickle_node *n, int depth, size_t start, size_t budget,
		       struct sbuf *out);

static void short_text(const struct pickle_node *n, struct sbuf *out)
{
	const uint8_t *p = n->u.value.data;
	size_t len = n->u.value.data_len, show = SHOW_TEXT;
	bool is_str = n->kind == PK_NODE_STR;

	if (n->is_authkey) {
		sbuf_addf(out, "<redacted, %zu bytes>", len);
		return;
	}
	if (len > LONG_TEXT &&
	    (!is_str || n->u.value.text == PK_TEXT_UTF8 || n->u.value.text == PK_TEXT_LATIN1)) {
		/* Cut where a character starts, so the preview stays valid text. */
		if (is_str && n->u.value.text == PK_TEXT_UTF8)
			while (show > 0 && (p[show] & 0xc0) == 0x80)
				show--;
		if (is_str)
			pk_repr_text(n->u.value.text, p, show, out);
		else
			pk_repr_bytes(p, show, out);
		sbuf_addf(out, "...<%zu bytes>", len);
		return;
	}
	if (n->kind == PK_NODE_BYTEARRAY)
		sbuf_adds(out, "bytearray(");
	if (is_str)
		pk_repr_text(n->u.value.text, p, len, out);
	else
		pk_repr_bytes(p, len, out);
	if (n->kind == PK_NODE_BYTEARRAY)
		sbuf_addc(out, ')');
}

/* Items separated by ", " until the budget runs out; dict items in pairs. */
static void short_items(const struct pickle_list *l, bool is_pairs, int depth, size_t start,
			size_t budget, struct sbuf *out)
{
	bool first = true;

	for (const struct pickle_cell *c = l->head; c; c = c->next) {
		if (!first)
			sbuf_adds(out, ", ");
		if (out->len - start > budget) {
			sbuf_adds(out, "...");
			return;
		}
		short_node(c->node, depth + 1, start, budget, out);
		if (is_pairs) {
			if (!c->next)
				return;
			c = c->next;
			sbuf_adds(out, ": ");
			short_node(c->node, depth + 1, start, budget, out);
		}
		first = false;
	}
}

static void short_node(const struct pickle_node *n, int depth, size_t start, size_t budget,
		       struct sbuf *out)
{
	static const char *const open[] = { [PK_NODE_TUPLE] = "(",
					    [PK_NODE_LIST] = "[",
					    [PK_NODE_DICT] = "{",
					    [PK_NODE_SET] = "{",
					    [PK_NODE_FROZENSET] = "frozenset({" };
	static const char *const close[] = { [PK_NODE_TUPLE] = ")",
					     [PK_NODE_LIST] = "]",
					     [PK_NODE_DICT] = "}",
					     [PK_NODE_SET] = "}",
					     [PK_NODE_FROZENSET] = "})" };

	if (!n) {
		sbuf_adds(out, "?");
		return;
	}
	switch (n->kind) {
	case PK_NODE_NONE:
		sbuf_adds(out, "None");
		return;
	case PK_NODE_BOOL:
		sbuf_adds(out, n->u.value.i ? "True" : "False");
		return;
	case PK_NODE_INT: {
		struct pickle_arg v = { .kind = n->u.value.kind,
					.i = n->u.value.i,
					.data = n->u.value.data,
					.data_len = n->u.value.data_len };

		if (n->u.value.data_len > LONG_TEXT)
			sbuf_addf(out, "<int, %zu digits or bytes>", n->u.value.data_len);
		else
			pk_repr_arg(&v, out);
		return;
	}
	case PK_NODE_FLOAT:
		pk_repr_float(n->u.value.f, out);
		return;
	case PK_NODE_STR:
	case PK_NODE_BYTES:
	case PK_NODE_BYTEARRAY:
		short_text(n, out);
		return;
	case PK_NODE_GLOBAL:
		sbuf_adds(out, n->u.global.module);
		sbuf_addc(out, '.');
		sbuf_adds(out, n->u.global.name);
		return;
	case PK_NODE_EXT:
		sbuf_addf(out, "<copyreg extension %lld>", (long long)n->u.number);
		return;
	case PK_NODE_BUFFER:
		sbuf_addf(out, "<out-of-band buffer %lld>", (long long)n->u.number);
		return;
	case PK_NODE_PERSID:
		sbuf_adds(out, "persistent_load(");
		if (depth < SHORT_DEPTH)
			short_node(n->u.call.args, depth + 1, start, budget, out);
		else
			sbuf_adds(out, "...");
		sbuf_addc(out, ')');
		return;
	case PK_NODE_CALL:
		if (depth >= SHORT_DEPTH) {
			sbuf_adds(out, "...(...)");
			return;
		}
		short_node(n->u.call.func, depth + 1, start, budget, out);
		if (n->u.call.args && n->u.call.args->kind == PK_NODE_TUPLE) {
			sbuf_addc(out, '(');
			short_items(&n->u.call.args->items, false, depth, start, budget, out);
			sbuf_addc(out, ')');
		} else {
			sbuf_adds(out, "(*");
			short_node(n->u.call.args, depth + 1, start, budget, out);
			sbuf_addc(out, ')');
		}
		return;
	default:
		break;
	}
	if (n->kind == PK_NODE_SET && n->items.count == 0) {
		sbuf_adds(out, "set()");
		return;
	}
	sbuf_adds(out, open[n->kind]);
	if (depth >= SHORT_DEPTH && n->items.count)
		sbuf_adds(out, "...");
	else
		short_items(&n->items, n->kind == PK_NODE_DICT, depth, start, budget, out);
	if (n->kind == PK_NODE_TUPLE && n->items.count == 1)
		sbuf_addc(out, ',');
	sbuf_adds(out, close[n->kind]);
}

void pk_render_short(const struct pickle_node *n, size_t budget, struct sbuf *out)
{
	short_node(n, 0, out->len, budget, out);
}

/* ---- the report --------------------------------------------------------- */

static void call_args(const struct pickle_call *c, struct sbuf *out)
{
	size_t start = out->len;

	sbuf_addc(out, '(');
	if (c->args && c->args->kind == PK_NODE_TUPLE)
		short_items(&c->args->items, false, 0, start, ARGS_BUDGET, out);
	else if (c->args) {
		sbuf_addc(out, '*');
		short_node(c->args, 0, start, ARGS_BUDGET, out);
	}
	if (c->kwargs) {
		sbuf_adds(out, c->args ? ", **" : "**");
		short_node(c->kwargs, 0, start, ARGS_BUDGET, out);
	}
	sbuf_addc(out, ')');
}

static void call_line(const struct pickle_call *c, struct sbuf *out)
{
	sbuf_addf(out, "  byte %-8zu %-11s %s", c->offset, c->via, c->callee);
	call_args(c, out);
	sbuf_addf(out, "  [%s", pickle_verdict_name(c->verdict));
	if (c->passes)
		sbuf_addf(out, ": may call %s, which it is handed", c->passes);
	if (c->why)
		sbuf_addf(out, ": %s", c->why);
	sbuf_adds(out, "]\n");
}

void pickle_verdict_line(const struct pickle_analysis *an, struct sbuf *out)
{
	sbuf_addf(out, "verdict: %s \xe2\x80\x94 %s", pickle_verdict_name(an->verdict),
		  an->reason ? an->reason : "");
}

void pickle_analysis_format(const struct pickle_analysis *an, struct sbuf *out)
{
	size_t width = 0;

	for (size_t i = 0; i < an->import_count; i++) {
		size_t w = strlen(an->imports[i].module) + 1 + strlen(an->imports[i].name);

		if (w > width)
			width = w;
	}
	if (width > 60)
		width = 60;
	if (an->import_count == 0)
		sbuf_adds(out, "imports: none\n");
	else
		sbuf_addf(out, "imports (%zu):\n", an->import_count);
	for (size_t i = 0; i < an->import_count; i++) {
		const struct pickle_import *im = &an->imports[i];
		size_t w = strlen(im->module) + 1 + strlen(im->name);

		sbuf_addf(out, "  %s.%s%*s  byte %-8zu %s\n", im->module, im->name,
			  (int)(w < width ? width - w : 0), "", im->offset,
			  im->is_called ? "called" : "looked up");
	}
	if (an->own_module_count) {
		sbuf_adds(out, "the program's own modules (not the standard library):");
		for (size_t i = 0; i < an->own_module_count; i++)
			sbuf_addf(out, " %s", an->own_modules[i]);
		sbuf_addc(out, '\n');
	}
	if (an->call_count == 0)
		sbuf_adds(out, "calls: none\n");
	else
		sbuf_addf(out, "calls (%zu), in the order loading makes them:\n", an->call_count);
	for (size_t i = 0; i < an->call_count; i++) {
		const struct pickle_call *c = &an->calls[i];

		if (c->repeat < SHOWN_PER_GROUP)
			call_line(c, out);
		else if (c->repeat == SHOWN_PER_GROUP)
			sbuf_addf(out, "  ... %zu more call%s of %s (%s), each %s\n",
				  c->repeat_count - SHOWN_PER_GROUP,
				  c->repeat_count - SHOWN_PER_GROUP == 1 ? "" : "s", c->callee,
				  c->via, pickle_verdict_name(c->verdict));
	}
	pickle_verdict_line(an, out);
	sbuf_addc(out, '\n');
}

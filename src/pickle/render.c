/*
 * render.c - the decoded tree as an indented, Python-like expression:
 *   multiprocessing.context.SpawnProcess(
 *       _config={'authkey': multiprocessing.process.AuthenticationString(<redacted, 32 bytes>)},
 *       _target=__main__.f,
 *       ...
 *   )
 * A node that fits in the line stays on it; otherwise its items go one per
 * line. Shared objects print once as #N=... and then as <#N>, which also
 * shows recursion. Depth and elision keep the output bounded.
 */
#include <string.h>

#include "pickle/internal.h"

#define LINE_WIDTH 100
#define ELIDE_OVER 200 /* bytes of str/bytes shown in full */
#define ELIDE_SHOW 40 /* bytes shown of a longer one */
#define MAX_INDENT 64

struct rctx {
	struct sbuf *out;
	unsigned flags;
	unsigned next_label;
	bool is_dry; /* measuring: no labels assigned, stop past `limit` */
	size_t limit;
};

enum part_mode { PART_ITEMS, PART_PAIRS, PART_KWARGS };

struct part {
	const struct pickle_list *list;
	enum part_mode mode;
};

static void node(struct rctx *r, struct pickle_node *n, int depth, size_t indent);
static void body(struct rctx *r, struct pickle_node *n, int depth, size_t indent);

static bool over(const struct rctx *r)
{
	return r->is_dry && r->out->len > r->limit;
}

static void newline(struct rctx *r, size_t indent)
{
	sbuf_addc(r->out, '\n');
	/* Past MAX_INDENT the nesting stays flat, so deep trees stay readable
	 * and the output stays linear in the number of nodes shown. */
	for (size_t i = 0; i < indent && i < MAX_INDENT; i++)
		sbuf_addc(r->out, ' ');
}

static bool is_identifier(const struct pickle_node *n)
{
	const uint8_t *p = n->u.value.data;
	size_t len = n->u.value.data_len;

	if (n->kind != PK_NODE_STR || n->u.value.text != PK_TEXT_UTF8 || len == 0 ||
	    (p[0] >= '0' && p[0] <= '9'))
		return false;
	for (size_t i = 0; i < len; i++)
		if (!((p[i] | 0x20) >= 'a' && (p[i] | 0x20) <= 'z') &&
		    !(p[i] >= '0' && p[i] <= '9') && p[i] != '_')
			return false;
	return true;
}

/* True if every key of the dict can be written as name=value. */
static bool dict_is_kwargs(const struct pickle_node *d)
{
	if (!d || d->kind != PK_NODE_DICT || d->is_shared || d->states.count || d->items.count % 2)
		return false;
	for (const struct pickle_cell *c = d->items.head; c; c = c->next->next)
		if (!is_identifier(c->node))
			return false;
	return true;
}

/* Would the node fit on the rest of this line? Measured by a dry render
 * that stops as soon as it is too long. */
static bool fits(struct rctx *r, struct pickle_node *n, int depth, size_t indent)
{
	struct sbuf scratch;
	struct rctx dry = { .out = &scratch,
			    .flags = r->flags,
			    .is_dry = true,
			    .limit = indent < LINE_WIDTH - 20 ? LINE_WIDTH - indent : 20 };
	bool ok;

	sbuf_init(&scratch);
	body(&dry, n, depth, indent);
	ok = !scratch.is_oom && scratch.len <= dry.limit &&
		!memchr(scratch.data ? scratch.data : "", '\n', scratch.len);
	sbuf_release(&scratch);
	return ok;
}

static void entry(struct rctx *r, const struct pickle_cell **c, enum part_mode mode, int depth,
		  size_t indent)
{
	const struct pickle_cell *cell = *c;

	if (mode == PART_ITEMS) {
		node(r, cell->node, depth, indent);
		*c = cell->next;
		return;
	}
	if (mode == PART_KWARGS)
		pk_text_utf8(PK_TEXT_UTF8, cell->node->u.value.data, cell->node->u.value.data_len,
			     r->out);
	else
		node(r, cell->node, depth, indent);
	sbuf_adds(r->out, mode == PART_KWARGS ? "=" : ": ");
	node(r, cell->next->node, depth, indent);
	*c = cell->next->next;
}

/* open, entries of all parts separated by ", ", close; one entry per line
 * when it does not fit. `owner` is the node measured for the decision. */
static void seq(struct rctx *r, struct pickle_node *owner, const char *open, const char *close,
		const struct part *parts, size_t part_count, bool trailing_comma, int depth,
		size_t indent)
{
	bool is_inline = r->is_dry || fits(r, owner, depth, indent);
	bool first = true;
	size_t total = 0;

	for (size_t i = 0; i < part_count; i++)
		total += parts[i].list->count;
	sbuf_adds(r->out, open);
	for (size_t i = 0; i < part_count && !over(r); i++) {
		const struct pickle_list *l = parts[i].list;

		for (const struct pickle_cell *c = l->head; c && !over(r);) {
			if (!first && is_inline)
				sbuf_adds(r->out, ", ");
			if (!is_inline)
				newline(r, indent + 4);
			/* SETITEMS may leave an odd item count (pickletools allows
			 * it): the last key has no value and is not shown. */
			if (parts[i].mode != PART_ITEMS && !c->next)
				break;
			entry(r, &c, parts[i].mode, depth + 1, indent + 4);
			if (!is_inline)
				sbuf_addc(r->out, ',');
			first = false;
		}
	}
	if (trailing_comma && total == 1 && is_inline)
		sbuf_addc(r->out, ',');
	if (!is_inline && total > 0)
		newline(r, indent);
	sbuf_adds(r->out, close);
}

static void leaf_text(struct rctx *r, const struct pickle_node *n)
{
	const uint8_t *p = n->u.value.data;
	size_t len = n->u.value.data_len;
	const char *what = n->kind == PK_NODE_STR ? "str"
		: n->kind == PK_NODE_BYTES        ? "bytes"
						  : "bytearray";

	if (n->is_authkey &&
	    (!(r->flags & PK_RENDER_SHOW_AUTHKEY) || pickle_is_authkey_marker(p, len))) {
		sbuf_addf(r->out, "<redacted, %zu bytes>", len);
		return;
	}
	if ((r->flags & PK_RENDER_ELIDE) && len > ELIDE_OVER) {
		size_t show = ELIDE_SHOW;

		/* Cut where a character starts, so the preview stays valid text;
		 * escaped encodings are not previewed (a cut could split an escape). */
		if (n->kind == PK_NODE_STR && n->u.value.text == PK_TEXT_UTF8)
			while (show > 0 && (p[show] & 0xc0) == 0x80)
				show--;
		sbuf_addf(r->out, "<%s, %zu bytes", what, len);
		if (n->kind != PK_NODE_STR || n->u.value.text == PK_TEXT_UTF8 ||
		    n->u.value.text == PK_TEXT_LATIN1) {
			sbuf_adds(r->out, ": ");
			if (n->kind == PK_NODE_STR)
				pk_repr_text(n->u.value.text, p, show, r->out);
			else
				pk_repr_bytes(p, show, r->out);
			sbuf_adds(r->out, "...");
		}
		sbuf_addc(r->out, '>');
		return;
	}
	if (n->kind == PK_NODE_BYTEARRAY)
		sbuf_adds(r->out, "bytearray(");
	if (n->kind == PK_NODE_STR)
		pk_repr_text(n->u.value.text, p, len, r->out);
	else
		pk_repr_bytes(p, len, r->out);
	if (n->kind == PK_NODE_BYTEARRAY)
		sbuf_addc(r->out, ')');
}

static bool is_global(const struct pickle_node *n, const char *module, const char *name)
{
	return n && n->kind == PK_NODE_GLOBAL && strcmp(n->u.global.module, module) == 0 &&
		strcmp(n->u.global.name, name) == 0;
}

/* Protocols 0 and 1 build plain objects as copyreg._reconstructor(cls,
 * object, None); show that as cls() like the NEWOBJ of protocol 2+. */
static struct pickle_node *reconstructed_class(const struct pickle_node *n)
{
	const struct pickle_node *args = n->u.call.args;
	const struct pickle_cell *c;

	if ((!is_global(n->u.call.func, "copyreg", "_reconstructor") &&
	     !is_global(n->u.call.func, "copy_reg", "_reconstructor")) ||
	    !args || args->kind != PK_NODE_TUPLE || args->is_shared || args->items.count != 3)
		return NULL;
	c = args->items.head;
	if (!is_global(c->next->node, "builtins", "object") &&
	    !is_global(c->next->node, "__builtin__", "object"))
		return NULL;
	if (c->next->next->node->kind != PK_NODE_NONE)
		return NULL;
	return c->node;
}

static void call(struct rctx *r, struct pickle_node *n, int depth, size_t indent)
{
	static const struct pickle_list empty;
	struct pickle_node *func = n->u.call.func, *args = n->u.call.args,
			   *kwargs = n->u.call.kwargs;
	struct pickle_node *cls = reconstructed_class(n);
	struct part parts[3];
	size_t count = 0;
	const struct pickle_cell *first_state = n->states.head;

	if (cls) {
		func = cls;
		args = NULL;
	}
	node(r, func, depth + 1, indent);
	if (args && (args->kind != PK_NODE_TUPLE || args->is_shared || args->states.count)) {
		sbuf_adds(r->out, "(*");
		node(r, args, depth + 1, indent);
		sbuf_addc(r->out, ')');
	} else {
		parts[count++] = (struct part){ args ? &args->items : &empty, PART_ITEMS };
		if (kwargs && dict_is_kwargs(kwargs)) {
			parts[count++] = (struct part){ &kwargs->items, PART_KWARGS };
			kwargs = NULL;
		}
		/* A single state dict on an object made without arguments reads
		 * best as keyword arguments: Process(_target=__main__.f, ...). */
		if (first_state && !first_state->next && !kwargs &&
		    (!args || args->items.count == 0) && dict_is_kwargs(first_state->node) &&
		    count == 1) {
			parts[count++] = (struct part){ &first_state->node->items, PART_KWARGS };
			first_state = NULL;
		}
		seq(r, n, "(", ")", parts, count, false, depth, indent);
	}
	if (kwargs) {
		sbuf_adds(r->out, " with keyword arguments ");
		node(r, kwargs, depth + 1, indent);
	}
	for (const struct pickle_cell *s = first_state; s && !over(r); s = s->next) {
		sbuf_adds(r->out, ".__setstate__(");
		node(r, s->node, depth + 1, indent);
		sbuf_addc(r->out, ')');
	}
	if (n->items.count) {
		struct part p = { &n->items, n->items_are_dict ? PART_PAIRS : PART_ITEMS };

		sbuf_adds(r->out, n->items_are_dict ? ".update(" : ".extend(");
		seq(r, n, n->items_are_dict ? "{" : "[", n->items_are_dict ? "}" : "]", &p, 1,
		    false, depth, indent);
		sbuf_addc(r->out, ')');
	}
}

static void body(struct rctx *r, struct pickle_node *n, int depth, size_t indent)
{
	struct part p = { &n->items, PART_ITEMS };

	switch (n->kind) {
	case PK_NODE_NONE:
		sbuf_adds(r->out, "None");
		break;
	case PK_NODE_BOOL:
		sbuf_adds(r->out, n->u.value.i ? "True" : "False");
		break;
	case PK_NODE_INT: {
		struct pickle_arg v = { .kind = n->u.value.kind,
					.i = n->u.value.i,
					.data = n->u.value.data,
					.data_len = n->u.value.data_len };

		pk_repr_arg(&v, r->out);
		break;
	}
	case PK_NODE_FLOAT:
		pk_repr_float(n->u.value.f, r->out);
		break;
	case PK_NODE_STR:
	case PK_NODE_BYTES:
	case PK_NODE_BYTEARRAY:
		leaf_text(r, n);
		break;
	case PK_NODE_TUPLE:
		seq(r, n, "(", ")", &p, 1, true, depth, indent);
		break;
	case PK_NODE_LIST:
		seq(r, n, "[", "]", &p, 1, false, depth, indent);
		break;
	case PK_NODE_DICT:
		p.mode = PART_PAIRS;
		seq(r, n, "{", "}", &p, 1, false, depth, indent);
		break;
	case PK_NODE_SET:
	case PK_NODE_FROZENSET:
		if (n->items.count == 0) {
			sbuf_adds(r->out, n->kind == PK_NODE_SET ? "set()" : "frozenset()");
			break;
		}
		if (n->kind == PK_NODE_FROZENSET)
			sbuf_adds(r->out, "frozenset(");
		seq(r, n, "{", "}", &p, 1, false, depth, indent);
		if (n->kind == PK_NODE_FROZENSET)
			sbuf_addc(r->out, ')');
		break;
	case PK_NODE_GLOBAL:
		sbuf_adds(r->out, n->u.global.module);
		sbuf_addc(r->out, '.');
		sbuf_adds(r->out, n->u.global.name);
		break;
	case PK_NODE_CALL:
		call(r, n, depth, indent);
		break;
	case PK_NODE_EXT:
		sbuf_addf(r->out, "<copyreg extension %lld>", (long long)n->u.number);
		break;
	case PK_NODE_PERSID:
		sbuf_adds(r->out, "persistent_load(");
		node(r, n->u.call.args, depth + 1, indent);
		sbuf_addc(r->out, ')');
		break;
	case PK_NODE_BUFFER:
		sbuf_addf(r->out, "<out-of-band buffer %lld%s>", (long long)n->u.number,
			  n->is_readonly ? ", read-only" : "");
		break;
	}
	/* States and items on a container: rare (a list subclass), but shown. */
	if (n->kind != PK_NODE_CALL)
		for (const struct pickle_cell *s = n->states.head; s && !over(r); s = s->next) {
			sbuf_adds(r->out, ".__setstate__(");
			node(r, s->node, depth + 1, indent);
			sbuf_addc(r->out, ')');
		}
}

static void node(struct rctx *r, struct pickle_node *n, int depth, size_t indent)
{
	if (over(r))
		return;
	if (!n) {
		sbuf_adds(r->out, "<missing>");
		return;
	}
	if (depth > PICKLE_RENDER_DEPTH) {
		sbuf_adds(r->out, "...");
		return;
	}
	if (n->label || (n->is_rendering && !r->is_dry)) {
		sbuf_addf(r->out, "<#%u>", n->label);
		return;
	}
	if (n->is_shared && !r->is_dry && (n->kind >= PK_NODE_TUPLE && n->kind != PK_NODE_GLOBAL)) {
		n->label = ++r->next_label;
		sbuf_addf(r->out, "#%u=", n->label);
	}
	if (!r->is_dry)
		n->is_rendering = true;
	body(r, n, depth, indent);
	if (!r->is_dry)
		n->is_rendering = false;
}

void pickle_render(struct pickle_node *root, unsigned flags, struct sbuf *out)
{
	struct rctx r = { .out = out, .flags = flags };

	node(&r, root, 0, 0);
	sbuf_addc(out, '\n');
}

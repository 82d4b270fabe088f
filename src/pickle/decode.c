/*
 * decode.c - the pickle machine run on symbols. GLOBAL and STACK_GLOBAL
 * make references (`__main__.f`), REDUCE/NEWOBJ/NEWOBJ_EX/INST/OBJ make
 * "call" nodes that only record what would be called, BUILD adds a state to
 * the object below it, containers and scalars are rebuilt, memo gets share
 * the node they name. Nothing is imported, looked up or called, so a pickle
 * that would run os.system() is just data here.
 *
 * The walker (walk.c) reads every opcode and applies pickletools' checks,
 * so the decoder reports exactly the errors the listing reports; the
 * decoder adds the checks only real objects need (a MARK is not an object).
 */
#include <stdlib.h>
#include <string.h>

#include "pickle/internal.h"

struct machine {
	struct arena *a;
	struct pickle_node **stack; /* NULL stands for a MARK */
	size_t depth, cap;
	size_t *marks; /* stack indexes of the MARKs */
	size_t mark_count, mark_cap;
	struct pk_node_map memo;
	bool authkey_pending; /* an AuthenticationString reference was pushed */
	size_t buffer_count;
	struct pickle_node *root;
	/* results for pickle_globals / pickle_find_authkeys */
	struct pickle_global *globals;
	size_t global_count, global_cap;
	size_t *authkeys;
	size_t authkey_count, authkey_cap;
	struct pk_effects *fx; /* NULL: not asked for */
	int proto; /* PROTO's argument so far, as the unpickler keeps it */
};

static int oom(struct mp_err *err, size_t at)
{
	return mp_err_set(err, "byte %zu: out of memory while decoding", at);
}

/* Grows an arena array by doubling (the arena cannot grow in place). */
static void *arena_grow(struct arena *a, void *old, size_t count, size_t *cap, size_t size)
{
	size_t ncap = *cap ? *cap * 2 : 16;
	void *p = arena_calloc(a, ncap, size);

	if (p && count)
		memcpy(p, old, count * size);
	if (p)
		*cap = ncap;
	return p;
}

static bool grow_stack(struct machine *m)
{
	size_t ncap = m->cap ? m->cap * 2 : 256;
	struct pickle_node **p = realloc(m->stack, ncap * sizeof(*p));

	if (!p)
		return false;
	m->stack = p;
	m->cap = ncap;
	return true;
}

static int push(struct machine *m, struct pickle_node *n, size_t at, struct mp_err *err)
{
	if (m->depth == m->cap && !grow_stack(m))
		return oom(err, at);
	m->stack[m->depth++] = n;
	if (n && n->kind == PK_NODE_GLOBAL &&
	    strcmp(n->u.global.name, "AuthenticationString") == 0 &&
	    strcmp(n->u.global.module, "multiprocessing.process") == 0)
		m->authkey_pending = true;
	return 0;
}

/* Pops one object; a MARK or an empty stack is an error naming the opcode. */
static int pop(struct machine *m, const struct pickle_insn *in, struct pickle_node **out,
	       struct mp_err *err)
{
	if (m->depth == 0)
		return mp_err_set(
			err, "byte %zu: stack underflow: %s needs an object, the stack is empty",
			in->offset, in->op->name);
	if (!m->stack[m->depth - 1])
		return mp_err_set(
			err, "byte %zu: mark mismatch: %s found a MARK where it needs an object",
			in->offset, in->op->name);
	*out = m->stack[--m->depth];
	return 0;
}

static int top(struct machine *m, const struct pickle_insn *in, struct pickle_node **out,
	       struct mp_err *err)
{
	if (pop(m, in, out, err) < 0)
		return -1;
	m->depth++;
	return 0;
}

static struct pickle_node *node_new(struct machine *m, enum pickle_node_kind kind, size_t at)
{
	struct pickle_node *n = arena_calloc(m->a, 1, sizeof(*n));

	if (n) {
		n->kind = kind;
		n->offset = at;
	}
	return n;
}

static bool list_add(struct arena *a, struct pickle_list *l, struct pickle_node *n)
{
	struct pickle_cell *c = arena_alloc(a, sizeof(*c));

	if (!c)
		return false;
	c->node = n;
	c->next = NULL;
	if (l->tail)
		l->tail->next = c;
	else
		l->head = c;
	l->tail = c;
	l->count++;
	return true;
}

/* Takes the items above the innermost MARK (and the MARK) off the stack
 * and appends them to l; POP_MARK passes NULL and they are dropped. */
static int pop_to_mark(struct machine *m, const struct pickle_insn *in, struct pickle_list *l,
		       struct mp_err *err)
{
	size_t base;

	if (m->mark_count == 0)
		return mp_err_set(err, "byte %zu: mark mismatch: %s needs a MARK but none is open",
				  in->offset, in->op->name);
	base = m->marks[--m->mark_count];
	if (base >= m->depth || m->stack[base])
		return mp_err_set(err,
				  "byte %zu: mark mismatch: %s finds no MARK left on the stack",
				  in->offset, in->op->name);
	for (size_t i = base + 1; i < m->depth; i++) {
		if (!m->stack[i])
			return mp_err_set(err,
					  "byte %zu: mark mismatch: nested MARK inside %s's items",
					  in->offset, in->op->name);
		if (l && !list_add(m->a, l, m->stack[i]))
			return oom(err, in->offset);
	}
	m->depth = base;
	return 0;
}

static struct pickle_node *scalar(struct machine *m, const struct pickle_insn *in)
{
	struct pickle_node *n;
	enum pickle_node_kind kind;

	switch (in->arg.kind) {
	case PK_VAL_BOOL:
		kind = PK_NODE_BOOL;
		break;
	case PK_VAL_FLOAT:
		kind = PK_NODE_FLOAT;
		break;
	case PK_VAL_STR:
		kind = PK_NODE_STR;
		break;
	case PK_VAL_BYTES:
		kind = PK_NODE_BYTES;
		break;
	case PK_VAL_BYTEARRAY:
		kind = PK_NODE_BYTEARRAY;
		break;
	default:
		kind = PK_NODE_INT;
		break;
	}
	n = node_new(m, kind, in->offset);
	if (!n)
		return NULL;
	n->u.value.kind = in->arg.kind;
	n->u.value.text = in->arg.text;
	n->u.value.i = in->arg.i;
	n->u.value.f = in->arg.f;
	n->u.value.data = in->arg.data;
	n->u.value.data_len = in->arg.data_len;
	if ((kind == PK_NODE_STR || kind == PK_NODE_BYTES) && m->authkey_pending) {
		/* The first str/bytes after the AuthenticationString reference is
		 * its argument, whatever the protocol's way of building the call. */
		m->authkey_pending = false;
		n->is_authkey = true;
		if (m->authkey_count == m->authkey_cap) {
			size_t *p = arena_grow(m->a, m->authkeys, m->authkey_count, &m->authkey_cap,
					       sizeof(*p));

			if (!p)
				return NULL;
			m->authkeys = p;
		}
		m->authkeys[m->authkey_count++] = in->offset;
	}
	return n;
}

static struct pickle_node *global(struct machine *m, size_t at, const char *module,
				  const char *name)
{
	struct pickle_node *n = node_new(m, PK_NODE_GLOBAL, at);

	if (!n || !module || !name)
		return NULL;
	n->u.global.module = module;
	n->u.global.name = name;
	if (m->fx && m->proto < 3)
		m->fx->renames = true;
	if (m->global_count == m->global_cap) {
		struct pickle_global *p =
			arena_grow(m->a, m->globals, m->global_count, &m->global_cap, sizeof(*p));

		if (!p)
			return NULL;
		m->globals = p;
	}
	m->globals[m->global_count++] =
		(struct pickle_global){ .module = module, .name = name, .offset = at };
	return n;
}

/* A global's module or name, safe on a terminal, in the machine's arena. */
static char *text_dup(struct machine *m, enum pickle_text text, const uint8_t *p, size_t len)
{
	return pk_safe_text_dup(m->a, text, p, len);
}

/* Records an effect when asked to; false when out of memory. */
static bool effect(struct machine *m, const struct pickle_insn *in, struct pickle_node *target,
		   struct pickle_node *state, struct pickle_cell *first, size_t count)
{
	struct pk_effects *fx = m->fx;

	if (!fx)
		return true;
	if (fx->count == fx->cap) {
		size_t ncap = fx->cap ? fx->cap * 2 : 64;
		struct pk_effect *p = realloc(fx->items, ncap * sizeof(*p));

		if (!p)
			return false;
		fx->items = p;
		fx->cap = ncap;
	}
	fx->items[fx->count++] = (struct pk_effect){ .opcode = in->op->code,
						     .offset = in->offset,
						     .target = target,
						     .state = state,
						     .first = first,
						     .count = count };
	return true;
}

/* Only objects a call made or a global names can do something when
 * changed; a list or dict just grows. */
static bool is_effect_target(const struct pickle_node *n)
{
	return n->kind == PK_NODE_CALL || n->kind == PK_NODE_GLOBAL;
}

static struct pickle_node *call(struct machine *m, const struct pickle_insn *in,
				struct pickle_node *func, struct pickle_node *args,
				struct pickle_node *kwargs, bool is_newobj)
{
	struct pickle_node *n = node_new(m, PK_NODE_CALL, in->offset);

	if (n) {
		n->u.call.func = func;
		n->u.call.args = args;
		n->u.call.kwargs = kwargs;
		n->is_newobj = is_newobj;
		if (!effect(m, in, n, NULL, NULL, 0))
			return NULL;
	}
	return n;
}

static int64_t memo_key(const struct pickle_insn *in, const struct machine *m)
{
	return in->op->code == PK_OP_MEMOIZE ? (int64_t)m->memo.count : in->arg.i;
}

/* One opcode's effect on the symbolic stack: 0, or -1 with err. */
static int step(struct machine *m, const struct pickle_insn *in, struct mp_err *err)
{
	struct pickle_node *n = NULL, *a = NULL, *b = NULL, *c = NULL;
	size_t at = in->offset;
	uint8_t code = in->op->code;

	switch (code) {
	case PK_OP_NONE:
		n = node_new(m, PK_NODE_NONE, at);
		break;
	case PK_OP_NEWTRUE:
	case PK_OP_NEWFALSE:
		n = node_new(m, PK_NODE_BOOL, at);
		if (n) {
			n->u.value.kind = PK_VAL_BOOL;
			n->u.value.i = code == PK_OP_NEWTRUE;
		}
		break;
	case PK_OP_EMPTY_LIST:
		n = node_new(m, PK_NODE_LIST, at);
		break;
	case PK_OP_EMPTY_TUPLE:
		n = node_new(m, PK_NODE_TUPLE, at);
		break;
	case PK_OP_EMPTY_DICT:
		n = node_new(m, PK_NODE_DICT, at);
		break;
	case PK_OP_EMPTY_SET:
		n = node_new(m, PK_NODE_SET, at);
		break;
	case PK_OP_LIST:
	case PK_OP_TUPLE:
	case PK_OP_DICT:
	case PK_OP_FROZENSET: {
		enum pickle_node_kind kind = code == PK_OP_LIST ? PK_NODE_LIST
			: code == PK_OP_TUPLE                   ? PK_NODE_TUPLE
			: code == PK_OP_DICT                    ? PK_NODE_DICT
								: PK_NODE_FROZENSET;

		n = node_new(m, kind, at);
		if (n && pop_to_mark(m, in, &n->items, err) < 0)
			return -1;
		break;
	}
	case PK_OP_TUPLE1:
	case PK_OP_TUPLE2:
	case PK_OP_TUPLE3: {
		struct pickle_node *parts[3];
		size_t count = in->op->pop; /* 1, 2 or 3: the table's stack effect */

		for (size_t i = count; i-- > 0;)
			if (pop(m, in, &parts[i], err) < 0)
				return -1;
		n = node_new(m, PK_NODE_TUPLE, at);
		for (size_t i = 0; n && i < count; i++)
			if (!list_add(m->a, &n->items, parts[i]))
				return oom(err, at);
		break;
	}
	case PK_OP_APPEND:
	case PK_OP_SETITEM:
	case PK_OP_APPENDS:
	case PK_OP_SETITEMS:
	case PK_OP_ADDITEMS: {
		struct pickle_list add = { 0 };
		struct pickle_cell *last;
		bool is_dict = code == PK_OP_SETITEM || code == PK_OP_SETITEMS;

		if (code == PK_OP_APPEND || code == PK_OP_SETITEM) {
			if (code == PK_OP_SETITEM && pop(m, in, &b, err) < 0)
				return -1;
			if (pop(m, in, &a, err) < 0)
				return -1;
			if (!list_add(m->a, &add, a) || (b && !list_add(m->a, &add, b)))
				return oom(err, at);
		} else if (pop_to_mark(m, in, &add, err) < 0) {
			return -1;
		}
		if (top(m, in, &c, err) < 0)
			return -1;
		if (c->kind == PK_NODE_CALL)
			c->items_are_dict = is_dict;
		last = c->items.tail;
		for (struct pickle_cell *cell = add.head; cell; cell = cell->next)
			if (!list_add(m->a, &c->items, cell->node))
				return oom(err, at);
		if (is_effect_target(c) && add.count &&
		    !effect(m, in, c, NULL, last ? last->next : c->items.head, add.count))
			return oom(err, at);
		return 0;
	}
	case PK_OP_POP:
		/* pickletools lets POP take a MARK off the top (as pickle.py's
		 * load_pop does), so the walker has allowed it. */
		if (m->depth > 0 && !m->stack[m->depth - 1]) {
			m->mark_count--;
			m->depth--;
			return 0;
		}
		return pop(m, in, &a, err);
	case PK_OP_DUP:
		if (top(m, in, &n, err) < 0)
			return -1;
		n->is_shared = true; /* two stack slots, one object */
		break;
	case PK_OP_MARK:
		if (m->mark_count == m->mark_cap) {
			size_t ncap = m->mark_cap ? m->mark_cap * 2 : 64;
			size_t *p = realloc(m->marks, ncap * sizeof(*p));

			if (!p)
				return oom(err, at);
			m->marks = p;
			m->mark_cap = ncap;
		}
		m->marks[m->mark_count++] = m->depth;
		return push(m, NULL, at, err);
	case PK_OP_POP_MARK:
		return pop_to_mark(m, in, NULL, err);
	case PK_OP_PUT:
	case PK_OP_BINPUT:
	case PK_OP_LONG_BINPUT:
	case PK_OP_MEMOIZE:
		if (top(m, in, &a, err) < 0)
			return -1;
		return pk_node_map_put(&m->memo, memo_key(in, m), a) ? 0 : oom(err, at);
	case PK_OP_GET:
	case PK_OP_BINGET:
	case PK_OP_LONG_BINGET:
		n = pk_node_map_get(&m->memo, in->arg.i);
		if (!n)
			return mp_err_set(
				err,
				"byte %zu: %s: memo index %lld out of range: it was never stored",
				at, in->op->name, (long long)in->arg.i);
		n->is_shared = true;
		return push(m, n, at, err);
	case PK_OP_EXT1:
	case PK_OP_EXT2:
	case PK_OP_EXT4:
		n = node_new(m, PK_NODE_EXT, at);
		if (n)
			n->u.number = in->arg.i;
		break;
	case PK_OP_GLOBAL:
		n = global(m, at, text_dup(m, PK_TEXT_ESCAPED, in->arg.data, in->arg.data_len),
			   text_dup(m, PK_TEXT_ESCAPED, in->arg.data2, in->arg.data2_len));
		break;
	case PK_OP_STACK_GLOBAL:
		if (pop(m, in, &b, err) < 0 || pop(m, in, &a, err) < 0)
			return -1;
		if (a->kind != PK_NODE_STR || b->kind != PK_NODE_STR)
			return mp_err_set(
				err, "byte %zu: STACK_GLOBAL needs two strings (module and name)",
				at);
		n = global(m, at,
			   text_dup(m, a->u.value.text, a->u.value.data, a->u.value.data_len),
			   text_dup(m, b->u.value.text, b->u.value.data, b->u.value.data_len));
		break;
	case PK_OP_REDUCE:
		if (pop(m, in, &b, err) < 0 || pop(m, in, &a, err) < 0)
			return -1;
		n = call(m, in, a, b, NULL, false);
		break;
	case PK_OP_NEWOBJ:
	case PK_OP_NEWOBJ_EX:
		if (code == PK_OP_NEWOBJ_EX && pop(m, in, &c, err) < 0)
			return -1;
		if (pop(m, in, &b, err) < 0 || pop(m, in, &a, err) < 0)
			return -1;
		n = call(m, in, a, b, c, true);
		break;
	case PK_OP_BUILD:
		if (pop(m, in, &b, err) < 0 || top(m, in, &a, err) < 0)
			return -1;
		if (is_effect_target(a) && !effect(m, in, a, b, NULL, b->items.count))
			return oom(err, at);
		return list_add(m->a, &a->states, b) ? 0 : oom(err, at);
	case PK_OP_INST:
	case PK_OP_OBJ: {
		struct pickle_node *args = node_new(m, PK_NODE_TUPLE, at);

		if (!args)
			return oom(err, at);
		if (pop_to_mark(m, in, &args->items, err) < 0)
			return -1;
		if (code == PK_OP_INST) {
			a = global(m, at,
				   text_dup(m, PK_TEXT_ESCAPED, in->arg.data, in->arg.data_len),
				   text_dup(m, PK_TEXT_ESCAPED, in->arg.data2, in->arg.data2_len));
		} else {
			if (!args->items.head)
				return mp_err_set(err, "byte %zu: OBJ needs a class after its MARK",
						  at);
			a = args->items.head->node;
			args->items.head = args->items.head->next;
			if (!args->items.head)
				args->items.tail = NULL;
			args->items.count--;
		}
		n = a ? call(m, in, a, args, NULL, code == PK_OP_OBJ) : NULL;
		break;
	}
	case PK_OP_PERSID:
		a = scalar(m, in);
		n = a ? node_new(m, PK_NODE_PERSID, at) : NULL;
		if (n)
			n->u.call.args = a;
		break;
	case PK_OP_BINPERSID:
		if (pop(m, in, &a, err) < 0)
			return -1;
		n = node_new(m, PK_NODE_PERSID, at);
		if (n)
			n->u.call.args = a;
		break;
	case PK_OP_NEXT_BUFFER:
		n = node_new(m, PK_NODE_BUFFER, at);
		if (n)
			n->u.number = (int64_t)m->buffer_count++;
		break;
	case PK_OP_READONLY_BUFFER:
		if (top(m, in, &a, err) < 0)
			return -1;
		a->is_readonly = true;
		return 0;
	case PK_OP_PROTO:
		m->proto = (int)in->arg.i;
		return 0;
	case PK_OP_FRAME:
		return 0;
	case PK_OP_STOP:
		return pop(m, in, &m->root, err);
	default:
		/* INT, BININT*, LONG*, FLOAT, BINFLOAT, the STRING, BYTES and
		 * UNICODE families, BYTEARRAY8: the argument is the object. */
		n = scalar(m, in);
		break;
	}
	if (!n)
		return oom(err, at);
	return push(m, n, at, err);
}

static void machine_release(struct machine *m)
{
	free(m->stack);
	free(m->marks);
	pk_node_map_release(&m->memo);
}

/* Runs the machine until STOP or the first error; results found so far
 * stay in *m either way. */
static int run(const uint8_t *buf, size_t len, struct machine *m, struct mp_err *err)
{
	struct pickle_walker w;
	struct pickle_insn in;
	bool printable;
	int rc;

	pickle_walker_init(&w, buf, len);
	while ((rc = pickle_walker_next(&w, &in, &printable, err)) > 0)
		if (step(m, &in, err) < 0) {
			rc = -1;
			break;
		}
	pickle_walker_release(&w);
	machine_release(m);
	return rc;
}

int pickle_decode(const uint8_t *buf, size_t len, struct arena *a, struct pickle_node **root,
		  struct mp_err *err)
{
	struct machine m = { .a = a };

	*root = NULL;
	if (run(buf, len, &m, err) < 0)
		return -1;
	*root = m.root;
	return 0;
}

int pk_decode_effects(const uint8_t *buf, size_t len, struct arena *a, struct pickle_node **root,
		      struct pk_effects *fx, struct pickle_global **globals, size_t *global_count,
		      struct mp_err *err)
{
	struct machine m = { .a = a, .fx = fx };
	int rc = run(buf, len, &m, err);

	*root = rc < 0 ? NULL : m.root;
	*globals = m.globals;
	*global_count = m.global_count;
	return rc;
}

int pk_scan(const uint8_t *buf, size_t len, struct arena *a, struct pickle_global **globals,
	    size_t *global_count, struct pickle_redactions *authkeys, struct mp_err *err)
{
	struct machine m = { .a = a };
	int rc = run(buf, len, &m, err);

	*globals = m.globals;
	*global_count = m.global_count;
	authkeys->offsets = m.authkeys;
	authkeys->count = m.authkey_count;
	return rc;
}

int pickle_globals(const uint8_t *buf, size_t len, struct arena *a, struct pickle_global **globals,
		   size_t *count, struct mp_err *err)
{
	struct pickle_redactions unused;

	return pk_scan(buf, len, a, globals, count, &unused, err);
}

int pickle_find_authkeys(const uint8_t *buf, size_t len, struct arena *a,
			 struct pickle_redactions *out, struct mp_err *err)
{
	struct pickle_global *unused;
	size_t count;

	return pk_scan(buf, len, a, &unused, &count, out, err);
}

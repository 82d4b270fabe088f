/*
 * verdict.c - what loading a pickle would do, judged without loading it.
 * The decoder records every call, and every change of an object that a
 * call made or a global names (pk_decode_effects); this file replays them
 * in order on symbolic values, as pickle's load_* functions would run them:
 *   - a name (module.attr...), from GLOBAL, getattr(name, 'x'), __import__;
 *   - an object a call made, with the attributes BUILD or setattr gave it;
 *   - a functools.partial, attrgetter or methodcaller, followed when called;
 *   - a value the pickle built (str, tuple...), or what it cannot follow.
 * Each call is judged by what it calls (verdict_names.c and the table in
 * verdict_table.c); the pickle by its worst call (verdict_replay.c).
 * Nothing is imported, looked up or called.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pickle/verdict_analysis.h"

#define MAX_CHAIN 32 /* partials, forwards, methodcallers followed in one call */

static struct val unknown_static = { .kind = V_UNKNOWN };
static struct val data_static = { .kind = V_DATA };

/* ---- small helpers ------------------------------------------------------- */

void *an_grow(struct an *an, void *p, size_t count, size_t *cap, size_t size)
{
	void *q;
	size_t ncap;

	if (count < *cap)
		return p;
	ncap = *cap ? *cap * 2 : 64;
	q = realloc(p, ncap * size);
	if (!q) {
		an->is_oom = true;
		return NULL;
	}
	*cap = ncap;
	return q;
}

struct pk_name *an_intern(struct an *an, const char *s)
{
	struct pk_name *n = pk_names_intern(&an->names, s, strlen(s));

	if (!n) {
		an->is_oom = true;
		return &an->oom_name;
	}
	return n;
}

/* "a" + "." + "b" interned. */
struct pk_name *an_intern_dot(struct an *an, const char *a, const char *b)
{
	struct sbuf s;
	struct pk_name *n;

	sbuf_init(&s);
	sbuf_addf(&s, "%s.%s", a, b);
	n = s.is_oom ? (an->is_oom = true, &an->oom_name) : an_intern(an, s.data);
	sbuf_release(&s);
	return n;
}

static struct val *val_new(struct an *an, enum vkind kind)
{
	struct val *v = arena_calloc(an->a, 1, sizeof(*v));

	if (!v) {
		an->is_oom = true;
		return &unknown_static;
	}
	v->kind = kind;
	return v;
}

static struct val *unknown(struct an *an, bool is_outside, size_t offset)
{
	struct val *v = val_new(an, V_UNKNOWN);

	if (v != &unknown_static) {
		v->is_outside = is_outside;
		v->offset = offset;
	}
	return v;
}

static struct pickle_node *arg(const struct pickle_node *args, size_t i)
{
	const struct pickle_cell *c;

	if (!args || (args->kind != PK_NODE_TUPLE && args->kind != PK_NODE_LIST))
		return NULL;
	for (c = args->items.head; c && i > 0; c = c->next)
		i--;
	return c ? c->node : NULL;
}

/* A str node's text, UTF-8, in the arena; NULL for anything else. It
 * becomes part of names the report prints: control characters and invalid
 * sequences turn into '?', as in the decoder's globals. */
static const char *text_of(struct an *an, const struct pickle_node *n)
{
	const char *t;

	if (!n || n->kind != PK_NODE_STR)
		return NULL;
	t = pk_safe_text_dup(an->a, n->u.value.text, n->u.value.data, n->u.value.data_len);
	if (!t)
		an->is_oom = true;
	return t;
}

struct pickle_node *an_tuple(struct an *an, const struct pickle_cell *c, size_t count,
			     const struct pickle_node *more)
{
	struct pickle_node *t = arena_calloc(an->a, 1, sizeof(*t));
	const struct pickle_cell *m =
		more && (more->kind == PK_NODE_TUPLE) ? more->items.head : NULL;

	if (!t) {
		an->is_oom = true;
		return NULL;
	}
	t->kind = PK_NODE_TUPLE;
	for (; (c && count > 0) || m; count -= count > 0) {
		struct pickle_cell *cell = arena_alloc(an->a, sizeof(*cell));

		if (!cell) {
			an->is_oom = true;
			return t;
		}
		if (c && count > 0) {
			cell->node = c->node;
			c = c->next;
		} else {
			cell->node = m->node;
			m = m->next;
		}
		cell->next = NULL;
		if (t->items.tail)
			t->items.tail->next = cell;
		else
			t->items.head = cell;
		t->items.tail = cell;
		t->items.count++;
	}
	return t;
}

static struct pickle_node *args_from(struct an *an, const struct pickle_node *args, size_t start)
{
	const struct pickle_cell *c = NULL;

	if (args && (args->kind == PK_NODE_TUPLE || args->kind == PK_NODE_LIST))
		for (c = args->items.head; c && start > 0; c = c->next)
			start--;
	return an_tuple(an, c, (size_t)-1, NULL);
}

/* ---- values ----------------------------------------------------------- */

static struct val *name_val(struct an *an, struct pk_name *name, size_t module_len)
{
	struct val *v = val_new(an, V_NAME);

	if (v != &unknown_static) {
		v->name = name;
		v->module_len = module_len;
	}
	return v;
}

struct val *an_val_of(struct an *an, struct pickle_node *n)
{
	struct val *v;

	if (!n)
		return &unknown_static;
	v = pk_ptr_map_get(&an->vals, n);
	if (v)
		return v;
	switch (n->kind) {
	case PK_NODE_GLOBAL: {
		const char *module = n->u.global.module, *name = n->u.global.name;
		struct pk_name *written = an_intern_dot(an, module, name);

		if (an->renames)
			pk_compat_rename(&module, &name);
		v = name_val(an, an_intern_dot(an, module, name), strlen(module));
		if (v != &unknown_static)
			v->import_index = written->import_index;
		break;
	}
	case PK_NODE_CALL:
		v = unknown(an, false, n->offset); /* only when memory ran out on the way */
		break;
	case PK_NODE_EXT:
	case PK_NODE_PERSID:
	case PK_NODE_BUFFER:
		v = val_new(an, V_OPAQUE);
		break;
	default:
		return &data_static;
	}
	if (v != &unknown_static && !pk_ptr_map_put(&an->vals, n, v))
		an->is_oom = true;
	return v;
}

/* The class of a value the pickle built, for getattr on it. */
static const char *type_name(const struct pickle_node *n)
{
	static const char *const names[] = {
		[PK_NODE_BOOL] = "builtins.bool",
		[PK_NODE_INT] = "builtins.int",
		[PK_NODE_FLOAT] = "builtins.float",
		[PK_NODE_STR] = "builtins.str",
		[PK_NODE_BYTES] = "builtins.bytes",
		[PK_NODE_BYTEARRAY] = "builtins.bytearray",
		[PK_NODE_TUPLE] = "builtins.tuple",
		[PK_NODE_LIST] = "builtins.list",
		[PK_NODE_DICT] = "builtins.dict",
		[PK_NODE_SET] = "builtins.set",
		[PK_NODE_FROZENSET] = "builtins.frozenset",
	};

	if (n && (size_t)n->kind < sizeof(names) / sizeof(names[0]) && names[n->kind])
		return names[n->kind];
	return "builtins.NoneType";
}

static struct attr *find_attr(struct val *obj, struct pk_name *name)
{
	for (struct attr *a = obj->attrs; a; a = a->next)
		if (a->name == name)
			return a;
	return NULL;
}

void an_set_attr(struct an *an, struct val *obj, const char *name, struct pickle_node *value)
{
	struct pk_name *key = an_intern(an, name);
	struct attr *a = find_attr(obj, key);

	if (!a) {
		a = arena_calloc(an->a, 1, sizeof(*a));
		if (!a) {
			an->is_oom = true;
			return;
		}
		a->name = key;
		a->next = obj->attrs;
		obj->attrs = a;
	}
	a->value = value;
}

struct pickle_node *an_attr(struct an *an, struct val *obj, const char *name)
{
	struct attr *a = obj->kind == V_OBJECT ? find_attr(obj, an_intern(an, name)) : NULL;

	return a ? a->value : NULL;
}

/* obj.attr, as far as it can be named. obj_node is obj's node when known
 * (for the type of a built value). */
static struct val *getattr_val(struct an *an, struct val *obj, const struct pickle_node *obj_node,
			       const char *attr, size_t offset)
{
	struct pickle_node *set;
	struct val *v;

	if (!attr)
		return unknown(an, false, offset);
	switch (obj->kind) {
	case V_NAME:
		v = name_val(an, an_intern_dot(an, obj->name->s, attr), obj->module_len);
		if (v != &unknown_static) {
			char *module = arena_strndup(an->a, obj->name->s, obj->module_len);

			if (module)
				an_add_import(an, v->name, module, v->name->s + obj->module_len + 1,
					      offset);
			v->import_index = v->name->import_index;
		}
		return v;
	case V_OBJECT:
		set = an_attr(an, obj, attr);
		if (set)
			return an_val_of(an, set);
		if (obj->name)
			return name_val(an, an_intern_dot(an, obj->name->s, attr), obj->module_len);
		return unknown(an, obj->is_outside, offset);
	case V_DATA:
		return name_val(an, an_intern_dot(an, type_name(obj_node), attr), 8);
	case V_PARTIAL:
		if (strcmp(attr, "func") == 0)
			return an_val_of(an, obj->func);
		return unknown(an, false, offset);
	case V_UNKNOWN:
		return unknown(an, obj->is_outside, offset);
	default:
		return unknown(an, obj->kind == V_OPAQUE, offset);
	}
}

/* ---- recording calls ----------------------------------------------------- */

size_t an_record(struct an *an, struct pk_name *callee, const char *via, struct pickle_node *args,
		 struct pickle_node *kwargs, size_t offset, enum pickle_verdict v, const char *why)
{
	struct pickle_call *calls =
		an_grow(an, an->calls, an->call_count, &an->call_cap, sizeof(*an->calls));

	if (!calls)
		return (size_t)-1;
	an->calls = calls;
	an->calls[an->call_count] = (struct pickle_call){ .callee = callee->s,
							  .via = via,
							  .args = args,
							  .kwargs = kwargs,
							  .offset = offset,
							  .verdict = v,
							  .why = why };
	return an->call_count++;
}

void an_handed(struct an *an, size_t i, struct pickle_node *args, struct pickle_node *kwargs,
	       enum pickle_verdict at_least)
{
	struct an_scan s = an_scan(an, args), k = an_scan(an, kwargs);

	if (k.verdict > s.verdict)
		s = k;
	if (i == (size_t)-1 || s.verdict < at_least || s.verdict <= an->calls[i].verdict)
		return;
	an->calls[i].verdict = s.verdict;
	an->calls[i].passes = s.name;
	an->calls[i].why = s.why;
}

static struct val *object_val(struct an *an, struct pk_name *made_by, size_t module_len,
			      size_t offset)
{
	struct val *v = val_new(an, V_OBJECT);

	if (v != &unknown_static && made_by) {
		pk_name_judge(made_by);
		v->name = made_by;
		v->module_len = module_len;
		v->is_harmless = made_by->verdict == PK_VERDICT_IMPORTS;
		v->is_outside = !pk_is_stdlib(made_by->s);
		v->offset = offset;
	}
	return v;
}

static struct pk_name *label(struct an *an, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A made-up callee for what has no name ("<what byte 40 returns>"). */
static struct pk_name *label(struct an *an, const char *fmt, ...)
{
	char text[128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	return an_intern(an, text);
}

/* ---- calling ------------------------------------------------------------- */

static struct val *call_name(struct an *an, struct val *fn, struct pickle_node *args,
			     struct pickle_node *kwargs, const char *via, size_t offset, int depth)
{
	struct pk_name *n = fn->name;
	struct pickle_node *a0 = arg(args, 0);
	struct val *res = NULL, *inner;
	const char *text;
	size_t i;

	pk_name_judge(n);
	if (fn->import_index && fn->import_index <= an->import_count)
		an->imports[fn->import_index - 1].is_called = true;
	i = an_record(an, n, via, args, kwargs, offset, n->verdict, n->why);
	switch (n->kind) {
	case PK_ROW_GETATTR:
		res = getattr_val(an, an_val_of(an, a0), a0, text_of(an, arg(args, 1)), offset);
		break;
	case PK_ROW_IMPORT:
	case PK_ROW_IMPORT_MODULE: {
		const struct pickle_node *from = arg(args, 3);
		size_t len;

		text = text_of(an, a0);
		if (!text || !*text) {
			if (i != (size_t)-1) {
				an->calls[i].verdict = PK_VERDICT_DANGEROUS;
				an->calls[i].why = "imports a module whose name is only known at "
						   "load time";
			}
			return unknown(an, false, offset);
		}
		/* __import__('a.b') returns a unless a fromlist asks for a.b. */
		len = n->kind == PK_ROW_IMPORT && !(from && from->items.count) ? strcspn(text, ".")
									       : strlen(text);
		text = arena_strndup(an->a, text, len);
		if (!text)
			return unknown(an, false, offset);
		an_add_own(an, text);
		return name_val(an, an_intern(an, text), len);
	}
	case PK_ROW_PARTIAL:
		res = val_new(an, V_PARTIAL);
		if (res != &unknown_static) {
			res->func = a0;
			res->args = args_from(an, args, 1);
			res->kwargs = kwargs;
		}
		return res;
	case PK_ROW_ATTRGETTER:
	case PK_ROW_METHODCALLER:
		res = val_new(an, n->kind == PK_ROW_ATTRGETTER ? V_ATTRGETTER : V_METHODCALLER);
		if (res != &unknown_static) {
			res->args = args;
			res->kwargs = kwargs;
		}
		return res;
	case PK_ROW_FORWARD:
		inner = an_val_of(an, a0);
		if (strcmp(n->s, "copyreg.__newobj_ex__") == 0)
			return an_call(an, inner, a0, arg(args, 1), arg(args, 2), n->s, offset,
				       depth + 1);
		return an_call(an, inner, a0, args_from(an, args, 1), kwargs, n->s, offset,
			       depth + 1);
	case PK_ROW_RECONSTRUCTOR: {
		struct pickle_node *base = arg(args, 1);
		struct val *bv = an_val_of(an, base), *cls = an_val_of(an, a0);

		/* base.__new__(cls, state), and base.__init__ unless base is object. */
		if (base && !(bv->kind == V_NAME && strcmp(bv->name->s, "builtins.object") == 0))
			(void)an_call(an, bv, base, args_from(an, args, 2), NULL, n->s, offset,
				      depth + 1);
		if (cls->kind == V_NAME)
			return object_val(an, cls->name, cls->module_len, offset);
		return unknown(an, false, offset);
	}
	case PK_ROW_CALLS_ARGS:
		an_handed(an, i, args, kwargs, PK_VERDICT_CALLS);
		break;
	case PK_ROW_MUTATES: {
		struct val *target = an_val_of(an, a0);

		if (target->kind == V_NAME && i != (size_t)-1) {
			an->calls[i].verdict = PK_VERDICT_DANGEROUS;
			an->calls[i].why = "changes a module, class or function the whole program "
					   "shares";
		} else if (target->kind == V_OBJECT && strcmp(n->s, "builtins.setattr") == 0 &&
			   (text = text_of(an, arg(args, 1))) != NULL) {
			an_set_attr(an, target, text, arg(args, 2));
		}
		break;
	}
	case PK_ROW_PLAIN:
		/* Code mpscope cannot judge may call what it is handed. */
		if (n->verdict == PK_VERDICT_CALLS)
			an_handed(an, i, args, kwargs, PK_VERDICT_DANGEROUS);
		break;
	}
	return res ? res : object_val(an, n, fn->module_len, offset);
}

struct val *an_call(struct an *an, struct val *fn, const struct pickle_node *fn_node,
		    struct pickle_node *args, struct pickle_node *kwargs, const char *via,
		    size_t offset, int depth)
{
	struct pickle_node *a0 = arg(args, 0);
	struct val *v;

	if (depth > MAX_CHAIN) {
		an_record(an, label(an, "<a chain of wrapped callables at byte %zu>", offset), via,
			  args, kwargs, offset, PK_VERDICT_DANGEROUS,
			  "wraps callables deeper than mpscope follows");
		return unknown(an, false, offset);
	}
	switch (fn->kind) {
	case V_NAME:
		return call_name(an, fn, args, kwargs, via, offset, depth);
	case V_PARTIAL:
		return an_call(an, an_val_of(an, fn->func), fn->func,
			       an_tuple(an, fn->args ? fn->args->items.head : NULL,
					fn->args ? fn->args->items.count : 0, args),
			       kwargs ? kwargs : fn->kwargs, via, offset, depth + 1);
	case V_ATTRGETTER: {
		const char *path = text_of(an, arg(fn->args, 0));

		an_record(an, an_intern(an, "operator.attrgetter()"), via, args, kwargs, offset,
			  PK_VERDICT_IMPORTS, "gets an attribute; mpscope follows what it gets");
		v = an_val_of(an, a0);
		if (!path)
			return unknown(an, false, offset);
		for (const char *p = path; *p;) {
			size_t len = strcspn(p, ".");
			const char *part = arena_strndup(an->a, p, len);

			v = getattr_val(an, v, p == path ? a0 : NULL, part, offset);
			p += len + (p[len] == '.');
		}
		return v;
	}
	case V_METHODCALLER:
		v = getattr_val(an, an_val_of(an, a0), a0, text_of(an, arg(fn->args, 0)), offset);
		return an_call(an, v, NULL, args_from(an, fn->args, 1), fn->kwargs, via, offset,
			       depth + 1);
	case V_OBJECT:
		if (fn->name) {
			struct pk_name *call = an_intern_dot(an, fn->name->s, "__call__");
			const struct pk_verdict_row *r = pk_verdict_row_find(call->s);

			if (r || fn->is_outside) {
				an_record(an, call, via, args, kwargs, offset,
					  r ? r->verdict : PK_VERDICT_CALLS,
					  r ? r->why
					    : "calls an object of a class outside the "
					      "standard library");
				return unknown(an, fn->is_outside, offset);
			}
		}
		an_record(an, label(an, "<an object made at byte %zu>", fn->offset), via, args,
			  kwargs, offset, PK_VERDICT_DANGEROUS,
			  "calls an object made at load time: mpscope cannot tell what it runs");
		return unknown(an, false, offset);
	case V_UNKNOWN:
		an_record(an, label(an, "<what byte %zu returns>", fn->offset), via, args, kwargs,
			  offset, fn->is_outside ? PK_VERDICT_CALLS : PK_VERDICT_DANGEROUS,
			  fn->is_outside ? "calls what code outside the standard library returned"
					 : "calls an object computed at load time, which mpscope "
					   "cannot name");
		return unknown(an, fn->is_outside, offset);
	case V_OPAQUE:
		an_record(an, an_intern(an, "<a persistent id or extension>"), via, args, kwargs,
			  offset, PK_VERDICT_CALLS,
			  "an object the unpickler's persistent_load or copyreg's extension "
			  "registry supplies");
		return unknown(an, true, offset);
	case V_DATA:
		an_record(an, label(an, "<a %s>", type_name(fn_node) + 9), via, args, kwargs,
			  offset, PK_VERDICT_DATA,
			  "not callable: loading stops here with a TypeError");
		return unknown(an, false, offset);
	}
	return unknown(an, false, offset);
}

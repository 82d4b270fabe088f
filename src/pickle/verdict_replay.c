/*
 * verdict_replay.c - pickle_analyze(): decodes with the effects recorded,
 * replays them in order (calls through verdict.c; BUILD and APPEND-like
 * opcodes here, since they call what an object's own attributes hold or
 * change what the whole program shares), scans values for callables a
 * callee is handed, and sums up: the pickle's verdict, its reason, and
 * how often each call repeats (for a report that stays short).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pickle/verdict_analysis.h"

#define NAMED_IN_REASON 3 /* callables the reason names before "and N more" */
#define REASON_ARGS 60 /* bytes of arguments the reason shows */

static const char shared_why[] = "changes an object the whole program shares (a module, a class, "
				 "a module-level object): later code runs what it put there";

/* ---- imports and own modules --------------------------------------------- */

void an_add_own(struct an *an, const char *module)
{
	struct pk_name *m;
	const char **own;

	if (pk_is_stdlib(module))
		return;
	m = an_intern(an, module);
	if (m->is_own_listed || m == &an->oom_name)
		return;
	own = an_grow(an, an->own, an->own_count, &an->own_cap, sizeof(*an->own));
	if (!own)
		return;
	an->own = own;
	m->is_own_listed = true;
	an->own[an->own_count++] = m->s;
}

void an_add_import(struct an *an, struct pk_name *key, const char *module, const char *name,
		   size_t offset)
{
	struct pickle_import *imports;

	if (key->import_index || key == &an->oom_name)
		return;
	imports = an_grow(an, an->imports, an->import_count, &an->import_cap, sizeof(*an->imports));
	if (!imports)
		return;
	an->imports = imports;
	an->imports[an->import_count++] =
		(struct pickle_import){ .module = module, .name = name, .offset = offset };
	key->import_index = an->import_count;
}

void an_add_global(struct an *an, const struct pickle_global *g)
{
	const char *module = g->module, *name = g->name;

	an_add_import(an, an_intern_dot(an, g->module, g->name), g->module, g->name, g->offset);
	if (an->renames)
		pk_compat_rename(&module, &name);
	an_add_own(an, module);
}

/* ---- callables handed over ---------------------------------------------- */

static const struct an_scan none = { PK_VERDICT_DATA, NULL, NULL };
static struct an_scan in_progress; /* its address marks a container being scanned */

static bool is_container(const struct pickle_node *n)
{
	return n->kind == PK_NODE_TUPLE || n->kind == PK_NODE_LIST || n->kind == PK_NODE_DICT ||
		n->kind == PK_NODE_SET || n->kind == PK_NODE_FROZENSET;
}

/* What calling the thing a non-container stands for would do. */
static struct an_scan leaf(struct an *an, struct pickle_node *n)
{
	struct val *v;

	if (n->kind != PK_NODE_GLOBAL && n->kind != PK_NODE_CALL)
		return none;
	v = an_val_of(an, n);
	for (int i = 0; v->kind == V_PARTIAL && i < 32; i++)
		v = an_val_of(an, v->func);
	/* A module is not called: __import__('os') handed over is only os. */
	if (v->kind != V_NAME || v->module_len >= strlen(v->name->s))
		return none;
	pk_name_judge(v->name);
	return (struct an_scan){ v->name->verdict, v->name->s, v->name->why };
}

static void merge(struct an_scan *into, struct an_scan s)
{
	if (s.verdict > into->verdict)
		*into = s;
}

struct frame {
	struct pickle_node *n;
	const struct pickle_cell *c;
	struct an_scan acc;
};

/* Iterative (nesting can be as deep as the input is long); each container
 * is scanned once per analysis, its result kept. */
struct an_scan an_scan(struct an *an, struct pickle_node *root)
{
	struct frame *stack = NULL, *grown;
	size_t depth = 0, cap = 0;
	struct an_scan result = none, *kept;

	if (!root)
		return none;
	if (!is_container(root))
		return leaf(an, root);
	kept = pk_ptr_map_get(&an->scans, root);
	if (kept)
		return kept == &in_progress ? none : *kept;
	for (struct pickle_node *push = root; push || depth;) {
		struct frame *f;

		if (push) {
			if (depth == cap) {
				cap = cap ? cap * 2 : 16;
				grown = realloc(stack, cap * sizeof(*stack));
				if (!grown) {
					an->is_oom = true;
					break;
				}
				stack = grown;
			}
			if (!pk_ptr_map_put(&an->scans, push, &in_progress))
				an->is_oom = true;
			stack[depth++] = (struct frame){ push, push->items.head, none };
			push = NULL;
			continue;
		}
		f = &stack[depth - 1];
		if (f->c) {
			struct pickle_node *item = f->c->node;

			f->c = f->c->next;
			if (!is_container(item)) {
				merge(&f->acc, leaf(an, item));
				continue;
			}
			kept = pk_ptr_map_get(&an->scans, item);
			if (kept)
				merge(&f->acc, kept == &in_progress ? none : *kept);
			else
				push = item;
			continue;
		}
		kept = arena_alloc(an->a, sizeof(*kept));
		if (!kept || !pk_ptr_map_put(&an->scans, f->n, kept)) {
			an->is_oom = true;
			break;
		}
		*kept = f->acc;
		if (--depth)
			merge(&stack[depth - 1].acc, *kept);
		else
			result = *kept;
	}
	free(stack);
	return result;
}

/* ---- BUILD, APPEND and friends ---------------------------------------- */

static void set_pairs(struct an *an, struct val *obj, const struct pickle_node *d, size_t count)
{
	const struct pickle_cell *c = d && d->kind == PK_NODE_DICT ? d->items.head : NULL;

	for (; c && c->next && count >= 2; c = c->next->next, count -= 2) {
		const struct pickle_node *k = c->node;

		if (k->kind == PK_NODE_STR) {
			struct sbuf s;

			sbuf_init(&s);
			pk_text_utf8(k->u.value.text, k->u.value.data, k->u.value.data_len, &s);
			if (!s.is_oom && s.data)
				an_set_attr(an, obj, s.data, c->next->node);
			sbuf_release(&s);
		}
	}
}

/* load_build: inst.__setstate__(state) when the object has one; else the
 * state (or the (state, slotstate) pair) goes into its attributes. */
static void replay_build(struct an *an, const struct pk_effect *e)
{
	struct val *t = an_val_of(an, e->target);
	struct pickle_node *state = e->state, *args, *f;
	size_t i;

	args = an_tuple(an, &(struct pickle_cell){ .node = state }, 1, NULL);
	if (t->kind == V_NAME) {
		an_record(an, an_intern_dot(an, t->name->s, "__dict__.update"), "BUILD", args, NULL,
			  e->offset, PK_VERDICT_DANGEROUS, shared_why);
		return;
	}
	if (t->kind == V_PARTIAL) {
		/* functools.partial.__setstate__((func, args, kwds, dict)) */
		if (state->kind == PK_NODE_TUPLE && state->items.count >= 3) {
			const struct pickle_cell *c = state->items.head;

			t->func = c->node;
			t->args = c->next->node->kind == PK_NODE_TUPLE ? c->next->node : NULL;
			t->kwargs = c->next->next->node->kind == PK_NODE_DICT ? c->next->next->node
									      : NULL;
		}
		return;
	}
	if (t->kind != V_OBJECT)
		return;
	f = an_attr(an, t, "__setstate__");
	if (f) {
		(void)an_call(an, an_val_of(an, f), f, args, NULL, "BUILD __setstate__", e->offset,
			      0);
		return;
	}
	if (!t->is_harmless && t->name) {
		i = an_record(an, an_intern_dot(an, t->name->s, "__setstate__"),
			      "BUILD __setstate__", args, NULL, e->offset,
			      t->name->verdict == PK_VERDICT_DANGEROUS ? PK_VERDICT_DANGEROUS
								       : PK_VERDICT_CALLS,
			      "runs the class's own __setstate__, if it has one");
		an_handed(an, i, args, NULL, PK_VERDICT_DANGEROUS);
	}
	if (state->kind == PK_NODE_DICT) {
		set_pairs(an, t, state, e->count);
	} else if (state->kind == PK_NODE_TUPLE && state->items.count == 2) {
		set_pairs(an, t, state->items.head->node, (size_t)-1);
		set_pairs(an, t, state->items.head->next->node, (size_t)-1);
	}
}

/* APPEND(S) call obj.extend or obj.append, ADDITEMS obj.add: an object's
 * own attribute first. SETITEM(S) use the class's __setitem__. */
static void replay_add(struct an *an, const struct pk_effect *e)
{
	struct val *t = an_val_of(an, e->target);
	const char *via = pk_ops[e->opcode].name;
	bool is_set = e->opcode == PK_OP_SETITEM || e->opcode == PK_OP_SETITEMS;
	bool is_add = e->opcode == PK_OP_ADDITEMS;
	const char *method = is_set ? "__setitem__" : is_add ? "add" : "extend";
	struct pickle_node *f = NULL, *items;
	size_t i;

	if (t->kind == V_NAME) {
		/* A real list takes APPEND without looking up a method. */
		an_record(an,
			  an_intern_dot(an, t->name->s,
					e->opcode == PK_OP_APPEND ? "append" : method),
			  via, an_tuple(an, e->first, e->count, NULL), NULL, e->offset,
			  PK_VERDICT_DANGEROUS, shared_why);
		return;
	}
	if (t->kind != V_OBJECT)
		return;
	if (!is_set)
		f = an_attr(an, t, method);
	if (!f && !is_set && !is_add)
		f = an_attr(an, t, "append");
	if (f) {
		(void)an_call(an, an_val_of(an, f), f, an_tuple(an, e->first, e->count, NULL), NULL,
			      via, e->offset, 0);
		return;
	}
	if (t->is_harmless || !t->name)
		return;
	items = an_tuple(an, e->first, e->count, NULL);
	i = an_record(an, an_intern_dot(an, t->name->s, method), via, items, NULL, e->offset,
		      t->name->verdict == PK_VERDICT_DANGEROUS ? PK_VERDICT_DANGEROUS
							       : PK_VERDICT_CALLS,
		      "runs the class's own method");
	an_handed(an, i, items, NULL, PK_VERDICT_DANGEROUS);
}

static void replay(struct an *an, const struct pk_effect *e)
{
	struct pickle_node *n = e->target;
	struct val *res;

	switch (e->opcode) {
	case PK_OP_REDUCE:
	case PK_OP_NEWOBJ:
	case PK_OP_NEWOBJ_EX:
	case PK_OP_INST:
	case PK_OP_OBJ:
		res = an_call(an, an_val_of(an, n->u.call.func), n->u.call.func, n->u.call.args,
			      n->u.call.kwargs, pk_ops[e->opcode].name, e->offset, 0);
		if (!pk_ptr_map_put(&an->vals, n, res))
			an->is_oom = true;
		break;
	case PK_OP_BUILD:
		replay_build(an, e);
		break;
	default:
		replay_add(an, e);
		break;
	}
}

/* ---- the sum ------------------------------------------------------------ */

/* Calls that share callee, via, verdict and what they are handed form a
 * group: the report shows a few of each. */
static void count_repeats(struct an *an, struct pickle_call *calls, size_t count)
{
	struct pk_names groups = { .a = an->a };
	struct pk_ptr_map seen = { 0 };

	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < count; i++) {
			char key[128];
			struct pk_name *g;
			size_t n;

			snprintf(key, sizeof(key), "%p %p %d %p", (const void *)calls[i].callee,
				 (const void *)calls[i].via, (int)calls[i].verdict,
				 (const void *)calls[i].passes);
			g = pk_names_intern(&groups, key, strlen(key));
			if (!g) {
				an->is_oom = true;
				goto done;
			}
			n = (size_t)(uintptr_t)pk_ptr_map_get(&seen, g);
			if (pass == 0) {
				calls[i].repeat = n;
				if (!pk_ptr_map_put(&seen, g, (void *)(uintptr_t)(n + 1)))
					an->is_oom = true;
			} else {
				calls[i].repeat_count = n;
			}
		}
done:
	pk_names_release(&groups);
	pk_ptr_map_release(&seen);
}

/* "a, b and 3 more" of the distinct callees of the calls with verdict v. */
static size_t name_callees(struct an *an, const struct pickle_analysis *out, enum pickle_verdict v,
			   struct sbuf *s)
{
	size_t named = 0, more = 0;

	for (size_t i = 0; i < out->call_count; i++) {
		struct pk_name *n;

		if (out->calls[i].verdict != v)
			continue;
		n = an_intern(an, out->calls[i].callee);
		if (n->is_counted)
			continue;
		n->is_counted = true;
		if (named < NAMED_IN_REASON)
			sbuf_addf(s, "%s%s", named++ ? ", " : "", n->s);
		else
			more++;
	}
	if (more)
		sbuf_addf(s, " and %zu more", more);
	return named + more;
}

static void reason(struct an *an, struct pickle_analysis *out, const char *bad, struct sbuf *s)
{
	const struct pickle_call *first = NULL;

	for (size_t i = 0; i < out->call_count && !first; i++)
		if (out->calls[i].verdict == out->verdict)
			first = &out->calls[i];
	switch (out->verdict) {
	case PK_VERDICT_DANGEROUS:
		if (first->passes) {
			sbuf_addf(s, "hands %s to %s at byte %zu", first->passes, first->callee,
				  first->offset);
			break;
		}
		sbuf_addf(s, "calls %s(", first->callee);
		if (first->args && first->args->kind == PK_NODE_TUPLE) {
			size_t start = s->len;

			for (const struct pickle_cell *c = first->args->items.head; c;
			     c = c->next) {
				if (s->len - start > REASON_ARGS) {
					sbuf_adds(s, "...");
					break;
				}
				pk_render_short(c->node, REASON_ARGS, s);
				if (c->next)
					sbuf_adds(s, ", ");
			}
		} else if (first->args) {
			sbuf_adds(s, "...");
		}
		sbuf_addf(s, ") at byte %zu", first->offset);
		break;
	case PK_VERDICT_CALLS: {
		size_t k;

		sbuf_addf(s, "calls code mpscope cannot judge: %s at byte %zu", first->callee,
			  first->offset);
		an_intern(an, first->callee)->is_counted = true;
		k = s->len;
		sbuf_adds(s, ", and ");
		if (name_callees(an, out, PK_VERDICT_CALLS, s) == 0)
			s->len = k;
		break;
	}
	case PK_VERDICT_IMPORTS:
		if (out->own_module_count) {
			sbuf_adds(s, "imports the program's own ");
			for (size_t i = 0; i < out->own_module_count && i < NAMED_IN_REASON; i++)
				sbuf_addf(s, "%s%s", i ? ", " : "", out->own_modules[i]);
			if (out->own_module_count > NAMED_IN_REASON)
				sbuf_addf(s, " and %zu more",
					  out->own_module_count - NAMED_IN_REASON);
		} else {
			sbuf_adds(s, "imports standard-library names only");
		}
		sbuf_adds(s, "; calls only known-harmless ");
		if (name_callees(an, out, PK_VERDICT_IMPORTS, s) == 0) {
			s->len -= strlen("only known-harmless ");
			sbuf_adds(s, "nothing");
		}
		break;
	case PK_VERDICT_DATA:
		sbuf_adds(s, "imports nothing; builds only built-in values");
		break;
	}
	if (bad && strncmp(bad, "byte ", 5) == 0)
		sbuf_addf(s, " (as far as byte %llu, where the pickle is malformed)",
			  strtoull(bad + 5, NULL, 10));
	else if (bad)
		sbuf_adds(s, " (as far as it goes: the pickle is malformed)");
}

/* Imports in the order of the pickle (getattr finds some after). */
static int by_offset(const void *x, const void *y)
{
	const struct pickle_import *a = x, *b = y;
	int c;

	if (a->offset != b->offset)
		return a->offset < b->offset ? -1 : 1;
	/* attrgetter('a.b') finds two names at one offset: the shorter first */
	c = (strlen(a->name) > strlen(b->name)) - (strlen(a->name) < strlen(b->name));
	return c ? c : strcmp(a->name, b->name);
}

static void *to_arena(struct an *an, const void *p, size_t size)
{
	void *q;

	if (!size)
		return NULL;
	q = arena_memdup(an->a, p, size);
	if (!q)
		an->is_oom = true;
	return q;
}

static void finish(struct an *an, struct pickle_analysis *out, const char *bad)
{
	struct sbuf s;

	out->imports = to_arena(an, an->imports, an->import_count * sizeof(*an->imports));
	out->import_count = out->imports ? an->import_count : 0;
	if (out->imports)
		qsort(out->imports, out->import_count, sizeof(*out->imports), by_offset);
	out->calls = to_arena(an, an->calls, an->call_count * sizeof(*an->calls));
	out->call_count = out->calls ? an->call_count : 0;
	out->own_modules = to_arena(an, an->own, an->own_count * sizeof(*an->own));
	out->own_module_count = out->own_modules ? an->own_count : 0;
	out->is_complete = !bad;
	count_repeats(an, out->calls, out->call_count);
	out->verdict = out->import_count ? PK_VERDICT_IMPORTS : PK_VERDICT_DATA;
	for (size_t i = 0; i < out->call_count; i++)
		if (out->calls[i].verdict > out->verdict)
			out->verdict = out->calls[i].verdict;
	sbuf_init(&s);
	reason(an, out, bad, &s);
	out->reason = s.is_oom ? NULL : arena_strndup(an->a, s.data ? s.data : "", s.len);
	if (!out->reason) {
		an->is_oom = true;
		out->reason = "";
	}
	sbuf_release(&s);
}

int pickle_analyze(const uint8_t *buf, size_t len, struct arena *a, struct pickle_analysis *out,
		   struct mp_err *err)
{
	struct an an = { .a = a, .names = { .a = a } };
	struct pk_effects fx = { 0 };
	struct pickle_node *root;
	struct pickle_global *globals = NULL;
	size_t global_count = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	an.oom_name = (struct pk_name){ .s = "?", .is_judged = true, .verdict = PK_VERDICT_CALLS };
	rc = pk_decode_effects(buf, len, a, &root, &fx, &globals, &global_count, err);
	an.renames = fx.renames;
	for (size_t i = 0; i < global_count; i++)
		an_add_global(&an, &globals[i]);
	for (size_t i = 0; i < fx.count; i++)
		replay(&an, &fx.items[i]);
	finish(&an, out, rc < 0 ? err->msg : NULL);
	free(fx.items);
	free(an.calls);
	free(an.imports);
	free(an.own);
	pk_ptr_map_release(&an.vals);
	pk_ptr_map_release(&an.scans);
	pk_names_release(&an.names);
	if (an.is_oom)
		return mp_err_set(err, "out of memory while judging the pickle");
	return rc;
}

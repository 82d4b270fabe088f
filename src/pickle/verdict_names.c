/*
 * verdict_names.c - the names the verdict works with: interning (one
 * struct per dotted name, judged once even when a pickle calls the same
 * class 100,000 times), the judgement of calling a name (table row, else
 * its module), Python 2 renames, the standard-library test, and a pointer
 * map for the analysis's per-node state.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pickle/verdict.h"

/* ---- interning ---------------------------------------------------------- */

static size_t hash(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603u; /* FNV-1a */

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211u;
	return (size_t)h;
}

static size_t name_slot(const struct pk_names *t, const char *s, size_t len)
{
	size_t mask = t->cap - 1, i = hash(s, len) & mask;

	while (t->slots[i] && (strncmp(t->slots[i]->s, s, len) != 0 || t->slots[i]->s[len]))
		i = (i + 1) & mask;
	return i;
}

static bool names_grow(struct pk_names *t)
{
	struct pk_names g = { .a = t->a, .cap = t->cap ? t->cap * 2 : 256, .count = t->count };

	g.slots = calloc(g.cap, sizeof(*g.slots));
	if (!g.slots)
		return false;
	for (size_t k = 0; k < t->cap; k++)
		if (t->slots[k])
			g.slots[name_slot(&g, t->slots[k]->s, strlen(t->slots[k]->s))] =
				t->slots[k];
	free(t->slots);
	*t = g;
	return true;
}

struct pk_name *pk_names_intern(struct pk_names *t, const char *s, size_t len)
{
	struct pk_name *n;
	size_t i;

	if (2 * (t->count + 1) > t->cap && !names_grow(t))
		return NULL;
	i = name_slot(t, s, len);
	if (t->slots[i])
		return t->slots[i];
	n = arena_calloc(t->a, 1, sizeof(*n));
	if (!n || !(n->s = arena_strndup(t->a, s, len)))
		return NULL;
	t->slots[i] = n;
	t->count++;
	return n;
}

void pk_names_release(struct pk_names *t)
{
	free(t->slots);
	t->slots = NULL;
	t->count = t->cap = 0;
}

/* ---- the standard library and Python 2 names ---------------------------- */

bool pk_is_stdlib(const char *module)
{
	char top[64];
	size_t n = strcspn(module, ".");

	if (n == 0 || n >= sizeof(top))
		return false;
	memcpy(top, module, n);
	top[n] = '\0';
	return pk_is_stdlib_top(top);
}

static int compare_module(const void *key, const void *elem)
{
	return strcmp(key, ((const struct pk_compat_module *)elem)->py2);
}

static int compare_name(const void *key, const void *elem)
{
	const char *const *k = key;
	const struct pk_compat_name *e = elem;
	int c = strcmp(k[0], e->py2_module);

	return c ? c : strcmp(k[1], e->py2_name);
}

void pk_compat_rename(const char **module, const char **name)
{
	const char *key[2] = { *module, *name };
	const struct pk_compat_name *n = bsearch(key, pk_compat_names, pk_compat_name_count,
						 sizeof(*pk_compat_names), compare_name);
	const struct pk_compat_module *m;

	if (n) {
		*module = n->py3_module;
		*name = n->py3_name;
		return;
	}
	m = bsearch(*module, pk_compat_modules, pk_compat_module_count, sizeof(*pk_compat_modules),
		    compare_module);
	if (m)
		*module = m->py3;
}

/* ---- judging a name ----------------------------------------------------- */

/* The row-or-module judgement of one dotted name. */
static void judge_one(const char *s, enum pickle_verdict *v, enum pk_row_kind *kind,
		      const char **why)
{
	const struct pk_verdict_row *r = pk_verdict_row_find(s);

	if (r) {
		*v = r->verdict;
		*kind = r->kind;
		*why = r->why;
		return;
	}
	*v = PK_VERDICT_CALLS;
	*kind = PK_ROW_PLAIN;
	*why = pk_is_stdlib(s) ? "a standard-library callable mpscope's table does not list"
			       : "code outside the standard library (the program's own or a "
				 "third-party package's): mpscope cannot know what it does";
}

/* A dunder attribute inside a name (builtins.getattr.__self__.eval is
 * builtins.eval; X.__class__.__base__.__subclasses__ reaches any class):
 * ordinary pickles name classes and functions, never a path through them.
 * The module part and the last part do not count. */
static bool through_introspection(const char *s)
{
	for (const char *part = strchr(s, '.'); part; part = strchr(part, '.')) {
		size_t len;

		part++;
		len = strcspn(part, ".");
		if (!part[len])
			return false;
		if (len > 4 && strncmp(part, "__", 2) == 0 &&
		    strncmp(part + len - 2, "__", 2) == 0 &&
		    strncmp(part, "__builtins__", len) != 0 &&
		    strncmp(part, "__builtin__", len) != 0)
			return true;
	}
	return false;
}

void pk_name_judge(struct pk_name *n)
{
	const char *s = n->s;

	char canon[256];

	if (n->is_judged)
		return;
	n->is_judged = true;
	/* operator re-exports the C module _operator, whose names pickles use. */
	if (strncmp(s, "_operator.", 10) == 0 &&
	    (size_t)snprintf(canon, sizeof(canon), "%s", s + 1) < sizeof(canon))
		s = canon;
	judge_one(s, &n->verdict, &n->kind, &n->why);
	if (through_introspection(s)) {
		n->verdict = PK_VERDICT_DANGEROUS;
		n->kind = PK_ROW_PLAIN;
		n->why = "reaches other objects through Python's introspection (__self__, "
			 "__globals__, __class__...)";
		return;
	}
	/* Modules keep the modules they import as attributes: posixpath.os is
	 * os, so posixpath.os.system is os.system. */
	for (const char *dot = strchr(s, '.'); dot && n->verdict != PK_VERDICT_DANGEROUS;
	     dot = strchr(dot + 1, '.')) {
		const char *part = dot + 1;
		size_t len = strcspn(part, ".");
		char alias[256];
		enum pickle_verdict v;
		enum pk_row_kind kind;
		const char *why;

		if (!part[len] || len >= 64)
			continue; /* a module alone is not called; too long is no module */
		if ((len == 12 && strncmp(part, "__builtins__", len) == 0) ||
		    (len == 11 && strncmp(part, "__builtin__", len) == 0)) {
			if ((size_t)snprintf(alias, sizeof(alias), "builtins%s", part + len) >=
			    sizeof(alias))
				continue;
		} else {
			char top[64];

			memcpy(top, part, len);
			top[len] = '\0';
			if (!pk_is_stdlib_top(top) || strlen(part) >= sizeof(alias))
				continue;
			strcpy(alias, part);
		}
		judge_one(alias, &v, &kind, &why);
		if (v == PK_VERDICT_DANGEROUS) {
			n->verdict = v;
			n->kind = PK_ROW_PLAIN;
			n->why = why;
		}
	}
}

/* ---- pointer map -------------------------------------------------------- */

static size_t ptr_slot(const struct pk_ptr_map *m, const void *key)
{
	size_t mask = m->cap - 1;
	size_t i = (size_t)(((uint64_t)(uintptr_t)key * 0x9e3779b97f4a7c15u) >> 24) & mask;

	while (m->keys[i] && m->keys[i] != key)
		i = (i + 1) & mask;
	return i;
}

static bool ptr_grow(struct pk_ptr_map *m)
{
	struct pk_ptr_map g = { .cap = m->cap ? m->cap * 2 : 256, .count = m->count };

	g.keys = calloc(g.cap, sizeof(*g.keys));
	g.vals = malloc(g.cap * sizeof(*g.vals));
	if (!g.keys || !g.vals) {
		free(g.keys);
		free(g.vals);
		return false;
	}
	for (size_t k = 0; k < m->cap; k++)
		if (m->keys[k]) {
			size_t i = ptr_slot(&g, m->keys[k]);

			g.keys[i] = m->keys[k];
			g.vals[i] = m->vals[k];
		}
	pk_ptr_map_release(m);
	*m = g;
	return true;
}

bool pk_ptr_map_put(struct pk_ptr_map *m, const void *key, void *val)
{
	size_t i;

	if (2 * (m->count + 1) > m->cap && !ptr_grow(m))
		return false;
	i = ptr_slot(m, key);
	if (!m->keys[i])
		m->count++;
	m->keys[i] = key;
	m->vals[i] = val;
	return true;
}

void *pk_ptr_map_get(const struct pk_ptr_map *m, const void *key)
{
	size_t i;

	if (!m->cap)
		return NULL;
	i = ptr_slot(m, key);
	return m->keys[i] ? m->vals[i] : NULL;
}

void pk_ptr_map_release(struct pk_ptr_map *m)
{
	free(m->keys);
	free(m->vals);
	m->keys = NULL;
	m->vals = NULL;
	m->count = m->cap = 0;
}

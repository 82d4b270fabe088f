/*
 * verdict_analysis.h - the analysis's state, shared by verdict.c (values
 * and calls) and verdict_replay.c (the effects in order, the scan for
 * callables handed over, the result and its reason). Nobody else sees it.
 */
#ifndef MP_PICKLE_VERDICT_ANALYSIS_H
#define MP_PICKLE_VERDICT_ANALYSIS_H

#include "pickle/verdict.h"

/* What a node stands for while loading runs, as far as it can be named. */
enum vkind {
	V_DATA, /* a value the pickle built: str, tuple, dict... */
	V_NAME, /* module.attr...: a module, class, function or module-level object */
	V_OBJECT, /* what a call returned (an instance, for a class) */
	V_PARTIAL, /* functools.partial(func, *args, **kwargs) */
	V_ATTRGETTER, /* operator.attrgetter(*args) */
	V_METHODCALLER, /* operator.methodcaller(*args, **kwargs) */
	V_OPAQUE, /* from persistent_load or the extension registry */
	V_UNKNOWN, /* something it cannot follow */
};

/* An attribute BUILD or setattr gave an object: it shadows the class's
 * (obj.append, obj.__setstate__ are looked up on the object first). */
struct attr {
	struct pk_name *name;
	struct pickle_node *value;
	struct attr *next;
};

struct val {
	enum vkind kind;
	struct pk_name *name; /* V_NAME: the name; V_OBJECT: what made it, NULL if unknown */
	size_t module_len; /* V_NAME, V_OBJECT: length of the module part of name->s */
	size_t import_index; /* V_NAME: 1 + its index in the imports, 0 none */
	bool is_harmless; /* V_OBJECT: made by a known-harmless callable (a value type) */
	bool is_outside; /* V_OBJECT, V_UNKNOWN: made by code outside the standard library */
	size_t offset; /* V_OBJECT, V_UNKNOWN: of the call that made it */
	struct attr *attrs; /* V_OBJECT */
	struct pickle_node *func; /* V_PARTIAL */
	struct pickle_node *args, *kwargs; /* V_PARTIAL: its own (a tuple); V_ATTRGETTER,
					    * V_METHODCALLER: what made them */
};

struct an {
	struct arena *a;
	struct pk_names names;
	struct pk_name oom_name; /* stands in for a name when memory ran out */
	struct pk_ptr_map vals; /* node -> struct val */
	struct pk_ptr_map scans; /* container node -> struct an_scan */
	struct pickle_call *calls; /* malloc'd, moved to the arena at the end */
	size_t call_count, call_cap;
	struct pickle_import *imports;
	size_t import_count, import_cap;
	const char **own;
	size_t own_count, own_cap;
	bool renames; /* Python 2 names are renamed (pk_effects.renames) */
	bool is_oom;
};

/* The worst callable found in a value: what a callee that calls what it is
 * handed would run. verdict DATA: none. */
struct an_scan {
	enum pickle_verdict verdict;
	const char *name;
	const char *why;
};

/* Makes room for one more item of an array that has `count` of `*cap`;
 * the array (moved), or NULL when out of memory. */
void *an_grow(struct an *an, void *p, size_t count, size_t *cap, size_t size);
struct pk_name *an_intern(struct an *an, const char *s);
struct pk_name *an_intern_dot(struct an *an, const char *a, const char *b); /* "a.b" */
/* A new tuple: `count` items from cell c on, then more's items (more may
 * be NULL): the arguments a call really gets (a partial's and its own). */
struct pickle_node *an_tuple(struct an *an, const struct pickle_cell *c, size_t count,
			     const struct pickle_node *more);
struct val *an_val_of(struct an *an, struct pickle_node *n);
void an_add_own(struct an *an, const char *module);
/* Registers the import `key` (its dotted name) stands for, once. */
void an_add_import(struct an *an, struct pk_name *key, const char *module, const char *name,
		   size_t offset);
void an_add_global(struct an *an, const struct pickle_global *g);
void an_set_attr(struct an *an, struct val *obj, const char *name, struct pickle_node *value);
/* The node an object's own attribute holds, or NULL. */
struct pickle_node *an_attr(struct an *an, struct val *obj, const char *name);
/* Appends a call; its index, or (size_t)-1 when out of memory. */
size_t an_record(struct an *an, struct pk_name *callee, const char *via, struct pickle_node *args,
		 struct pickle_node *kwargs, size_t offset, enum pickle_verdict v, const char *why);
/* Judges and records calling fn (fn_node: its node, may be NULL) and
 * returns what the call gives back. */
struct val *an_call(struct an *an, struct val *fn, const struct pickle_node *fn_node,
		    struct pickle_node *args, struct pickle_node *kwargs, const char *via,
		    size_t offset, int depth);
struct an_scan an_scan(struct an *an, struct pickle_node *n);
/* Raises call i to the verdict of the worst callable in args or kwargs
 * when that is at least `at_least` and worse than the call's own: a callee
 * that may call what it is handed. */
void an_handed(struct an *an, size_t i, struct pickle_node *args, struct pickle_node *kwargs,
	       enum pickle_verdict at_least);

#endif

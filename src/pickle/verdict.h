/*
 * verdict.h - what the files of the verdict (verdict*.c) share and nobody
 * else sees: the table of known callables, the standard library's module
 * names, Python 2 renames, and the one-line rendering of decoded symbols.
 */
#ifndef MP_PICKLE_VERDICT_H
#define MP_PICKLE_VERDICT_H

#include "pickle/internal.h"

/* How a callable of the table behaves beyond its verdict, when the
 * analysis can follow it. */
enum pk_row_kind {
	PK_ROW_PLAIN,
	PK_ROW_GETATTR, /* getattr(x, 'name'): the result is x.name */
	PK_ROW_IMPORT, /* __import__('a.b'): module a (a.b with a fromlist) */
	PK_ROW_IMPORT_MODULE, /* importlib.import_module('a.b'): module a.b */
	PK_ROW_PARTIAL, /* functools.partial(f, *args): calling it calls f */
	PK_ROW_ATTRGETTER, /* operator.attrgetter('a.b'): calling it on x gives x.a.b */
	PK_ROW_METHODCALLER, /* operator.methodcaller('m', *args): calling it on x calls x.m */
	PK_ROW_FORWARD, /* calls its first argument with the others (copyreg.__newobj__) */
	PK_ROW_RECONSTRUCTOR, /* copyreg._reconstructor(cls, base, state): calls base */
	PK_ROW_CALLS_ARGS, /* calls the callables found in its arguments (map, mapstar) */
	PK_ROW_MUTATES, /* changes its first argument (setattr, operator.setitem) */
};

/* One row of the table. `pattern` is a dotted name; '*' matches within one
 * part of it (no '.'), "**" matches anything, dots included. */
struct pk_verdict_row {
	const char *pattern;
	enum pickle_verdict verdict;
	enum pk_row_kind kind;
	const char *why;
};

extern const struct pk_verdict_row pk_verdict_rows[];
extern const size_t pk_verdict_row_count;

/* The row for a canonical dotted name ("os.system"), or NULL. An exact
 * pattern wins, then a "**.*Error"-style row for a standard-library name,
 * then the wildcard with the most literal characters (os.path.* over os.**). */
const struct pk_verdict_row *pk_verdict_row_find(const char *name);
bool pk_glob_match(const char *pattern, const char *name);

/* ---- facts from CPython (verdict_stdlib.c, generated) ---- */

struct pk_compat_module {
	const char *py2, *py3;
};
struct pk_compat_name {
	const char *py2_module, *py2_name, *py3_module, *py3_name;
};
extern const struct pk_compat_module pk_compat_modules[]; /* sorted by py2 */
extern const size_t pk_compat_module_count;
extern const struct pk_compat_name pk_compat_names[]; /* sorted by py2 module, name */
extern const size_t pk_compat_name_count;

/* True when `top` (no dots) is in sys.stdlib_module_names. */
bool pk_is_stdlib_top(const char *top);
/* The same for a dotted module name, judged by its first part. */
bool pk_is_stdlib(const char *module);

/* What Unpickler.find_class loads for module.name with fix_imports on
 * (the default for protocols 0-2): the renamed pair, or the same. */
void pk_compat_rename(const char **module, const char **name);

/* ---- names and maps (verdict_names.c) ---- */

/* A dotted name the analysis met, interned: one struct per distinct
 * string, so names compare by pointer. Judged once, on first need. */
struct pk_name {
	const char *s; /* arena, NUL-terminated */
	bool is_judged;
	enum pickle_verdict verdict; /* of calling it */
	enum pk_row_kind kind;
	const char *why;
	size_t import_index; /* 1 + its index in the imports; 0: not an import */
	bool is_own_listed; /* already in own_modules */
	bool is_counted; /* scratch: already named in the reason */
};

struct pk_names {
	struct arena *a;
	struct pk_name **slots; /* owned; open addressing */
	size_t count, cap;
};

/* The one struct for s[0..len); NULL when out of memory. */
struct pk_name *pk_names_intern(struct pk_names *t, const char *s, size_t len);
void pk_names_release(struct pk_names *t);

/* Fills the verdict of calling the name: its row, else by its module
 * (the standard library's unlisted callables and everyone else's code are
 * `calls`). A standard-library module met inside a longer name
 * (posixpath.os.system, __main__.subprocess.run) is judged too: it is the
 * same object, and the worse verdict wins. */
void pk_name_judge(struct pk_name *n);

/* Pointer to pointer, open addressing; owned arrays. */
struct pk_ptr_map {
	const void **keys;
	void **vals;
	size_t count, cap;
};
bool pk_ptr_map_put(struct pk_ptr_map *m, const void *key, void *val); /* false: out of memory */
void *pk_ptr_map_get(const struct pk_ptr_map *m, const void *key);
void pk_ptr_map_release(struct pk_ptr_map *m);

/* ---- rendering symbols on one line (verdict_format.c) ---- */

/* Appends a short, one-line, Python-like form of n: strings are cut, deep
 * or long containers end in "...", authkeys are redacted. At most about
 * `budget` bytes. Never changes the tree. */
void pk_render_short(const struct pickle_node *n, size_t budget, struct sbuf *out);

#endif

/*
 * internal.h - what the files of src/pickle/ share and nobody else sees:
 * the opcode names and table, the argument reader, the decoder's scan and
 * memo map, Python's repr rules, and text decoding.
 */
#ifndef MP_PICKLE_INTERNAL_H
#define MP_PICKLE_INTERNAL_H

#include "pickle/opcodes.h"
#include "pickle/pickle.h"

/* The opcode table, indexed by byte (name NULL: no such opcode); the walker
 * reads it directly, pickle_op_find() is the public way. */
extern const struct pickle_op pk_ops[256];

/* Reads op's argument starting at *pos (just after the opcode byte at
 * op_offset) and advances *pos. Validates everything pickletools would
 * (encodings, escapes, literals); the argument points into buf. */
int pk_read_arg(const uint8_t *buf, size_t len, size_t *pos, size_t op_offset,
		const struct pickle_op *op, struct pickle_arg *arg, struct mp_err *err);

/* One decoder pass collecting the globals and the authkey offsets. */
int pk_scan(const uint8_t *buf, size_t len, struct arena *a, struct pickle_global **globals,
	    size_t *global_count, struct pickle_redactions *authkeys, struct mp_err *err);

/* What loading does besides building values, in opcode order: every call
 * (REDUCE, NEWOBJ, NEWOBJ_EX, INST, OBJ), and every BUILD, APPEND(S),
 * SETITEM(S) or ADDITEMS on an object that a call made or a global names
 * (on a list or dict they do nothing to judge). A call whose result is
 * popped is here too. verdict.c replays them. */
struct pk_effect {
	uint8_t opcode;
	size_t offset;
	struct pickle_node *target; /* the call node, or the object changed */
	struct pickle_node *state; /* BUILD: the state */
	struct pickle_cell *first; /* APPEND...ADDITEMS: the first item added */
	size_t count; /* items added; BUILD: the state's items at the time */
};
struct pk_effects {
	struct pk_effect *items; /* owned: free() it */
	size_t count, cap;
	bool renames; /* a global is named while the protocol (PROTO) is below 3, where
		       * find_class renames Python 2 names */
};

/* pickle_decode that also fills *fx and the globals (both as far as it got
 * when it fails). */
int pk_decode_effects(const uint8_t *buf, size_t len, struct arena *a, struct pickle_node **root,
		      struct pk_effects *fx, struct pickle_global **globals, size_t *global_count,
		      struct mp_err *err);

/* The decoder's memo: index -> node, open addressing, owned arrays. */
struct pk_node_map {
	int64_t *keys;
	struct pickle_node **vals; /* NULL: empty slot */
	size_t count, cap;
};
/* Sets key to n (replacing an old value); false when out of memory. */
bool pk_node_map_put(struct pk_node_map *map, int64_t key, struct pickle_node *n);
struct pickle_node *pk_node_map_get(const struct pk_node_map *map, int64_t key);
void pk_node_map_release(struct pk_node_map *map);

/* Python's repr of each argument value, appended to out. */
void pk_repr_arg(const struct pickle_arg *arg, struct sbuf *out);
void pk_repr_int(int64_t v, struct sbuf *out);
void pk_repr_float(double v, struct sbuf *out);
void pk_repr_text(enum pickle_text text, const uint8_t *p, size_t len, struct sbuf *out);
void pk_repr_bytes(const uint8_t *p, size_t len, struct sbuf *out);
/* LONG1/LONG4 bytes in decimal; false when over PICKLE_MAX_INT_DIGITS. */
bool pk_repr_long_le(const uint8_t *p, size_t len, struct sbuf *out);
/* A validated decimal literal (whitespace, sign, '_', 'L' allowed) in canonical form. */
void pk_repr_decimal(const uint8_t *p, size_t len, struct sbuf *out);

/* Appends validated text as UTF-8 (a lone surrogate as its 3-byte form). */
void pk_text_utf8(enum pickle_text text, const uint8_t *p, size_t len, struct sbuf *out);
/* The same text in the arena, safe on a terminal: control characters and
 * invalid sequences (lone surrogates) become '?'. NULL when out of memory.
 * For the names the decoder's globals and the verdict print. */
char *pk_safe_text_dup(struct arena *a, enum pickle_text text, const uint8_t *p, size_t len);

/* Unicode 14 (CPython 3.11) str.isprintable() for one code point. */
bool pk_is_printable(uint32_t cp);

#endif

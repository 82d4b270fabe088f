/*
 * pickle.h - read pickles without ever loading them: the opcode listing
 * (byte-identical to `python3 -m pickletools`), a symbolic decoder that
 * rebuilds the object tree from symbols only, a summary, and a verdict on
 * what loading would import and call (docs/verdict.md).
 *
 * Pure C over a byte buffer: no I/O, nothing imported, looked up or called.
 * Results live in a caller's arena and borrow nothing from the input unless
 * a field says so. Errors are one sentence in struct mp_err naming the byte
 * offset ("byte 12: truncated: ..."); on error the partial results that
 * were found before the problem stay valid (a tracer's payload may be cut).
 */
#ifndef MP_PICKLE_H
#define MP_PICKLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/err.h"
#include "common/sbuf.h"

/* Limits for hostile input, stated once. Each is far above what CPython's
 * pickler produces (its own recursion limit keeps nesting near 1000). */
#define PICKLE_MAX_INT_DIGITS 4300 /* CPython 3.11's int/str conversion limit */
#define PICKLE_MAX_STACK (1u << 24) /* emulated stack items */
#define PICKLE_MAX_MARKS 1000000u /* nested MARKs alive at once */
#define PICKLE_RENDER_DEPTH 100 /* nesting shown by the decoded view */

/* ---- the opcode table ----------------------------------------------------- */

/* How an opcode's argument is encoded in the stream (pickletools' names). */
enum pickle_arg_kind {
	PK_ARG_NONE,
	PK_ARG_UINT1,
	PK_ARG_UINT2,
	PK_ARG_INT4,
	PK_ARG_UINT4,
	PK_ARG_UINT8,
	PK_ARG_DECIMALNL_SHORT,
	PK_ARG_DECIMALNL_LONG,
	PK_ARG_FLOATNL,
	PK_ARG_FLOAT8,
	PK_ARG_LONG1,
	PK_ARG_LONG4,
	PK_ARG_STRINGNL,
	PK_ARG_STRINGNL_NOESCAPE,
	PK_ARG_STRINGNL_NOESCAPE_PAIR,
	PK_ARG_STRING1,
	PK_ARG_STRING4,
	PK_ARG_BYTES1,
	PK_ARG_BYTES4,
	PK_ARG_BYTES8,
	PK_ARG_BYTEARRAY8,
	PK_ARG_UNICODESTRINGNL,
	PK_ARG_UNICODESTRING1,
	PK_ARG_UNICODESTRING4,
	PK_ARG_UNICODESTRING8,
};

/* One row per opcode. Stack effect as pickletools states it: an opcode that
 * takes a MARK pops everything down to it plus `pop` items below it;
 * otherwise it pops `pop` items. Then it pushes `push` items (a MARK for MARK). */
struct pickle_op {
	uint8_t code;
	const char *name;
	uint8_t name_len;
	enum pickle_arg_kind arg;
	uint8_t proto;
	uint8_t pop;
	uint8_t push;
	bool takes_mark;
	bool pushes_mark;
};

/* The row for an opcode byte, or NULL when no protocol defines it. */
const struct pickle_op *pickle_op_find(uint8_t code);

/* ---- instructions --------------------------------------------------------- */

enum pickle_val {
	PK_VAL_NONE, /* no argument */
	PK_VAL_INT, /* fits in i */
	PK_VAL_BOOL, /* INT "00"/"01" (protocol 0 bools) */
	PK_VAL_DECIMAL, /* data: ASCII decimal literal too big for int64 */
	PK_VAL_LONG_LE, /* data: little-endian two's complement (LONG1/4) */
	PK_VAL_FLOAT,
	PK_VAL_STR, /* data encoded as `text` says */
	PK_VAL_BYTES,
	PK_VAL_BYTEARRAY,
};

enum pickle_text {
	PK_TEXT_UTF8, /* UTF-8, lone surrogates allowed (surrogatepass) */
	PK_TEXT_LATIN1, /* one byte, one character */
	PK_TEXT_RAW_ESCAPE, /* raw-unicode-escape (\uXXXX, \UXXXXXXXX) */
	PK_TEXT_ESCAPED, /* Python bytes escapes, ASCII result (STRING etc.) */
};

struct pickle_arg {
	enum pickle_val kind;
	enum pickle_text text;
	int64_t i;
	double f;
	const uint8_t *data; /* borrowed from the input buffer */
	size_t data_len;
	const uint8_t *data2; /* second line of a GLOBAL/INST pair, else NULL */
	size_t data2_len;
};

/* What pickletools appends after the argument. */
enum pickle_note { PK_NOTE_NONE, PK_NOTE_MARK_AT, PK_NOTE_MEMO_AS, PK_NOTE_NO_MARK };

struct pickle_insn {
	size_t offset;
	size_t len; /* opcode byte + argument bytes */
	const struct pickle_op *op;
	struct pickle_arg arg;
	size_t mark_level; /* MARKs open before this opcode: the indentation */
	enum pickle_note note;
	size_t note_value; /* MARK offset or memo index */
};

/* Walks a pickle one opcode at a time with pickletools' stack, mark and
 * memo checks. Owns growable arrays: release it. */
struct pickle_walker {
	const uint8_t *buf;
	size_t len;
	size_t pos;
	int max_proto; /* -1 until an opcode is read */
	bool is_done; /* STOP was read */
	size_t depth; /* emulated stack size */
	size_t *stack_marks; /* stack indexes that hold a MARK */
	size_t stack_mark_count, stack_mark_cap;
	size_t *mark_offsets; /* pickletools' markstack: offsets of open MARKs */
	size_t mark_count, mark_cap;
	uint64_t *memo_bits; /* indexes below memo_bit_cap: one bit each (the usual, dense case) */
	size_t memo_bit_cap;
	int64_t *memo_keys; /* any other index: open-addressing set, empty when !memo_used */
	bool *memo_used;
	size_t memo_count; /* all memo entries, bitmap and set */
	size_t memo_key_count, memo_cap; /* entries in the set, its size */
};

void pickle_walker_init(struct pickle_walker *w, const uint8_t *buf, size_t len);
void pickle_walker_release(struct pickle_walker *w);

/* Reads the next opcode into *insn. Returns 1 for an opcode, 0 after STOP
 * (and after the closing checks), -1 on error. On error *insn_printable
 * says whether *insn was fully read before a stack or memo check failed:
 * pickletools prints such a line before raising, and so do we. */
int pickle_walker_next(struct pickle_walker *w, struct pickle_insn *insn, bool *insn_printable,
		       struct mp_err *err);

/* How a listing line differs from pickletools' (0: not at all). */
enum pickle_format_flags {
	PK_FMT_SHOW_AUTHKEY = 1 << 0, /* do not redact AuthenticationString bytes */
	PK_FMT_NO_OPCODE_BYTE = 1 << 1, /* without the opcode-byte column ("\x80 "), which
					  * says again what the name says */
	PK_FMT_NO_NEWLINE = 1 << 2, /* end without '\n', for a caller that annotates the line */
};

/* Offsets of opcodes whose argument is a multiprocessing authkey, sorted. */
struct pickle_redactions {
	const size_t *offsets;
	size_t count;
};

/* Appends the instruction's pickletools line (with '\n'). An argument whose
 * offset is in `redact` (may be NULL) is shown as the same-length marker. */
void pickle_insn_format(const struct pickle_insn *insn, const struct pickle_redactions *redact,
			struct sbuf *out);
/* The same line with some columns left out (enum pickle_format_flags). */
void pickle_insn_format_with(const struct pickle_insn *insn, const struct pickle_redactions *redact,
			     unsigned flags, struct sbuf *out);
/* Appends "highest protocol among opcodes = N\n". */
void pickle_format_highest(int max_proto, struct sbuf *out);

/* The whole listing in `a`. On error returns -1 and *out still holds every
 * instruction before the problem (is_complete false). */
struct pickle_listing {
	struct pickle_insn *insns;
	size_t insn_count;
	int max_proto;
	bool is_complete;
};
int pickle_dis(const uint8_t *buf, size_t len, struct arena *a, struct pickle_listing *out,
	       struct mp_err *err);

/* ---- the authkey ---------------------------------------------------------- */

/* The marker our probe writes over authkey bytes: "<authkey-redacted>" then
 * '*' up to len (cut when len is shorter). Fills dst[0..len). */
void pickle_authkey_marker(char *dst, size_t len);
bool pickle_is_authkey_marker(const uint8_t *p, size_t len);

/* ---- the symbolic decoder ------------------------------------------------- */

enum pickle_node_kind {
	PK_NODE_NONE,
	PK_NODE_BOOL,
	PK_NODE_INT,
	PK_NODE_FLOAT,
	PK_NODE_STR,
	PK_NODE_BYTES,
	PK_NODE_BYTEARRAY,
	PK_NODE_TUPLE,
	PK_NODE_LIST,
	PK_NODE_DICT,
	PK_NODE_SET,
	PK_NODE_FROZENSET,
	PK_NODE_GLOBAL, /* module.name, never looked up */
	PK_NODE_CALL, /* REDUCE/NEWOBJ/NEWOBJ_EX/INST/OBJ: func(args, **kwargs) */
	PK_NODE_EXT, /* EXT1/2/4: the copyreg extension registry code */
	PK_NODE_PERSID, /* persistent id: the pickler's own reference */
	PK_NODE_BUFFER, /* NEXT_BUFFER: out-of-band buffer number */
};

/* A container's items, or BUILD states: cells in the arena, because one
 * shared node can sit in many containers. */
struct pickle_cell {
	struct pickle_node *node;
	struct pickle_cell *next;
};

struct pickle_list {
	struct pickle_cell *head, *tail;
	size_t count;
};

struct pickle_node {
	enum pickle_node_kind kind;
	bool is_shared; /* fetched from the memo: may appear more than once */
	bool is_authkey; /* bytes of a multiprocessing AuthenticationString */
	bool is_readonly; /* READONLY_BUFFER */
	bool is_newobj; /* CALL made by NEWOBJ/NEWOBJ_EX/OBJ (cls.__new__) */
	bool items_are_dict; /* CALL: items came from SETITEM(S), as k,v,k,v */
	bool is_rendering; /* render-time recursion guard */
	unsigned label; /* render-time #N of a shared node, 0 before */
	size_t offset; /* of the opcode that made it */
	union {
		/* scalars: kind as in pickle_arg; data borrowed from the input */
		struct {
			enum pickle_val kind;
			enum pickle_text text;
			int64_t i;
			double f;
			const uint8_t *data;
			size_t data_len;
		} value;
		struct {
			const char *module, *name; /* arena strings, UTF-8 */
		} global;
		struct {
			struct pickle_node *func, *args, *kwargs; /* PERSID: args is the id */
		} call;
		int64_t number; /* EXT code, BUFFER index */
	} u;
	struct pickle_list items; /* containers (dict: k,v,k,v); CALL: appended items */
	struct pickle_list states; /* BUILD states, in order */
};

/* Runs the pickle machine on symbols. *root is the object STOP returns.
 * Returns -1 on error; *root is then NULL. */
int pickle_decode(const uint8_t *buf, size_t len, struct arena *a, struct pickle_node **root,
		  struct mp_err *err);

enum pickle_render_flags {
	PK_RENDER_SHOW_AUTHKEY = 1 << 0,
	PK_RENDER_ELIDE = 1 << 1, /* long str/bytes become '<str, 123456 bytes: ...>' */
};
/* Appends an indented, Python-like expression of the tree. Shared objects
 * print once as #N=... and later as <#N>; recursion shows the same way. */
void pickle_render(struct pickle_node *root, unsigned flags, struct sbuf *out);

/* ---- globals and summary -------------------------------------------------- */

struct pickle_global {
	const char *module, *name; /* arena strings */
	size_t offset; /* GLOBAL, INST or STACK_GLOBAL opcode */
};

/* Every global the pickle names, in order. Cheap enough for a tracer; works
 * on truncated bytes: returns -1 with err, but *globals holds what was found
 * before the cut. */
int pickle_globals(const uint8_t *buf, size_t len, struct arena *a, struct pickle_global **globals,
		   size_t *count, struct mp_err *err);

/* Offsets of the authkey arguments, for pickle_insn_format. Like
 * pickle_globals it reports what it found even when it fails. */
int pickle_find_authkeys(const uint8_t *buf, size_t len, struct arena *a,
			 struct pickle_redactions *out, struct mp_err *err);

/* Overwrites, in place, the bytes of every authkey argument with the
 * same-length marker and counts them in *redacted. Works on truncated
 * bytes as far as they go (then -1 with err, the part before the cut
 * redacted). */
int pickle_redact_authkeys(uint8_t *buf, size_t len, size_t *redacted, struct mp_err *err);

#define PICKLE_TOP_LEAVES 5

struct pickle_leaf {
	size_t offset;
	const struct pickle_op *op;
	struct pickle_arg arg; /* data borrowed from the input buffer */
	bool is_authkey;
};

struct pickle_summary {
	int protocol; /* PROTO's argument, or 0 without one */
	int max_proto; /* highest protocol among opcodes */
	size_t total_len; /* bytes up to and including STOP */
	size_t opcode_count;
	size_t memo_count;
	struct pickle_global *globals;
	size_t global_count;
	struct pickle_redactions authkeys;
	struct pickle_leaf leaves[PICKLE_TOP_LEAVES]; /* biggest first */
	size_t leaf_count;
	size_t frame_count;
	size_t buffer_count; /* out-of-band buffers (protocol 5) */
};

/* Borrows the input: the leaves point into buf, keep it while *out is used. */
int pickle_summarize(const uint8_t *buf, size_t len, struct arena *a, struct pickle_summary *out,
		     struct mp_err *err);
void pickle_summary_format(const struct pickle_summary *s, struct sbuf *out);

/* ---- what loading would do (verdict.c) ------------------------------------ */

/* From harmless to harmful; a pickle's verdict is the worst of its calls. */
enum pickle_verdict { PK_VERDICT_DATA, PK_VERDICT_IMPORTS, PK_VERDICT_CALLS, PK_VERDICT_DANGEROUS };
const char *
pickle_verdict_name(enum pickle_verdict v); /* "data", "imports", "calls", "dangerous" */

/* A name loading would import (GLOBAL, STACK_GLOBAL, INST, or reached by
 * getattr from an imported module), once per name, at its first offset. */
struct pickle_import {
	const char *module,
		*name; /* as the pickle spells them (protocol 0-2 may say __builtin__) */
	size_t offset;
	bool is_called; /* loading also calls it, not only looks it up */
};

struct pickle_call {
	const char *callee; /* "os.system", resolved through getattr chains, __import__, memo */
	const char *via; /* "REDUCE", "NEWOBJ", "NEWOBJ_EX", "INST", "OBJ", "BUILD __setstate__";
			  * also "APPEND", "APPENDS", "SETITEM", "SETITEMS", "ADDITEMS", "BUILD"
			  * (changing an object) and a forwarding callable's name
			  * ("copyreg.__newobj__") for the call it makes */
	struct pickle_node *args; /* decoded symbols, may be NULL */
	struct pickle_node *kwargs;
	size_t offset;
	enum pickle_verdict verdict; /* this call's own: IMPORTS (known harmless), CALLS (unknown
				      * effect), DANGEROUS; DATA when nothing is callable and
				      * loading stops with a TypeError */
	const char *why; /* the table row's reason, or the analysis's; may be NULL */
	const char *passes; /* the callable handed to this callee that decided its verdict
			     * (a callee that may call what it is handed), or NULL */
	size_t repeat; /* earlier calls with the same callee, via, verdict and passes */
	size_t repeat_count; /* all calls with the same callee, via, verdict and passes */
};

struct pickle_analysis {
	struct pickle_import *imports;
	size_t import_count;
	struct pickle_call *calls;
	size_t call_count;
	const char **own_modules; /* the program's own modules loading would import */
	size_t own_module_count;
	enum pickle_verdict verdict;
	const char *reason; /* one clause, e.g. "calls os.system('echo pwned') at byte 42" */
	bool is_complete; /* false: malformed input, the results stop at the problem */
};

/* Never imports, looks up or calls anything. Everything lives in `a`, which
 * must outlive *out. -1 with err on malformed input (partial results are
 * still filled as far as it got, and the reason says so). */
int pickle_analyze(const uint8_t *buf, size_t len, struct arena *a, struct pickle_analysis *out,
		   struct mp_err *err);
/* "verdict: WORD — reason" (no newline). */
void pickle_verdict_line(const struct pickle_analysis *an, struct sbuf *out);
/* The whole --verdict report: every import (looked up / called, with args), then the verdict line. */
void pickle_analysis_format(const struct pickle_analysis *an, struct sbuf *out);

#endif

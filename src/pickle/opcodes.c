/*
 * opcodes.c - the opcode table: one row per opcode that CPython's
 * pickletools knows (protocols 0-5), indexed by the opcode byte.
 *
 * Columns: byte, name, argument kind, protocol that introduced it, items
 * popped (below the MARK for opcodes that take one), items pushed, takes a
 * MARK, pushes a MARK. Stack effects follow pickletools' stack_before/after.
 */
#include "pickle/internal.h"

#define OP(byte, nm, arg_kind, protocol, npop, npush, mark_in, mark_out)                           \
	[byte] = { .code = (byte),                                                                 \
		   .name = #nm,                                                                    \
		   .name_len = sizeof(#nm) - 1,                                                    \
		   .arg = (arg_kind),                                                              \
		   .proto = (protocol),                                                            \
		   .pop = (npop),                                                                  \
		   .push = (npush),                                                                \
		   .takes_mark = (mark_in),                                                        \
		   .pushes_mark = (mark_out) }

/* clang-format off */
const struct pickle_op pk_ops[256] = {
	OP('I', INT, PK_ARG_DECIMALNL_SHORT, 0, 0, 1, false, false),
	OP('J', BININT, PK_ARG_INT4, 1, 0, 1, false, false),
	OP('K', BININT1, PK_ARG_UINT1, 1, 0, 1, false, false),
	OP('M', BININT2, PK_ARG_UINT2, 1, 0, 1, false, false),
	OP('L', LONG, PK_ARG_DECIMALNL_LONG, 0, 0, 1, false, false),
	OP(0x8a, LONG1, PK_ARG_LONG1, 2, 0, 1, false, false),
	OP(0x8b, LONG4, PK_ARG_LONG4, 2, 0, 1, false, false),
	OP('S', STRING, PK_ARG_STRINGNL, 0, 0, 1, false, false),
	OP('T', BINSTRING, PK_ARG_STRING4, 1, 0, 1, false, false),
	OP('U', SHORT_BINSTRING, PK_ARG_STRING1, 1, 0, 1, false, false),
	OP('B', BINBYTES, PK_ARG_BYTES4, 3, 0, 1, false, false),
	OP('C', SHORT_BINBYTES, PK_ARG_BYTES1, 3, 0, 1, false, false),
	OP(0x8e, BINBYTES8, PK_ARG_BYTES8, 4, 0, 1, false, false),
	OP(0x96, BYTEARRAY8, PK_ARG_BYTEARRAY8, 5, 0, 1, false, false),
	OP(0x97, NEXT_BUFFER, PK_ARG_NONE, 5, 0, 1, false, false),
	OP(0x98, READONLY_BUFFER, PK_ARG_NONE, 5, 1, 1, false, false),
	OP('N', NONE, PK_ARG_NONE, 0, 0, 1, false, false),
	OP(0x88, NEWTRUE, PK_ARG_NONE, 2, 0, 1, false, false),
	OP(0x89, NEWFALSE, PK_ARG_NONE, 2, 0, 1, false, false),
	OP('V', UNICODE, PK_ARG_UNICODESTRINGNL, 0, 0, 1, false, false),
	OP(0x8c, SHORT_BINUNICODE, PK_ARG_UNICODESTRING1, 4, 0, 1, false, false),
	OP('X', BINUNICODE, PK_ARG_UNICODESTRING4, 1, 0, 1, false, false),
	OP(0x8d, BINUNICODE8, PK_ARG_UNICODESTRING8, 4, 0, 1, false, false),
	OP('F', FLOAT, PK_ARG_FLOATNL, 0, 0, 1, false, false),
	OP('G', BINFLOAT, PK_ARG_FLOAT8, 1, 0, 1, false, false),
	OP(']', EMPTY_LIST, PK_ARG_NONE, 1, 0, 1, false, false),
	OP('a', APPEND, PK_ARG_NONE, 0, 2, 1, false, false),
	OP('e', APPENDS, PK_ARG_NONE, 1, 1, 1, true, false),
	OP('l', LIST, PK_ARG_NONE, 0, 0, 1, true, false),
	OP(')', EMPTY_TUPLE, PK_ARG_NONE, 1, 0, 1, false, false),
	OP('t', TUPLE, PK_ARG_NONE, 0, 0, 1, true, false),
	OP(0x85, TUPLE1, PK_ARG_NONE, 2, 1, 1, false, false),
	OP(0x86, TUPLE2, PK_ARG_NONE, 2, 2, 1, false, false),
	OP(0x87, TUPLE3, PK_ARG_NONE, 2, 3, 1, false, false),
	OP('}', EMPTY_DICT, PK_ARG_NONE, 1, 0, 1, false, false),
	OP('d', DICT, PK_ARG_NONE, 0, 0, 1, true, false),
	OP('s', SETITEM, PK_ARG_NONE, 0, 3, 1, false, false),
	OP('u', SETITEMS, PK_ARG_NONE, 1, 1, 1, true, false),
	OP(0x8f, EMPTY_SET, PK_ARG_NONE, 4, 0, 1, false, false),
	OP(0x90, ADDITEMS, PK_ARG_NONE, 4, 1, 1, true, false),
	OP(0x91, FROZENSET, PK_ARG_NONE, 4, 0, 1, true, false),
	OP('0', POP, PK_ARG_NONE, 0, 1, 0, false, false),
	OP('2', DUP, PK_ARG_NONE, 0, 1, 2, false, false),
	OP('(', MARK, PK_ARG_NONE, 0, 0, 0, false, true),
	OP('1', POP_MARK, PK_ARG_NONE, 1, 0, 0, true, false),
	OP('g', GET, PK_ARG_DECIMALNL_SHORT, 0, 0, 1, false, false),
	OP('h', BINGET, PK_ARG_UINT1, 1, 0, 1, false, false),
	OP('j', LONG_BINGET, PK_ARG_UINT4, 1, 0, 1, false, false),
	OP('p', PUT, PK_ARG_DECIMALNL_SHORT, 0, 0, 0, false, false),
	OP('q', BINPUT, PK_ARG_UINT1, 1, 0, 0, false, false),
	OP('r', LONG_BINPUT, PK_ARG_UINT4, 1, 0, 0, false, false),
	OP(0x94, MEMOIZE, PK_ARG_NONE, 4, 1, 1, false, false),
	OP(0x82, EXT1, PK_ARG_UINT1, 2, 0, 1, false, false),
	OP(0x83, EXT2, PK_ARG_UINT2, 2, 0, 1, false, false),
	OP(0x84, EXT4, PK_ARG_INT4, 2, 0, 1, false, false),
	OP('c', GLOBAL, PK_ARG_STRINGNL_NOESCAPE_PAIR, 0, 0, 1, false, false),
	OP(0x93, STACK_GLOBAL, PK_ARG_NONE, 4, 2, 1, false, false),
	OP('R', REDUCE, PK_ARG_NONE, 0, 2, 1, false, false),
	OP('b', BUILD, PK_ARG_NONE, 0, 2, 1, false, false),
	OP('i', INST, PK_ARG_STRINGNL_NOESCAPE_PAIR, 0, 0, 1, true, false),
	OP('o', OBJ, PK_ARG_NONE, 1, 0, 1, true, false),
	OP(0x81, NEWOBJ, PK_ARG_NONE, 2, 2, 1, false, false),
	OP(0x92, NEWOBJ_EX, PK_ARG_NONE, 4, 3, 1, false, false),
	OP(0x80, PROTO, PK_ARG_UINT1, 2, 0, 0, false, false),
	OP('.', STOP, PK_ARG_NONE, 0, 1, 0, false, false),
	OP(0x95, FRAME, PK_ARG_UINT8, 4, 0, 0, false, false),
	OP('P', PERSID, PK_ARG_STRINGNL_NOESCAPE, 0, 0, 1, false, false),
	OP('Q', BINPERSID, PK_ARG_NONE, 1, 1, 1, false, false),
};
/* clang-format on */

const struct pickle_op *pickle_op_find(uint8_t code)
{
	return pk_ops[code].name ? &pk_ops[code] : NULL;
}

/*
 * opcodes.h - every opcode CPython's pickletools knows (protocols 0-5), each
 * stated once: byte, name, argument kind, protocol that introduced it, items
 * popped (below the MARK for opcodes that take one), items pushed, takes a
 * MARK, pushes a MARK. Stack effects follow pickletools' stack_before/after.
 *
 * PK_OPCODES(X) calls X once per row. This header expands it into the names
 * the code uses (enum pk_opcode: PK_OP_BINPUT = 'q'), opcodes.c into the
 * table pk_ops[], so a name and its byte cannot disagree. A byte listed twice
 * does not compile (-Woverride-init, part of -Wextra);
 * tests/unit/test_pickle_opcodes.c compares the rows with pickletools.
 */
#ifndef MP_PICKLE_OPCODES_H
#define MP_PICKLE_OPCODES_H

/* clang-format off */
#define PK_OPCODES(X) \
	X('I',  INT,              PK_ARG_DECIMALNL_SHORT,        0, 0, 1, false, false) \
	X('J',  BININT,           PK_ARG_INT4,                   1, 0, 1, false, false) \
	X('K',  BININT1,          PK_ARG_UINT1,                  1, 0, 1, false, false) \
	X('M',  BININT2,          PK_ARG_UINT2,                  1, 0, 1, false, false) \
	X('L',  LONG,             PK_ARG_DECIMALNL_LONG,         0, 0, 1, false, false) \
	X(0x8a, LONG1,            PK_ARG_LONG1,                  2, 0, 1, false, false) \
	X(0x8b, LONG4,            PK_ARG_LONG4,                  2, 0, 1, false, false) \
	X('S',  STRING,           PK_ARG_STRINGNL,               0, 0, 1, false, false) \
	X('T',  BINSTRING,        PK_ARG_STRING4,                1, 0, 1, false, false) \
	X('U',  SHORT_BINSTRING,  PK_ARG_STRING1,                1, 0, 1, false, false) \
	X('B',  BINBYTES,         PK_ARG_BYTES4,                 3, 0, 1, false, false) \
	X('C',  SHORT_BINBYTES,   PK_ARG_BYTES1,                 3, 0, 1, false, false) \
	X(0x8e, BINBYTES8,        PK_ARG_BYTES8,                 4, 0, 1, false, false) \
	X(0x96, BYTEARRAY8,       PK_ARG_BYTEARRAY8,             5, 0, 1, false, false) \
	X(0x97, NEXT_BUFFER,      PK_ARG_NONE,                   5, 0, 1, false, false) \
	X(0x98, READONLY_BUFFER,  PK_ARG_NONE,                   5, 1, 1, false, false) \
	X('N',  NONE,             PK_ARG_NONE,                   0, 0, 1, false, false) \
	X(0x88, NEWTRUE,          PK_ARG_NONE,                   2, 0, 1, false, false) \
	X(0x89, NEWFALSE,         PK_ARG_NONE,                   2, 0, 1, false, false) \
	X('V',  UNICODE,          PK_ARG_UNICODESTRINGNL,        0, 0, 1, false, false) \
	X(0x8c, SHORT_BINUNICODE, PK_ARG_UNICODESTRING1,         4, 0, 1, false, false) \
	X('X',  BINUNICODE,       PK_ARG_UNICODESTRING4,         1, 0, 1, false, false) \
	X(0x8d, BINUNICODE8,      PK_ARG_UNICODESTRING8,         4, 0, 1, false, false) \
	X('F',  FLOAT,            PK_ARG_FLOATNL,                0, 0, 1, false, false) \
	X('G',  BINFLOAT,         PK_ARG_FLOAT8,                 1, 0, 1, false, false) \
	X(']',  EMPTY_LIST,       PK_ARG_NONE,                   1, 0, 1, false, false) \
	X('a',  APPEND,           PK_ARG_NONE,                   0, 2, 1, false, false) \
	X('e',  APPENDS,          PK_ARG_NONE,                   1, 1, 1, true,  false) \
	X('l',  LIST,             PK_ARG_NONE,                   0, 0, 1, true,  false) \
	X(')',  EMPTY_TUPLE,      PK_ARG_NONE,                   1, 0, 1, false, false) \
	X('t',  TUPLE,            PK_ARG_NONE,                   0, 0, 1, true,  false) \
	X(0x85, TUPLE1,           PK_ARG_NONE,                   2, 1, 1, false, false) \
	X(0x86, TUPLE2,           PK_ARG_NONE,                   2, 2, 1, false, false) \
	X(0x87, TUPLE3,           PK_ARG_NONE,                   2, 3, 1, false, false) \
	X('}',  EMPTY_DICT,       PK_ARG_NONE,                   1, 0, 1, false, false) \
	X('d',  DICT,             PK_ARG_NONE,                   0, 0, 1, true,  false) \
	X('s',  SETITEM,          PK_ARG_NONE,                   0, 3, 1, false, false) \
	X('u',  SETITEMS,         PK_ARG_NONE,                   1, 1, 1, true,  false) \
	X(0x8f, EMPTY_SET,        PK_ARG_NONE,                   4, 0, 1, false, false) \
	X(0x90, ADDITEMS,         PK_ARG_NONE,                   4, 1, 1, true,  false) \
	X(0x91, FROZENSET,        PK_ARG_NONE,                   4, 0, 1, true,  false) \
	X('0',  POP,              PK_ARG_NONE,                   0, 1, 0, false, false) \
	X('2',  DUP,              PK_ARG_NONE,                   0, 1, 2, false, false) \
	X('(',  MARK,             PK_ARG_NONE,                   0, 0, 0, false, true)  \
	X('1',  POP_MARK,         PK_ARG_NONE,                   1, 0, 0, true,  false) \
	X('g',  GET,              PK_ARG_DECIMALNL_SHORT,        0, 0, 1, false, false) \
	X('h',  BINGET,           PK_ARG_UINT1,                  1, 0, 1, false, false) \
	X('j',  LONG_BINGET,      PK_ARG_UINT4,                  1, 0, 1, false, false) \
	X('p',  PUT,              PK_ARG_DECIMALNL_SHORT,        0, 0, 0, false, false) \
	X('q',  BINPUT,           PK_ARG_UINT1,                  1, 0, 0, false, false) \
	X('r',  LONG_BINPUT,      PK_ARG_UINT4,                  1, 0, 0, false, false) \
	X(0x94, MEMOIZE,          PK_ARG_NONE,                   4, 1, 1, false, false) \
	X(0x82, EXT1,             PK_ARG_UINT1,                  2, 0, 1, false, false) \
	X(0x83, EXT2,             PK_ARG_UINT2,                  2, 0, 1, false, false) \
	X(0x84, EXT4,             PK_ARG_INT4,                   2, 0, 1, false, false) \
	X('c',  GLOBAL,           PK_ARG_STRINGNL_NOESCAPE_PAIR, 0, 0, 1, false, false) \
	X(0x93, STACK_GLOBAL,     PK_ARG_NONE,                   4, 2, 1, false, false) \
	X('R',  REDUCE,           PK_ARG_NONE,                   0, 2, 1, false, false) \
	X('b',  BUILD,            PK_ARG_NONE,                   0, 2, 1, false, false) \
	X('i',  INST,             PK_ARG_STRINGNL_NOESCAPE_PAIR, 0, 0, 1, true,  false) \
	X('o',  OBJ,              PK_ARG_NONE,                   1, 0, 1, true,  false) \
	X(0x81, NEWOBJ,           PK_ARG_NONE,                   2, 2, 1, false, false) \
	X(0x92, NEWOBJ_EX,        PK_ARG_NONE,                   4, 3, 1, false, false) \
	X(0x80, PROTO,            PK_ARG_UINT1,                  2, 0, 0, false, false) \
	X('.',  STOP,             PK_ARG_NONE,                   0, 1, 0, false, false) \
	X(0x95, FRAME,            PK_ARG_UINT8,                  4, 0, 0, false, false) \
	X('P',  PERSID,           PK_ARG_STRINGNL_NOESCAPE,      0, 0, 1, false, false) \
	X('Q',  BINPERSID,        PK_ARG_NONE,                   1, 1, 1, false, false)

/* clang-format on */

#define PK_OP_NAME(byte, nm, ...) PK_OP_##nm = (byte),
enum pk_opcode { PK_OPCODES(PK_OP_NAME) };
#undef PK_OP_NAME

#endif

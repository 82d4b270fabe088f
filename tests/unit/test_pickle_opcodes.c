/*
 * test_pickle_opcodes.c - the opcode table (src/pickle/opcodes.h) agrees with
 * CPython's pickletools row for row: byte, name, argument kind, protocol and
 * stack effect; and every symbolic name PK_OP_X is the byte of the row named X.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "pickle/opcodes.h"
#include "pickle/pickle.h"
#include "support/support.h"

/* Made with /usr/bin/python3 (3.11.2), sorted by byte:
 *   import pickletools
 *   m = pickletools.markobject
 *   for op in pickletools.opcodes:
 *       b, a = op.stack_before, op.stack_after
 *       print("%02x %s %s %d %d %d%s%s" % (ord(op.code), op.name,
 *             op.arg.name if op.arg else "-", op.proto,
 *             b.index(m) if m in b else len(b), len([x for x in a if x is not m]),
 *             " takes_mark" if m in b else "", " pushes_mark" if m in a else ""))
 * Popped items are those below the MARK for opcodes that take one. */
static const char pickletools_opcodes[] = "28 MARK - 0 0 0 pushes_mark\n"
					  "29 EMPTY_TUPLE - 1 0 1\n"
					  "2e STOP - 0 1 0\n"
					  "30 POP - 0 1 0\n"
					  "31 POP_MARK - 1 0 0 takes_mark\n"
					  "32 DUP - 0 1 2\n"
					  "42 BINBYTES bytes4 3 0 1\n"
					  "43 SHORT_BINBYTES bytes1 3 0 1\n"
					  "46 FLOAT floatnl 0 0 1\n"
					  "47 BINFLOAT float8 1 0 1\n"
					  "49 INT decimalnl_short 0 0 1\n"
					  "4a BININT int4 1 0 1\n"
					  "4b BININT1 uint1 1 0 1\n"
					  "4c LONG decimalnl_long 0 0 1\n"
					  "4d BININT2 uint2 1 0 1\n"
					  "4e NONE - 0 0 1\n"
					  "50 PERSID stringnl_noescape 0 0 1\n"
					  "51 BINPERSID - 1 1 1\n"
					  "52 REDUCE - 0 2 1\n"
					  "53 STRING stringnl 0 0 1\n"
					  "54 BINSTRING string4 1 0 1\n"
					  "55 SHORT_BINSTRING string1 1 0 1\n"
					  "56 UNICODE unicodestringnl 0 0 1\n"
					  "58 BINUNICODE unicodestring4 1 0 1\n"
					  "5d EMPTY_LIST - 1 0 1\n"
					  "61 APPEND - 0 2 1\n"
					  "62 BUILD - 0 2 1\n"
					  "63 GLOBAL stringnl_noescape_pair 0 0 1\n"
					  "64 DICT - 0 0 1 takes_mark\n"
					  "65 APPENDS - 1 1 1 takes_mark\n"
					  "67 GET decimalnl_short 0 0 1\n"
					  "68 BINGET uint1 1 0 1\n"
					  "69 INST stringnl_noescape_pair 0 0 1 takes_mark\n"
					  "6a LONG_BINGET uint4 1 0 1\n"
					  "6c LIST - 0 0 1 takes_mark\n"
					  "6f OBJ - 1 0 1 takes_mark\n"
					  "70 PUT decimalnl_short 0 0 0\n"
					  "71 BINPUT uint1 1 0 0\n"
					  "72 LONG_BINPUT uint4 1 0 0\n"
					  "73 SETITEM - 0 3 1\n"
					  "74 TUPLE - 0 0 1 takes_mark\n"
					  "75 SETITEMS - 1 1 1 takes_mark\n"
					  "7d EMPTY_DICT - 1 0 1\n"
					  "80 PROTO uint1 2 0 0\n"
					  "81 NEWOBJ - 2 2 1\n"
					  "82 EXT1 uint1 2 0 1\n"
					  "83 EXT2 uint2 2 0 1\n"
					  "84 EXT4 int4 2 0 1\n"
					  "85 TUPLE1 - 2 1 1\n"
					  "86 TUPLE2 - 2 2 1\n"
					  "87 TUPLE3 - 2 3 1\n"
					  "88 NEWTRUE - 2 0 1\n"
					  "89 NEWFALSE - 2 0 1\n"
					  "8a LONG1 long1 2 0 1\n"
					  "8b LONG4 long4 2 0 1\n"
					  "8c SHORT_BINUNICODE unicodestring1 4 0 1\n"
					  "8d BINUNICODE8 unicodestring8 4 0 1\n"
					  "8e BINBYTES8 bytes8 4 0 1\n"
					  "8f EMPTY_SET - 4 0 1\n"
					  "90 ADDITEMS - 4 1 1 takes_mark\n"
					  "91 FROZENSET - 4 0 1 takes_mark\n"
					  "92 NEWOBJ_EX - 4 3 1\n"
					  "93 STACK_GLOBAL - 4 2 1\n"
					  "94 MEMOIZE - 4 1 1\n"
					  "95 FRAME uint8 4 0 0\n"
					  "96 BYTEARRAY8 bytearray8 5 0 1\n"
					  "97 NEXT_BUFFER - 5 0 1\n"
					  "98 READONLY_BUFFER - 5 1 1\n";

static const char *const arg_names[] = {
	[PK_ARG_NONE] = "-",
	[PK_ARG_UINT1] = "uint1",
	[PK_ARG_UINT2] = "uint2",
	[PK_ARG_INT4] = "int4",
	[PK_ARG_UINT4] = "uint4",
	[PK_ARG_UINT8] = "uint8",
	[PK_ARG_DECIMALNL_SHORT] = "decimalnl_short",
	[PK_ARG_DECIMALNL_LONG] = "decimalnl_long",
	[PK_ARG_FLOATNL] = "floatnl",
	[PK_ARG_FLOAT8] = "float8",
	[PK_ARG_LONG1] = "long1",
	[PK_ARG_LONG4] = "long4",
	[PK_ARG_STRINGNL] = "stringnl",
	[PK_ARG_STRINGNL_NOESCAPE] = "stringnl_noescape",
	[PK_ARG_STRINGNL_NOESCAPE_PAIR] = "stringnl_noescape_pair",
	[PK_ARG_STRING1] = "string1",
	[PK_ARG_STRING4] = "string4",
	[PK_ARG_BYTES1] = "bytes1",
	[PK_ARG_BYTES4] = "bytes4",
	[PK_ARG_BYTES8] = "bytes8",
	[PK_ARG_BYTEARRAY8] = "bytearray8",
	[PK_ARG_UNICODESTRINGNL] = "unicodestringnl",
	[PK_ARG_UNICODESTRING1] = "unicodestring1",
	[PK_ARG_UNICODESTRING4] = "unicodestring4",
	[PK_ARG_UNICODESTRING8] = "unicodestring8",
};

static void table_matches_pickletools(void **state)
{
	struct sbuf got;

	(void)state;
	sbuf_init(&got);
	for (unsigned b = 0; b < 256; b++) {
		const struct pickle_op *op = pickle_op_find((uint8_t)b);

		if (!op)
			continue;
		assert_int_equal(op->code, b);
		assert_int_equal(op->name_len, strlen(op->name));
		sbuf_addf(&got, "%02x %s %s %d %d %d%s%s\n", b, op->name, arg_names[op->arg],
			  op->proto, op->pop, op->push, op->takes_mark ? " takes_mark" : "",
			  op->pushes_mark ? " pushes_mark" : "");
	}
	assert_string_equal(got.data, pickletools_opcodes);
	sbuf_release(&got);
}

static void names_are_the_bytes_of_their_rows(void **state)
{
#define PK_OP_CHECK(byte, nm, ...) { PK_OP_##nm, #nm },
	static const struct {
		unsigned code;
		const char *name;
	} names[] = { PK_OPCODES(PK_OP_CHECK) };
#undef PK_OP_CHECK
	size_t rows = 0;

	(void)state;
	for (unsigned b = 0; b < 256; b++)
		rows += pickle_op_find((uint8_t)b) != NULL;
	assert_int_equal(sizeof(names) / sizeof(names[0]), rows);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const struct pickle_op *op = pickle_op_find((uint8_t)names[i].code);

		assert_non_null(op);
		assert_string_equal(op->name, names[i].name);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table_matches_pickletools),
		cmocka_unit_test(names_are_the_bytes_of_their_rows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

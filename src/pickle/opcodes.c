/*
 * opcodes.c - the opcode table, indexed by the opcode byte: the rows of
 * opcodes.h as struct pickle_op, so the walker finds an opcode's argument
 * kind and stack effect with one index.
 */
#include "pickle/internal.h"

#define PK_OP_ROW(byte, nm, arg_kind, protocol, npop, npush, mark_in, mark_out)                    \
	[byte] = { .code = (byte),                                                                 \
		   .name = #nm,                                                                    \
		   .name_len = sizeof(#nm) - 1,                                                    \
		   .arg = (arg_kind),                                                              \
		   .proto = (protocol),                                                            \
		   .pop = (npop),                                                                  \
		   .push = (npush),                                                                \
		   .takes_mark = (mark_in),                                                        \
		   .pushes_mark = (mark_out) },

const struct pickle_op pk_ops[256] = { PK_OPCODES(PK_OP_ROW) };

const struct pickle_op *pickle_op_find(uint8_t code)
{
	return pk_ops[code].name ? &pk_ops[code] : NULL;
}

/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Filter bytecode, as lttng 2.13 (reference/ust-registration.md section 2):
 * what the control side compiles from a `--filter` expression, what the
 * session daemon forwards to each application, and what the tracer-side
 * validator and interpreter of this folder execute.
 *
 * The container is a 48-byte header followed by `len` bytes of data: the
 * code, then the relocation table from `reloc_table_offset` on. It never
 * leaves the machine, so every integer is in host byte order, as lttng's.
 *
 * Code: instructions back to back, byte-aligned, no padding; each starts
 * with a one-byte opcode (enum filter_opcode) followed by its operands,
 * unaligned, host order. The last instruction is RETURN: the value on top
 * of the stack is the verdict (nonzero = record the event).
 *
 * Relocation table: entries {u16 offset, NUL-terminated symbol} back to
 * back. For LOAD_FIELD_REF and GET_CONTEXT_REF, offset is the code offset
 * of the instruction and the symbol the field name ("a.b"), "$ctx.NAME" or
 * "$app.PROVIDER:NAME"; the instruction's u16 operand is 0xFFFF until the
 * tracer links it. For GET_SYMBOL, offset is the code offset of the
 * instruction and the instruction's own u16 operand is the offset, inside
 * the relocation table, of the symbol string (the entry's offset + 2).
 */

#include <stdint.h>

/*
 * Distinct application contexts ("$app.PROVIDER:CTX") one filter may read:
 * the tracer links it once per combination of their value kinds
 * (filter-interp.h), and the CLI refuses more (filter-check.h).
 */
#define FILTER_MAX_APP_CONTEXTS 3

/* Largest `len` (code + relocation table), as LTTNG_FILTER_MAX_LEN. */
#define FILTER_BYTECODE_MAX_LEN 65536u
/* Longest expression, in bytes, without its NUL. */
#define FILTER_EXPRESSION_MAX_LEN 65535u

/* The u16 operand of LOAD_FIELD_REF / GET_CONTEXT_REF before linking. */
#define FILTER_FIELD_REF_UNLINKED 0xFFFFu

struct filter_bytecode {
	uint32_t len;                /* bytes of data: code + relocation table */
	uint32_t reloc_table_offset; /* where the relocation table starts in data */
	uint64_t seqnum;             /* order of the filters of one event rule; 0 */
	char padding[32];            /* zeros */
	char data[];
};

_Static_assert(sizeof(struct filter_bytecode) == 48, "lttng_bytecode header is 48 bytes");

/*
 * Every opcode of lttng 2.13's `enum bytecode_op`, with its number. The
 * control side emits only those marked "emitted"; the others are what the
 * tracer's specialization pass rewrites instructions into, once it knows the
 * types of the fields.
 *
 * Operand encodings (after the opcode byte, host order, unaligned):
 *   AND, OR                      u16 absolute code offset to jump to when
 *                                the left operand decides the result
 *   LOAD_FIELD_REF*, GET_CONTEXT_REF*
 *                                u16 field/context index (0xFFFF unlinked)
 *   LOAD_STRING, LOAD_STAR_GLOB_STRING
 *                                NUL-terminated string
 *   LOAD_S64                     int64
 *   LOAD_DOUBLE                  IEEE 754 double
 *   GET_SYMBOL, GET_SYMBOL_FIELD u16 offset of the name in the relocation table
 *   GET_INDEX_U16                u16 index
 *   GET_INDEX_U64                u64 index
 *   every other opcode           none
 */
enum filter_opcode {
	FILTER_OP_UNKNOWN = 0,
	FILTER_OP_RETURN = 1, /* emitted */

	/* Binary arithmetic: never emitted (the compiler refuses + - * / %). */
	FILTER_OP_MUL = 2,
	FILTER_OP_DIV = 3,
	FILTER_OP_MOD = 4,
	FILTER_OP_PLUS = 5,
	FILTER_OP_MINUS = 6,
	FILTER_OP_BIT_RSHIFT = 7, /* emitted */
	FILTER_OP_BIT_LSHIFT = 8, /* emitted */
	FILTER_OP_BIT_AND = 9,    /* emitted */
	FILTER_OP_BIT_OR = 10,    /* emitted */
	FILTER_OP_BIT_XOR = 11,   /* emitted */

	/* Comparisons, generic (emitted), then specialized by operand types. */
	FILTER_OP_EQ = 12,
	FILTER_OP_NE = 13,
	FILTER_OP_GT = 14,
	FILTER_OP_LT = 15,
	FILTER_OP_GE = 16,
	FILTER_OP_LE = 17,
	FILTER_OP_EQ_STRING = 18,
	FILTER_OP_NE_STRING = 19,
	FILTER_OP_GT_STRING = 20,
	FILTER_OP_LT_STRING = 21,
	FILTER_OP_GE_STRING = 22,
	FILTER_OP_LE_STRING = 23,
	FILTER_OP_EQ_S64 = 24,
	FILTER_OP_NE_S64 = 25,
	FILTER_OP_GT_S64 = 26,
	FILTER_OP_LT_S64 = 27,
	FILTER_OP_GE_S64 = 28,
	FILTER_OP_LE_S64 = 29,
	FILTER_OP_EQ_DOUBLE = 30,
	FILTER_OP_NE_DOUBLE = 31,
	FILTER_OP_GT_DOUBLE = 32,
	FILTER_OP_LT_DOUBLE = 33,
	FILTER_OP_GE_DOUBLE = 34,
	FILTER_OP_LE_DOUBLE = 35,
	FILTER_OP_EQ_DOUBLE_S64 = 36,
	FILTER_OP_NE_DOUBLE_S64 = 37,
	FILTER_OP_GT_DOUBLE_S64 = 38,
	FILTER_OP_LT_DOUBLE_S64 = 39,
	FILTER_OP_GE_DOUBLE_S64 = 40,
	FILTER_OP_LE_DOUBLE_S64 = 41,
	FILTER_OP_EQ_S64_DOUBLE = 42,
	FILTER_OP_NE_S64_DOUBLE = 43,
	FILTER_OP_GT_S64_DOUBLE = 44,
	FILTER_OP_LT_S64_DOUBLE = 45,
	FILTER_OP_GE_S64_DOUBLE = 46,
	FILTER_OP_LE_S64_DOUBLE = 47,

	/* Unary: generic (emitted, except PLUS which the compiler drops). */
	FILTER_OP_UNARY_PLUS = 48,
	FILTER_OP_UNARY_MINUS = 49,
	FILTER_OP_UNARY_NOT = 50,
	FILTER_OP_UNARY_PLUS_S64 = 51,
	FILTER_OP_UNARY_MINUS_S64 = 52,
	FILTER_OP_UNARY_NOT_S64 = 53,
	FILTER_OP_UNARY_PLUS_DOUBLE = 54,
	FILTER_OP_UNARY_MINUS_DOUBLE = 55,
	FILTER_OP_UNARY_NOT_DOUBLE = 56,

	/* Logical, short-circuit (emitted). */
	FILTER_OP_AND = 57,
	FILTER_OP_OR = 58,

	/* Legacy field and context loads: one instruction per dotted name. */
	FILTER_OP_LOAD_FIELD_REF = 59, /* emitted */
	FILTER_OP_LOAD_FIELD_REF_STRING = 60,
	FILTER_OP_LOAD_FIELD_REF_SEQUENCE = 61,
	FILTER_OP_LOAD_FIELD_REF_S64 = 62,
	FILTER_OP_LOAD_FIELD_REF_DOUBLE = 63,

	/* Literals (emitted). */
	FILTER_OP_LOAD_STRING = 64,
	FILTER_OP_LOAD_S64 = 65,
	FILTER_OP_LOAD_DOUBLE = 66,

	/* Casts: CAST_TO_S64 and CAST_DOUBLE_TO_S64 emitted around && and ||. */
	FILTER_OP_CAST_TO_S64 = 67,
	FILTER_OP_CAST_DOUBLE_TO_S64 = 68,
	FILTER_OP_CAST_NOP = 69,

	FILTER_OP_GET_CONTEXT_REF = 70, /* emitted */
	FILTER_OP_GET_CONTEXT_REF_STRING = 71,
	FILTER_OP_GET_CONTEXT_REF_S64 = 72,
	FILTER_OP_GET_CONTEXT_REF_DOUBLE = 73,

	FILTER_OP_LOAD_FIELD_REF_USER_STRING = 74,
	FILTER_OP_LOAD_FIELD_REF_USER_SEQUENCE = 75,

	/* Globbing pattern literal and its comparisons. */
	FILTER_OP_LOAD_STAR_GLOB_STRING = 76, /* emitted */
	FILTER_OP_EQ_STAR_GLOB_STRING = 77,
	FILTER_OP_NE_STAR_GLOB_STRING = 78,

	/* Field paths with an index: ROOT, GET_SYMBOL..., GET_INDEX, LOAD_FIELD. */
	FILTER_OP_GET_CONTEXT_ROOT = 79,     /* emitted */
	FILTER_OP_GET_APP_CONTEXT_ROOT = 80, /* emitted */
	FILTER_OP_GET_PAYLOAD_ROOT = 81,     /* emitted */
	FILTER_OP_GET_SYMBOL = 82,           /* emitted */
	FILTER_OP_GET_SYMBOL_FIELD = 83,
	FILTER_OP_GET_INDEX_U16 = 84,
	FILTER_OP_GET_INDEX_U64 = 85, /* emitted */
	FILTER_OP_LOAD_FIELD = 86,    /* emitted */
	FILTER_OP_LOAD_FIELD_S8 = 87,
	FILTER_OP_LOAD_FIELD_S16 = 88,
	FILTER_OP_LOAD_FIELD_S32 = 89,
	FILTER_OP_LOAD_FIELD_S64 = 90,
	FILTER_OP_LOAD_FIELD_U8 = 91,
	FILTER_OP_LOAD_FIELD_U16 = 92,
	FILTER_OP_LOAD_FIELD_U32 = 93,
	FILTER_OP_LOAD_FIELD_U64 = 94,
	FILTER_OP_LOAD_FIELD_STRING = 95,
	FILTER_OP_LOAD_FIELD_SEQUENCE = 96,
	FILTER_OP_LOAD_FIELD_DOUBLE = 97,

	FILTER_OP_UNARY_BIT_NOT = 98, /* emitted */
	FILTER_OP_RETURN_S64 = 99,

	_FILTER_OP_MAX,
};

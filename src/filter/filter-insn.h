/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Decoding one instruction of filter bytecode (filter-bytecode.h), shared
 * by the validator and the linker. Operands are unaligned, host order.
 */

#include <stdbool.h>
#include <stdint.h>

#include "filter/filter-bytecode.h"

struct filter_insn {
	uint8_t op;      /* enum filter_opcode */
	uint32_t size;   /* opcode + operands, bytes */
	union {
		uint16_t u16;    /* AND/OR target, field/context ref, GET_SYMBOL, GET_INDEX_U16 */
		uint64_t u64;    /* GET_INDEX_U64 */
		int64_t s64;     /* LOAD_S64 */
		double d;        /* LOAD_DOUBLE */
		const char *str; /* LOAD_STRING, LOAD_STAR_GLOB_STRING: inside the code */
	} u;
};

/* Whether a control side may send op (see filter_validate()). */
bool filter_insn_accepted(uint8_t op);

/*
 * Decodes the instruction at code[pc] (pc < code_len). Returns 0, or
 * -EINVAL with *ret_reason set when the opcode is not accepted or the
 * instruction does not fit in the code.
 */
int filter_insn_decode(const char *code, uint32_t code_len, uint32_t pc, struct filter_insn *ret,
                       const char **ret_reason);

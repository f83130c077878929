/* SPDX-License-Identifier: MIT */
#include "filter/filter-insn.h"

#include <errno.h>
#include <string.h>

/* Bytes of operands per accepted opcode; -1 for a NUL-terminated string. */
static int operand_size(uint8_t op)
{
	switch (op) {
	case FILTER_OP_AND:
	case FILTER_OP_OR:
	case FILTER_OP_LOAD_FIELD_REF:
	case FILTER_OP_GET_CONTEXT_REF:
	case FILTER_OP_GET_SYMBOL:
	case FILTER_OP_GET_INDEX_U16:
		return 2;
	case FILTER_OP_LOAD_S64:
	case FILTER_OP_LOAD_DOUBLE:
	case FILTER_OP_GET_INDEX_U64:
		return 8;
	case FILTER_OP_LOAD_STRING:
	case FILTER_OP_LOAD_STAR_GLOB_STRING:
		return -1;
	default:
		return 0;
	}
}

bool filter_insn_accepted(uint8_t op)
{
	switch (op) {
	case FILTER_OP_RETURN:
	case FILTER_OP_BIT_RSHIFT:
	case FILTER_OP_BIT_LSHIFT:
	case FILTER_OP_BIT_AND:
	case FILTER_OP_BIT_OR:
	case FILTER_OP_BIT_XOR:
	case FILTER_OP_EQ:
	case FILTER_OP_NE:
	case FILTER_OP_GT:
	case FILTER_OP_LT:
	case FILTER_OP_GE:
	case FILTER_OP_LE:
	case FILTER_OP_UNARY_PLUS:
	case FILTER_OP_UNARY_MINUS:
	case FILTER_OP_UNARY_NOT:
	case FILTER_OP_UNARY_BIT_NOT:
	case FILTER_OP_AND:
	case FILTER_OP_OR:
	case FILTER_OP_LOAD_FIELD_REF:
	case FILTER_OP_GET_CONTEXT_REF:
	case FILTER_OP_LOAD_STRING:
	case FILTER_OP_LOAD_STAR_GLOB_STRING:
	case FILTER_OP_LOAD_S64:
	case FILTER_OP_LOAD_DOUBLE:
	case FILTER_OP_CAST_TO_S64:
	case FILTER_OP_CAST_DOUBLE_TO_S64:
	case FILTER_OP_CAST_NOP:
	case FILTER_OP_GET_CONTEXT_ROOT:
	case FILTER_OP_GET_APP_CONTEXT_ROOT:
	case FILTER_OP_GET_PAYLOAD_ROOT:
	case FILTER_OP_GET_SYMBOL:
	case FILTER_OP_GET_INDEX_U16:
	case FILTER_OP_GET_INDEX_U64:
	case FILTER_OP_LOAD_FIELD:
		return true;
	default:
		return false;
	}
}

int filter_insn_decode(const char *code, uint32_t code_len, uint32_t pc, struct filter_insn *ret,
                       const char **ret_reason)
{
	uint8_t op = (uint8_t)code[pc];
	uint32_t avail = code_len - pc - 1;
	const char *operand = code + pc + 1;
	int n;

	if (!filter_insn_accepted(op)) {
		*ret_reason = op < _FILTER_OP_MAX ? "opcode not accepted from a control side"
		                                  : "unknown opcode";
		return -EINVAL;
	}
	ret->op = op;
	n = operand_size(op);
	if (n < 0) {
		const char *nul = memchr(operand, '\0', avail);

		if (!nul) {
			*ret_reason = "string literal not terminated inside the code";
			return -EINVAL;
		}
		ret->u.str = operand;
		ret->size = 1 + (uint32_t)(nul - operand) + 1;
		return 0;
	}
	if ((uint32_t)n > avail) {
		*ret_reason = "instruction truncated by the end of the code";
		return -EINVAL;
	}
	ret->size = 1 + (uint32_t)n;
	if (n == 2)
		memcpy(&ret->u.u16, operand, 2);
	else if (n == 8)
		memcpy(&ret->u.u64, operand, 8);
	return 0;
}

/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: the filter compiler on arbitrary text (the input up to
 * its first NUL). It must never crash, leak or read out of bounds, and
 * what it returns must hold together:
 *  - a refusal is -EINVAL or -E2BIG (or -ENOMEM) with a message and a
 *    position inside the expression;
 *  - a bytecode is deterministic, within the limits, its code decodes
 *    instruction by instruction exactly up to the relocation table and
 *    ends with RETURN, its jumps go forward inside the code, and its
 *    relocation table is well-formed and names what the code refers to.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "filter/filter-compile.h"

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond))                                                                       \
			abort();                                                                   \
	} while (0)

static uint16_t get_u16(const char *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* Bytes taken by the operands of an emitted instruction at code[pc], or -1. */
static long operand_size(const char *code, size_t pc, size_t code_len)
{
	const char *end;

	switch ((uint8_t)code[pc]) {
	case FILTER_OP_RETURN:
	case FILTER_OP_BIT_RSHIFT ... FILTER_OP_LE:
	case FILTER_OP_UNARY_MINUS:
	case FILTER_OP_UNARY_NOT:
	case FILTER_OP_UNARY_BIT_NOT:
	case FILTER_OP_CAST_TO_S64:
	case FILTER_OP_CAST_DOUBLE_TO_S64:
	case FILTER_OP_GET_CONTEXT_ROOT:
	case FILTER_OP_GET_APP_CONTEXT_ROOT:
	case FILTER_OP_GET_PAYLOAD_ROOT:
	case FILTER_OP_LOAD_FIELD:
		return 0;
	case FILTER_OP_AND:
	case FILTER_OP_OR:
	case FILTER_OP_LOAD_FIELD_REF:
	case FILTER_OP_GET_CONTEXT_REF:
	case FILTER_OP_GET_SYMBOL:
		return 2;
	case FILTER_OP_LOAD_S64:
	case FILTER_OP_LOAD_DOUBLE:
	case FILTER_OP_GET_INDEX_U64:
		return 8;
	case FILTER_OP_LOAD_STRING:
	case FILTER_OP_LOAD_STAR_GLOB_STRING:
		end = memchr(code + pc + 1, '\0', code_len - pc - 1);
		return end ? end - (code + pc) : -1;
	default:
		return -1; /* never emitted by the compiler */
	}
}

/* Offsets of the relocation entries; every entry NUL-terminated. */
static void check_relocations(const struct filter_bytecode *b, bool *is_reloc_target,
                              bool *is_symbol)
{
	const char *table = b->data + b->reloc_table_offset;
	size_t len = b->len - b->reloc_table_offset, i = 0;

	while (i < len) {
		const char *name;
		uint16_t at;

		CHECK(len - i >= 3);
		at = get_u16(table + i);
		CHECK(at < b->reloc_table_offset);
		is_reloc_target[at] = true;
		name = memchr(table + i + 2, '\0', len - i - 2);
		CHECK(name && name > table + i + 2);
		is_symbol[i + 2] = true;
		i = (size_t)(name - table) + 1;
	}
}

static void check_bytecode(const struct filter_bytecode *b)
{
	size_t code_len = b->reloc_table_offset, pc = 0, refs = 0, entries = 0;
	bool *is_reloc_target, *is_symbol, *is_insn;

	CHECK(b->len <= FILTER_BYTECODE_MAX_LEN);
	CHECK(code_len >= 1 && code_len <= b->len);
	CHECK(b->seqnum == 0);
	for (size_t i = 0; i < sizeof(b->padding); i++)
		CHECK(b->padding[i] == 0);
	is_reloc_target = calloc(code_len + 1, 1);
	is_symbol = calloc(b->len - code_len + 1, 1);
	is_insn = calloc(code_len + 1, 1);
	CHECK(is_reloc_target && is_symbol && is_insn);
	check_relocations(b, is_reloc_target, is_symbol);

	while (pc < code_len) {
		uint8_t op = (uint8_t)b->data[pc];
		long size = operand_size(b->data, pc, code_len);

		CHECK(size >= 0 && pc + 1 + (size_t)size <= code_len);
		is_insn[pc] = true;
		if (op == FILTER_OP_LOAD_FIELD_REF || op == FILTER_OP_GET_CONTEXT_REF) {
			CHECK(get_u16(b->data + pc + 1) == FILTER_FIELD_REF_UNLINKED);
			CHECK(is_reloc_target[pc]);
			refs++;
		} else if (op == FILTER_OP_GET_SYMBOL) {
			uint16_t sym = get_u16(b->data + pc + 1);

			CHECK(is_reloc_target[pc]);
			CHECK(sym < b->len - code_len && is_symbol[sym]);
			refs++;
		} else if (op == FILTER_OP_AND || op == FILTER_OP_OR) {
			CHECK(get_u16(b->data + pc + 1) > pc + 3);
			CHECK(get_u16(b->data + pc + 1) < code_len);
		}
		CHECK(op != FILTER_OP_RETURN || pc + 1 == code_len);
		pc += 1 + (size_t)size;
	}
	CHECK(pc == code_len);
	CHECK((uint8_t)b->data[code_len - 1] == FILTER_OP_RETURN);
	/* Jumps land on instruction boundaries; one relocation entry per reference. */
	for (pc = 0; pc < code_len; pc++) {
		uint8_t op = (uint8_t)b->data[pc];

		if (is_insn[pc] && (op == FILTER_OP_AND || op == FILTER_OP_OR))
			CHECK(is_insn[get_u16(b->data + pc + 1)]);
		if (is_reloc_target[pc])
			CHECK(is_insn[pc]);
	}
	for (size_t i = 0; i < b->len - code_len; i++)
		entries += is_symbol[i];
	CHECK(entries == refs);
	free(is_reloc_target);
	free(is_symbol);
	free(is_insn);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct filter_bytecode *b = NULL, *again = NULL;
	struct filter_error err;
	char *expr = malloc(size + 1);
	int r;

	CHECK(expr);
	memcpy(expr, data, size);
	expr[size] = '\0';
	memset(&err, 0, sizeof(err));
	r = filter_compile(expr, &b, &err);
	if (r == 0) {
		check_bytecode(b);
		CHECK(filter_compile(expr, &again, NULL) == 0);
		CHECK(again->len == b->len && memcmp(again->data, b->data, b->len) == 0);
	} else {
		CHECK(r == -EINVAL || r == -E2BIG || r == -ENOMEM);
		CHECK(!b);
		CHECK(err.offset <= strlen(expr));
		CHECK(err.line >= 1 && err.column >= 1);
		CHECK(memchr(err.message, '\0', sizeof(err.message)) && err.message[0]);
	}
	free(b);
	free(again);
	free(expr);
	return 0;
}

/* SPDX-License-Identifier: MIT */
/*
 * The tracer-side validator on hostile bytecode: each rejection reason,
 * from containers assembled by hand, and acceptance of everything the
 * control side compiles.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "filter/filter-bytecode.h"
#include "filter/filter-compile.h"
#include "filter/filter-validate.h"

/* A container being assembled: code, then the relocation table. */
struct asm_buf {
	uint8_t bytes[sizeof(struct filter_bytecode) + 4096];
	size_t code_len;
	size_t len; /* data bytes */
};

static void asm_init(struct asm_buf *a)
{
	memset(a, 0, sizeof(*a));
}

static void put(struct asm_buf *a, const void *p, size_t n)
{
	memcpy(a->bytes + sizeof(struct filter_bytecode) + a->len, p, n);
	a->len += n;
}

static void op(struct asm_buf *a, uint8_t opcode)
{
	put(a, &opcode, 1);
	a->code_len = a->len;
}

static void op_u16(struct asm_buf *a, uint8_t opcode, uint16_t v)
{
	put(a, &opcode, 1);
	put(a, &v, 2);
	a->code_len = a->len;
}

static void op_s64(struct asm_buf *a, int64_t v)
{
	uint8_t opcode = FILTER_OP_LOAD_S64;

	put(a, &opcode, 1);
	put(a, &v, 8);
	a->code_len = a->len;
}

static void op_str(struct asm_buf *a, uint8_t opcode, const char *s)
{
	put(a, &opcode, 1);
	put(a, s, strlen(s) + 1);
	a->code_len = a->len;
}

/* A relocation entry (after the code). */
static void reloc(struct asm_buf *a, uint16_t insn_off, const char *name)
{
	put(a, &insn_off, 2);
	put(a, name, strlen(name) + 1);
}

/* Writes the header; returns the container size. */
static size_t finish(struct asm_buf *a)
{
	struct filter_bytecode head = {.len = (uint32_t)a->len,
	                               .reloc_table_offset = (uint32_t)a->code_len};

	memcpy(a->bytes, &head, sizeof(head));
	return sizeof(head) + a->len;
}

static const char *rejected(const void *buf, size_t size)
{
	const char *reason = NULL;

	assert_int_equal(filter_validate(buf, size, NULL, &reason), -EINVAL);
	assert_non_null(reason);
	return reason;
}

static void expect_reason(struct asm_buf *a, const char *reason)
{
	size_t size = finish(a);

	assert_string_equal(rejected(a->bytes, size), reason);
}

static void test_container(void **state)
{
	struct asm_buf a;
	size_t size;
	struct filter_bytecode head;

	(void)state;
	asm_init(&a);
	op_s64(&a, 1);
	op(&a, FILTER_OP_RETURN);
	size = finish(&a);
	assert_int_equal(filter_validate(a.bytes, size, NULL, NULL), 0);

	assert_string_equal(rejected(a.bytes, 47), "shorter than the bytecode header");
	assert_string_equal(rejected(a.bytes, size - 1), "length does not match the bytes received");
	assert_string_equal(rejected(a.bytes, size + 1),
	                    "length does not match the bytes received");
	memcpy(&head, a.bytes, sizeof(head));
	head.len = 0;
	memcpy(a.bytes, &head, sizeof(head));
	assert_string_equal(rejected(a.bytes, sizeof(head)), "length zero or above the 64 KiB limit");
	head.len = FILTER_BYTECODE_MAX_LEN + 1;
	memcpy(a.bytes, &head, sizeof(head));
	assert_string_equal(rejected(a.bytes, size), "length zero or above the 64 KiB limit");
	head.len = (uint32_t)(size - sizeof(head));
	head.reloc_table_offset = head.len + 1;
	memcpy(a.bytes, &head, sizeof(head));
	assert_string_equal(rejected(a.bytes, size), "relocation table offset outside the bytecode");
	head.reloc_table_offset = 0;
	memcpy(a.bytes, &head, sizeof(head));
	assert_string_equal(rejected(a.bytes, size), "relocation table offset outside the bytecode");
}

static void test_instructions(void **state)
{
	struct asm_buf a;

	(void)state;
	asm_init(&a);
	op(&a, 0xEE);
	expect_reason(&a, "unknown opcode");

	asm_init(&a);
	op_s64(&a, 1);
	op(&a, FILTER_OP_LOAD_FIELD_S64); /* specialized: carries internal offsets */
	op(&a, FILTER_OP_RETURN);
	expect_reason(&a, "opcode not accepted from a control side");

	asm_init(&a);
	op_s64(&a, 1);
	op_s64(&a, 1);
	op(&a, FILTER_OP_PLUS);
	op(&a, FILTER_OP_RETURN);
	expect_reason(&a, "opcode not accepted from a control side");

	asm_init(&a);
	op_s64(&a, 1);
	a.len -= 3; /* LOAD_S64 cut short */
	a.code_len = a.len;
	expect_reason(&a, "instruction truncated by the end of the code");

	asm_init(&a);
	put(&a, (uint8_t[]){FILTER_OP_LOAD_STRING, 'a', 'b'}, 3);
	a.code_len = a.len;
	expect_reason(&a, "string literal not terminated inside the code");

	asm_init(&a);
	op_s64(&a, 1);
	expect_reason(&a, "code does not end with RETURN");

	asm_init(&a);
	op_s64(&a, 1);
	op(&a, FILTER_OP_RETURN);
	op_s64(&a, 1);
	op(&a, FILTER_OP_RETURN);
	expect_reason(&a, "RETURN before the end of the code");

	asm_init(&a);
	op_s64(&a, 1);
	op_s64(&a, 1);
	op(&a, FILTER_OP_RETURN);
	expect_reason(&a, "RETURN without exactly one value on the stack");

	asm_init(&a);
	op_str(&a, FILTER_OP_LOAD_STRING, "x");
	op(&a, FILTER_OP_RETURN);
	expect_reason(&a, "RETURN of a string or a field path");
}

static void test_stack(void **state)
{
	struct asm_buf a;

	(void)state;
	asm_init(&a);
	op(&a, FILTER_OP_EQ);
	op(&a, FILTER_OP_RETURN);
	expect_reason(&a, "stack underflow");

	asm_init(&a);
	for (int i = 0; i <= FILTER_STACK_MAX; i++)
		op_s64(&a, i);
	op(&a, FILTER_OP_RETURN);
	expect_reason(&a, "stack deeper than the interpreter allows");

	asm_init(&a);
	op_str(&a, FILTER_OP_LOAD_STRING, "x");
	op_s64(&a, 1);
	op(&a, FILTER_OP_EQ);
	op(&a, FILTER_OP_RETURN);
	expect_reason(&a, "comparison of a string with a number");

	asm_init(&a);
	op_str(&a, FILTER_OP_LOAD_STAR_GLOB_STRING, "*x*");
	op_str(&a, FILTER_OP_LOAD_STAR_GLOB_STRING, "*y*");
	op(&a, FILTER_OP_EQ);
	op(&a, FILTER_OP_RETURN);
	expect_reason(&a, "comparison of two glob patterns");

	asm_init(&a);
	op_str(&a, FILTER_OP_LOAD_STAR_GLOB_STRING, "*x*");
	op_str(&a, FILTER_OP_LOAD_STRING, "y");
	op(&a, FILTER_OP_LT);
	op(&a, FILTER_OP_RETURN);
	expect_reason(&a, "glob pattern with an ordering comparison");

	asm_init(&a);
	op_str(&a, FILTER_OP_LOAD_STRING, "x");
	op_s64(&a, 1);
	op(&a, FILTER_OP_BIT_AND);
	op(&a, FILTER_OP_RETURN);
	expect_reason(&a, "bitwise operator on a non-integer");

	asm_init(&a);
	op_str(&a, FILTER_OP_LOAD_STRING, "x");
	op(&a, FILTER_OP_UNARY_NOT);
	op(&a, FILTER_OP_RETURN);
	expect_reason(&a, "unary operator on a string or a field path");

	asm_init(&a);
	op_str(&a, FILTER_OP_LOAD_STRING, "x");
	op(&a, FILTER_OP_CAST_TO_S64);
	op(&a, FILTER_OP_RETURN);
	expect_reason(&a, "cast of a string or a field path");

	asm_init(&a);
	op_s64(&a, 1);
	op(&a, FILTER_OP_CAST_DOUBLE_TO_S64);
	op(&a, FILTER_OP_RETURN);
	expect_reason(&a, "double cast of a non-double");

	asm_init(&a);
	op(&a, FILTER_OP_GET_PAYLOAD_ROOT);
	op_s64(&a, 1);
	op(&a, FILTER_OP_EQ);
	op(&a, FILTER_OP_RETURN);
	expect_reason(&a, "comparison of an incomplete field path");

	asm_init(&a);
	op_s64(&a, 1);
	op(&a, FILTER_OP_LOAD_FIELD);
	op(&a, FILTER_OP_RETURN);
	expect_reason(&a, "field path step on a value");
}

static void test_jumps(void **state)
{
	struct asm_buf a;

	(void)state;
	/* 0: LOAD_S64 1, 9: AND -> 0, 12: LOAD_S64 1, 21: RETURN */
	asm_init(&a);
	op_s64(&a, 1);
	op_u16(&a, FILTER_OP_AND, 0);
	op_s64(&a, 1);
	op(&a, FILTER_OP_RETURN);
	expect_reason(&a, "jump not forward inside the code");

	asm_init(&a);
	op_s64(&a, 1);
	op_u16(&a, FILTER_OP_OR, 200);
	op_s64(&a, 1);
	op(&a, FILTER_OP_RETURN);
	expect_reason(&a, "jump not forward inside the code");

	asm_init(&a);
	op_s64(&a, 1);
	op_u16(&a, FILTER_OP_AND, 13); /* inside the next LOAD_S64 */
	op_s64(&a, 1);
	op(&a, FILTER_OP_RETURN);
	expect_reason(&a, "jump into the middle of an instruction");

	/* The jump carries 1 value to RETURN, the fall-through 2. */
	asm_init(&a);
	op_s64(&a, 1);
	op_u16(&a, FILTER_OP_AND, 30);
	op_s64(&a, 1);
	op_s64(&a, 2);
	op(&a, FILTER_OP_RETURN);
	expect_reason(&a, "paths meet with different stacks");

	asm_init(&a);
	op_str(&a, FILTER_OP_LOAD_STRING, "x");
	op_u16(&a, FILTER_OP_AND, 8);
	op_s64(&a, 1);
	op(&a, FILTER_OP_RETURN);
	expect_reason(&a, "logical operator on a non-integer");
}

static void test_relocations(void **state)
{
	struct asm_buf a;

	(void)state;
	asm_init(&a);
	op_u16(&a, FILTER_OP_LOAD_FIELD_REF, FILTER_FIELD_REF_UNLINKED);
	op(&a, FILTER_OP_RETURN);
	expect_reason(&a, "field reference without relocation");

	asm_init(&a);
	op_u16(&a, FILTER_OP_LOAD_FIELD_REF, 3);
	op(&a, FILTER_OP_RETURN);
	reloc(&a, 0, "x");
	expect_reason(&a, "field reference already linked");

	asm_init(&a);
	op_u16(&a, FILTER_OP_LOAD_FIELD_REF, FILTER_FIELD_REF_UNLINKED);
	op(&a, FILTER_OP_RETURN);
	reloc(&a, 1, "x");
	expect_reason(&a, "relocation not at the start of an instruction");

	asm_init(&a);
	op_u16(&a, FILTER_OP_LOAD_FIELD_REF, FILTER_FIELD_REF_UNLINKED);
	op(&a, FILTER_OP_RETURN);
	reloc(&a, 3, "x");
	expect_reason(&a, "relocation of an instruction that takes none");

	asm_init(&a);
	op_u16(&a, FILTER_OP_LOAD_FIELD_REF, FILTER_FIELD_REF_UNLINKED);
	op(&a, FILTER_OP_RETURN);
	reloc(&a, 0, "x");
	reloc(&a, 0, "y");
	expect_reason(&a, "two relocations for one instruction");

	asm_init(&a);
	op_u16(&a, FILTER_OP_LOAD_FIELD_REF, FILTER_FIELD_REF_UNLINKED);
	op(&a, FILTER_OP_RETURN);
	reloc(&a, 0, "");
	expect_reason(&a, "empty relocation name");

	asm_init(&a);
	op_u16(&a, FILTER_OP_LOAD_FIELD_REF, FILTER_FIELD_REF_UNLINKED);
	op(&a, FILTER_OP_RETURN);
	put(&a, (uint8_t[]){0, 0, 'x'}, 3);
	expect_reason(&a, "relocation name not terminated");

	asm_init(&a);
	op_u16(&a, FILTER_OP_LOAD_FIELD_REF, FILTER_FIELD_REF_UNLINKED);
	op(&a, FILTER_OP_RETURN);
	put(&a, (uint8_t[]){0}, 1);
	expect_reason(&a, "relocation entry truncated");

	asm_init(&a);
	op_u16(&a, FILTER_OP_LOAD_FIELD_REF, FILTER_FIELD_REF_UNLINKED);
	op(&a, FILTER_OP_RETURN);
	reloc(&a, 0, "$ctx.vpid");
	expect_reason(&a, "field relocation names a context");

	asm_init(&a);
	op_u16(&a, FILTER_OP_GET_CONTEXT_REF, FILTER_FIELD_REF_UNLINKED);
	op(&a, FILTER_OP_RETURN);
	reloc(&a, 0, "vpid");
	expect_reason(&a, "context relocation does not name a context");

	/* GET_SYMBOL's operand points past the table. */
	asm_init(&a);
	op(&a, FILTER_OP_GET_PAYLOAD_ROOT);
	op_u16(&a, FILTER_OP_GET_SYMBOL, 40);
	op(&a, FILTER_OP_LOAD_FIELD);
	op(&a, FILTER_OP_RETURN);
	reloc(&a, 1, "arr");
	expect_reason(&a, "symbol name outside the relocation table");
}

/* Everything the compiler produces passes, with its depth computed. */
static void test_compiled_accepted(void **state)
{
	static const char *const exprs[] = {
	    "a == 1",
	    "a > 1 && b < 2 || c == 3",
	    "s == \"x*\" && t == \"*y*\"",
	    "arr[2] == 3 && $ctx.vpid == 1 || $app.p:c == 2",
	    "~a != -1.5",
	    "!(a & 1) && (b >> 2 | c << 1) ^ 3",
	    "a == (b == (c == (d == (e == 1))))",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(exprs) / sizeof(exprs[0]); i++) {
		struct filter_bytecode *bc = NULL;
		struct filter_validate_info info;
		const char *reason = NULL;

		assert_int_equal(filter_compile(exprs[i], &bc, NULL), 0);
		if (filter_validate(bc, filter_bytecode_size(bc), &info, &reason) != 0)
			fail_msg("%s: %s", exprs[i], reason);
		assert_true(info.max_depth >= 1 && info.max_depth <= FILTER_STACK_MAX);
		assert_int_equal(info.code_len, bc->reloc_table_offset);
		free(bc);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_container),   cmocka_unit_test(test_instructions),
	    cmocka_unit_test(test_stack),       cmocka_unit_test(test_jumps),
	    cmocka_unit_test(test_relocations), cmocka_unit_test(test_compiled_accepted),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

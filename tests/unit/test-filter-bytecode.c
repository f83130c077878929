/* SPDX-License-Identifier: MIT */
/*
 * The bytecode of the filter compiler, byte for byte against lttng 2.13:
 * the dumps of reference/ust-registration.md section 2, the expressions
 * captured from the real lttng CLI (test-filter-lttng-cases.h), the
 * container and its limits.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "filter/filter-compile.h"
#include "test-filter-lttng-cases.h"
#include "test-filter-util.h"

static void test_container_layout(void **state)
{
	assert_int_equal(sizeof(struct filter_bytecode), 48);
	assert_int_equal(offsetof(struct filter_bytecode, len), 0);
	assert_int_equal(offsetof(struct filter_bytecode, reloc_table_offset), 4);
	assert_int_equal(offsetof(struct filter_bytecode, seqnum), 8);
	assert_int_equal(offsetof(struct filter_bytecode, padding), 16);
	assert_int_equal(offsetof(struct filter_bytecode, data), 48);
}

/* The numbers of lttng 2.13's enum bytecode_op, as the reference lists them. */
static void test_opcode_numbers(void **state)
{
	static const struct {
		enum filter_opcode op;
		int number;
	} ops[] = {
	    {FILTER_OP_UNKNOWN, 0},
	    {FILTER_OP_RETURN, 1},
	    {FILTER_OP_MUL, 2},
	    {FILTER_OP_MINUS, 6},
	    {FILTER_OP_BIT_RSHIFT, 7},
	    {FILTER_OP_BIT_XOR, 11},
	    {FILTER_OP_EQ, 12},
	    {FILTER_OP_LE, 17},
	    {FILTER_OP_EQ_STRING, 18},
	    {FILTER_OP_EQ_S64, 24},
	    {FILTER_OP_EQ_DOUBLE, 30},
	    {FILTER_OP_EQ_DOUBLE_S64, 36},
	    {FILTER_OP_EQ_S64_DOUBLE, 42},
	    {FILTER_OP_LE_S64_DOUBLE, 47},
	    {FILTER_OP_UNARY_PLUS, 48},
	    {FILTER_OP_UNARY_NOT_DOUBLE, 56},
	    {FILTER_OP_AND, 57},
	    {FILTER_OP_OR, 58},
	    {FILTER_OP_LOAD_FIELD_REF, 59},
	    {FILTER_OP_LOAD_FIELD_REF_DOUBLE, 63},
	    {FILTER_OP_LOAD_STRING, 64},
	    {FILTER_OP_LOAD_S64, 65},
	    {FILTER_OP_LOAD_DOUBLE, 66},
	    {FILTER_OP_CAST_TO_S64, 67},
	    {FILTER_OP_CAST_DOUBLE_TO_S64, 68},
	    {FILTER_OP_CAST_NOP, 69},
	    {FILTER_OP_GET_CONTEXT_REF, 70},
	    {FILTER_OP_GET_CONTEXT_REF_DOUBLE, 73},
	    {FILTER_OP_LOAD_FIELD_REF_USER_STRING, 74},
	    {FILTER_OP_LOAD_FIELD_REF_USER_SEQUENCE, 75},
	    {FILTER_OP_LOAD_STAR_GLOB_STRING, 76},
	    {FILTER_OP_NE_STAR_GLOB_STRING, 78},
	    {FILTER_OP_GET_CONTEXT_ROOT, 79},
	    {FILTER_OP_GET_APP_CONTEXT_ROOT, 80},
	    {FILTER_OP_GET_PAYLOAD_ROOT, 81},
	    {FILTER_OP_GET_SYMBOL, 82},
	    {FILTER_OP_GET_SYMBOL_FIELD, 83},
	    {FILTER_OP_GET_INDEX_U16, 84},
	    {FILTER_OP_GET_INDEX_U64, 85},
	    {FILTER_OP_LOAD_FIELD, 86},
	    {FILTER_OP_LOAD_FIELD_S8, 87},
	    {FILTER_OP_LOAD_FIELD_DOUBLE, 97},
	    {FILTER_OP_UNARY_BIT_NOT, 98},
	    {FILTER_OP_RETURN_S64, 99},
	    {_FILTER_OP_MAX, 100},
	};

	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		assert_int_equal(ops[i].op, ops[i].number);
}

/* The dumps of reference/ust-registration.md section 2. */
static void test_reference_dumps(void **state)
{
	/* (v & 1) == 1: bitwise binds tighter than comparison. */
	filter_expect_bytes("v & 1 == 1", 24,
	                    "3bffff"             /*  0: LOAD_FIELD_REF 0xffff */
	                    "410100000000000000" /*  3: LOAD_S64 1 */
	                    "09"                 /* 12: BIT_AND */
	                    "410100000000000000" /* 13: LOAD_S64 1 */
	                    "0c"                 /* 22: EQ */
	                    "01"                 /* 23: RETURN */
	                    "00007600");         /* reloc: 0 "v" */
	filter_expect_bytes("strfield == \"*ell*\" && !(v > 3)", 29,
	                    "3bffff"                 /*  0: LOAD_FIELD_REF */
	                    "4c2a656c6c2a00"         /*  3: LOAD_STAR_GLOB_STRING "*ell*" */
	                    "0c"                     /* 10: EQ */
	                    "391c00"                 /* 11: AND, skip to 28 */
	                    "3bffff"                 /* 14: LOAD_FIELD_REF */
	                    "410300000000000000"     /* 17: LOAD_S64 3 */
	                    "0e"                     /* 26: GT */
	                    "32"                     /* 27: UNARY_NOT */
	                    "01"                     /* 28: RETURN */
	                    "00007374726669656c6400" /* reloc: 0 "strfield" */
	                    "0e007600");             /*        14 "v" */
	filter_expect_bytes("arrfield[1] == 2", 25,
	                    "51"                       /*  0: GET_PAYLOAD_ROOT */
	                    "520200"                   /*  1: GET_SYMBOL, reloc table offset 2 */
	                    "550100000000000000"       /*  4: GET_INDEX_U64 1 */
	                    "56"                       /* 13: LOAD_FIELD */
	                    "410200000000000000"       /* 14: LOAD_S64 2 */
	                    "0c"                       /* 23: EQ */
	                    "01"                       /* 24: RETURN */
	                    "01006172726669656c6400"); /* reloc: 1 "arrfield" */
	filter_expect_bytes("~v != -1.5", 16,
	                    "3bffff"             /*  0: LOAD_FIELD_REF */
	                    "62"                 /*  3: UNARY_BIT_NOT */
	                    "42000000000000f83f" /*  4: LOAD_DOUBLE 1.5 */
	                    "31"                 /* 13: UNARY_MINUS */
	                    "0d"                 /* 14: NE */
	                    "01"                 /* 15: RETURN */
	                    "00007600");
	filter_expect_bytes(
	    "intfield > 2 && strfield == \"hel*\" || $ctx.vpid == 5 || $app.myprov:ctx == 3", 59,
	    "3bffff"                                 /*  0: LOAD_FIELD_REF intfield */
	    "410200000000000000"                     /*  3: LOAD_S64 2 */
	    "0e"                                     /* 12: GT */
	    "391a00"                                 /* 13: AND, skip to 26 */
	    "3bffff"                                 /* 16: LOAD_FIELD_REF strfield */
	    "4068656c2a00"                           /* 19: LOAD_STRING "hel*" (star at end) */
	    "0c"                                     /* 25: EQ */
	    "3a2a00"                                 /* 26: OR, skip to 42 */
	    "46ffff"                                 /* 29: GET_CONTEXT_REF $ctx.vpid */
	    "410500000000000000"                     /* 32: LOAD_S64 5 */
	    "0c"                                     /* 41: EQ */
	    "3a3a00"                                 /* 42: OR, skip to 58 */
	    "46ffff"                                 /* 45: GET_CONTEXT_REF $app.myprov:ctx */
	    "410300000000000000"                     /* 48: LOAD_S64 3 */
	    "0c"                                     /* 57: EQ */
	    "01"                                     /* 58: RETURN */
	    "0000696e746669656c6400"                 /* reloc: 0 "intfield" */
	    "10007374726669656c6400"                 /*        16 "strfield" */
	    "1d00246374782e7670696400"               /*        29 "$ctx.vpid" */
	    "2d00246170702e6d7970726f763a63747800"); /*        45 "$app.myprov:ctx" */
}

static void test_lttng_captures(void **state)
{
	for (size_t i = 0; i < sizeof(lttng_accepted) / sizeof(lttng_accepted[0]); i++)
		filter_expect_case(&lttng_accepted[i]);
}

/* Each segment of an indexed path has its GET_SYMBOL and relocation entry. */
static void test_indexed_path_symbols(void **state)
{
	filter_expect_bytes("a.b.c[1].d.e[2] == 1", 46,
	                    "51"                 /*  0: GET_PAYLOAD_ROOT */
	                    "520200"             /*  1: GET_SYMBOL "a" (reloc entry 0, + 2) */
	                    "520600"             /*  4: GET_SYMBOL "b" (entry 4, + 2) */
	                    "520a00"             /*  7: GET_SYMBOL "c" */
	                    "550100000000000000" /* 10: GET_INDEX_U64 1 */
	                    "520e00"             /* 19: GET_SYMBOL "d" */
	                    "521200"             /* 22: GET_SYMBOL "e" */
	                    "550200000000000000" /* 25: GET_INDEX_U64 2 */
	                    "56"                 /* 34: LOAD_FIELD */
	                    "410100000000000000" /* 35: LOAD_S64 1 */
	                    "0c"                 /* 44: EQ */
	                    "01"                 /* 45: RETURN */
	                    "01006100"
	                    "04006200"
	                    "07006300"
	                    "13006400"
	                    "16006500");
	/* $ctx and $app are roots, not symbols; their own brackets are ignored. */
	filter_expect_bytes("$ctx.vpid[1] == 1", 25,
	                    "4f"
	                    "520200"
	                    "550100000000000000"
	                    "56"
	                    "410100000000000000"
	                    "0c01"
	                    "01007670696400");
	filter_expect_bytes("$app.p:c.d[1] == 1", 28,
	                    "50"
	                    "520200"
	                    "520800"
	                    "550100000000000000"
	                    "56"
	                    "410100000000000000"
	                    "0c01"
	                    "0100703a6300"
	                    "04006400");
	filter_expect_bytes("$ctx[1].vpid == 1", 14,
	                    "46ffff"
	                    "410100000000000000"
	                    "0c01"
	                    "0000246374782e7670696400");
	/* Only the first index of a segment counts, as in lttng. */
	filter_expect_bytes("a[5][1] == 1", 25,
	                    "51"
	                    "520200"
	                    "550500000000000000"
	                    "56"
	                    "410100000000000000"
	                    "0c01"
	                    "01006100");
	filter_expect_bytes("a[1][i] == 1", 25,
	                    "51"
	                    "520200"
	                    "550100000000000000"
	                    "56"
	                    "410100000000000000"
	                    "0c01"
	                    "01006100");
}

/* && and || jump to the absolute offset just past their right operand. */
static void test_logical_jumps_and_casts(void **state)
{
	filter_expect_bytes("(a && b) || (c && d)", 26,
	                    "3bffff43"
	                    "390b00" /*  0: a, CAST_TO_S64;  4: AND -> 11 */
	                    "3bffff43"
	                    "3a1900" /*  7: b, CAST_TO_S64; 11: OR -> 25 */
	                    "3bffff43"
	                    "391900" /* 14: c, CAST_TO_S64; 18: AND -> 25 */
	                    "3bffff43"
	                    "01" /* 21: d, CAST_TO_S64; 25: RETURN */
	                    "00006100"
	                    "07006200"
	                    "0e006300"
	                    "15006400");
	/* Comparisons and integer literals need no cast, floats a double one. */
	filter_expect_bytes("a && (b == 1)", 21,
	                    "3bffff43"
	                    "391400"
	                    "3bffff"
	                    "410100000000000000"
	                    "0c"
	                    "01"
	                    "00006100"
	                    "07006200");
	filter_expect_bytes("1.5 && 1.5", 24,
	                    "42000000000000f83f"
	                    "44"
	                    "391700"
	                    "42000000000000f83f"
	                    "44"
	                    "01");
	filter_expect_bytes("1 || 2", 22,
	                    "410100000000000000"
	                    "3a1500"
	                    "410200000000000000"
	                    "01");
	/* A unary operator keeps its operand's type. */
	filter_expect_bytes("a && -b", 13,
	                    "3bffff43"
	                    "390c00"
	                    "3bffff"
	                    "31"
	                    "43"
	                    "01"
	                    "00006100"
	                    "07006200");
	filter_expect_bytes("a && ~1.5", 19,
	                    "3bffff43"
	                    "391200"
	                    "42000000000000f83f"
	                    "62"
	                    "44"
	                    "01"
	                    "00006100");
}

/* Expression and bytecode limits: 65535 characters, 65536 bytes of data. */
static void test_limits(void **state)
{
	size_t len = FILTER_EXPRESSION_MAX_LEN + 1;
	char *expr = malloc(len + 1);
	struct filter_bytecode *b = NULL;
	struct filter_error err = {0};

	assert_non_null(expr);
	/* "a" and spaces: the longest expression lttng accepts. */
	memset(expr, ' ', len);
	expr[0] = 'a';
	expr[len - 1] = '\0';
	filter_expect_bytes(expr, 4, "3bffff0100006100");
	expr[len - 1] = ' ';
	expr[len] = '\0';
	assert_int_equal(filter_compile(expr, &b, &err), -E2BIG);
	assert_null(b);
	assert_non_null(strstr(err.message, "too long"));

	/* a == "x...": 3 + 1 + n + 1 + 1 + 1 code bytes, 4 of relocation. */
	strcpy(expr, "a == \"");
	memset(expr + 6, 'x', 65525);
	strcpy(expr + 6 + 65525, "\"");
	assert_int_equal(filter_compile(expr, &b, &err), 0);
	assert_int_equal(b->len, FILTER_BYTECODE_MAX_LEN);
	assert_int_equal(b->reloc_table_offset, FILTER_BYTECODE_MAX_LEN - 4);
	free(b);
	b = NULL;
	memset(expr + 6, 'x', 65526);
	strcpy(expr + 6 + 65526, "\"");
	assert_int_equal(filter_compile(expr, &b, &err), -E2BIG);
	assert_null(b);
	assert_non_null(strstr(err.message, "65536"));
	free(expr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_container_layout),
	    cmocka_unit_test(test_opcode_numbers),
	    cmocka_unit_test(test_reference_dumps),
	    cmocka_unit_test(test_lttng_captures),
	    cmocka_unit_test(test_indexed_path_symbols),
	    cmocka_unit_test(test_logical_jumps_and_casts),
	    cmocka_unit_test(test_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

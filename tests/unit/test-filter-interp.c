/* SPDX-License-Identifier: MIT */
/*
 * Filter linker and interpreter: expressions compiled by the control side,
 * linked against one event with a field of every type, run on its values.
 * The expected verdicts are lttng-ust 2.13's: 1 = recorded, 0 = not
 * recorded (rejected or an error while running), -1 = refused at link
 * (never recorded).
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
#include "filter/filter-interp.h"
#include "test-filter-event.h"

static const uint16_t arr16[3] = {1, 0xfffe, 3};
static const int32_t seq32[2] = {-5, 7};
static const uint16_t net16[1] = {0x0201}; /* big-endian 0x0102 on x86 */

static union ringtrace_filter_value values[F_NR];

static void values_reset(void)
{
	memset(values, 0, sizeof(values));
	values[F_S8].s64 = -3;
	values[F_S64].s64 = -1000000000000;
	values[F_U64].s64 = (int64_t)UINT64_MAX; /* compares as -1, as lttng-ust's */
	values[F_U32].s64 = 4000000000;
	values[F_ENUM].s64 = 1;
	values[F_DOUBLE].d = 2.5;
	values[F_FLOAT].d = 0.5;
	values[F_STR].str = "hello*world";
	values[F_TEXTARR].seq.ptr = "abcdefgh"; /* no NUL in its 8 bytes */
	values[F_TEXTARR].seq.len = 8;
	values[F_TEXTSEQ].seq.ptr = "xyzXYZ";
	values[F_TEXTSEQ].seq.len = 3;
	values[F_ARR16].seq.ptr = arr16;
	values[F_ARR16].seq.len = 3;
	values[F_SEQ32].seq.ptr = seq32;
	values[F_SEQ32].seq.len = 2;
	values[F_NET16].seq.ptr = net16;
	values[F_NET16].seq.len = 1;
	ctx_vpid_value = 4242;
	ctx_procname_value = "worker-3";
	ctx_ratio_value = 0.25;
}

/*
 * Application contexts: "$app.prov:a" and "$app.prov:b" read app_a / app_b
 * (app_*_ok false: unreadable, as without provider); "$app.gone:x" cannot
 * be resolved here.
 */
static const int app_a_handle = 1, app_b_handle = 2;
static struct filter_ctx_value app_a, app_b;
static bool app_a_ok, app_b_ok;

static int app_resolve(const char *name, const void **ret_handle)
{
	if (strcmp(name, "$app.prov:a") == 0)
		*ret_handle = &app_a_handle;
	else if (strcmp(name, "$app.prov:b") == 0)
		*ret_handle = &app_b_handle;
	else
		return -ENOENT;
	return 0;
}

static int app_get(const void *handle, struct filter_ctx_value *ret)
{
	bool ok = handle == &app_a_handle ? app_a_ok : app_b_ok;

	if (!ok)
		return -EINVAL;
	*ret = handle == &app_a_handle ? app_a : app_b;
	return 0;
}

static const struct filter_ctx_ops ctx_ops = {ctx_resolve, ctx_get, app_resolve, app_get};

/* 1 recorded, 0 not, -1 refused at link. */
static int verdict(const char *expr)
{
	struct filter_bytecode *bc = NULL;
	struct filter_program *prog = NULL;
	const char *reason = NULL;
	int r;

	r = filter_compile(expr, &bc, NULL);
	if (r < 0)
		fail_msg("does not compile: %s", expr);
	r = filter_link(bc, filter_bytecode_size(bc), fields, F_NR, &ctx_ops, &prog, &reason);
	free(bc);
	if (r < 0) {
		assert_non_null(reason);
		return -1;
	}
	r = filter_program_run(prog, values) ? 1 : 0;
	filter_program_free(prog);
	return r;
}

struct expect {
	const char *expr;
	int verdict;
};

static void expect_all(const struct expect *cases, size_t n)
{
	values_reset();
	for (size_t i = 0; i < n; i++) {
		int v = verdict(cases[i].expr);

		if (v != cases[i].verdict)
			fail_msg("%s: got %d, expected %d", cases[i].expr, v, cases[i].verdict);
	}
}

#define EXPECT_ALL(cases) expect_all(cases, sizeof(cases) / sizeof(cases[0]))

static void test_integers(void **state)
{
	static const struct expect cases[] = {
	    {"s8 == -3", 1},
	    {"s8 < 0", 1},
	    {"s8 != -3", 0},
	    {"s64 < -999999999999", 1},
	    {"s64 >= -1000000000000", 1},
	    {"s64 > -1000000000000", 0},
	    {"u64 == -1", 1}, /* 64-bit unsigned compares as signed */
	    {"u64 > 0", 0},
	    {"u64 == 0xffffffffffffffff", 1},
	    {"u32 == 4000000000", 1},
	    {"u32 > 3999999999 && u32 <= 4000000000", 1},
	    {"color == 1", 1},
	    {"color == 0", 0},
	    {"s8", 1},
	    {"!s8", 0},
	    {"-s8 == 3", 1},
	    {"+s8 == -3", 1},
	    {"0x10 == 16 && 010 == 8", 1},
	};

	(void)state;
	EXPECT_ALL(cases);
}

static void test_doubles(void **state)
{
	static const struct expect cases[] = {
	    {"dbl == 2.5", 1},
	    {"dbl > 2", 1},
	    {"dbl < 2", 0},
	    {"2 < dbl", 1},
	    {"flt == 0.5", 1},
	    {"flt == .5", 1},
	    {"dbl >= 2.5", 1},
	    {"-dbl == -2.5", 1},
	    {"!dbl", 0},
	    {"dbl && 1", 1},
	    {"dbl == 2", 0},
	    {"1.5 < 2", 1},
	    {"flt || 0", 0} /* the cast truncates 0.5 */,
	};

	(void)state;
	EXPECT_ALL(cases);
}

static void test_strings(void **state)
{
	static const struct expect cases[] = {
	    {"str == \"hello*world\"", 1}, /* '*' in a plain literal matches the rest */
	    {"str == \"hello*\"", 1},
	    {"str == \"hello\\*world\"", 1}, /* "\*" is a literal star */
	    {"str == \"hello\\*x\"", 0},
	    {"str == \"hello\\\\*\"", 0}, /* an escaped backslash, then a star */
	    {"str == \"hello\"", 0},
	    {"str != \"hello\"", 1},
	    {"str == \"*\"", 1},
	    {"str == \"h*o*d\"", 1}, /* full glob */
	    {"str == \"*world\"", 1},
	    {"str == \"*word\"", 0},
	    {"str != \"*world\"", 0},
	    {"\"*lo*\" == str", 1},
	    {"str > \"hello\"", 1},
	    {"str < \"i\"", 1},
	    {"str >= \"hello\"", 1},
	    {"str <= \"hello\"", 0},
	    {"str == 'hello*world'", 1},
	    {"str", 0}, /* a string verdict is an error */
	    {"str == 1", -1},
	    {"str && 1", -1},
	    {"str & 1", -1},
	};

	(void)state;
	EXPECT_ALL(cases);
}

static void test_text_arrays_sequences(void **state)
{
	static const struct expect cases[] = {
	    {"textarr == \"abcdefgh\"", 1}, /* bounded by the array length, no NUL needed */
	    {"textarr == \"abcdefghi\"", 0},
	    {"textarr == \"abc*\"", 1},
	    {"textarr == \"*fgh\"", 1},
	    {"textseq == \"xyz\"", 1}, /* bounded by the sequence length */
	    {"textseq == \"xyzX\"", 0},
	    {"textseq == \"*z\"", 1},
	    {"_textseq_length == 3", -1}, /* a sequence length is not filterable */
	    {"textarr[0] == 97", -1},     /* text is not indexable */
	};

	(void)state;
	EXPECT_ALL(cases);
}

static void test_indexes(void **state)
{
	static const struct expect cases[] = {
	    {"arr16[0] == 1", 1},
	    {"arr16[1] == 65534", 1},
	    {"arr16[2] == 3 && arr16[0] == 1", 1},
	    {"arr16[3] == 0", -1}, /* past the end of an array: link */
	    {"seq32[0] == -5", 1},
	    {"seq32[1] > 6", 1},
	    {"seq32[2] == 0", 0}, /* past the end of a sequence: run-time error */
	    {"seq32[2] == 0 || 1", 0},
	    {"1 || seq32[2] == 0", 1}, /* short-circuit: never evaluated */
	    {"net16[0] == 0x102", 1},  /* network order read as a value */
	    {"arr16 == 1", -1},        /* an integer array is not a value */
	    {"s8[0] == 1", -1},
	    {"nosuch[0] == 1", -1},
	    {"arr16[1] && 1", 0}, /* lttng-ust 2.13 refuses to cast an unsigned element */
	    {"seq32[0] && 1", 1},
	};

	(void)state;
	EXPECT_ALL(cases);
}

static void test_bitwise(void **state)
{
	static const struct expect cases[] = {
	    {"(s8 & 1) == 1", 1},
	    {"s8 & 1 == 1", 1},
	    {"(u32 >> 31) == 1", 1},
	    {"(1 << 63) < 0", 1},
	    {"(1 << 64) == 0", 0},
	    {"(1 << -1) == 0", 0},
	    {"(5 | 2) == 7", 1},
	    {"(5 ^ 1) == 4", 1},
	    {"~0 == -1", 1},
	    {"~s8 == 2", 1},
	    {"(1 << 64) == 0 || 1", 0},
	    {"1 || (1 << 64) == 0", 1},
	    {"dbl & 1", -1},
	    {"~dbl", -1},
	};

	(void)state;
	EXPECT_ALL(cases);
}

static void test_logical(void **state)
{
	static const struct expect cases[] = {
	    {"s8 == -3 && color == 1", 1},
	    {"s8 == -3 && color == 0", 0},
	    {"s8 == 0 || color == 1", 1},
	    {"s8 == 0 || color == 0", 0},
	    {"(s8 == 0 || color == 1) && str == \"hello*\"", 1},
	    {"!(s8 == -3)", 0},
	    {"s8 == -3 == 1", 1},
	    {"s8 && s64 && u32", 1},
	    {"nosuch == 1 || 1", -1}, /* an unknown field: never, even short-circuited */
	    {"$app.prov:ctx == 3", 0},
	    {"s8 == -3 || $app.prov:ctx == 3", 1},
	    {"$app.prov:ctx == 3 || 1", 0},
	};

	(void)state;
	EXPECT_ALL(cases);
}

static void test_contexts(void **state)
{
	static const struct expect cases[] = {
	    {"$ctx.vpid == 4242", 1},
	    {"$ctx.vpid > 5000", 0},
	    {"$ctx.procname == \"worker*\"", 1},
	    {"$ctx.procname == \"*-3\"", 1},
	    {"$ctx.procname == \"idle\"", 0},
	    {"$ctx.ratio < 0.5", 1},
	    {"$ctx.nosuch == 1", -1},
	    {"$ctx.vpid == 4242 && s8 == -3", 1},
	};

	(void)state;
	EXPECT_ALL(cases);
	ctx_fail = true;
	assert_int_equal(verdict("$ctx.vpid == 4242"), 0);
	assert_int_equal(verdict("1 || $ctx.vpid == 4242"), 1);
	ctx_fail = false;
}

static void app_set(struct filter_ctx_value *v, bool *ok, enum filter_ctx_kind kind, int64_t i,
                    double d, const char *str)
{
	*ok = true;
	v->kind = kind;
	if (kind == FILTER_CTX_INTEGER)
		v->u.s64 = i;
	else if (kind == FILTER_CTX_DOUBLE)
		v->u.d = d;
	else
		v->u.str = str;
}

/* One linked program, run while the values change kind, as a provider's may per event. */
static void test_app_contexts_change_kind(void **state)
{
	struct filter_bytecode *bc = NULL;
	struct filter_program *prog = NULL;
	const char *reason = NULL;

	(void)state;
	values_reset();
	assert_int_equal(filter_compile("$app.prov:a == 5 || $app.prov:b == \"x*\"", &bc, NULL), 0);
	assert_int_equal(
	    filter_link(bc, filter_bytecode_size(bc), fields, F_NR, &ctx_ops, &prog, &reason), 0);
	free(bc);
	app_set(&app_a, &app_a_ok, FILTER_CTX_INTEGER, 5, 0, NULL);
	app_b_ok = false;
	assert_true(filter_program_run(prog, values)); /* b never read */
	app_set(&app_a, &app_a_ok, FILTER_CTX_INTEGER, 4, 0, NULL);
	assert_false(filter_program_run(prog, values)); /* b unreadable: error */
	app_set(&app_b, &app_b_ok, FILTER_CTX_STRING, 0, 0, "xyz");
	assert_true(filter_program_run(prog, values));
	app_set(&app_a, &app_a_ok, FILTER_CTX_DOUBLE, 0, 5.0, NULL);
	assert_true(filter_program_run(prog, values)); /* 5.0 == 5 */
	app_set(&app_a, &app_a_ok, FILTER_CTX_STRING, 0, 0, "five");
	assert_false(filter_program_run(prog, values)); /* string == 5: error */
	app_a_ok = false;
	assert_false(filter_program_run(prog, values));
	filter_program_free(prog);
}

static void test_app_contexts(void **state)
{
	static const struct expect cases[] = {
	    {"$app.prov:a == -7", 1},
	    {"$app.prov:a < -7", 0},
	    {"$app.prov:a & 1", 1},
	    {"-$app.prov:a == 7", 1},
	    {"$app.prov:b > 2.25", 1},
	    {"$app.prov:b == 2.5", 1},
	    {"$app.prov:b == -7", 0},
	    {"$app.prov:a == \"x\"", 0}, /* string against an integer: error */
	    {"$app.prov:a == \"x\" || 1", 0},
	    {"1 || $app.prov:a == \"x\"", 1},
	    {"$app.gone:x == 1", 0},
	    {"$app.gone:x == 1 || s8 == -3", 0},
	    {"s8 == -3 || $app.gone:x == 1", 1},
	    {"$app.prov:a == -7 && $app.prov:b == 2.5 && $ctx.vpid == 4242", 1},
	};
	/* clang-format off */
	static const uint8_t four[] = {
	    FILTER_OP_GET_CONTEXT_REF, 0xff, 0xff, /* 0 */
	    FILTER_OP_GET_CONTEXT_REF, 0xff, 0xff, /* 3 */
	    FILTER_OP_EQ,                          /* 6 */
	    FILTER_OP_GET_CONTEXT_REF, 0xff, 0xff, /* 7 */
	    FILTER_OP_GET_CONTEXT_REF, 0xff, 0xff, /* 10 */
	    FILTER_OP_EQ,                          /* 13 */
	    FILTER_OP_EQ,                          /* 14 */
	    FILTER_OP_RETURN,                      /* 15 */
	    0, 0, '$', 'a', 'p', 'p', '.', 'p', ':', 'a', 0,
	    3, 0, '$', 'a', 'p', 'p', '.', 'p', ':', 'b', 0,
	    7, 0, '$', 'a', 'p', 'p', '.', 'p', ':', 'c', 0,
	    10, 0, '$', 'a', 'p', 'p', '.', 'p', ':', 'd', 0,
	};
	/* clang-format on */
	struct {
		struct filter_bytecode head;
		uint8_t data[sizeof(four)];
	} bc = {.head = {.len = sizeof(four), .reloc_table_offset = 16}};
	struct filter_program *prog = NULL;
	const char *reason = NULL;

	(void)state;
	app_set(&app_a, &app_a_ok, FILTER_CTX_INTEGER, -7, 0, NULL);
	app_set(&app_b, &app_b_ok, FILTER_CTX_DOUBLE, 0, 2.5, NULL);
	EXPECT_ALL(cases);
	/* A fourth distinct application context (which the CLI refuses) does not link. */
	memcpy(bc.data, four, sizeof(four));
	assert_int_equal(filter_link(&bc, sizeof(bc.head) + sizeof(four), fields, F_NR, &ctx_ops,
	                             &prog, &reason),
	                 -E2BIG);
	assert_string_equal(reason, "more than 3 application contexts in one filter");
}

static void test_null_values(void **state)
{
	(void)state;
	values_reset();
	values[F_STR].str = NULL;
	values[F_TEXTSEQ].seq.ptr = NULL;
	values[F_SEQ32].seq.ptr = NULL;
	assert_int_equal(verdict("str == \"x\""), 0);
	assert_int_equal(verdict("str == \"x\" || 1"), 0);
	assert_int_equal(verdict("textseq == \"x\""), 0);
	assert_int_equal(verdict("seq32[0] == 1"), 0);
	assert_int_equal(verdict("1 || seq32[0] == 1"), 1);
}

/* Without a context table every $ctx reference is unknown. */
static void test_no_contexts(void **state)
{
	struct filter_bytecode *bc = NULL;
	struct filter_program *prog = NULL;
	const char *reason = NULL;

	(void)state;
	assert_int_equal(filter_compile("$ctx.vpid == 1", &bc, NULL), 0);
	assert_int_equal(
	    filter_link(bc, filter_bytecode_size(bc), fields, F_NR, NULL, &prog, &reason), -EINVAL);
	assert_string_equal(reason, "unknown context");
	free(bc);
}

/*
 * A jump landing between a field and the constant it is compared with:
 * the pair must not be fused. 0 && ... jumps with 0 on the stack straight
 * to `LOAD_S64 0`, so the verdict is 0 == 0, true (s8 == 0 would be false).
 */
static void test_jump_into_comparison(void **state)
{
	/* clang-format off */
	static const uint8_t data[] = {
	    FILTER_OP_LOAD_S64, 0, 0, 0, 0, 0, 0, 0, 0, /* 0 */
	    FILTER_OP_AND, 15, 0,                         /* 9: -> 15 */
	    FILTER_OP_LOAD_FIELD_REF, 0xff, 0xff,         /* 12 */
	    FILTER_OP_LOAD_S64, 0, 0, 0, 0, 0, 0, 0, 0, /* 15 */
	    FILTER_OP_EQ,                                 /* 24 */
	    FILTER_OP_RETURN,                             /* 25 */
	    12, 0, 's', '8', 0,                           /* relocation */
	};
	/* clang-format on */
	struct {
		struct filter_bytecode head;
		uint8_t data[sizeof(data)];
	} bc = {.head = {.len = sizeof(data), .reloc_table_offset = 26}};
	struct filter_program *prog = NULL;
	const char *reason = NULL;

	(void)state;
	memcpy(bc.data, data, sizeof(data));
	values_reset();
	if (filter_link(&bc, sizeof(bc.head) + sizeof(data), fields, F_NR, &ctx_ops, &prog,
	                &reason) != 0)
		fail_msg("%s", reason);
	assert_true(filter_program_run(prog, values));
	filter_program_free(prog);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_integers),
	    cmocka_unit_test(test_doubles),
	    cmocka_unit_test(test_strings),
	    cmocka_unit_test(test_text_arrays_sequences),
	    cmocka_unit_test(test_indexes),
	    cmocka_unit_test(test_bitwise),
	    cmocka_unit_test(test_logical),
	    cmocka_unit_test(test_contexts),
	    cmocka_unit_test(test_app_contexts),
	    cmocka_unit_test(test_app_contexts_change_kind),
	    cmocka_unit_test(test_null_values),
	    cmocka_unit_test(test_no_contexts),
	    cmocka_unit_test(test_jump_into_comparison),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: MIT */
/*
 * Filters recognized as one integer comparison (filter-comparison.h): which
 * programs are, and that evaluating them in place gives the interpreter's
 * verdict for every relation, on both sides of the constant, at the edges
 * of the field types.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "filter/filter-comparison.h"
#include "filter/filter-compile.h"
#include "filter/filter-interp.h"

#define INT_FIELD(n, bits, sgn)                                                                    \
	{                                                                                          \
		.name = n, .kind = RINGTRACE_TYPE_INTEGER,                                         \
		.type =                                                                            \
		{.integer = {.size_bits = bits, .align_bits = 8, .is_signed = sgn, .base = 10} }   \
	}

enum { F_S32, F_U64, F_STR, F_NR };

static const struct ringtrace_field_desc fields[] = {
    [F_S32] = INT_FIELD("s32", 32, 1),
    [F_U64] = INT_FIELD("u64", 64, 0),
    [F_STR] = {.name = "str", .kind = RINGTRACE_TYPE_STRING},
};

static struct filter_program *link_expr(const char *expr)
{
	struct filter_bytecode *bc = NULL;
	struct filter_program *prog = NULL;
	const char *reason = NULL;

	assert_int_equal(filter_compile(expr, &bc, NULL), 0);
	assert_int_equal(
	    filter_link(bc, filter_bytecode_size(bc), fields, F_NR, NULL, &prog, &reason), 0);
	free(bc);
	return prog;
}

static void test_recognized(void **state)
{
	static const struct {
		const char *expr;
		uint32_t rel, index;
		int64_t constant;
	} cases[] = {
	    {"s32 == 3", FILTER_COMPARISON_EQ, F_S32, 3},
	    {"s32 != 3", FILTER_COMPARISON_NE, F_S32, 3},
	    {"u64 > 4096", FILTER_COMPARISON_GT, F_U64, 4096},
	    {"s32 < 0", FILTER_COMPARISON_LT, F_S32, 0},
	    {"s32 >= 7", FILTER_COMPARISON_GE, F_S32, 7},
	    {"u64 <= 9", FILTER_COMPARISON_LE, F_U64, 9},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct filter_program *prog = link_expr(cases[i].expr);
		struct filter_comparison c = filter_program_comparison(prog);

		if (c.rel != cases[i].rel || c.value_index != cases[i].index ||
		    c.constant != cases[i].constant)
			fail_msg("%s: rel %u index %u constant %lld", cases[i].expr, c.rel,
			         c.value_index, (long long)c.constant);
		filter_program_free(prog);
	}
}

static void test_not_recognized(void **state)
{
	static const char *const exprs[] = {
	    "s32 == 3 && u64 > 1", "3 == s32", "s32 == s32", "str == \"a*\"", "s32 == 1.5",
	    "!(s32 == 3)",         "s32",      "1",          "s32 != -3",
	};

	for (size_t i = 0; i < sizeof(exprs) / sizeof(exprs[0]); i++) {
		struct filter_program *prog = link_expr(exprs[i]);

		if (filter_program_comparison(prog).rel != FILTER_COMPARISON_NONE)
			fail_msg("%s taken for one comparison", exprs[i]);
		filter_program_free(prog);
	}
}

static void test_same_verdict_as_interpreter(void **state)
{
	static const char *const exprs[] = {
	    "s32 == 0", "s32 != 0",   "s32 > 1",     "s32 < 2",    "s32 >= 2147483647",
	    "s32 <= 0", "u64 > 4096", "u64 == 4096", "u64 < 4097", "u64 >= 0",
	};
	static const int64_t samples[] = {
	    INT64_MIN, -2147483648LL, -2, -1, 0, 1, 2, 4095, 4096, 4097, 2147483647, INT64_MAX,
	};
	union ringtrace_filter_value values[F_NR] = {[F_STR] = {.str = "x"}};
	size_t checked = 0;

	for (size_t i = 0; i < sizeof(exprs) / sizeof(exprs[0]); i++) {
		struct filter_program *prog = link_expr(exprs[i]);
		struct filter_comparison c = filter_program_comparison(prog);

		assert_int_not_equal(c.rel, FILTER_COMPARISON_NONE);
		for (size_t k = 0; k < sizeof(samples) / sizeof(samples[0]); k++) {
			values[F_S32].s64 = (int32_t)samples[k];
			values[F_U64].s64 = samples[k];
			if (filter_comparison_holds(&c, values) != filter_program_run(prog, values))
				fail_msg("%s on %lld: in place and interpreted differ", exprs[i],
				         (long long)samples[k]);
			checked++;
		}
		filter_program_free(prog);
	}
	assert_int_equal(checked, 10 * 12);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_recognized),
	    cmocka_unit_test(test_not_recognized),
	    cmocka_unit_test(test_same_verdict_as_interpreter),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

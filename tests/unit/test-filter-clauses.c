/* SPDX-License-Identifier: MIT */
/*
 * Filters evaluated in place as clauses (filter-clauses.h): which programs
 * are recognized, and that the clauses give the interpreter's verdict, on
 * a table of expressions and on seeded random `&&` / `||` combinations of
 * clauses, each over many value sets (edges of the integer types, NaN,
 * strings around the literals, NULL strings, contexts that fail).
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "filter/filter-clauses.h"
#include "filter/filter-compile.h"
#include "filter/filter-interp.h"
#include "test-filter-event.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct filter_ctx_ops ctx_ops = {ctx_resolve, ctx_get, NULL, NULL};

static struct filter_program *link_expr(const char *expr)
{
	struct filter_bytecode *bc = NULL;
	struct filter_program *prog = NULL;
	const char *reason = NULL;

	if (filter_compile(expr, &bc, NULL) != 0)
		fail_msg("does not compile: %s", expr);
	if (filter_link(bc, filter_bytecode_size(bc), fields, F_NR, &ctx_ops, &prog, &reason) != 0)
		fail_msg("does not link: %s: %s", expr, reason);
	free(bc);
	return prog;
}

/* --- value sets --- */

static const int64_t ints[] = {
    INT64_MIN, INT32_MIN, -4096, -2,  -1,   0,         1,          2,
    3,         127,       128,   255, 4096, INT32_MAX, UINT32_MAX, INT64_MAX,
};
static const char *const strs[] = {
    "", "h", "he", "hel", "hell", "hello", "hello*world", "hello\\", "helo", "x", "abc", "a*b",
};
static const struct {
	const char *ptr;
	size_t len;
} texts[] = {
    {"abcdefgh", 8}, {"abc\0defg", 8}, {"hello", 3}, {"hello", 5}, {"", 0}, {"abcxyz", 6}, {"*", 1},
};

static uint64_t rng_state;

static uint32_t rng(uint32_t n)
{
	rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)((rng_state >> 33) % n);
}

static double random_double(void)
{
	static const double ds[] = {-1.5, -0.0, 0.0, 0.5, 1.0, 2.5, 3.0, 4096.0, 1e308, -1e308};

	switch (rng(12)) {
	case 0:
		return NAN;
	case 1:
		return INFINITY;
	default:
		return ds[rng(N(ds))];
	}
}

/* An integer of the field's type, as the probe passes it. */
static int64_t random_int(uint32_t field)
{
	int64_t v = ints[rng(N(ints))];

	switch (field) {
	case F_S8:
		return (int8_t)v;
	case F_U32:
	case F_NET32:
		return (uint32_t)v;
	case F_ENUM:
		return (int32_t)v;
	default:
		return v;
	}
}

static void values_random(union ringtrace_filter_value *v)
{
	static const uint32_t int_fields[] = {F_S8, F_S64, F_U64, F_U32, F_NET32, F_ENUM};
	uint32_t t;

	memset(v, 0, F_NR * sizeof(*v));
	for (size_t i = 0; i < N(int_fields); i++)
		v[int_fields[i]].s64 = random_int(int_fields[i]);
	v[F_DOUBLE].d = random_double();
	v[F_FLOAT].d = (float)random_double();
	v[F_STR].str = rng(16) ? strs[rng(N(strs))] : NULL;
	t = rng(N(texts));
	v[F_TEXTARR].seq.ptr = texts[t].ptr;
	v[F_TEXTARR].seq.len = 8;
	if (texts[t].len != 8)
		v[F_TEXTARR].seq.ptr = "hel*\0abc";
	t = rng(N(texts));
	v[F_TEXTSEQ].seq.ptr = rng(16) ? texts[t].ptr : NULL;
	v[F_TEXTSEQ].seq.len = texts[t].len;
	v[F_TEXTSEQ_LEN].s64 = (int64_t)texts[t].len;
	ctx_vpid_value = ints[rng(N(ints))];
	ctx_procname_value = rng(16) ? strs[rng(N(strs))] : NULL;
	ctx_ratio_value = random_double();
	ctx_fail = rng(16) == 0;
}

/*
 * Runs the program through its clauses and the interpreter on nr_sets
 * random value sets; fails on the first difference. Counts the verdicts.
 */
static void compare_on_values(const char *expr, struct filter_program *prog,
                              const struct filter_clauses *clauses, unsigned nr_sets,
                              unsigned counts[2])
{
	union ringtrace_filter_value v[F_NR];

	for (unsigned i = 0; i < nr_sets; i++) {
		bool in_place, interpreted;

		values_random(v);
		in_place = filter_clauses_accept(clauses, v);
		interpreted = filter_program_run(prog, v);
		if (clauses->ints_only && filter_clauses_accept_ints(clauses, v) != in_place)
			fail_msg("%s: the integer-only evaluation differs", expr);
		if (in_place != interpreted)
			fail_msg(
			    "%s: in place %d, interpreted %d (s8 %lld s64 %lld u64 %lld dbl %g "
			    "str %s vpid %lld procname %s ratio %g ctx_fail %d)",
			    expr, in_place, interpreted, (long long)v[F_S8].s64,
			    (long long)v[F_S64].s64, (long long)v[F_U64].s64, v[F_DOUBLE].d,
			    v[F_STR].str ? v[F_STR].str : "(null)", (long long)ctx_vpid_value,
			    ctx_procname_value ? ctx_procname_value : "(null)", ctx_ratio_value,
			    ctx_fail);
		counts[in_place]++;
	}
}

/* Links expr, which must be recognized, and compares both evaluations. */
static void check_expr(const char *expr, unsigned nr_sets, unsigned counts[2])
{
	struct filter_program *prog = link_expr(expr);
	struct filter_clauses *clauses = NULL;
	int r = filter_clauses_build(prog, &clauses);

	if (r != 0)
		fail_msg("%s: not evaluated in place (%d)", expr, r);
	compare_on_values(expr, prog, clauses, nr_sets, counts);
	free(clauses);
	filter_program_free(prog);
}

static const char *const in_place_exprs[] = {
    /* integers, either side, negative constants, truth values */
    "s64 == 3",
    "s64 != -1",
    "3 < s64",
    "-2 >= s8",
    "u64 == -1",
    "u64 > 4096",
    "u32 <= 4294967295",
    "net32 == 255",
    "color == 1",
    "s8",
    "s64 && u32",
    "$ctx.vpid == 3",
    "$ctx.vpid",
    "-9223372036854775808 == s64",
    "s64 > 9223372036854775807",
    /* doubles, mixed */
    "dbl < 2.5",
    "dbl != 2.5",
    "dbl == 1",
    "2 > dbl",
    "flt >= 0.5",
    "s64 < 2.5",
    "1.5 == u32",
    "$ctx.ratio <= 0.5",
    "$ctx.vpid > 1.5",
    "dbl == -1.5",
    /* strings, text arrays and sequences, globs, contexts */
    "str == \"hello\"",
    "str != \"hello\"",
    "str == \"hel*\"",
    "\"hel*\" == str",
    "str == \"*\"",
    "str == \"\"",
    "str == \"hello\\\\*world\"",
    "str == \"hello\\\\\\\\\"",
    "str == \"h*o\"",
    "str != \"*lo\"",
    "\"*l*\" == str",
    "textarr == \"abcdefgh\"",
    "textarr == \"abc*\"",
    "textarr == \"abc\"",
    "textseq == \"hel\"",
    "textseq != \"*l\"",
    "textseq == \"hello*\"",
    "$ctx.procname == \"hel*\"",
    "$ctx.procname != \"*o\"",
    /* combinations */
    "s64 >= 0 && str == \"hel*\" && s64 != -1",
    "s64 == 1 || s64 == 2 || s64 == 3",
    "(s64 == 1 || dbl > 0) && (str == \"h*\" || textseq == \"abc\")",
    "s8 < 0 || (u64 == 4096 && s64 == 1)",
    "(s8 && s64) || (u32 && dbl < 1)",
    "((s8 > 0 && s64 > 0) || (u32 > 0 && u64 > 0)) && $ctx.vpid != 0",
    "s64 == 1 && (s64 == 2 || (s64 == 3 && (s64 == 4 || s64 == 5)))",
};

static void test_in_place_exprs(void **state)
{
	unsigned counts[2] = {0, 0};

	(void)state;
	rng_state = 1;
	for (size_t i = 0; i < N(in_place_exprs); i++)
		check_expr(in_place_exprs[i], 400, counts);
	/* Both verdicts were reached many times. */
	assert_true(counts[0] > 2000 && counts[1] > 2000);
}

static void test_not_in_place(void **state)
{
	static const char *const exprs[] = {
	    "!(s64 == 3)",
	    "s64 == s8",
	    "arr16[1] == 3",
	    "str > \"a\"",
	    "str",
	    "(s64 == 1) == 1",
	    "s64 & 1",
	    "dbl",
	    "1",
	    "(s64 >> 1) == 2",
	    "s64 == 1 && arr16[0]",
	    "-s64 == 1",
	    "str == str",
	    "~s64 == 1",
	    "s64 == 1 || str <= \"b\"",
	};

	(void)state;
	for (size_t i = 0; i < N(exprs); i++) {
		struct filter_program *prog = link_expr(exprs[i]);
		struct filter_clauses *clauses = NULL;

		if (filter_clauses_build(prog, &clauses) != -ENOTSUP)
			fail_msg("%s taken for clauses", exprs[i]);
		filter_program_free(prog);
	}
}

/* The benchmark's filter: three clauses of one operation each, exact verdicts. */
static void test_three_clauses(void **state)
{
	static const struct {
		int64_t value;
		const char *text;
		bool accepted;
	} cases[] = {
	    {0, "hello", true},        {5, "hel", true},  {-1, "hello", false},
	    {3, "he", false},          {3, "help", true}, {3, NULL, false},
	    {INT64_MAX, "hel*", true}, {-5, NULL, false}, /* short-circuit: the NULL string is not
	                                                     read */
	};
	struct filter_program *prog = link_expr("s64 >= 0 && str == \"hel*\" && s64 != -1");
	struct filter_clauses *clauses = NULL;
	union ringtrace_filter_value v[F_NR] = {0};

	(void)state;
	assert_int_equal(filter_clauses_build(prog, &clauses), 0);
	assert_int_equal(clauses->nr, 3);
	assert_false(clauses->ints_only);
	for (size_t i = 0; i < N(cases); i++) {
		v[F_S64].s64 = cases[i].value;
		v[F_STR].str = cases[i].text;
		assert_int_equal(filter_clauses_accept(clauses, v), cases[i].accepted);
		assert_int_equal(filter_program_run(prog, v), cases[i].accepted);
	}
	free(clauses);
	filter_program_free(prog);
}

/* Integer fields only (negated constants fold): evaluated with no call. */
static void test_ints_only(void **state)
{
	static const struct {
		const char *expr;
		bool ints_only;
	} cases[] = {
	    {"s64 != -1", true},
	    {"s8 < 0 || u64 == 4096", true},
	    {"s8", true},
	    {"-3 <= s64 && u32 && color == 1", true},
	    {"dbl < 1 || s8 == 1", false},
	    {"s8 == 1 || str == \"a*\"", false},
	    {"$ctx.vpid == 1", false},
	};

	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		struct filter_program *prog = link_expr(cases[i].expr);
		struct filter_clauses *clauses = NULL;

		assert_int_equal(filter_clauses_build(prog, &clauses), 0);
		if (clauses->ints_only != cases[i].ints_only)
			fail_msg("%s: ints_only %d", cases[i].expr, clauses->ints_only);
		free(clauses);
		filter_program_free(prog);
	}
}

/* --- random combinations --- */

static const char *const int_names[] = {"s8", "s64", "u64", "u32", "net32", "color", "$ctx.vpid"};
static const char *const double_names[] = {"dbl", "flt", "$ctx.ratio"};
static const char *const string_names[] = {"str", "textarr", "textseq", "$ctx.procname"};
static const char *const int_consts[] = {"0",
                                         "1",
                                         "-1",
                                         "3",
                                         "127",
                                         "-128",
                                         "255",
                                         "4096",
                                         "4294967295",
                                         "-9223372036854775808",
                                         "9223372036854775807"};
static const char *const double_consts[] = {"0.5", "-1.5", "2.5", "0.0", "1e308", "3", "-0"};
static const char *const literals[] = {
    "\"hello\"", "\"hel*\"", "\"\"",    "\"*\"",   "\"hello\\\\*world\"", "\"h*o\"",
    "\"*lo\"",   "\"abc*\"", "\"abc\"", "\"a*b\"", "\"hello\\\\\\\\\"",   "\"*l*\"",
};
static const char *const int_ops[] = {"==", "!=", "<", "<=", ">", ">="};

#define EXPR_MAX 2048

static void append(char *buf, const char *s)
{
	size_t n = strlen(buf);

	assert_true(n + strlen(s) < EXPR_MAX);
	memcpy(buf + n, s, strlen(s) + 1);
}

static void random_clause(char *buf)
{
	const char *value, *constant, *op;
	char clause[256];

	switch (rng(4)) {
	case 0:
		value = int_names[rng(N(int_names))];
		if (rng(6) == 0) {
			append(buf, value);
			return;
		}
		constant = int_consts[rng(N(int_consts))];
		op = int_ops[rng(N(int_ops))];
		break;
	case 1:
		value = rng(3) ? double_names[rng(N(double_names))] : int_names[rng(N(int_names))];
		constant = double_consts[rng(N(double_consts))];
		op = int_ops[rng(N(int_ops))];
		break;
	default:
		value = string_names[rng(N(string_names))];
		constant = literals[rng(N(literals))];
		op = rng(2) ? "==" : "!=";
		break;
	}
	if (rng(2))
		snprintf(clause, sizeof(clause), "%s %s %s", value, op, constant);
	else
		snprintf(clause, sizeof(clause), "%s %s %s", constant, op, value);
	append(buf, clause);
}

static void random_expr(char *buf, unsigned depth)
{
	if (depth == 0 || rng(4) == 0) {
		random_clause(buf);
		return;
	}
	append(buf, "(");
	random_expr(buf, depth - 1);
	append(buf, rng(2) ? ") && (" : ") || (");
	random_expr(buf, depth - 1);
	append(buf, ")");
}

static void test_random_differential(void **state)
{
	unsigned counts[2] = {0, 0};
	char expr[EXPR_MAX];

	(void)state;
	rng_state = 20261123;
	for (unsigned i = 0; i < 1500; i++) {
		expr[0] = '\0';
		random_expr(expr, 3);
		check_expr(expr, 64, counts);
	}
	assert_true(counts[0] > 10000 && counts[1] > 10000);
}

/* More clauses than FILTER_CLAUSES_MAX: the interpreter keeps the program. */
static void test_too_many_clauses(void **state)
{
	char expr[EXPR_MAX] = "s64 == 0";
	struct filter_program *prog;
	struct filter_clauses *clauses = NULL;

	(void)state;
	for (unsigned i = 1; i <= FILTER_CLAUSES_MAX; i++) {
		char clause[32];

		snprintf(clause, sizeof(clause), " || s64 == %u", i);
		append(expr, clause);
	}
	prog = link_expr(expr);
	assert_int_equal(filter_clauses_build(prog, &clauses), -ENOTSUP);
	filter_program_free(prog);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_in_place_exprs),   cmocka_unit_test(test_not_in_place),
	    cmocka_unit_test(test_three_clauses),    cmocka_unit_test(test_random_differential),
	    cmocka_unit_test(test_too_many_clauses), cmocka_unit_test(test_ints_only),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

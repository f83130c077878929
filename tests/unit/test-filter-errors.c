/* SPDX-License-Identifier: MIT */
/*
 * What the filter compiler refuses, where, and what it says was expected:
 * every rejection of reference/ust-registration.md section 3, the order in
 * which lttng 2.13 meets them, its nesting limit, and every expression the
 * real lttng refused (test-filter-lttng-cases.h).
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

struct error_case {
	const char *expression;
	size_t offset; /* 0-based byte offset of the error */
	const char *message_part;
};

static void expect_errors(const struct error_case *cases, size_t n)
{
	for (size_t i = 0; i < n; i++)
		filter_expect_error(cases[i].expression, cases[i].offset, cases[i].message_part);
}

#define EXPECT_ERRORS(cases) expect_errors(cases, sizeof(cases) / sizeof(cases[0]))

static void test_syntax_errors(void **state)
{
	static const struct error_case cases[] = {
	    {"", 0, "empty filter expression"},
	    {"   ", 3, "empty filter expression"},
	    {"// only a comment", 17, "empty filter expression"},
	    {"a +", 3, "expected an operand"},
	    {"a ==", 4, "found the end of the expression"},
	    {"a == )", 5, "after '==', found ')'"},
	    {"(a == 1", 7, "expected ')' to close the '(' at column 1"},
	    {"a == 1)", 6, "no '(' to close"},
	    {"a = 1", 2, "(to compare, use '==')"},
	    {"a b", 2, "after 'a', found 'b'"},
	    {"a == 1 b", 7, "found 'b'"},
	    {"()", 1, "expected an operand"},
	    {"a[]", 2, "expected an operand"},
	    {"a[1", 3, "expected ']' to close the '[' at column 2"},
	    {"a[1)", 3, "expected ']'"},
	    {"(a]", 2, "expected ')'"},
	    {"a.", 2, "expected a field name after '.'"},
	    {"a.1 == 1", 1, "found '.1'"},
	    {".a == 1", 0, "found '.'"},
	    {"a[1 == 1] == 1", 4, "expected ']' (an array index is a single integer)"},
	    {"a[1 + 1] == 1", 4, "expected ']'"},
	    {"(a).b == 1", 3, "found '.'"},
	    {"(a)[1] == 1", 3, "found '['"},
	    {"1[2] == a", 1, "found '['"},
	    {"\"x\"[1] == a", 3, "found '['"},
	    {"a ? b : c", 2, "found '?'"},
	    {"a == 1;", 6, "found ';'"},
	    {"a,b", 1, "found ','"},
	    {"a == 1 @", 7, "found '@'"},
	    {"a<<=1", 3, "use '=='"},
	    {"a!==b", 3, "use '=='"},
	    {"a&&&b", 3, "expected an operand"},
	    {"a == \"x\" \"y\"", 9, "found '\"y\"'"},
	    {": == 1", 0, "found ':'"},
	    {"a == :", 5, "found ':'"},
	    {"$ == 1", 0, "'$' starts $ctx.NAME"},
	    {"$1 == 1", 0, "'$' starts"},
	    {"$ ctx.vpid == 1", 0, "'$' starts"},
	    {"a\r== 1", 1, "only spaces, tabs and newlines"},
	    {"a\v== 1", 1, "the byte 0x0b"},
	    {"\xc3\xa9 == 1", 0, "the byte 0xc3"},
	    {"\\u00e == 1", 0, "found '\\'"},
	    {"a == 08", 6, "octal: digits 0 to 7"},
	    {"a == 0x", 6, "found 'x'"},
	    {"a == 1.5.5", 8, "found '.5'"},
	    {"a == 1e", 6, "found 'e'"},
	    {"a == 0x1p", 8, "found 'p'"},
	    {"a == 1.5lf", 9, "found 'f'"},
	    {"a == 10lL", 8, "found 'L'"},
	    {"a == 10uu", 8, "found 'u'"},
	    {"a == 1 u", 7, "found 'u'"},
	    {"a == \"abc", 5, "unterminated string"},
	    {"a == \"a\\\"b\"", 9, "after '\"a\\\"', found 'b'"},
	    {"a == 'x", 5, "expected a closing '"},
	    {"a == ''", 5, "empty single-quoted string"},
	    {"a == '\n'", 5, "empty single-quoted string"},
	    {"0X1f == a", 0, "must start with \"0x\", lowercase"},
	    {"a == 0XABCDEF", 5, "\"0x\""},
	    {"a == 0u", 5, "the constant 0 cannot have a suffix"},
	    {"a == 0L", 5, "cannot have a suffix"},
	};

	EXPECT_ERRORS(cases);
}

static void test_semantic_errors(void **state)
{
	static const struct error_case cases[] = {
	    /* + - * / % are parsed, then refused. */
	    {"a + 1", 2, "binary operator '+' is not supported"},
	    {"a - 2", 2, "binary operator '-' is not supported"},
	    {"a * 2", 2, "binary operator '*' is not supported"},
	    {"a / 2", 2, "binary operator '/' is not supported"},
	    {"a % 2", 2, "binary operator '%' is not supported"},
	    /* The whole expression may be a field or a number, not a string or a float. */
	    {"\"abc\"", 0, "a string cannot be the whole filter"},
	    {"'abc'", 0, "a string cannot be the whole filter"},
	    {"\"a*b\"", 0, "a string cannot be the whole filter"},
	    {"1.5", 0, "a floating point value cannot be the whole filter"},
	    {"-1.5", 0, "floating point value cannot be the whole filter"},
	    {"(~1.5)", 1, "floating point value cannot be the whole filter"},
	    /* String literal against a numeric literal or result. */
	    {"\"abc\" == 1", 6, "operand type mismatch for '=='"},
	    {"1 == \"abc\"", 2, "operand type mismatch for '=='"},
	    {"\"a\" != 1.5", 4, "operand type mismatch for '!='"},
	    {"\"x*\" < 1", 5, "operand type mismatch for '<'"},
	    {"\"x\" == -1", 4, "operand type mismatch"},
	    {"(a == 1) == \"x\"", 9, "operand type mismatch"},
	    {"\"x\" == (1 & a)", 4, "operand type mismatch"},
	    /* String operands of && || and bitwise operators, float ones of bitwise. */
	    {"\"a\" && b", 4, "logical operator '&&' cannot have a string operand"},
	    {"a || \"b\"", 2, "logical operator '||' cannot have a string operand"},
	    {"1.5 || \"x\"", 4, "'||' cannot have a string operand"},
	    {"a & \"b\"", 2, "bitwise operator '&' cannot have a string operand"},
	    {"\"x\" | 1", 4, "'|' cannot have a string operand"},
	    {"1.5 & \"x\"", 4, "'&' cannot have a string operand"},
	    {"a | 1.5", 2, "bitwise operator '|' cannot have a floating point operand"},
	    {"1.5 & a", 4, "'&' cannot have a floating point operand"},
	    {"a ^ -1.5", 2, "'^' cannot have a floating point operand"},
	    {"a << ~1.5", 2, "'<<' cannot have a floating point operand"},
	    /* Unary operators on string literals. */
	    {"-\"a\" == b", 0, "unary operator '-' cannot be applied to a string"},
	    {"!\"a\"", 0, "unary operator '!' cannot be applied to a string"},
	    {"~\"a\"", 0, "unary operator '~' cannot be applied to a string"},
	    {"a == +\"x\"", 5, "unary operator '+' cannot be applied to a string"},
	    /* $ names. */
	    {"$foo.x == 1", 0, "unknown name '$foo': expected $ctx.NAME"},
	    {"$ctxx.vpid == 1", 0, "unknown name '$ctxx'"},
	    {"$: == 1", 0, "unknown name '$:'"},
	    {"$ctx == 1", 0, "expected a name after '$ctx', as in $ctx.vpid"},
	    {"$ctx[1] == 1", 0, "expected a name after '$ctx'"},
	    {"$app == 1", 0, "expected a name after '$app', as in $app.provider:name"},
	    /* ringtrace reads at most 3 distinct application contexts per filter. */
	    {"$app.p:a == 1 && $app.p:b == 2 || $app.p:a == 3 && $app.p:c == 4 || $app.q:a == 5",
	     68, "more than 3 application contexts in one filter: ringtrace reads at most 3"},
	    /* Array indexes: integer literals only. */
	    {"a[i] == 1", 2, "array index must be an integer constant"},
	    {"a[-1] == 1", 2, "array index must be an integer constant"},
	    {"a[+1] == 1", 2, "integer constant"},
	    {"a[(1)] == 1", 3, "integer constant"},
	    {"a[1.5] == 1", 2, "integer constant"},
	    {"a[\"x\"] == 1", 2, "integer constant"},
	    {"a[b[1]] == 1", 2, "integer constant"},
	    {"a.b[i].c == 1", 4, "as in b[2]"},
	    {"a[1].b[i] == 1", 7, "integer constant"},
	    {"$ctx.vpid[i] == 1", 10, "integer constant"},
	    /* Escapes: only \* and \\. */
	    {"a == \"x\\ny\"", 7, "unsupported escape '\\n'"},
	    {"a == 'x\\ty'", 7, "unsupported escape '\\t'"},
	    {"a == \"\\u0041\"", 6, "unsupported escape '\\u'"},
	    {"a == \"x\\\"", 7, "a string cannot end with a backslash"},
	    {"a == \"\n\\q\"", 7, "unsupported escape '\\q'"},
	    /* Globbing patterns. */
	    {"\"a*b\" == \"c*d\"", 6, "cannot compare two globbing patterns"},
	    {"\"a*b\" == \"c*\"", 6, "cannot compare two globbing patterns"},
	    {"\"a*\" == \"c*d\"", 5, "cannot compare two globbing patterns"},
	    {"\"*\" == \"b*c\"", 4, "cannot compare two globbing patterns"},
	    {"\"a*b\" == \"c\\\\*\"", 6, "cannot compare two globbing patterns"},
	    {"\"a*b\" < a", 6, "can only be compared with == or !=, not '<'"},
	    {"a >= \"a*b\"", 2, "not '>='"},
	    {"\"a*b\" < \"c*d\"", 6, "cannot compare two globbing patterns"},
	};

	EXPECT_ERRORS(cases);
}

/* With several errors, the one lttng reports: its passes, in its order. */
static void test_error_order(void **state)
{
	static const struct error_case cases[] = {
	    /* Arithmetic is refused before its operands are looked at... */
	    {"(-\"x\") + 1", 7, "'+' is not supported"},
	    {"\"x\" && (a + 1)", 10, "'+' is not supported"},
	    /* ...other operators after them, left operand first. */
	    {"-\"x\" == (1 + 1)", 0, "'-' cannot be applied"},
	    {"(1 + 1) == -\"x\"", 3, "'+' is not supported"},
	    {"(1 == \"y\") == -\"x\"", 3, "type mismatch"},
	    {"\"x\" && \"a*b\" < 1", 13, "type mismatch for '<'"},
	    {"$foo.x == \"a*b\" + 1", 0, "unknown name '$foo'"},
	    {"$foo.x[i] == 1", 0, "unknown name '$foo'"},
	    {"a & \"x\" & 1.5", 2, "string operand"},
	    {"a & 1.5 & \"x\"", 2, "floating point operand"},
	    /* Types before escapes, escapes before globbing patterns. */
	    {"\"x\\q\" == 1", 6, "type mismatch"},
	    {"a < \"x*y\" && b == \"\\n\"", 19, "unsupported escape"},
	    /* Globbing patterns left to right, two patterns before the operator. */
	    {"(\"a*b\" < a) && (\"x*\" == \"y*z\")", 7, "only be compared with == or !="},
	    {"(\"x*\" == \"y*z\") && (\"a*b\" < a)", 6, "two globbing patterns"},
	    /* Syntax before everything. */
	    {"a + 1 ==", 8, "expected an operand"},
	};

	EXPECT_ERRORS(cases);
}

static void test_error_position(void **state)
{
	struct filter_bytecode *b = NULL;
	struct filter_error err = {0};

	assert_int_equal(filter_compile("a == 1 &&\n  b ==\t&&", &b, &err), -EINVAL);
	assert_int_equal(err.offset, 17);
	assert_int_equal(err.line, 2);
	assert_int_equal(err.column, 8);
	/* At the end: one past the last character. */
	assert_int_equal(filter_compile("a ==", &b, &err), -EINVAL);
	assert_int_equal(err.offset, 4);
	assert_int_equal(err.column, 5);
	/* No error structure: still refused. */
	assert_int_equal(filter_compile("a +", &b, NULL), -EINVAL);
	assert_null(b);
	assert_int_equal(filter_compile(NULL, &b, &err), -EINVAL);
	assert_int_equal(filter_compile("a", NULL, &err), -EINVAL);
}

static char *repeat(const char *prefix, size_t n, const char *middle, const char *suffix)
{
	size_t pl = strlen(prefix), sl = strlen(suffix), ml = strlen(middle);
	char *s = malloc(n * (pl + sl) + ml + 1), *p = s;

	assert_non_null(s);
	for (size_t i = 0; i < n; i++, p += pl)
		memcpy(p, prefix, pl);
	memcpy(p, middle, ml);
	p += ml;
	for (size_t i = 0; i < n; i++, p += sl)
		memcpy(p, suffix, sl);
	*p = '\0';
	return s;
}

static void expect_depth(const char *prefix, size_t ok, const char *middle, const char *suffix)
{
	struct filter_bytecode *b = NULL;
	struct filter_error err = {0};
	char *s = repeat(prefix, ok, middle, suffix);
	int r = filter_compile(s, &b, &err);

	if (r == -EINVAL && strstr(err.message, "nested too deeply"))
		fail_msg("%zu x '%s' refused: %s", ok, prefix, err.message);
	free(b);
	free(s);
	s = repeat(prefix, ok + 1, middle, suffix);
	assert_int_equal(filter_compile(s, &b, &err), -EINVAL);
	assert_non_null(strstr(err.message, "nested too deeply"));
	free(s);
}

/* The deepest nesting lttng 2.13's parser takes, measured with the real lttng. */
static void test_nesting_limit(void **state)
{
	expect_depth("(", 9996, "a", ")");
	expect_depth("!", 9997, "a", "");
	expect_depth("a==(", 3332, "a", ")");
	expect_depth("a||(", 3332, "a", ")");
	expect_depth("-(", 4998, "a", ")");
	expect_depth("a[", 4998, "1", "]");
}

/* Left-associative chains make trees as deep as the expression is long. */
static void test_long_chains(void **state)
{
	char *s = repeat("a&", 30000, "a", "");
	struct filter_bytecode *b = NULL;
	struct filter_error err = {0};

	/* 30001 field loads: too much bytecode, refused without exhausting the stack. */
	assert_int_equal(filter_compile(s, &b, &err), -E2BIG);
	free(s);
	s = repeat("1||", 5000, "1", "");
	assert_int_equal(filter_compile(s, &b, &err), 0);
	assert_int_equal(b->len, 5000 * 12 + 10);
	free(b);
	free(s);
}

static void test_lttng_refusals(void **state)
{
	struct filter_bytecode *b = NULL;
	struct filter_error err;

	for (size_t i = 0; i < sizeof(lttng_refused) / sizeof(lttng_refused[0]); i++) {
		int r = filter_compile(lttng_refused[i], &b, &err);

		if (r != -EINVAL)
			fail_msg("'%s' accepted (%d), lttng refuses it", lttng_refused[i], r);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_syntax_errors),  cmocka_unit_test(test_semantic_errors),
	    cmocka_unit_test(test_error_order),    cmocka_unit_test(test_error_position),
	    cmocka_unit_test(test_nesting_limit),  cmocka_unit_test(test_long_chains),
	    cmocka_unit_test(test_lttng_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: MIT */
/*
 * The filter language, form by form, each case with the bytes lttng
 * 2.13.9's CLI sent for it (captured with strace).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "test-filter-util.h"

/*
 * Precedence and associativity. Unlike C, bitwise operators bind tighter than
 * comparisons: `v & 1 == 1` is `(v & 1) == 1`; `<` binds tighter than `==`.
 */
static const struct filter_case precedence_cases[] = {
    {"v & 1 == 1", 24, "3bffff410100000000000000094101000000000000000c0100007600"},
    {"a & b | c ^ d", 16, "3bffff3bffff093bffff3bffff0b0a010000610003006200070063000a006400"},
    {"a | b ^ c & d", 16, "3bffff3bffff3bffff3bffff090b0a0100006100030062000600630009006400"},
    {"a << 1 & 2", 24, "3bffff41010000000000000008410200000000000000090100006100"},
    {"a << b >> c", 12, "3bffff3bffff083bffff0701000061000300620007006300"},
    {"a < b == c", 12, "3bffff3bffff0f3bffff0c01000061000300620007006300"},
    {"a & b == c & d", 16, "3bffff3bffff093bffff3bffff090c010000610003006200070063000a006400"},
    {"a == 1 <= 2", 24, "3bffff410100000000000000410200000000000000110c0100006100"},
    {"a < b | c", 12, "3bffff3bffff3bffff0a0f01000061000300620006006300"},
    {"a < b < c", 12, "3bffff3bffff0f3bffff0f01000061000300620007006300"},
    {"a || b && c", 19, "3bffff433a12003bffff433912003bffff430100006100070062000e006300"},
    {"(a || b) && c", 19, "3bffff433a0b003bffff433912003bffff430100006100070062000e006300"},
    {"a && b || c", 19, "3bffff43390b003bffff433a12003bffff430100006100070062000e006300"},
    {"a == 1 == 1", 24, "3bffff4101000000000000000c4101000000000000000c0100006100"},
    {"a >= 1 != 2 < 3", 34,
     "3bffff410100000000000000104102000000000000004103000000000000000f0d0100006100"},
    {"!a==b", 9, "3bffff323bffff0c010000610004006200"},
    {"-a[1] == 2", 26, "5152020055010000000000000056314102000000000000000c0101006100"},
    {"a&&b==c", 15, "3bffff43390e003bffff3bffff0c0100006100070062000a006300"},
    {"a == !b == c", 13, "3bffff3bffff320c3bffff0c01000061000300620008006300"},
    {"!(a && b)", 13, "3bffff43390b003bffff4332010000610007006200"},
    {"-(a == b)", 9, "3bffff3bffff0c31010000610003006200"},
    {"a == 1 && b < 2 || c != 3 && d >= 4", 62,
     "3bffff4101000000000000000c391d003bffff4102000000000000000f3a3d003bffff4103000000000000000d393"
     "d003bffff410400000000000000100100006100100062002000630030006400"},
};

/*
 * Whitespace (space, tab, newline) and comments, anywhere between tokens; an
 * unterminated block comment runs to the end; comment marks inside strings
 * are text.
 */
static const struct filter_case blanks_cases[] = {
    {"a /* comment */ == 1", 14, "3bffff4101000000000000000c0100006100"},
    {"a // comment", 4, "3bffff0100006100"},
    {"a == 1 // x", 14, "3bffff4101000000000000000c0100006100"},
    {"  a    ==\t1  ", 14, "3bffff4101000000000000000c0100006100"},
    {"a\n==\n1", 14, "3bffff4101000000000000000c0100006100"},
    {"a /* multi\nline */ == 1", 14, "3bffff4101000000000000000c0100006100"},
    {"a // c\n== 1", 14, "3bffff4101000000000000000c0100006100"},
    {"a /*/ == 1", 4, "3bffff0100006100"},
    {"a == 1 /*", 14, "3bffff4101000000000000000c0100006100"},
    {"/* only */ a", 4, "3bffff0100006100"},
    {"a ==/*x*/1", 14, "3bffff4101000000000000000c0100006100"},
    {"a/**/==1", 14, "3bffff4101000000000000000c0100006100"},
    {"a == \"x/*y*/\"", 13, "3bffff4c782f2a792a2f000c0100006100"},
    {"a == '//x'", 10, "3bffff402f2f78000c0100006100"},
    {"$ctx . vpid == 1", 14, "46ffff4101000000000000000c010000246374782e7670696400"},
    {"a . b == 1", 14, "3bffff4101000000000000000c010000612e6200"},
    {"a [ 1 ] == 1", 25, "51520200550100000000000000564101000000000000000c0101006100"},
    {"a-> b == 1", 14, "3bffff4101000000000000000c010000612e6200"},
};

/*
 * Number forms: octal 010, hexadecimal, suffixes (ignored), floats
 * (.5, 1e3, 1.5e3f, hexadecimal ones), and lttng's conversions of long
 * constants (first 20 decimal digits, 22 octal, 17 hexadecimal, saturating).
 */
static const struct filter_case numbers_cases[] = {
    {"010 == a", 14, "4108000000000000003bffff0c0109006100"},
    {"0x1F == a", 14, "411f000000000000003bffff0c0109006100"},
    {"a == 0xAbCdEf", 14, "3bffff41efcdab00000000000c0100006100"},
    {"10u == a", 14, "410a000000000000003bffff0c0109006100"},
    {"10UL == a", 14, "410a000000000000003bffff0c0109006100"},
    {"10ll == a", 14, "410a000000000000003bffff0c0109006100"},
    {"10ULL == a", 14, "410a000000000000003bffff0c0109006100"},
    {"10Lu == a", 14, "410a000000000000003bffff0c0109006100"},
    {"a == 5uLL", 14, "3bffff4105000000000000000c0100006100"},
    {"a == 5lU", 14, "3bffff4105000000000000000c0100006100"},
    {"a == 00u", 14, "3bffff4100000000000000000c0100006100"},
    {"a == 0", 14, "3bffff4100000000000000000c0100006100"},
    {".5 == a", 14, "42000000000000e03f3bffff0c0109006100"},
    {"1e3 == a", 14, "420000000000408f403bffff0c0109006100"},
    {"1E3 == a", 14, "420000000000408f403bffff0c0109006100"},
    {"1e+3 == a", 14, "420000000000408f403bffff0c0109006100"},
    {"5e-1 == a", 14, "42000000000000e03f3bffff0c0109006100"},
    {"1.5e3f == a", 14, "4200000000007097403bffff0c0109006100"},
    {"1.5e-3L == a", 14, "42fa7e6abc7493583f3bffff0c0109006100"},
    {"1.5F == a", 14, "42000000000000f83f3bffff0c0109006100"},
    {"0x1p4 == a", 14, "4200000000000030403bffff0c0109006100"},
    {"0X1P4 == a", 14, "4200000000000030403bffff0c0109006100"},
    {"a == 0x1p-2f", 14, "3bffff42000000000000d03f0c0100006100"},
    {"0x1.8 == a", 14, "42000000000000f83f3bffff0c0109006100"},
    {"0x.8p1 == a", 14, "42000000000000f03f3bffff0c0109006100"},
    {"1. == a", 14, "42000000000000f03f3bffff0c0109006100"},
    {"a == 1.e5", 14, "3bffff4200000000006af8400c0100006100"},
    {"a == 08.5", 14, "3bffff4200000000000021400c0100006100"},
    {"a == 09e1", 14, "3bffff4200000000008056400c0100006100"},
    {"a == 9223372036854775807", 14, "3bffff41ffffffffffffff7f0c0100006100"},
    {"a == 9223372036854775808", 14, "3bffff4100000000000000800c0100006100"},
    {"a == 18446744073709551616", 14, "3bffff41ffffffffffffffff0c0100006100"},
    {"a == 123456789012345678901234567890", 14, "3bffff41d20a1feb8ca954ab0c0100006100"},
    {"a == 0x123456789abcdef01", 14, "3bffff41ffffffffffffffff0c0100006100"},
    {"a == 0x00000000000000000001", 14, "3bffff4100000000000000000c0100006100"},
    {"a == 01777777777777777777777", 14, "3bffff41ffffffffffffffff0c0100006100"},
    {"a == 0000000000000000000000001", 14, "3bffff4100000000000000000c0100006100"},
    {"a == 1e400", 14, "3bffff42000000000000f07f0c0100006100"},
    {"1e-400 == a", 14, "4200000000000000003bffff0c0109006100"},
    {"4.9e-324 == a", 14, "4201000000000000003bffff0c0109006100"},
    {"a[0xffffffffffffffff] == 1", 25,
     "5152020055ffffffffffffffff564101000000000000000c0101006100"},
};

/*
 * Strings: "..." and '...', \* and \\ kept raw, star at end sent as a plain
 * LOAD_STRING, other wildcards as LOAD_STAR_GLOB_STRING with runs of stars
 * collapsed, newlines inside dropped.
 */
static const struct filter_case strings_cases[] = {
    {"a == 'x'", 8, "3bffff4078000c0100006100"},
    {"a == 'xy'", 9, "3bffff407879000c0100006100"},
    {"a == 'a\"b'", 10, "3bffff40612262000c0100006100"},
    {"a == \"a'b\"", 10, "3bffff40612762000c0100006100"},
    {"a == \"x\\*y\"", 11, "3bffff40785c2a79000c0100006100"},
    {"a == \"x\\\\y\"", 11, "3bffff40785c5c79000c0100006100"},
    {"a != \"**x***y**\"", 12, "3bffff4c2a782a792a000d0100006100"},
    {"a == \"x**\"", 9, "3bffff4c782a000c0100006100"},
    {"a == \"\\**\"", 10, "3bffff405c2a2a000c0100006100"},
    {"a == \"\\\\**\"", 10, "3bffff4c5c5c2a000c0100006100"},
    {"a == \"a\\\\\\**b\"", 14, "3bffff4c615c5c5c2a2a62000c0100006100"},
    {"a == \"*\"", 8, "3bffff402a000c0100006100"},
    {"a == \"**\"", 8, "3bffff4c2a000c0100006100"},
    {"a == \"\"", 7, "3bffff40000c0100006100"},
    {"a == L\"x\"", 8, "3bffff4078000c0100006100"},
    {"L'x' == a", 8, "4078003bffff0c0103006100"},
    {"a == \"x\ny\"", 9, "3bffff407879000c0100006100"},
    {"a == \"x\ty\"", 10, "3bffff40780979000c0100006100"},
    {"a == \"\xc3"
     "\xa9"
     "*\"",
     10, "3bffff40c3a92a000c0100006100"},
    {"\"a*b\" == \"c\"", 10, "4c612a62004063000c01"},
    {"\"a*\" == \"c*\"", 10, "40612a0040632a000c01"},
    {"\"a\" < a", 8, "4061003bffff0f0103006100"},
    {"a < \"x*\"", 9, "3bffff40782a000f0100006100"},
    {"\"a*b\" == \"c\\*\"", 12, "4c612a620040635c2a000c01"},
};

/*
 * Field paths: `->` is `.`; `:` and \uXXXX in names; `$` names after the
 * first segment are plain names.
 */
static const struct filter_case paths_cases[] = {
    {"a->b == 1", 14, "3bffff4101000000000000000c010000612e6200"},
    {"a.b->c == 1", 14, "3bffff4101000000000000000c010000612e622e6300"},
    {"$ctx->vpid == 1", 14, "46ffff4101000000000000000c010000246374782e7670696400"},
    {"a:b == 1", 14, "3bffff4101000000000000000c010000613a6200"},
    {":a == 1", 14, "3bffff4101000000000000000c0100003a6100"},
    {"a::b == 1", 14, "3bffff4101000000000000000c010000613a3a6200"},
    {":: == 1", 14, "3bffff4101000000000000000c0100003a3a00"},
    {"\\u0041 == 1", 14, "3bffff4101000000000000000c0100005c753030343100"},
    {"a\\u00e9 == 1", 14, "3bffff4101000000000000000c010000615c753030653900"},
    {"\\U00000041 == 1", 14, "3bffff4101000000000000000c0100005c55303030303030343100"},
    {"a.$ctx == 1", 14, "3bffff4101000000000000000c010000612e2463747800"},
    {"$ctx.$app == 1", 14, "46ffff4101000000000000000c010000246374782e2461707000"},
    {"a.$ctx[1] == 1", 28,
     "51520200520600550100000000000000564101000000000000000c010100610004002463747800"},
    {"$app.x == 1", 14, "46ffff4101000000000000000c010000246170702e7800"},
    {"$ctx.a.b == 1", 14, "46ffff4101000000000000000c010000246374782e612e6200"},
    {"$ctx._ == 1", 14, "46ffff4101000000000000000c010000246374782e5f00"},
    {"a:", 4, "3bffff010000613a00"},
    {"struct == 1", 14, "3bffff4101000000000000000c01000073747275637400"},
    {"a", 4, "3bffff0100006100"},
    {"$ctx.vpid", 4, "46ffff010000246374782e7670696400"},
    {"a == $ctx.vpid", 8, "3bffff46ffff0c01000061000300246374782e7670696400"},
};

/*
 * Unary operators: `+` emits nothing; the others follow their operand.
 */
static const struct filter_case unary_cases[] = {
    {"+a", 4, "3bffff0100006100"},
    {"a == +1", 14, "3bffff4101000000000000000c0100006100"},
    {"a == ++1", 14, "3bffff4101000000000000000c0100006100"},
    {"a == --1", 16, "3bffff41010000000000000031310c0100006100"},
    {"a == ~!-1", 17, "3bffff4101000000000000003132620c0100006100"},
    {"!-~a", 7, "3bffff6231320100006100"},
    {"!!a", 6, "3bffff32320100006100"},
    {"-1", 11, "4101000000000000003101"},
    {"!1", 11, "4101000000000000003201"},
    {"~1", 11, "4101000000000000006201"},
    {"+1", 10, "41010000000000000001"},
    {"1", 10, "41010000000000000001"},
    {"a == -9223372036854775808", 15, "3bffff410000000000000080310c0100006100"},
    {"~1.5 == a", 15, "42000000000000f83f623bffff0c010a006100"},
    {"a == !1.5", 15, "3bffff42000000000000f83f320c0100006100"},
};

static void expect_all(const struct filter_case *cases, size_t n)
{
	for (size_t i = 0; i < n; i++)
		filter_expect_case(&cases[i]);
}

#define EXPECT_ALL(cases) expect_all(cases, sizeof(cases) / sizeof(cases[0]))

static void test_precedence(void **state)
{
	EXPECT_ALL(precedence_cases);
}

static void test_blanks(void **state)
{
	EXPECT_ALL(blanks_cases);
}

static void test_numbers(void **state)
{
	EXPECT_ALL(numbers_cases);
}

static void test_strings(void **state)
{
	EXPECT_ALL(strings_cases);
}

static void test_paths(void **state)
{
	EXPECT_ALL(paths_cases);
}

static void test_unary(void **state)
{
	EXPECT_ALL(unary_cases);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_precedence), cmocka_unit_test(test_blanks),
	    cmocka_unit_test(test_numbers),    cmocka_unit_test(test_strings),
	    cmocka_unit_test(test_paths),      cmocka_unit_test(test_unary),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

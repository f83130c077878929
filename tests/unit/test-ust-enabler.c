/* SPDX-License-Identifier: MIT */
/* Event rules of libringtrace-ust (src/lib/ust/enabler.c): globs and log levels. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "lib/ust/enabler.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static void test_glob(void **state)
{
	assert_true(rt_glob_match("*", ""));
	assert_true(rt_glob_match("*", "prov:ev"));
	assert_true(rt_glob_match("prov:ev", "prov:ev"));
	assert_false(rt_glob_match("prov:ev", "prov:eve"));
	assert_false(rt_glob_match("prov:eve", "prov:ev"));
	assert_true(rt_glob_match("prov:*", "prov:ev"));
	assert_true(rt_glob_match("prov:*", "prov:"));
	assert_false(rt_glob_match("prov:*", "prov"));
	assert_true(rt_glob_match("*:ev", "prov:ev"));
	assert_true(rt_glob_match("p*v:e*", "prov:ev"));
	assert_true(rt_glob_match("*o*:*v", "prov:ev"));
	assert_false(rt_glob_match("*o*:*x", "prov:ev"));
	assert_true(rt_glob_match("**a**", "xax"));
	assert_true(rt_glob_match("a*b*c", "aXbYbZc"));
	assert_false(rt_glob_match("a*b*c", "aXbYbZ"));
	assert_true(rt_glob_match("*aab", "aaaab")); /* needs backtracking */
	assert_false(rt_glob_match("", "x"));
	assert_true(rt_glob_match("", ""));
	/* Escapes: a literal star or backslash. */
	assert_true(rt_glob_match("a\\*b", "a*b"));
	assert_false(rt_glob_match("a\\*b", "aXb"));
	assert_true(rt_glob_match("a\\\\b", "a\\b"));
	assert_true(rt_glob_match("a\\", "a\\"));
}

static void test_glob_no_blowup(void **state)
{
	char name[256], pattern[64];

	memset(name, 'a', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	strcpy(pattern, "*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b");
	assert_false(rt_glob_match(pattern, name)); /* instantaneous, not exponential */
}

static void test_loglevel(void **state)
{
	/* ALL */
	assert_true(rt_loglevel_match(UST_LOGLEVEL_ALL, 0, 14));
	assert_true(rt_loglevel_match(UST_LOGLEVEL_ALL, 3, -1));
	/* RANGE: at least as severe as the rule (numerically <=). */
	assert_true(rt_loglevel_match(UST_LOGLEVEL_RANGE, 4, 4));
	assert_true(rt_loglevel_match(UST_LOGLEVEL_RANGE, 4, 0));
	assert_false(rt_loglevel_match(UST_LOGLEVEL_RANGE, 4, 5));
	assert_true(rt_loglevel_match(UST_LOGLEVEL_RANGE, -1, 14));
	/* Undeclared level counts as DEBUG_LINE (13). */
	assert_true(rt_loglevel_match(UST_LOGLEVEL_RANGE, 13, -1));
	assert_false(rt_loglevel_match(UST_LOGLEVEL_RANGE, 12, -1));
	assert_true(rt_loglevel_match(UST_LOGLEVEL_SINGLE, 13, -1));
	/* SINGLE */
	assert_true(rt_loglevel_match(UST_LOGLEVEL_SINGLE, 6, 6));
	assert_false(rt_loglevel_match(UST_LOGLEVEL_SINGLE, 6, 5));
	assert_false(rt_loglevel_match(7, 6, 6));
}

static void test_enabler_match(void **state)
{
	static const struct ringtrace_event_desc ev = {
	    .provider_name = "myprov",
	    .event_name = "warn_ev",
	    .loglevel = RINGTRACE_LOGLEVEL_WARNING,
	};
	struct ust_cmd_enabler cmd = {
	    .channel_handle = 1,
	    .enabler_handle = 2,
	    .pattern = "myprov:*",
	    .loglevel_type = UST_LOGLEVEL_RANGE,
	    .loglevel = RINGTRACE_LOGLEVEL_ERR,
	};
	struct rt_ust_enabler *e = NULL;

	assert_int_equal(rt_enabler_check(&cmd), 0);
	assert_int_equal(rt_enabler_new(&cmd, NULL, &e), 0);
	assert_true(e->enabled);
	assert_int_equal(e->handle, 2);
	assert_false(rt_enabler_match(e, &ev)); /* WARNING is less severe than ERR */
	e->loglevel = RINGTRACE_LOGLEVEL_INFO;
	assert_true(rt_enabler_match(e, &ev));
	strcpy(e->pattern, "other:*");
	assert_false(rt_enabler_match(e, &ev));
	free(e);
}

static void test_enabler_check(void **state)
{
	struct ust_cmd_enabler cmd = {.pattern = "*", .loglevel_type = UST_LOGLEVEL_ALL};

	assert_int_equal(rt_enabler_check(&cmd), 0);
	cmd.loglevel = 1000; /* ignored with ALL */
	assert_int_equal(rt_enabler_check(&cmd), 0);
	cmd.loglevel_type = UST_LOGLEVEL_SINGLE;
	assert_int_equal(rt_enabler_check(&cmd), -EINVAL);
	cmd.loglevel = 14;
	assert_int_equal(rt_enabler_check(&cmd), 0);
	cmd.loglevel = -1;
	assert_int_equal(rt_enabler_check(&cmd), -EINVAL);
	cmd.loglevel_type = UST_LOGLEVEL_RANGE;
	assert_int_equal(rt_enabler_check(&cmd), 0);
	cmd.loglevel_type = 3;
	assert_int_equal(rt_enabler_check(&cmd), -EINVAL);
	cmd.loglevel_type = UST_LOGLEVEL_ALL;
	cmd.pattern[0] = '\0';
	assert_int_equal(rt_enabler_check(&cmd), -EINVAL);
	memset(cmd.pattern, 'x', sizeof(cmd.pattern));
	assert_int_equal(rt_enabler_check(&cmd), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_glob),          cmocka_unit_test(test_glob_no_blowup),
	    cmocka_unit_test(test_loglevel),      cmocka_unit_test(test_enabler_match),
	    cmocka_unit_test(test_enabler_check),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

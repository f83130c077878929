/* SPDX-License-Identifier: MIT */
/*
 * Event rules of libringtrace-ust (src/lib/ust/enabler.c): globs, log levels
 * and exclusions.
 */
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
	assert_int_equal(rt_enabler_new(&cmd, NULL, 0, NULL, &e), 0);
	assert_false(e->enabled); /* until sessiond enables it, as lttng-ust's */
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

static const struct ringtrace_event_desc app_noisy = {.provider_name = "app",
                                                      .event_name = "noisy"};
static const struct ringtrace_event_desc app_tick = {.provider_name = "app", .event_name = "tick"};
static const struct ringtrace_event_desc app_other = {.provider_name = "app",
                                                      .event_name = "other"};

static struct rt_ust_enabler *new_enabler(const char *pattern, const char *const *exclusions,
                                          uint32_t count)
{
	struct ust_cmd_enabler cmd = {.loglevel_type = UST_LOGLEVEL_ALL};
	char names[4][RINGTRACE_SYM_NAME_LEN] = {{0}};
	struct rt_ust_enabler *e = NULL;

	assert_true(count <= 4);
	strcpy(cmd.pattern, pattern);
	for (uint32_t i = 0; i < count; i++)
		strcpy(names[i], exclusions[i]);
	assert_int_equal(rt_enabler_new(&cmd, count ? names : NULL, count, NULL, &e), 0);
	return e;
}

static void test_enabler_exclusions(void **state)
{
	static const char *const two[] = {"app:noisy", "app:tick"};
	static const char *const glob[] = {"app:t*k"};
	static const char *const empty[] = {""};
	static const char *const all[] = {"*"};
	struct rt_ust_enabler *e;

	e = new_enabler("app:*", two, 2);
	assert_int_equal(e->exclusion_count, 2);
	assert_false(rt_enabler_match(e, &app_noisy));
	assert_false(rt_enabler_match(e, &app_tick));
	assert_true(rt_enabler_match(e, &app_other));
	assert_false(rt_enabler_match_name(e, "app:noisy", -1));
	assert_true(rt_enabler_match_name(e, "app:noisy2", -1)); /* exact name, not a prefix */
	free(e);

	/* Exclusions are globs, as lttng-ust 2.13's. */
	e = new_enabler("app:*", glob, 1);
	assert_false(rt_enabler_match(e, &app_tick));
	assert_true(rt_enabler_match(e, &app_noisy));
	assert_true(rt_enabler_match(e, &app_other));
	free(e);

	/* An empty name excludes nothing; "*" excludes everything. */
	e = new_enabler("app:*", empty, 1);
	assert_true(rt_enabler_match(e, &app_noisy));
	free(e);
	e = new_enabler("app:*", all, 1);
	assert_false(rt_enabler_match(e, &app_other));
	free(e);

	/* No exclusions: the pattern alone. */
	e = new_enabler("app:*", NULL, 0);
	assert_true(rt_enabler_match(e, &app_noisy));
	free(e);
}

/* Builds a CREATE_ENABLER tail: count, then names (each filled with fill). */
static size_t make_tail(uint8_t *buf, uint32_t count, uint32_t names, char fill)
{
	memcpy(buf, &count, sizeof(count));
	memset(buf + sizeof(count), fill, (size_t)names * RINGTRACE_SYM_NAME_LEN);
	for (uint32_t i = 0; i < names && fill; i++)
		buf[sizeof(count) + (size_t)(i + 1) * RINGTRACE_SYM_NAME_LEN - 1] = '\0';
	return sizeof(count) + (size_t)names * RINGTRACE_SYM_NAME_LEN;
}

static void test_enabler_exclusions_check(void **state)
{
	size_t max = sizeof(uint32_t) + (size_t)(UST_MAX_EXCLUSIONS + 1) * RINGTRACE_SYM_NAME_LEN;
	uint8_t *buf = calloc(1, max);
	uint32_t count = 99;
	size_t len;

	assert_non_null(buf);
	/* No tail: no exclusions. */
	assert_int_equal(rt_enabler_exclusions_check(buf, 0, &count), 0);
	assert_int_equal(count, 0);
	/* A short count. */
	assert_int_equal(rt_enabler_exclusions_check(buf, 3, &count), -EINVAL);
	/* A count of 0 with its header only. */
	len = make_tail(buf, 0, 0, 'a');
	assert_int_equal(rt_enabler_exclusions_check(buf, len, &count), 0);
	assert_int_equal(count, 0);
	len = make_tail(buf, 2, 2, 'a');
	assert_int_equal(rt_enabler_exclusions_check(buf, len, &count), 0);
	assert_int_equal(count, 2);
	/* Length not exactly count names: one short, one extra byte. */
	assert_int_equal(rt_enabler_exclusions_check(buf, len - 1, &count), -EINVAL);
	assert_int_equal(rt_enabler_exclusions_check(buf, len + 1, &count), -EINVAL);
	len = make_tail(buf, 3, 2, 'a');
	assert_int_equal(rt_enabler_exclusions_check(buf, len, &count), -EINVAL);
	/* A name without its NUL. */
	len = make_tail(buf, 2, 2, 'a');
	buf[len - 1] = 'a';
	assert_int_equal(rt_enabler_exclusions_check(buf, len, &count), -EINVAL);
	/* The bound, and one past it. */
	len = make_tail(buf, UST_MAX_EXCLUSIONS, UST_MAX_EXCLUSIONS, 'a');
	assert_int_equal(rt_enabler_exclusions_check(buf, len, &count), 0);
	assert_int_equal(count, UST_MAX_EXCLUSIONS);
	len = make_tail(buf, UST_MAX_EXCLUSIONS + 1, UST_MAX_EXCLUSIONS + 1, 'a');
	assert_int_equal(rt_enabler_exclusions_check(buf, len, &count), -EINVAL);
	/* A huge count must not overflow the length check. */
	len = make_tail(buf, UINT32_MAX, 1, 'a');
	assert_int_equal(rt_enabler_exclusions_check(buf, len, &count), -EINVAL);
	assert_int_equal(count, UST_MAX_EXCLUSIONS); /* untouched on failure */
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_glob),
	    cmocka_unit_test(test_glob_no_blowup),
	    cmocka_unit_test(test_loglevel),
	    cmocka_unit_test(test_enabler_match),
	    cmocka_unit_test(test_enabler_check),
	    cmocka_unit_test(test_enabler_exclusions),
	    cmocka_unit_test(test_enabler_exclusions_check),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

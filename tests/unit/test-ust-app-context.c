/* SPDX-License-Identifier: MIT */
/*
 * Context providers and application context slots of libringtrace-ust
 * (src/lib/ust/app-context.c), through lttng-ust's API spelling: which
 * names register, what a slot records and reads with and without its
 * provider, and a provider that writes more or less than it announced.
 */
#include <errno.h>
#include <lttng/ust-context-provider.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <urcu-bp.h> /* without _LGPL_SOURCE: the read lock is a call, clean under UBSan */

#include <cmocka.h>

#include "lib/ust/app-context.h"

/* The provider: "$app.t:CTX" is an int32 CTX_VALUE; "$app.t:long" writes 9 bytes, announces 5. */
static int32_t value = 7;
static const char *last_name;

static size_t get_size(void *priv, struct lttng_ust_probe_ctx *probe_ctx, size_t offset)
{
	(void)priv;
	(void)probe_ctx;
	return lttng_ust_ring_buffer_align(offset, lttng_ust_rb_alignof(char)) + 1 + sizeof(value);
}

static void record(void *priv, struct lttng_ust_probe_ctx *probe_ctx,
                   struct lttng_ust_ring_buffer_ctx *ctx, struct lttng_ust_channel_buffer *chan)
{
	const struct lttng_ust_app_context *app = priv;
	char tag = LTTNG_UST_DYNAMIC_TYPE_S32;
	int64_t wide = value;

	(void)probe_ctx;
	last_name = app->ctx_name;
	chan->ops->event_write(ctx, &tag, 1, lttng_ust_rb_alignof(char));
	if (strcmp(app->ctx_name, "$app.t:long") == 0)
		chan->ops->event_write(ctx, &wide, sizeof(wide), lttng_ust_rb_alignof(wide));
	else if (strcmp(app->ctx_name, "$app.t:short") != 0)
		chan->ops->event_write(ctx, &value, sizeof(value), lttng_ust_rb_alignof(value));
}

static void get_value(void *priv, struct lttng_ust_probe_ctx *probe_ctx,
                      struct lttng_ust_ctx_value *v)
{
	(void)priv;
	(void)probe_ctx;
	v->sel = LTTNG_UST_DYNAMIC_TYPE_S64;
	v->u.s64 = value;
}

static struct lttng_ust_context_provider provider = {
    .struct_size = sizeof(struct lttng_ust_context_provider),
    .name = "$app.t",
    .get_size = get_size,
    .record = record,
    .get_value = get_value,
};

static void test_register_names(void **state)
{
	struct lttng_ust_context_provider bad = provider;
	struct lttng_ust_registered_context_provider *reg, *again;
	static const char *const refused[] = {"t", "$app.", "$app.a:b", "$ctx.t"};

	(void)state;
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		bad.name = refused[i];
		assert_null(lttng_ust_context_provider_register(&bad));
	}
	bad.name = "$app.x";
	bad.get_value = NULL;
	assert_null(lttng_ust_context_provider_register(&bad));
	reg = lttng_ust_context_provider_register(&provider);
	assert_non_null(reg);
	again = lttng_ust_context_provider_register(&provider); /* the name is taken */
	assert_null(again);
	lttng_ust_context_provider_unregister(reg);
	lttng_ust_context_provider_unregister(NULL);
}

static void test_slot_names(void **state)
{
	struct rt_ust_app_context *a, *b;
	static const char *const refused[] = {"$app.t", "$app.:c", "$app.t:", "t:c", "$ctx.t:c"};
	char long_name[300];

	(void)state;
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		assert_int_equal(rt_ust_app_context_get(refused[i], &a), -EINVAL);
	memset(long_name, 'p', sizeof(long_name));
	memcpy(long_name, "$app.x:", 7);
	long_name[RT_UST_APP_CONTEXT_NAME_MAX + 1] = '\0';
	assert_int_equal(rt_ust_app_context_get(long_name, &a), -EINVAL);
	long_name[RT_UST_APP_CONTEXT_NAME_MAX] = '\0';
	assert_int_equal(rt_ust_app_context_get(long_name, &a), 0);
	assert_int_equal(rt_ust_app_context_get("$app.t:x", &a), 0);
	assert_int_equal(rt_ust_app_context_get("$app.t:x", &b), 0);
	assert_ptr_equal(a, b);
	assert_int_equal(rt_ust_app_context_get("$app.t:y", &b), 0);
	assert_ptr_not_equal(a, b);
}

/* Size, bytes and value of a slot, as the record path and filters use them. */
static void check_slot(struct rt_ust_app_context *ctx, bool provided)
{
	const struct ringtrace_context_provider *p;
	struct ringtrace_ctx_value v;
	char buf[8];
	uint64_t len;

	urcu_bp_read_lock();
	p = rt_ust_app_context_provider(ctx);
	assert_true((p != NULL) == provided);
	len = rt_ust_app_context_size(ctx, p, NULL, 3);
	assert_int_equal(len, provided ? 5 : 1);
	memset(buf, 0x55, sizeof(buf));
	rt_ust_app_context_write(ctx, p, NULL, buf, len);
	assert_int_equal(buf[0],
	                 provided ? LTTNG_UST_DYNAMIC_TYPE_S32 : LTTNG_UST_DYNAMIC_TYPE_NONE);
	if (provided)
		assert_memory_equal(buf + 1, &value, sizeof(value));
	assert_int_equal(buf[len], 0x55); /* nothing written past the announced size */
	rt_ust_app_context_value(ctx, &v);
	assert_int_equal(v.sel, provided ? RINGTRACE_CTX_VALUE_S64 : RINGTRACE_CTX_VALUE_NONE);
	if (provided)
		assert_int_equal(v.u.s64, value);
	urcu_bp_read_unlock();
}

static void test_slot_follows_registration(void **state)
{
	struct lttng_ust_registered_context_provider *reg;
	struct rt_ust_app_context *before, *after;

	(void)state;
	assert_int_equal(rt_ust_app_context_get("$app.t:before", &before), 0);
	check_slot(before, false);
	reg = lttng_ust_context_provider_register(&provider);
	assert_non_null(reg);
	check_slot(before, true);
	assert_int_equal(rt_ust_app_context_get("$app.t:after", &after), 0);
	check_slot(after, true);
	last_name = NULL;
	check_slot(after, true);
	assert_string_equal(last_name, "$app.t:after"); /* priv names the context */
	lttng_ust_context_provider_unregister(reg);
	check_slot(before, false);
	check_slot(after, false);
}

/* A provider writing more than it announced is cut; less leaves zeros. */
static void test_provider_size_mismatch(void **state)
{
	struct lttng_ust_registered_context_provider *reg =
	    lttng_ust_context_provider_register(&provider);
	struct rt_ust_app_context *ctx;
	const struct ringtrace_context_provider *p;
	char buf[12];

	(void)state;
	assert_non_null(reg);
	urcu_bp_read_lock();
	assert_int_equal(rt_ust_app_context_get("$app.t:long", &ctx), 0);
	p = rt_ust_app_context_provider(ctx);
	memset(buf, 0x55, sizeof(buf));
	rt_ust_app_context_write(ctx, p, NULL, buf, 5);
	assert_int_equal(buf[5], 0x55);
	assert_int_equal(rt_ust_app_context_get("$app.t:short", &ctx), 0);
	memset(buf, 0x55, sizeof(buf));
	rt_ust_app_context_write(ctx, p, NULL, buf, 5);
	assert_int_equal(buf[0], LTTNG_UST_DYNAMIC_TYPE_S32);
	assert_memory_equal(buf + 1, "\0\0\0\0", 4);
	assert_int_equal(buf[5], 0x55);
	urcu_bp_read_unlock();
	lttng_ust_context_provider_unregister(reg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_register_names),
	    cmocka_unit_test(test_slot_names),
	    cmocka_unit_test(test_slot_follows_registration),
	    cmocka_unit_test(test_provider_size_mismatch),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

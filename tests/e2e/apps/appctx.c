/* SPDX-License-Identifier: MIT */
/*
 * appctx: registers the application context provider "$app.myprov", prints
 * "ready", then runs the commands read on stdin, printing "ok" after each:
 *   emit N       emits N rt_test:seq events (thread 0, seq continuing);
 *   unregister   unregisters the provider;
 *   register     registers it again.
 * For the seq-th event, "$app.myprov:TYPE" reads (see value_of()):
 *   s8 -(seq % 100)   s16 -1000-seq   s32 -100000-seq   s64 -2^40-seq
 *   u8 200+seq % 50   u16 60000+seq   u32 4e9+seq       u64 2^63+seq
 *   float seq+0.25    double seq+0.5  string "v<seq>"   anything else: none
 * Written against lttng-ust 2.13's context provider API.
 */
#include <lttng/ust-context-provider.h>
#include <lttng/ust-events.h>
#include <lttng/ust-ringbuffer-context.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rt_test_tp.h"

static uint64_t seq;
static char text[32];

/* The part of "$app.myprov:TYPE" after the colon. */
static const char *type_of(void *priv)
{
	const struct lttng_ust_app_context *app_ctx = priv;
	const char *colon = strchr(app_ctx->ctx_name, ':');

	return colon ? colon + 1 : "";
}

static void value_of(void *priv, struct lttng_ust_ctx_value *v)
{
	const char *t = type_of(priv);

	v->sel = LTTNG_UST_DYNAMIC_TYPE_NONE;
	if (!strcmp(t, "s8")) {
		v->sel = LTTNG_UST_DYNAMIC_TYPE_S8;
		v->u.s64 = -(int64_t)(seq % 100);
	} else if (!strcmp(t, "s16")) {
		v->sel = LTTNG_UST_DYNAMIC_TYPE_S16;
		v->u.s64 = -1000 - (int64_t)seq;
	} else if (!strcmp(t, "s32")) {
		v->sel = LTTNG_UST_DYNAMIC_TYPE_S32;
		v->u.s64 = -100000 - (int64_t)seq;
	} else if (!strcmp(t, "s64")) {
		v->sel = LTTNG_UST_DYNAMIC_TYPE_S64;
		v->u.s64 = -(INT64_C(1) << 40) - (int64_t)seq;
	} else if (!strcmp(t, "u8")) {
		v->sel = LTTNG_UST_DYNAMIC_TYPE_U8;
		v->u.u64 = 200 + seq % 50;
	} else if (!strcmp(t, "u16")) {
		v->sel = LTTNG_UST_DYNAMIC_TYPE_U16;
		v->u.u64 = 60000 + seq;
	} else if (!strcmp(t, "u32")) {
		v->sel = LTTNG_UST_DYNAMIC_TYPE_U32;
		v->u.u64 = 4000000000u + seq;
	} else if (!strcmp(t, "u64")) {
		v->sel = LTTNG_UST_DYNAMIC_TYPE_U64;
		v->u.u64 = (UINT64_C(1) << 63) + seq;
	} else if (!strcmp(t, "float")) {
		v->sel = LTTNG_UST_DYNAMIC_TYPE_FLOAT;
		v->u.d = (double)seq + 0.25;
	} else if (!strcmp(t, "double")) {
		v->sel = LTTNG_UST_DYNAMIC_TYPE_DOUBLE;
		v->u.d = (double)seq + 0.5;
	} else if (!strcmp(t, "string")) {
		v->sel = LTTNG_UST_DYNAMIC_TYPE_STRING;
		snprintf(text, sizeof(text), "v%llu", (unsigned long long)seq);
		v->u.str = text;
	}
}

static size_t payload_size(const struct lttng_ust_ctx_value *v)
{
	switch (v->sel) {
	case LTTNG_UST_DYNAMIC_TYPE_S8:
	case LTTNG_UST_DYNAMIC_TYPE_U8:
		return 1;
	case LTTNG_UST_DYNAMIC_TYPE_S16:
	case LTTNG_UST_DYNAMIC_TYPE_U16:
		return 2;
	case LTTNG_UST_DYNAMIC_TYPE_S32:
	case LTTNG_UST_DYNAMIC_TYPE_U32:
	case LTTNG_UST_DYNAMIC_TYPE_FLOAT:
		return 4;
	case LTTNG_UST_DYNAMIC_TYPE_S64:
	case LTTNG_UST_DYNAMIC_TYPE_U64:
	case LTTNG_UST_DYNAMIC_TYPE_DOUBLE:
		return 8;
	case LTTNG_UST_DYNAMIC_TYPE_STRING:
		return strlen(v->u.str) + 1;
	default:
		return 0;
	}
}

static size_t get_size(void *priv, struct lttng_ust_probe_ctx *probe_ctx, size_t offset)
{
	struct lttng_ust_ctx_value v;
	size_t size;

	(void)probe_ctx;
	value_of(priv, &v);
	size = lttng_ust_ring_buffer_align(offset, lttng_ust_rb_alignof(char)) + 1;
	return size + payload_size(&v); /* byte-packed: no alignment after the tag */
}

static void record(void *priv, struct lttng_ust_probe_ctx *probe_ctx,
                   struct lttng_ust_ring_buffer_ctx *ctx, struct lttng_ust_channel_buffer *chan)
{
	struct lttng_ust_ctx_value v;
	char tag;
	int8_t s8;
	int16_t s16;
	int32_t s32;
	float f;

	(void)probe_ctx;
	value_of(priv, &v);
	tag = (char)v.sel;
	chan->ops->event_write(ctx, &tag, 1, lttng_ust_rb_alignof(char));
	switch (v.sel) {
	case LTTNG_UST_DYNAMIC_TYPE_S8:
	case LTTNG_UST_DYNAMIC_TYPE_U8:
		s8 = (int8_t)v.u.s64;
		chan->ops->event_write(ctx, &s8, 1, lttng_ust_rb_alignof(s8));
		break;
	case LTTNG_UST_DYNAMIC_TYPE_S16:
	case LTTNG_UST_DYNAMIC_TYPE_U16:
		s16 = (int16_t)v.u.s64;
		chan->ops->event_write(ctx, &s16, 2, lttng_ust_rb_alignof(s16));
		break;
	case LTTNG_UST_DYNAMIC_TYPE_S32:
	case LTTNG_UST_DYNAMIC_TYPE_U32:
		s32 = (int32_t)v.u.s64;
		chan->ops->event_write(ctx, &s32, 4, lttng_ust_rb_alignof(s32));
		break;
	case LTTNG_UST_DYNAMIC_TYPE_S64:
	case LTTNG_UST_DYNAMIC_TYPE_U64:
		chan->ops->event_write(ctx, &v.u.s64, 8, lttng_ust_rb_alignof(v.u.s64));
		break;
	case LTTNG_UST_DYNAMIC_TYPE_FLOAT:
		f = (float)v.u.d;
		chan->ops->event_write(ctx, &f, 4, lttng_ust_rb_alignof(f));
		break;
	case LTTNG_UST_DYNAMIC_TYPE_DOUBLE:
		chan->ops->event_write(ctx, &v.u.d, 8, lttng_ust_rb_alignof(v.u.d));
		break;
	case LTTNG_UST_DYNAMIC_TYPE_STRING:
		chan->ops->event_write(ctx, v.u.str, strlen(v.u.str) + 1, 1);
		break;
	default:
		break;
	}
}

static void get_value(void *priv, struct lttng_ust_probe_ctx *probe_ctx,
                      struct lttng_ust_ctx_value *value)
{
	(void)probe_ctx;
	value_of(priv, value);
}

static struct lttng_ust_context_provider provider = {
    .struct_size = sizeof(struct lttng_ust_context_provider),
    .name = "$app.myprov",
    .get_size = get_size,
    .record = record,
    .get_value = get_value,
};

int main(void)
{
	struct lttng_ust_registered_context_provider *reg;
	char line[64];

	reg = lttng_ust_context_provider_register(&provider);
	if (!reg) {
		fprintf(stderr, "provider registration failed\n");
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	while (fgets(line, sizeof(line), stdin)) {
		if (!strncmp(line, "emit ", 5)) {
			uint64_t end = seq + strtoull(line + 5, NULL, 10);

			for (; seq < end; seq++)
				lttng_ust_tracepoint(rt_test, seq, 0, seq);
		} else if (!strcmp(line, "unregister\n") && reg) {
			lttng_ust_context_provider_unregister(reg);
			reg = NULL;
		} else if (!strcmp(line, "register\n") && !reg) {
			reg = lttng_ust_context_provider_register(&provider);
			if (!reg)
				return 1;
		} else {
			fprintf(stderr, "bad command: %s", line);
			return 2;
		}
		printf("ok\n");
		fflush(stdout);
	}
	if (reg)
		lttng_ust_context_provider_unregister(reg);
	return 0;
}

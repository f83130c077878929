/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * lttng-ust 2.13 exports lttng_ust_context_provider_register() and
 * _unregister() from liblttng-ust.so.1 but does not install the header
 * declaring them (it lives in its src/common/). This one declares that ABI
 * (lttng-ust 2.13.5: src/common/ust-context-provider.h and
 * src/common/dynamic-type.h) so the interop tests can build
 * tests/e2e/apps/appctx.c against the real lttng-ust.
 */

#include <lttng/ust-events.h>
#include <lttng/ust-ringbuffer-context.h>
#include <stddef.h>
#include <stdint.h>

enum lttng_ust_dynamic_type {
	LTTNG_UST_DYNAMIC_TYPE_NONE,
	LTTNG_UST_DYNAMIC_TYPE_S8,
	LTTNG_UST_DYNAMIC_TYPE_S16,
	LTTNG_UST_DYNAMIC_TYPE_S32,
	LTTNG_UST_DYNAMIC_TYPE_S64,
	LTTNG_UST_DYNAMIC_TYPE_U8,
	LTTNG_UST_DYNAMIC_TYPE_U16,
	LTTNG_UST_DYNAMIC_TYPE_U32,
	LTTNG_UST_DYNAMIC_TYPE_U64,
	LTTNG_UST_DYNAMIC_TYPE_FLOAT,
	LTTNG_UST_DYNAMIC_TYPE_DOUBLE,
	LTTNG_UST_DYNAMIC_TYPE_STRING,
	_NR_LTTNG_UST_DYNAMIC_TYPES,
};

struct lttng_ust_ctx_value {
	enum lttng_ust_dynamic_type sel;
	union {
		int64_t s64;
		uint64_t u64;
		const char *str;
		double d;
	} u;
};

struct lttng_ust_registered_context_provider;

struct lttng_ust_context_provider {
	uint32_t struct_size;
	const char *name;
	size_t (*get_size)(void *priv, struct lttng_ust_probe_ctx *probe_ctx, size_t offset);
	void (*record)(void *priv, struct lttng_ust_probe_ctx *probe_ctx,
	               struct lttng_ust_ring_buffer_ctx *ctx,
	               struct lttng_ust_channel_buffer *chan);
	void (*get_value)(void *priv, struct lttng_ust_probe_ctx *probe_ctx,
	                  struct lttng_ust_ctx_value *value);
	void *priv;
};

/* What the callbacks receive as priv. */
struct lttng_ust_app_context {
	uint32_t struct_size;
	struct lttng_ust_event_field *event_field;
	char *ctx_name;
};

struct lttng_ust_registered_context_provider *
lttng_ust_context_provider_register(struct lttng_ust_context_provider *provider);
void lttng_ust_context_provider_unregister(struct lttng_ust_registered_context_provider *reg);

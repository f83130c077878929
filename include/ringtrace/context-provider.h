/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Application contexts: values a program provides itself, recorded with
 * every event of a channel to which `add-context -u -t '$app.PROVIDER:CTX'`
 * added them and read by filters as `$app.PROVIDER:CTX` (lttng-ust 2.13's
 * context providers; <lttng/ust-context-provider.h> maps its names onto
 * these).
 *
 * A provider is named "$app.PROVIDER" (no ':'); one provider serves every
 * "$app.PROVIDER:CTX". Its callbacks run in the thread emitting the event,
 * inside the tracer's RCU read-side critical section: they must not block,
 * and must give the same value to get_size() and record() of one event.
 * priv is a struct ringtrace_app_context naming the context being read.
 *
 * In a record, an application context is a one-byte tag (the value's
 * enum ringtrace_ctx_value_type) followed by the value: nothing (NONE),
 * the integer in its size, a float, a double, or a NUL-terminated string,
 * byte-packed. A context whose provider is not registered records the tag
 * NONE; filters reading it reject the event, as they do for any value that
 * is not S64, DOUBLE or STRING (lttng-ust 2.13's rules).
 *
 * After ringtrace_context_provider_unregister() returns, no callback of the
 * provider runs any more and it may be freed.
 */

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The tag values, as lttng-ust's enum lttng_ust_dynamic_type. */
enum ringtrace_ctx_value_type {
	RINGTRACE_CTX_VALUE_NONE = 0,
	RINGTRACE_CTX_VALUE_S8 = 1,
	RINGTRACE_CTX_VALUE_S16 = 2,
	RINGTRACE_CTX_VALUE_S32 = 3,
	RINGTRACE_CTX_VALUE_S64 = 4,
	RINGTRACE_CTX_VALUE_U8 = 5,
	RINGTRACE_CTX_VALUE_U16 = 6,
	RINGTRACE_CTX_VALUE_U32 = 7,
	RINGTRACE_CTX_VALUE_U64 = 8,
	RINGTRACE_CTX_VALUE_FLOAT = 9,
	RINGTRACE_CTX_VALUE_DOUBLE = 10,
	RINGTRACE_CTX_VALUE_STRING = 11,
	_RINGTRACE_CTX_VALUE_MAX,
};

/* What get_value() fills: sel, then s64 (S*), u64 (U*), d (FLOAT, DOUBLE) or str. */
struct ringtrace_ctx_value {
	enum ringtrace_ctx_value_type sel;
	union {
		int64_t s64;
		uint64_t u64;
		const char *str;
		double d;
	} u;
};

/* The event being recorded: ip is its call site. */
struct ringtrace_probe_ctx {
	uint32_t struct_size;
	void *ip;
};

/* Where record() writes, through chan->ops->event_write(). */
struct ringtrace_record_ctx;

struct ringtrace_channel_buffer_ops {
	/*
	 * Copies len bytes of src at the record's write position. alignment:
	 * of the value's type (records are byte-packed, it adds no padding).
	 * Bytes beyond what get_size() announced are dropped.
	 */
	void (*event_write)(struct ringtrace_record_ctx *ctx, const void *src, size_t len,
	                    size_t alignment);
};

struct ringtrace_channel_buffer {
	uint32_t struct_size;
	const struct ringtrace_channel_buffer_ops *ops;
};

/* The callbacks' priv: which context is read. */
struct ringtrace_app_context {
	uint32_t struct_size;
	void *event_field; /* unused, NULL */
	char *ctx_name;    /* "$app.PROVIDER:CTX" */
};

struct ringtrace_context_provider {
	uint32_t struct_size;
	const char *name; /* "$app.PROVIDER" */
	/* Bytes the context takes at offset in the record: 1 (tag) + the value's. */
	size_t (*get_size)(void *priv, struct ringtrace_probe_ctx *probe_ctx, size_t offset);
	/* Writes the tag, then the value. */
	void (*record)(void *priv, struct ringtrace_probe_ctx *probe_ctx,
	               struct ringtrace_record_ctx *ctx, struct ringtrace_channel_buffer *chan);
	/* The value, for filters. */
	void (*get_value)(void *priv, struct ringtrace_probe_ctx *probe_ctx,
	                  struct ringtrace_ctx_value *value);
	void *priv; /* not passed to the callbacks (see struct ringtrace_app_context) */
};

struct ringtrace_registered_context_provider;

/*
 * Registers provider (which must outlive its registration); from now on
 * every "$app.NAME:CTX" context of the running sessions reads it. NULL when
 * the name does not start with "$app.", has a ':', another provider has
 * that name, a callback is missing, or memory is short.
 */
struct ringtrace_registered_context_provider *
ringtrace_context_provider_register(struct ringtrace_context_provider *provider);

/* Unregisters it: its contexts record NONE again. NULL is ignored. */
void ringtrace_context_provider_unregister(struct ringtrace_registered_context_provider *reg);

#ifdef __cplusplus
}
#endif

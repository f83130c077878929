/* SPDX-License-Identifier: MIT */
#include "lib/ust/filter-context.h"

#include <errno.h>

#include "lib/ust/app-context.h"
#include "lib/ust/context.h"

static int kind_of(enum rt_ctx_value_type type, enum filter_ctx_kind *ret_kind)
{
	switch (type) {
	case RT_CTX_VALUE_S64:
	case RT_CTX_VALUE_U64:
		*ret_kind = FILTER_CTX_INTEGER;
		return 0;
	case RT_CTX_VALUE_DOUBLE:
		*ret_kind = FILTER_CTX_DOUBLE;
		return 0;
	case RT_CTX_VALUE_STRING:
		*ret_kind = FILTER_CTX_STRING;
		return 0;
	default:
		return -EINVAL;
	}
}

static int filter_context_resolve(const char *name, const void **ret_handle,
                                  enum filter_ctx_kind *ret_kind)
{
	const struct rt_ust_context *ctx = rt_ust_context_find(name);

	if (!ctx || ctx->id == RT_UST_CTX_IP || kind_of(ctx->value_type, ret_kind) < 0)
		return -ENOENT;
	*ret_handle = ctx;
	return 0;
}

static int filter_context_get(const void *handle, struct filter_ctx_value *ret)
{
	struct rt_ctx_value v;
	int r;

	r = rt_ust_context_get_value(handle, &v);
	if (r < 0)
		return r;
	r = kind_of(v.type, &ret->kind);
	if (r < 0)
		return r;
	switch (v.type) {
	case RT_CTX_VALUE_S64:
		ret->u.s64 = v.u.s64;
		break;
	case RT_CTX_VALUE_U64:
		ret->u.s64 = (int64_t)v.u.u64;
		break;
	case RT_CTX_VALUE_DOUBLE:
		ret->u.d = v.u.d;
		break;
	default:
		ret->u.str = v.u.str;
		break;
	}
	return 0;
}

static int filter_app_context_resolve(const char *name, const void **ret_handle)
{
	struct rt_ust_app_context *ctx;
	int r = rt_ust_app_context_get(name, &ctx);

	if (r < 0)
		return r;
	*ret_handle = ctx;
	return 0;
}

/* lttng-ust's filters read S64, DOUBLE and STRING values; anything else is an error. */
static int filter_app_context_get(const void *handle, struct filter_ctx_value *ret)
{
	struct ringtrace_ctx_value v;

	rt_ust_app_context_value((struct rt_ust_app_context *)handle, &v);
	switch (v.sel) {
	case RINGTRACE_CTX_VALUE_S64:
		ret->kind = FILTER_CTX_INTEGER;
		ret->u.s64 = v.u.s64;
		return 0;
	case RINGTRACE_CTX_VALUE_DOUBLE:
		ret->kind = FILTER_CTX_DOUBLE;
		ret->u.d = v.u.d;
		return 0;
	case RINGTRACE_CTX_VALUE_STRING:
		if (!v.u.str)
			return -EINVAL;
		ret->kind = FILTER_CTX_STRING;
		ret->u.str = v.u.str;
		return 0;
	default:
		return -EINVAL;
	}
}

const struct filter_ctx_ops rt_ust_filter_context_ops = {
    .resolve = filter_context_resolve,
    .get = filter_context_get,
    .resolve_app = filter_app_context_resolve,
    .get_app = filter_app_context_get,
};

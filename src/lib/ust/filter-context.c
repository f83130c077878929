/* SPDX-License-Identifier: MIT */
#include "lib/ust/filter-context.h"

#include <errno.h>

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

const struct filter_ctx_ops rt_ust_filter_context_ops = {
    .resolve = filter_context_resolve,
    .get = filter_context_get,
};

/* SPDX-License-Identifier: MIT */
#define _LGPL_SOURCE
#include "lib/ust/recorder-filter.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <urcu-bp.h>
#include <urcu/rculist.h>

#include "common/macros.h"
#include "filter/filter-interp.h"
#include "filter/filter-validate.h"
#include "lib/ust/comm-conn.h"
#include "lib/ust/context.h"
#include "lib/ust/record.h"

/*
 * "$ctx.NAME" in a filter: the built-in contexts of this library, read for
 * the emitting thread when the filter runs (whether or not the channel
 * records them), integers compared as signed 64-bit as lttng-ust does.
 */
static int filter_context_resolve(const char *name, const void **ret_handle,
                                  enum filter_ctx_kind *ret_kind)
{
	const struct rt_ust_context *ctx = rt_ust_context_find(name);

	if (!ctx)
		return -ENOENT;
	*ret_handle = ctx;
	*ret_kind = ctx->is_text                             ? FILTER_CTX_STRING
	            : ctx->value_type == RT_CTX_VALUE_DOUBLE ? FILTER_CTX_DOUBLE
	                                                     : FILTER_CTX_INTEGER;
	return 0;
}

static int filter_context_get(const void *handle, struct filter_ctx_value *ret)
{
	struct rt_ctx_value v;
	int r = rt_ust_context_get_value(handle, &v);

	if (r < 0)
		return r;
	switch (v.type) {
	case RT_CTX_VALUE_STRING:
		ret->kind = FILTER_CTX_STRING;
		ret->u.str = v.u.str;
		return 0;
	case RT_CTX_VALUE_DOUBLE:
		ret->kind = FILTER_CTX_DOUBLE;
		ret->u.d = v.u.d;
		return 0;
	case RT_CTX_VALUE_S64:
		ret->kind = FILTER_CTX_INTEGER;
		ret->u.s64 = v.u.s64;
		return 0;
	case RT_CTX_VALUE_U64:
		ret->kind = FILTER_CTX_INTEGER;
		ret->u.s64 = (int64_t)v.u.u64;
		return 0;
	}
	return -EINVAL;
}

static const struct filter_ctx_ops filter_context_ops = {
    .resolve = filter_context_resolve,
    .get = filter_context_get,
};

int rt_ust_bytecode_new(const void *data, size_t size, struct rt_ust_bytecode **ret_bytecode,
                        const char **ret_reason)
{
	static uint64_t next_id;
	struct rt_ust_bytecode *bc;
	int r;

	r = filter_validate(data, size, NULL, ret_reason);
	if (r < 0)
		return r;
	bc = malloc(sizeof(*bc) + size);
	if (!bc)
		return -ENOMEM;
	bc->id = __atomic_add_fetch(&next_id, 1, __ATOMIC_RELAXED);
	bc->size = (uint32_t)size;
	memcpy(bc->data, data, size);
	*ret_bytecode = bc;
	return 0;
}

/* Out of line: the record path stays small for the common, unfiltered case. */
__attribute__((noinline)) bool rt_ust_filter_set_accepts(const struct rt_ust_filter_set *set,
                                                         const union ringtrace_filter_value *values)
{
	if (!values)
		return false; /* the probe saw no filter yet: one is being installed */
	for (uint32_t i = 0; i < set->nr; i++) {
		if (set->programs[i] && filter_program_run(set->programs[i], values))
			return true;
	}
	return false;
}

bool rt_ust_recorder_filters_are(const struct rt_ust_recorder *recorder,
                                 const struct rt_ust_bytecode *const *bytecodes, uint32_t nr)
{
	const struct rt_ust_filter_set *set = recorder->filters;

	if (!set)
		return nr == 0;
	if (set->nr != nr)
		return false;
	for (uint32_t i = 0; i < nr; i++)
		if (set->ids[i] != bytecodes[i]->id)
			return false;
	return true;
}

void rt_ust_filter_set_free(struct rt_ust_filter_set *set)
{
	if (!set)
		return;
	for (uint32_t i = 0; i < set->nr; i++)
		filter_program_free(set->programs[i]);
	free(set->programs);
	free(set->ids);
	free(set);
}

static int filter_set_new(const struct ringtrace_event_desc *desc,
                          const struct rt_ust_bytecode *const *bytecodes, uint32_t nr,
                          struct rt_ust_filter_set **ret_set)
{
	struct rt_ust_filter_set *set = calloc(1, sizeof(*set));

	if (!set)
		return -ENOMEM;
	set->ids = calloc(nr, sizeof(*set->ids));
	set->programs = calloc(nr, sizeof(*set->programs));
	if (!set->ids || !set->programs) {
		rt_ust_filter_set_free(set);
		return -ENOMEM;
	}
	set->nr = nr;
	for (uint32_t i = 0; i < nr; i++) {
		const char *reason = NULL;
		int r;

		set->ids[i] = bytecodes[i]->id;
		r = filter_link(bytecodes[i]->data, bytecodes[i]->size, desc->fields,
		                desc->nr_fields, &filter_context_ops, &set->programs[i], &reason);
		if (r == -ENOMEM) {
			rt_ust_filter_set_free(set);
			return r;
		}
		if (r < 0)
			rt_comm_debug("filter of %s:%s never matches it: %s", desc->provider_name,
			              desc->event_name, reason ? reason : "link failed");
	}
	*ret_set = set;
	return 0;
}

void rt_ust_event_update_filtered(struct ringtrace_event_runtime *rt)
{
	struct rt_ust_recorder *r;
	int filtered = 0;

	cds_list_for_each_entry (r, &rt->recorders, node)
		if (r->filters)
			filtered = 1;
	CMM_STORE_SHARED(rt->head.filtered, filtered);
}

int rt_ust_recorder_set_filters(struct rt_ust_recorder *recorder,
                                const struct rt_ust_bytecode *const *bytecodes, uint32_t nr,
                                struct rt_ust_filter_set **free_list)
{
	const struct ringtrace_event_desc *desc = rt_ust_recorder_event(recorder);
	struct rt_ust_filter_set *set = NULL, *old = recorder->filters;

	if (nr > 0) {
		int r = filter_set_new(desc, bytecodes, nr, &set);

		if (r < 0)
			return r;
	}
	rcu_assign_pointer(recorder->filters, set);
	rt_ust_event_update_filtered(*desc->runtime);
	if (old) {
		old->next_free = *free_list;
		*free_list = old;
	}
	return 0;
}

void rt_ust_filter_sets_free_after_grace_period(struct rt_ust_filter_set *free_list)
{
	if (!free_list)
		return;
	synchronize_rcu();
	while (free_list) {
		struct rt_ust_filter_set *next = free_list->next_free;

		rt_ust_filter_set_free(free_list);
		free_list = next;
	}
}

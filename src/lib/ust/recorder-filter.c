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
#include "lib/ust/filter-context.h"
#include "lib/ust/record.h"

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
	return rt_ust_filter_set_accepts_inline(set, values);
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
	for (uint32_t i = 0; i < set->nr; i++) {
		free(set->clauses[i]);
		filter_program_free(set->programs[i]);
	}
	free(set->programs);
	free(set->clauses);
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
	set->clauses = calloc(nr, sizeof(*set->clauses));
	if (!set->ids || !set->programs || !set->clauses) {
		rt_ust_filter_set_free(set);
		return -ENOMEM;
	}
	set->nr = nr;
	set->in_place = true;
	for (uint32_t i = 0; i < nr; i++) {
		const char *reason = NULL;
		int r;

		set->ids[i] = bytecodes[i]->id;
		r = filter_link(bytecodes[i]->data, bytecodes[i]->size, desc->fields,
		                desc->nr_fields, &rt_ust_filter_context_ops, &set->programs[i],
		                &reason);
		if (r == 0)
			r = filter_clauses_build(set->programs[i], &set->clauses[i]);
		if (r == -ENOMEM) {
			rt_ust_filter_set_free(set);
			return r;
		}
		if (r < 0 && !set->programs[i])
			rt_comm_debug("filter of %s:%s never matches it: %s", desc->provider_name,
			              desc->event_name, reason ? reason : "link failed");
		if (!set->clauses[i] || !set->clauses[i]->ints_only)
			set->in_place = false;
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

/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * The filters of a recorder (an event in a channel), as lttng-ust 2.13
 * combines them: when every enabled rule of the channel that covers the
 * event has a filter, the recorder records a call when at least one of
 * those filters accepts it; when one of them has none, it records every
 * call (recorder->filters == NULL). A filter that failed to link against
 * the event never accepts.
 *
 * The set is immutable once published (RCU, read by the fast path); a
 * change publishes a new set and frees the old one after a grace period.
 * The event's `filtered` flag (struct ringtrace_event_runtime_head) is set
 * while any of its recorders has a set, so that probes fill the values.
 */

#include <ringtrace/tp-record.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "filter/filter-clauses.h"
#include "filter/filter-interp.h"
#include "lib/ust/ust-objects.h"

/* A validated filter container, as an enabler keeps it. */
struct rt_ust_bytecode {
	uint64_t id; /* unique for the process's life: identifies it in sets */
	uint32_t size;
	char data[]; /* struct filter_bytecode + code + relocation table */
};

struct rt_ust_filter_set {
	struct rt_ust_filter_set *next_free; /* on a list of sets to free */
	uint32_t nr;
	uint64_t *ids;                    /* nr bytecode ids, in the order given */
	struct filter_program **programs; /* nr; NULL when linking failed */
	/* nr: the program as clauses, evaluated without the interpreter, or NULL */
	struct filter_clauses **clauses;
	bool in_place; /* every program has clauses, of integer fields only: no call */
};

/*
 * Checks size bytes of untrusted bytecode (filter_validate) and copies them.
 * 0, -EINVAL (with *ret_reason), -ENOMEM.
 */
int rt_ust_bytecode_new(const void *data, size_t size, struct rt_ust_bytecode **ret_bytecode,
                        const char **ret_reason);

/*
 * Whether one of the set's clause graphs accepts these values (NULL: none
 * do), with no call. Precondition: set->in_place.
 */
static inline bool rt_ust_filter_set_accepts_in_place(const struct rt_ust_filter_set *set,
                                                      const union ringtrace_filter_value *values)
{
	if (!values)
		return false; /* the probe saw no filter yet: one is being installed */
	for (uint32_t i = 0; i < set->nr; i++)
		if (filter_clauses_accept_ints(set->clauses[i], values))
			return true;
	return false;
}

/* Whether one of the set's programs accepts these values (NULL: none do). */
static inline bool rt_ust_filter_set_accepts_inline(const struct rt_ust_filter_set *set,
                                                    const union ringtrace_filter_value *values)
{
	if (!values)
		return false; /* the probe saw no filter yet: one is being installed */
	for (uint32_t i = 0; i < set->nr; i++) {
		if (set->clauses[i]) {
			if (filter_clauses_accept(set->clauses[i], values))
				return true;
		} else if (set->programs[i] && filter_program_run(set->programs[i], values)) {
			return true;
		}
	}
	return false;
}

/* The same, out of line (the record path). */
bool rt_ust_filter_set_accepts(const struct rt_ust_filter_set *set,
                               const union ringtrace_filter_value *values)
    __attribute__((visibility("hidden"))); /* called by the record path without the PLT */

/*
 * Whether the recorder's current filters are exactly these bytecodes
 * (nr == 0 with NULL: no filtering).
 */
bool rt_ust_recorder_filters_are(const struct rt_ust_recorder *recorder,
                                 const struct rt_ust_bytecode *const *bytecodes, uint32_t nr);

/*
 * Links the bytecodes against the recorder's event and publishes them as
 * its filters (nr == 0: none), updating the event's flag. The old set is
 * put on *free_list, to free after a grace period with
 * rt_ust_filter_sets_free_after_grace_period(). rt_ust_lock() held.
 * -ENOMEM (nothing changed).
 */
int rt_ust_recorder_set_filters(struct rt_ust_recorder *recorder,
                                const struct rt_ust_bytecode *const *bytecodes, uint32_t nr,
                                struct rt_ust_filter_set **free_list);
void rt_ust_filter_sets_free_after_grace_period(struct rt_ust_filter_set *free_list);

/* Recomputes the event's flag from its recorders (after one left). rt_ust_lock() held. */
void rt_ust_event_update_filtered(struct ringtrace_event_runtime *rt);

/* Frees a set no reader can see any more (NULL is fine). */
void rt_ust_filter_set_free(struct rt_ust_filter_set *set);

/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Event rules ("enablers") sent by the session daemon: a channel, a glob on
 * the full event name "provider:event", a log-level condition and
 * exclusions (globs too). An enabler matches an event when its pattern and
 * log level match and none of its exclusions does. An event is recorded in
 * a channel when at least one enabled enabler of that channel matches it:
 * an exclusion of one rule never hides an event another rule covers.
 *
 * Globs: '*' matches any run of characters (empty included) and may appear
 * anywhere; a backslash makes the next character literal ("\*", "\\").
 * Log levels (lower is more severe; an event declared without one counts as
 * RINGTRACE_LOGLEVEL_DEFAULT):
 *   ALL     any level;
 *   RANGE   event level <= rule level, i.e. at least as severe
 *           (a rule level of -1 means any level, as with lttng);
 *   SINGLE  event level == rule level.
 */

#include "common/comm/ust-msg.h"

#include <ringtrace/event-desc.h>
#include <stdbool.h>
#include <stdint.h>
#include <urcu/list.h>

struct rt_ust_channel;
struct rt_ust_bytecode;

struct rt_ust_enabler {
	uint32_t handle;
	struct rt_ust_channel *chan;
	char pattern[RINGTRACE_SYM_NAME_LEN];
	int32_t loglevel_type; /* enum ust_loglevel_type */
	int32_t loglevel;
	bool enabled;
	/* Its filter (recorder-filter.h), NULL for none; set once, by SET_FILTER. */
	struct rt_ust_bytecode *filter;
	struct cds_list_head node; /* in the owning connection's enabler list */
	uint32_t exclusion_count;
	char exclusions[][RINGTRACE_SYM_NAME_LEN]; /* NUL-terminated; "" excludes nothing */
};

bool rt_glob_match(const char *pattern, const char *name);
bool rt_loglevel_match(int32_t loglevel_type, int32_t rule_loglevel, int32_t event_loglevel);

/*
 * Whether the rule covers the event (name, log level and exclusions; enabled
 * state ignored).
 */
bool rt_enabler_match(const struct rt_ust_enabler *enabler,
                      const struct ringtrace_event_desc *desc);
/* Same, with the event's "provider:event" name already formatted. */
bool rt_enabler_match_name(const struct rt_ust_enabler *enabler, const char *full_name,
                           int32_t event_loglevel);

/*
 * Checks a CREATE_ENABLER request: pattern NUL-terminated and non-empty,
 * known log-level type, level within the 15 levels (or -1 with RANGE).
 * 0 or -EINVAL.
 */
int rt_enabler_check(const struct ust_cmd_enabler *cmd);

/*
 * Checks the bytes following struct ust_cmd_enabler in a CREATE_ENABLER
 * payload (ust-msg.h): none, or a struct ust_cmd_enabler_exclusions whose
 * count is at most UST_MAX_EXCLUSIONS, followed by exactly count names each
 * NUL-terminated within its array. Sets *ret_count (0 without exclusions);
 * 0 or -EINVAL.
 */
int rt_enabler_exclusions_check(const void *tail, size_t tail_len, uint32_t *ret_count);

/*
 * A new rule on chan from a checked request; exclusions holds
 * exclusion_count names (NULL when 0), copied. As lttng-ust's, it starts
 * disabled: the session daemon attaches its filter, then enables it.
 * 0 or -ENOMEM.
 */
int rt_enabler_new(const struct ust_cmd_enabler *cmd,
                   const char (*exclusions)[RINGTRACE_SYM_NAME_LEN], uint32_t exclusion_count,
                   struct rt_ust_channel *chan, struct rt_ust_enabler **ret_enabler);

/* Frees the rule and its filter. */
void rt_enabler_free(struct rt_ust_enabler *enabler);

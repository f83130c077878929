/* SPDX-License-Identifier: MIT */
#include "enabler.h"

#include "common/comm/ust-wire.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/*
 * Iterative matcher: on a mismatch, go back to just after the last star and
 * let it swallow one more character of the name. A later star supersedes an
 * earlier one, so the cost is O(len(pattern) * len(name)) at worst, never
 * exponential.
 */
bool rt_glob_match(const char *pattern, const char *name)
{
	const char *p = pattern, *n = name;
	const char *star_p = NULL, *star_n = NULL;

	for (;;) {
		const char *lit;

		if (*p == '*') {
			while (*p == '*')
				p++;
			if (*p == '\0')
				return true;
			star_p = p;
			star_n = n;
			continue;
		}
		if (*n == '\0')
			return *p == '\0';
		lit = (*p == '\\' && p[1] != '\0') ? p + 1 : p;
		if (*p != '\0' && *lit == *n) {
			p = lit + 1;
			n++;
			continue;
		}
		if (!star_p)
			return false;
		p = star_p;
		n = ++star_n;
	}
}

bool rt_loglevel_match(int32_t loglevel_type, int32_t rule_loglevel, int32_t event_loglevel)
{
	int32_t level = event_loglevel < 0 ? RINGTRACE_LOGLEVEL_DEFAULT : event_loglevel;

	switch (loglevel_type) {
	case UST_LOGLEVEL_ALL:
		return true;
	case UST_LOGLEVEL_RANGE:
		return rule_loglevel < 0 || level <= rule_loglevel;
	case UST_LOGLEVEL_SINGLE:
		return level == rule_loglevel;
	default:
		return false;
	}
}

static bool enabler_excludes(const struct rt_ust_enabler *enabler, const char *full_name)
{
	for (uint32_t i = 0; i < enabler->exclusion_count; i++) {
		const char *exclusion = enabler->exclusions[i];

		if (exclusion[0] && rt_glob_match(exclusion, full_name))
			return true;
	}
	return false;
}

bool rt_enabler_match_name(const struct rt_ust_enabler *enabler, const char *full_name,
                           int32_t event_loglevel)
{
	return rt_loglevel_match(enabler->loglevel_type, enabler->loglevel, event_loglevel) &&
	       rt_glob_match(enabler->pattern, full_name) && !enabler_excludes(enabler, full_name);
}

bool rt_enabler_match(const struct rt_ust_enabler *enabler, const struct ringtrace_event_desc *desc)
{
	char name[RINGTRACE_SYM_NAME_LEN];

	if (ust_wire_event_name(desc, name) < 0)
		return false; /* cannot be registered with sessiond anyway */
	return rt_enabler_match_name(enabler, name, desc->loglevel);
}

int rt_enabler_check(const struct ust_cmd_enabler *cmd)
{
	size_t len = strnlen(cmd->pattern, sizeof(cmd->pattern));

	if (len == 0 || len == sizeof(cmd->pattern))
		return -EINVAL;
	switch (cmd->loglevel_type) {
	case UST_LOGLEVEL_ALL:
		return 0;
	case UST_LOGLEVEL_RANGE:
		if (cmd->loglevel == -1)
			return 0;
		/* fallthrough */
	case UST_LOGLEVEL_SINGLE:
		return cmd->loglevel >= 0 && cmd->loglevel < _RINGTRACE_LOGLEVEL_MAX ? 0 : -EINVAL;
	default:
		return -EINVAL;
	}
}

int rt_enabler_exclusions_check(const void *tail, size_t tail_len, uint32_t *ret_count)
{
	const char(*names)[RINGTRACE_SYM_NAME_LEN];
	struct ust_cmd_enabler_exclusions head;

	if (tail_len == 0) {
		*ret_count = 0;
		return 0;
	}
	if (tail_len < sizeof(head))
		return -EINVAL;
	memcpy(&head, tail, sizeof(head));
	if (head.count > UST_MAX_EXCLUSIONS ||
	    tail_len != sizeof(head) + (size_t)head.count * RINGTRACE_SYM_NAME_LEN)
		return -EINVAL;
	names = (const void *)((const char *)tail + sizeof(head));
	for (uint32_t i = 0; i < head.count; i++) {
		if (!memchr(names[i], '\0', RINGTRACE_SYM_NAME_LEN))
			return -EINVAL;
	}
	*ret_count = head.count;
	return 0;
}

int rt_enabler_new(const struct ust_cmd_enabler *cmd,
                   const char (*exclusions)[RINGTRACE_SYM_NAME_LEN], uint32_t exclusion_count,
                   struct rt_ust_channel *chan, struct rt_ust_enabler **ret_enabler)
{
	size_t exclusions_size = (size_t)exclusion_count * RINGTRACE_SYM_NAME_LEN;
	struct rt_ust_enabler *enabler = calloc(1, sizeof(*enabler) + exclusions_size);

	if (!enabler)
		return -ENOMEM;
	if (exclusion_count > 0)
		memcpy(enabler->exclusions, exclusions, exclusions_size);
	enabler->exclusion_count = exclusion_count;
	enabler->handle = cmd->enabler_handle;
	enabler->chan = chan;
	memcpy(enabler->pattern, cmd->pattern, sizeof(enabler->pattern));
	enabler->loglevel_type = cmd->loglevel_type;
	enabler->loglevel = cmd->loglevel;
	enabler->enabled = false;
	CDS_INIT_LIST_HEAD(&enabler->node);
	*ret_enabler = enabler;
	return 0;
}

void rt_enabler_free(struct rt_ust_enabler *enabler)
{
	if (!enabler)
		return;
	free(enabler->filter);
	free(enabler);
}

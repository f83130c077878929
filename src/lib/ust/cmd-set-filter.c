/* SPDX-License-Identifier: MIT */
/*
 * UST_CMD_SET_FILTER: the filter of an enabler (ust-msg.h). The bytecode is
 * untrusted: it is validated here before anything keeps it, and refused
 * with -EINVAL (the reason in the debug log) without changing anything.
 * Recorders pick the filter up at the next synchronization, which runs at
 * once when the enabler is already enabled.
 */
#include "comm-cmd.h"

#include <errno.h>

#include "lib/ust/recorder-filter.h"

static int cmd_set_filter(struct rt_comm_cmd *cmd)
{
	const struct ust_cmd_filter *req = cmd->payload;
	const char *container = (const char *)cmd->payload + sizeof(*req);
	size_t container_len = cmd->payload_len - sizeof(*req);
	struct rt_ust_enabler *enabler;
	struct rt_ust_bytecode *bc;
	const char *reason = NULL;
	int r;

	if (container_len > UST_FILTER_MAX_CONTAINER) {
		rt_comm_debug("%s: SET_FILTER: %zu bytes, above the limit", cmd->target->label,
		              container_len);
		return -EINVAL;
	}
	enabler = rt_comm_find_enabler(cmd->target, req->enabler_handle);
	if (!enabler)
		return -ENOENT;
	if (enabler->filter)
		return -EEXIST;
	r = rt_ust_bytecode_new(container, container_len, &bc, &reason);
	if (r < 0) {
		rt_comm_debug("%s: SET_FILTER: bytecode refused: %s", cmd->target->label,
		              reason ? reason : "out of memory");
		return r;
	}
	enabler->filter = bc;
	return enabler->enabled ? rt_comm_sync_target(cmd->target) : 0;
}

const struct rt_comm_cmd_desc rt_cmd_set_filter = {
    .name = "SET_FILTER",
    .handler = cmd_set_filter,
    .payload_len = sizeof(struct ust_cmd_filter),
    .nr_fds = 0,
    .payload_extensible = true,
};

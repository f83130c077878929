/* SPDX-License-Identifier: MIT */
/*
 * UST_CMD_ENABLE / UST_CMD_DISABLE on any object handle:
 * - session: same as SESSION_START / SESSION_STOP (as lttng-ust's enable);
 * - channel: its events stop or resume being recorded;
 * - enabler: the rule stops or resumes covering events; recorders follow
 *   (comm-sync.c): enabling may register newly covered events, disabling
 *   disables the recorders no other enabled rule of the channel covers.
 */
#include "comm-cmd.h"

#include <errno.h>

static int set_enabled(struct rt_comm_cmd *cmd, bool enabled)
{
	const struct ust_cmd_handle *req = cmd->payload;
	struct rt_comm_session *session;
	struct rt_comm_channel *chan;
	struct rt_ust_enabler *enabler;

	session = rt_comm_find_session(cmd->target, req->handle);
	if (session) {
		rt_comm_set_session_active(session, enabled);
		return 0;
	}
	chan = rt_comm_find_channel(cmd->target, req->handle);
	if (chan) {
		rt_comm_set_channel_enabled(chan, enabled);
		return 0;
	}
	enabler = rt_comm_find_enabler(cmd->target, req->handle);
	if (enabler) {
		enabler->enabled = enabled;
		return rt_comm_sync_target(cmd->target);
	}
	return -ENOENT;
}

static int cmd_enable(struct rt_comm_cmd *cmd)
{
	return set_enabled(cmd, true);
}

static int cmd_disable(struct rt_comm_cmd *cmd)
{
	return set_enabled(cmd, false);
}

const struct rt_comm_cmd_desc rt_cmd_enable = {
    .name = "ENABLE",
    .handler = cmd_enable,
    .payload_len = sizeof(struct ust_cmd_handle),
    .nr_fds = 0,
};

const struct rt_comm_cmd_desc rt_cmd_disable = {
    .name = "DISABLE",
    .handler = cmd_disable,
    .payload_len = sizeof(struct ust_cmd_handle),
    .nr_fds = 0,
};

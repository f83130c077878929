/* SPDX-License-Identifier: MIT */
/*
 * UST_CMD_SESSION_START / UST_CMD_SESSION_STOP: the session's active flag,
 * read by the fast path; the release store orders every earlier object
 * update (channels, streams, recorders) before it.
 */
#include "comm-cmd.h"

#include <errno.h>
#include <urcu/system.h>

static int set_active(struct rt_comm_cmd *cmd, bool active)
{
	const struct ust_cmd_handle *req = cmd->payload;
	struct rt_comm_session *session = rt_comm_find_session(cmd->target, req->handle);

	if (!session)
		return -ENOENT;
	/* Becoming active: its state dump follows the reply (statedump.h). */
	if (active && !CMM_LOAD_SHARED(session->obj->active))
		session->statedump_pending = true;
	rt_comm_set_session_active(session, active);
	return 0;
}

static int cmd_session_start(struct rt_comm_cmd *cmd)
{
	return set_active(cmd, true);
}

static int cmd_session_stop(struct rt_comm_cmd *cmd)
{
	return set_active(cmd, false);
}

const struct rt_comm_cmd_desc rt_cmd_session_start = {
    .name = "SESSION_START",
    .handler = cmd_session_start,
    .payload_len = sizeof(struct ust_cmd_handle),
    .nr_fds = 0,
};

const struct rt_comm_cmd_desc rt_cmd_session_stop = {
    .name = "SESSION_STOP",
    .handler = cmd_session_stop,
    .payload_len = sizeof(struct ust_cmd_handle),
    .nr_fds = 0,
};

/* SPDX-License-Identifier: MIT */
/*
 * UST_CMD_SESSION_STATEDUMP (`regenerate statedump`): the session's state
 * dump runs again once the reply is sent (statedump.h).
 */
#include "comm-cmd.h"

#include <errno.h>

static int cmd_session_statedump(struct rt_comm_cmd *cmd)
{
	const struct ust_cmd_handle *req = cmd->payload;
	struct rt_comm_session *session = rt_comm_find_session(cmd->target, req->handle);

	if (!session)
		return -ENOENT;
	session->statedump_pending = true;
	return 0;
}

const struct rt_comm_cmd_desc rt_cmd_session_statedump = {
    .name = "SESSION_STATEDUMP",
    .handler = cmd_session_statedump,
    .payload_len = sizeof(struct ust_cmd_handle),
    .nr_fds = 0,
};

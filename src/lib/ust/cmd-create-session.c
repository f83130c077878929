/* SPDX-License-Identifier: MIT */
/* UST_CMD_CREATE_SESSION: a new, inactive session. */
#include "comm-cmd.h"

static int cmd_create_session(struct rt_comm_cmd *cmd)
{
	const struct ust_cmd_session *req = cmd->payload;

	return rt_comm_add_session(cmd->target, req->session_handle);
}

const struct rt_comm_cmd_desc rt_cmd_create_session = {
    .name = "CREATE_SESSION",
    .handler = cmd_create_session,
    .payload_len = sizeof(struct ust_cmd_session),
    .nr_fds = 0,
};

/* SPDX-License-Identifier: MIT */
/*
 * UST_CMD_REGISTER_DONE: sessiond has set up this app; the constructor may
 * return once the reply is on its way.
 */
#include "comm-cmd.h"

static int cmd_register_done(struct rt_comm_cmd *cmd)
{
	cmd->target_done_after_reply = true;
	cmd->target->registration_done = true;
	return 0;
}

const struct rt_comm_cmd_desc rt_cmd_register_done = {
    .name = "REGISTER_DONE",
    .handler = cmd_register_done,
    .payload_len = 0,
    .nr_fds = 0,
};

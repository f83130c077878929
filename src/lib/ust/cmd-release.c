/* SPDX-License-Identifier: MIT */
/*
 * UST_CMD_RELEASE: destroys an object and its children (session -> its
 * channels -> their enablers, recorders and streams), RCU-safely
 * (comm-objects.c). The reply is sent once the memory is gone.
 */
#include "comm-cmd.h"

#include <errno.h>

static int cmd_release(struct rt_comm_cmd *cmd)
{
	const struct ust_cmd_handle *req = cmd->payload;
	struct rt_comm_session *session;
	struct rt_comm_channel *chan;
	struct rt_ust_enabler *enabler;

	session = rt_comm_find_session(cmd->target, req->handle);
	if (session) {
		rt_comm_release_session(cmd->target, session);
		return 0;
	}
	chan = rt_comm_find_channel(cmd->target, req->handle);
	if (chan) {
		rt_comm_release_channel(cmd->target, chan);
		return 0;
	}
	enabler = rt_comm_find_enabler(cmd->target, req->handle);
	if (enabler) {
		rt_comm_release_enabler(cmd->target, enabler);
		return 0;
	}
	return -ENOENT;
}

const struct rt_comm_cmd_desc rt_cmd_release = {
    .name = "RELEASE",
    .handler = cmd_release,
    .payload_len = sizeof(struct ust_cmd_handle),
    .nr_fds = 0,
};

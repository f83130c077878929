/* SPDX-License-Identifier: MIT */
/*
 * UST_CMD_CREATE_ENABLER: a new enabled event rule on a channel. Every
 * registered event it matches gets registered with sessiond (notify socket)
 * and a recorder in the channel (comm-sync.c); providers registering later
 * are matched when they register.
 */
#include "comm-cmd.h"

#include <errno.h>

static int cmd_create_enabler(struct rt_comm_cmd *cmd)
{
	const struct ust_cmd_enabler *req = cmd->payload;
	struct rt_ust_enabler *enabler;
	struct rt_comm_channel *chan;
	int r;

	r = rt_enabler_check(req);
	if (r < 0)
		return r;
	chan = rt_comm_find_channel(cmd->target, req->channel_handle);
	if (!chan)
		return -ENOENT;
	if (rt_comm_handle_in_use(cmd->target, req->enabler_handle))
		return -EEXIST;
	r = rt_enabler_new(req, chan->obj, &enabler);
	if (r < 0)
		return r;
	cds_list_add_tail(&enabler->node, &cmd->target->enablers);
	return rt_comm_sync_target(cmd->target);
}

const struct rt_comm_cmd_desc rt_cmd_create_enabler = {
    .name = "CREATE_ENABLER",
    .handler = cmd_create_enabler,
    .payload_len = sizeof(struct ust_cmd_enabler),
    .nr_fds = 0,
};

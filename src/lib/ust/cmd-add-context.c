/* SPDX-License-Identifier: MIT */
/*
 * UST_CMD_ADD_CONTEXT: one more field of a channel's event context, before
 * the channel's first stream (see rt_ust_channel_add_context()).
 */
#include "comm-cmd.h"

#include <errno.h>
#include <string.h>

#include "lib/ust/record.h"

static int cmd_add_context(struct rt_comm_cmd *cmd)
{
	const struct ust_cmd_context *req = cmd->payload;
	struct rt_comm_channel *chan;

	if (!memchr(req->name, '\0', sizeof(req->name)))
		return -EINVAL;
	chan = rt_comm_find_channel(cmd->target, req->channel_handle);
	if (!chan)
		return -ENOENT;
	return rt_ust_channel_add_context(chan->obj, req->kind, req->name, req->perf_type,
	                                  req->perf_config);
}

const struct rt_comm_cmd_desc rt_cmd_add_context = {
    .name = "ADD_CONTEXT",
    .handler = cmd_add_context,
    .payload_len = sizeof(struct ust_cmd_context),
    .nr_fds = 0,
};

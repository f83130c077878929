/* SPDX-License-Identifier: MIT */
/*
 * UST_CMD_CREATE_CHANNEL: a channel of nr_streams per-CPU streams, enabled,
 * with no stream yet (each comes with its own ADD_STREAM; a CPU whose
 * stream is missing records into another CPU's). The buffering mode
 * (overwrite) is a property of the streams the consumer created; the
 * blocking timeout applies to this app's producers if it allows blocking.
 */
#include "comm-cmd.h"

#include "lib/ust/record.h"

#include <errno.h>

/* More than any machine's possible CPUs; bounds the stream array. */
#define CHANNEL_MAX_STREAMS 65536u

static int cmd_create_channel(struct rt_comm_cmd *cmd)
{
	const struct ust_cmd_channel *req = cmd->payload;
	struct rt_comm_session *session;
	int r;

	if (req->nr_streams == 0 || req->nr_streams > CHANNEL_MAX_STREAMS)
		return -EINVAL;
	if (req->overwrite != 0 && req->overwrite != 1)
		return -EINVAL;
	if (req->blocking_timeout_us < -1)
		return -EINVAL;
	session = rt_comm_find_session(cmd->target, req->session_handle);
	if (!session)
		return -ENOENT;
	r = rt_comm_add_channel(cmd->target, session, req->channel_handle, req->stream_id,
	                        req->nr_streams);
	if (r < 0)
		return r;
	/* Overwrite mode is the stream's own; blocking is this process's choice. */
	rt_ust_channel_set_blocking_timeout(
	    rt_comm_find_channel(cmd->target, req->channel_handle)->obj, req->blocking_timeout_us);
	return 0;
}

const struct rt_comm_cmd_desc rt_cmd_create_channel = {
    .name = "CREATE_CHANNEL",
    .handler = cmd_create_channel,
    .payload_len = sizeof(struct ust_cmd_channel),
    .nr_fds = 0,
};

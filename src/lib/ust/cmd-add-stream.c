/* SPDX-License-Identifier: MIT */
/*
 * UST_CMD_ADD_STREAM: maps one per-CPU stream of a channel (fds: shm memfd,
 * wakeup eventfd). The mapping keeps its own copy of the wakeup fd, so the
 * dispatcher closes both received fds afterwards. The stream's identity in
 * its client area must be the channel's stream id and this CPU: a mix-up on
 * sessiond's side would otherwise write events into another stream's file.
 */
#include "comm-cmd.h"

#include "ctf/packet.h"
#include "lib/ust/record.h"
#include "ringbuffer/ringbuffer.h"

#include <errno.h>
#include <string.h>

static int stream_check_identity(const struct rb_stream *stream, const struct rt_ust_channel *chan,
                                 uint32_t cpu)
{
	struct ctf_stream_client client;

	memcpy(&client, rb_stream_get_attr(stream)->client, sizeof(client));
	if (client.stream_id != chan->stream_id || client.cpu != cpu)
		return -EINVAL;
	return 0;
}

static int cmd_add_stream(struct rt_comm_cmd *cmd)
{
	const struct ust_cmd_stream *req = cmd->payload;
	struct rt_comm_channel *chan;
	struct rb_stream *stream;
	int r;

	chan = rt_comm_find_channel(cmd->target, req->channel_handle);
	if (!chan)
		return -ENOENT;
	if (req->cpu >= chan->obj->nr_streams)
		return -EINVAL;
	if (chan->obj->streams[req->cpu])
		return -EEXIST;
	r = rb_stream_map(cmd->fds[0], cmd->fds[1], &ctf_rb_client_ops, &stream);
	if (r < 0)
		return r;
	r = stream_check_identity(stream, chan->obj, req->cpu);
	if (r < 0) {
		rb_stream_unmap(stream);
		return r;
	}
	/* Published for producers that may already reach the channel; it owns the stream now. */
	r = rt_ust_channel_set_stream(chan->obj, req->cpu, stream);
	if (r < 0)
		rb_stream_unmap(stream);
	return r;
}

const struct rt_comm_cmd_desc rt_cmd_add_stream = {
    .name = "ADD_STREAM",
    .handler = cmd_add_stream,
    .payload_len = sizeof(struct ust_cmd_stream),
    .nr_fds = 2,
};

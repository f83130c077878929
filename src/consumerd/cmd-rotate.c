/* SPDX-License-Identifier: MIT */
/*
 * ROTATE_CHANNEL: moves a monitored channel's output to a new trace chunk
 * directory (consumer-msg.h). Each packet is written to exactly one chunk:
 * the packets delivered before the request (including the partial ones the
 * flush closes) go to the old files, every later one to the new files.
 * A channel streamed to a relay moves to the relay session's current chunk
 * (CREATE_TRACE_CHUNK came first): its streams are flushed and drained, then
 * ROTATE_STREAMS tells the relay that each stream's packets from the next
 * net_seq_num on belong to that chunk; a metadata stream moves at once, and
 * the whole metadata pushed again afterwards goes to the new chunk. A
 * stream that never sent a packet first gets a header-only one from its
 * ring buffer (rb_stream_flush_empty(), as lttng's consumer flushes an
 * empty packet for a stream that produced nothing in the closing chunk):
 * the relay moves a stream only once it has the packet before the position.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "channel.h"
#include "command.h"
#include "common/comm/consumer-msg.h"
#include "common/log.h"
#include "common/macros.h"
#include "data.h"
#include "output.h"
#include "relay.h"
#include "ringbuffer/ringbuffer.h"
#include "stream-output.h"

/* Flushes and drains every stream of a channel taken from the data thread if lent. */
static void take_and_drain(struct consumer_channel *channel, bool lent)
{
	/* While the channel is away from the data thread, no lock is needed. */
	if (lent)
		data_thread_remove_channel(channel);
	/* The closing chunk carries the discards that happened in it. */
	for (uint32_t i = 0; i < channel->nr_streams; i++)
		stream_output_flush_final(&channel->streams[i]);
}

/* Lends the channel back to the data thread: false (logged) if it cannot be. */
static bool give_back(struct consumer_channel *channel)
{
	if (data_thread_add_channel(channel) == 0)
		return true;
	log_error("Channel %s: cannot serve its streams again after the rotation", channel->name);
	channel->lent_to_data_thread = false;
	return false;
}

static int rotate_data(struct consumer_channel *channel, const char *pathname)
{
	bool lent = channel->lent_to_data_thread;
	int r = 0;

	take_and_drain(channel, lent);
	strcpy(channel->pathname, pathname);
	r = channel_create_index_dir(channel);
	for (uint32_t i = 0; i < channel->nr_streams; i++) {
		struct consumer_stream *stream = &channel->streams[i];

		channel_stream_close_files(stream);
		if (r == 0)
			r = channel_stream_open_files(stream, 0);
	}
	if (lent && !give_back(channel))
		return CONSUMERD_ROTATION_FAIL;
	return r < 0 ? CONSUMERD_ROTATION_FAIL : 0;
}

static int rotate_relay_data(struct consumer_channel *channel)
{
	_cleanup_free_ struct relay_rotate_position *pos =
	    calloc(channel->nr_streams ? channel->nr_streams : 1, sizeof(*pos));
	bool lent = channel->lent_to_data_thread;
	int r;

	if (!pos)
		return CONSUMERD_ENOMEM;
	take_and_drain(channel, lent);
	for (uint32_t i = 0; i < channel->nr_streams; i++) {
		struct consumer_stream *stream = &channel->streams[i];

		if (stream->relay_next_seq == 0 && stream_output_flush_empty(stream) < 0)
			log_warn(
			    "%s: no empty packet could start it before the rotation; the relay "
			    "keeps it in the previous chunk",
			    stream->data_file_name);
		pos[i] = (struct relay_rotate_position){.handle = stream->relay_handle,
		                                        .seq = stream->relay_next_seq};
	}
	r = relay_rotate_streams(channel->relay, true, pos, channel->nr_streams);
	if (lent && !give_back(channel))
		return CONSUMERD_ROTATION_FAIL;
	return r < 0 ? CONSUMERD_RELAYD_FAIL : 0;
}

static int rotate_relay_metadata(struct consumer_channel *channel)
{
	struct relay_rotate_position pos = {.handle = channel->relay_metadata_handle};
	int r = relay_rotate_streams(channel->relay, true, &pos, 1);

	channel->metadata_text_bytes = 0;
	channel->metadata_file_bytes = 0;
	return r < 0 ? CONSUMERD_RELAYD_FAIL : 0;
}

static int rotate_metadata(struct consumer_channel *channel, const char *pathname)
{
	int r;

	if (channel->metadata_fd >= 0 && close(channel->metadata_fd) < 0)
		log_error("Closing %s: %s", channel->metadata_file_name, strerror(errno));
	channel->metadata_fd = -1;
	channel->metadata_text_bytes = 0;
	channel->metadata_file_bytes = 0;
	strcpy(channel->pathname, pathname);
	r = channel_open_metadata_file(channel);
	return r < 0 ? CONSUMERD_ROTATION_FAIL : 0;
}

int cmd_rotate_channel(const struct command_request *req)
{
	struct consumer_rotate_channel msg;
	struct consumer_channel *channel;
	int code;

	memcpy(&msg, req->payload, sizeof(msg));
	channel = channel_registry_find(msg.key);
	if (!channel)
		return command_reply_error(req, CONSUMERD_CHAN_NOT_FOUND);
	/* A relay's streams keep their paths, relative to the chunk. */
	if (!channel->relay && (!command_string_is_terminated(msg.pathname, sizeof(msg.pathname)) ||
	                        msg.pathname[0] != '/')) {
		log_error("ROTATE_CHANNEL: the path is not an absolute NUL-terminated path");
		return command_reply_error(req, CONSUMERD_INVALID_PARAMETERS);
	}
	if (!channel->monitor ||
	    (channel->type == CONSUMER_CHANNEL_TYPE_METADATA && channel->metadata_closed)) {
		log_error("ROTATE_CHANNEL: channel %s is not written out", channel->name);
		return command_reply_error(req, CONSUMERD_INVALID_PARAMETERS);
	}
	if (channel->relay)
		code = channel->type == CONSUMER_CHANNEL_TYPE_DATA ? rotate_relay_data(channel)
		                                                   : rotate_relay_metadata(channel);
	else if (channel->type == CONSUMER_CHANNEL_TYPE_DATA)
		code = rotate_data(channel, msg.pathname);
	else
		code = rotate_metadata(channel, msg.pathname);
	if (code)
		return command_reply_error(req, code);
	log_info("Channel %s (key %" PRIu64 ") rotated into %s", channel->name, channel->key,
	         channel->pathname);
	return command_reply(req, NULL, 0);
}

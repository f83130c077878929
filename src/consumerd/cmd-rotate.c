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
 * the whole metadata pushed again afterwards goes to the new chunk.
 *
 * Empty packets, as lttng 2.13.9's consumer makes them (consumer.c,
 * lttng_consumer_rotate_channel): a stream that got no packet from its ring
 * in the closing chunk is flushed with rb_stream_flush_empty() (lttng's
 * flush_buffer(producer_active = 0)), so that no chunk holds an empty file
 * and a relay, which moves a stream only once it has the packet before the
 * position, gets one; the others get the final flush, which carries the
 * chunk's discards. Then, in a running session, every stream is flushed
 * with rb_stream_flush_empty() again in the new chunk (lttng's "open
 * packet"): its first packet stamps the chunk's beginning. When the ring is
 * full there is no such packet, and the next rotation's flush makes one.
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

/*
 * The closing chunk's last flush and drain (see the top of this file).
 * Returns whether the stream was quiescent (its session stopped).
 */
static bool close_chunk(struct consumer_stream *stream)
{
	bool stopped = stream_output_quiescent(stream);

	stream_output_drain(stream, stream->channel->num_subbuf);
	if (stream->next_seq_num != stream->chunk_first_seq)
		stream_output_flush_final(stream);
	else if (stream_output_flush_empty(stream) == 0)
		stream->final_flush_owed = false; /* that packet carries the discards */
	else
		log_warn("%s: the ring is busy, the closing trace chunk gets no packet of it",
		         stream->data_file_name);
	/* Stopped: lttng's stop made that packet, the stream is still quiescent. */
	if (stopped)
		stream->quiescent_pos = rb_stream_produced(stream->rb);
	return stopped;
}

/* The new chunk's first packet, in a running session (see the top of this file). */
static void open_chunk(struct consumer_stream *stream, bool stopped)
{
	stream->chunk_first_seq = stream->next_seq_num;
	if (!stopped)
		(void)stream_output_flush_empty(stream); /* -EAGAIN: the ring is full */
}

/*
 * Flushes and drains every stream of a channel taken from the data thread if
 * lent; ret_stopped[i]: stream i was quiescent (its session stopped).
 */
static void take_and_drain(struct consumer_channel *channel, bool lent, bool *ret_stopped)
{
	/* While the channel is away from the data thread, no lock is needed. */
	if (lent)
		data_thread_remove_channel(channel);
	for (uint32_t i = 0; i < channel->nr_streams; i++)
		ret_stopped[i] = close_chunk(&channel->streams[i]);
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
	_cleanup_free_ bool *stopped = calloc(channel->nr_streams ? channel->nr_streams : 1, 1);
	bool lent = channel->lent_to_data_thread;
	int r = 0;

	if (!stopped)
		return CONSUMERD_ENOMEM;
	take_and_drain(channel, lent, stopped);
	strcpy(channel->pathname, pathname);
	r = channel_create_index_dir(channel);
	for (uint32_t i = 0; i < channel->nr_streams; i++) {
		struct consumer_stream *stream = &channel->streams[i];

		channel_stream_close_files(stream);
		if (r == 0)
			r = channel_stream_open_files(stream, 0);
		if (r == 0)
			open_chunk(stream, stopped[i]);
	}
	if (lent && !give_back(channel))
		return CONSUMERD_ROTATION_FAIL;
	return r < 0 ? CONSUMERD_ROTATION_FAIL : 0;
}

static int rotate_relay_data(struct consumer_channel *channel)
{
	uint32_t n = channel->nr_streams ? channel->nr_streams : 1;
	_cleanup_free_ struct relay_rotate_position *pos = calloc(n, sizeof(*pos));
	_cleanup_free_ bool *stopped = calloc(n, 1);
	bool lent = channel->lent_to_data_thread;
	int r;

	if (!pos || !stopped)
		return CONSUMERD_ENOMEM;
	take_and_drain(channel, lent, stopped);
	for (uint32_t i = 0; i < channel->nr_streams; i++)
		pos[i] = (struct relay_rotate_position){.handle = channel->streams[i].relay_handle,
		                                        .seq = channel->streams[i].relay_next_seq};
	r = relay_rotate_streams(channel->relay, true, pos, channel->nr_streams);
	for (uint32_t i = 0; r == 0 && i < channel->nr_streams; i++)
		open_chunk(&channel->streams[i], stopped[i]);
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

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
 * An empty pathname moves the channel to no chunk at all, as the rotation
 * of a stopped session does until the next start: its files are closed
 * (a relay's streams are rotated to "no chunk") and none is opened; the
 * next ROTATE_CHANNEL names the chunk the channel writes to again.
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
	for (uint32_t i = 0; i < channel->nr_streams; i++) {
		struct consumer_stream *stream = &channel->streams[i];

		/* In no chunk (a stopped session rotated), there is none to close. */
		ret_stopped[i] =
		    channel->in_no_chunk ? stream_output_quiescent(stream) : close_chunk(stream);
	}
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

/* *ret_err: the errno behind a failure (0: none known). */
static int rotate_data(struct consumer_channel *channel, const char *pathname, int *ret_err)
{
	_cleanup_free_ bool *stopped = calloc(channel->nr_streams ? channel->nr_streams : 1, 1);
	bool lent = channel->lent_to_data_thread, failed = false;
	int r = 0;

	if (!stopped)
		return CONSUMERD_ENOMEM;
	/* Files still owed to the chunk left are tried at once, for its last packets. */
	for (uint32_t i = 0; i < channel->nr_streams; i++)
		channel->streams[i].files_retry_ns = 0;
	take_and_drain(channel, lent, stopped);
	channel->in_no_chunk = !pathname[0];
	strcpy(channel->pathname, pathname);
	r = pathname[0] ? channel_create_index_dir(channel) : 0;
	/*
	 * Every stream moves, whatever happens to the others: one whose files
	 * cannot be made (disk full) gets them at a later packet (files_error).
	 * Moved to no trace chunk (empty pathname), a stream has no files.
	 */
	for (uint32_t i = 0; i < channel->nr_streams; i++) {
		struct consumer_stream *stream = &channel->streams[i];

		channel_stream_close_files(stream);
		stream->files_error = r < 0          ? -EIO
		                      : !pathname[0] ? 0
		                                     : channel_stream_open_files(stream, 0);
		stream->files_retry_ns = rt_monotonic_ns();
		if (stream->files_error < 0 && !failed)
			*ret_err = -stream->files_error;
		failed |= stream->files_error < 0;
		/* A stream without files gets its first packet in the chunk later. */
		if (pathname[0])
			open_chunk(stream, stopped[i] || stream->files_error < 0);
	}
	if (lent && !give_back(channel))
		return CONSUMERD_ROTATION_FAIL;
	return failed ? CONSUMERD_ROTATION_FAIL : 0;
}

static int rotate_relay_data(struct consumer_channel *channel, bool to_chunk)
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
	r = relay_rotate_streams(channel->relay, to_chunk, pos, channel->nr_streams);
	channel->in_no_chunk = !to_chunk;
	for (uint32_t i = 0; r == 0 && to_chunk && i < channel->nr_streams; i++)
		open_chunk(&channel->streams[i], stopped[i]);
	if (lent && !give_back(channel))
		return CONSUMERD_ROTATION_FAIL;
	return r < 0 ? CONSUMERD_RELAYD_FAIL : 0;
}

static int rotate_relay_metadata(struct consumer_channel *channel, bool to_chunk)
{
	struct relay_rotate_position pos = {.handle = channel->relay_metadata_handle};
	int r = relay_rotate_streams(channel->relay, to_chunk, &pos, 1);

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
	r = pathname[0] ? channel_open_metadata_file(channel) : 0;
	channel->metadata_file_owed = r < 0;
	return r < 0 ? CONSUMERD_ROTATION_FAIL : 0;
}

int cmd_rotate_channel(const struct command_request *req)
{
	struct consumer_rotate_channel msg;
	struct consumer_channel *channel;
	bool to_chunk;
	int code, err = 0;

	memcpy(&msg, req->payload, sizeof(msg));
	channel = channel_registry_find(msg.key);
	if (!channel)
		return command_reply_error(req, CONSUMERD_CHAN_NOT_FOUND);
	if (!command_string_is_terminated(msg.pathname, sizeof(msg.pathname))) {
		log_error("ROTATE_CHANNEL: the path is not NUL-terminated");
		return command_reply_error(req, CONSUMERD_INVALID_PARAMETERS);
	}
	/* A relay's streams keep their paths, relative to the chunk. */
	to_chunk = msg.pathname[0] != '\0';
	if (!channel->relay && to_chunk && msg.pathname[0] != '/') {
		log_error("ROTATE_CHANNEL: the path is not absolute: %s", msg.pathname);
		return command_reply_error(req, CONSUMERD_INVALID_PARAMETERS);
	}
	if (!channel->monitor ||
	    (channel->type == CONSUMER_CHANNEL_TYPE_METADATA && channel->metadata_closed)) {
		log_error("ROTATE_CHANNEL: channel %s is not written out", channel->name);
		return command_reply_error(req, CONSUMERD_INVALID_PARAMETERS);
	}
	if (channel->relay)
		code = channel->type == CONSUMER_CHANNEL_TYPE_DATA
		           ? rotate_relay_data(channel, to_chunk)
		           : rotate_relay_metadata(channel, to_chunk);
	else if (channel->type == CONSUMER_CHANNEL_TYPE_DATA)
		code = rotate_data(channel, msg.pathname, &err);
	else
		code = rotate_metadata(channel, msg.pathname);
	if (code)
		return command_reply_error_errno(req, code, err);
	log_info("Channel %s (key %" PRIu64 ") rotated into %s", channel->name, channel->key,
	         to_chunk ? channel->pathname : "no trace chunk");
	return command_reply(req, NULL, 0);
}

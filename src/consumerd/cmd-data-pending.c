/* SPDX-License-Identifier: MIT */
/*
 * DATA_PENDING: does a session still have data on its way to disk?
 *
 * A stream is pending while records were reserved beyond what the consumer
 * has written out (rb_stream_data_pending: delivered sub-buffers not yet
 * written, or a packet still being filled or committed). The session daemon
 * asks after flushing the channels, until the answer is 0, so the answer
 * must not stay 1 forever: a producer killed between reserve and commit
 * leaves a packet that is never delivered. Such a stream is declared stuck,
 * and reported not pending, once nothing was consumed from it for
 * DATA_PENDING_STUCK_NS after the last flush and no delivered packet is
 * waiting to be written (a slow disk is not a stuck producer).
 *
 * A session streamed to a relay is pending, once everything is sent, until
 * the relay says it received it all: BEGIN_DATA_PENDING, DATA_PENDING per
 * data stream, QUIESCENT_CONTROL per metadata stream, END_DATA_PENDING. A
 * relay lost during the session makes the answer an error
 * (-CONSUMERD_RELAYD_FAIL): what was not sent is lost, and stop says so.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "channel.h"
#include "command.h"
#include "common/clock.h"
#include "common/log.h"
#include "relay.h"
#include "ringbuffer/ringbuffer.h"
#include "stream-output.h"

#define DATA_PENDING_STUCK_NS (2 * 1000000000ull)

static bool stream_is_stuck(struct consumer_stream *stream, uint64_t now_ns)
{
	uint64_t since = stream->flushed_at_ns > stream->last_progress_ns
	                     ? stream->flushed_at_ns
	                     : stream->last_progress_ns;

	return stream->flushed_at_ns != 0 && now_ns - since >= DATA_PENDING_STUCK_NS;
}

/* A sub-buffer is delivered and waits for the data thread (peek: not taken). */
static bool stream_has_deliverable_packet(struct consumer_stream *stream)
{
	struct rb_subbuf next;

	return rb_consumer_get_subbuf(stream->rb, &next) == 0;
}

static bool stream_data_pending(struct consumer_stream *stream, uint64_t now_ns)
{
	bool pending;

	pthread_mutex_lock(&stream->lock);
	/* The data thread drained the ring since the flush: the owed packet may fit now. */
	if (stream->final_flush_owed) {
		bool quiescent = stream_output_quiescent(stream);

		stream->final_flush_owed = rb_stream_flush_empty(stream->rb) == -EAGAIN;
		/* That packet still belongs to the stop. */
		if (quiescent)
			stream->quiescent_pos = rb_stream_produced(stream->rb);
	}
	pending = rb_stream_data_pending(stream->rb) || stream->final_flush_owed;
	/* Only data that can never be delivered is written off; the data thread writes the rest. */
	if (pending && stream_is_stuck(stream, now_ns) && !stream_has_deliverable_packet(stream)) {
		if (!stream->stuck_reported)
			log_warn("Stream %s of channel %s: data not progressing 2 s after a flush "
			         "(producer killed while writing a record?); "
			         "reporting it as not pending",
			         stream->data_file_name, stream->channel->name);
		stream->stuck_reported = true;
		pending = false;
	}
	pthread_mutex_unlock(&stream->lock);
	return pending;
}

static bool session_data_pending(uint64_t session_id)
{
	uint64_t now_ns = rt_monotonic_ns();
	struct consumer_channel *channel;
	bool pending = false;

	channel_registry_for_each(channel)
	{
		if (channel->session_id != session_id || !channel->monitor)
			continue;
		/* Every stream is checked so each stuck one is reported. */
		for (uint32_t i = 0; i < channel->nr_streams; i++)
			pending |= stream_data_pending(&channel->streams[i], now_ns);
	}
	return pending;
}

static int relay_stream_pending(struct relay_session *rs, struct consumer_stream *stream)
{
	uint64_t last_seq;

	pthread_mutex_lock(&stream->lock);
	last_seq = stream->relay_next_seq - 1;
	pthread_mutex_unlock(&stream->lock);
	return relay_data_pending_stream(rs, stream->relay_handle, last_seq);
}

/* The relay's side of data pending: 0, 1 or a negative errno. */
static int session_relay_pending(struct relay_session *rs)
{
	struct consumer_channel *channel;
	int r = relay_data_pending_begin(rs);

	channel_registry_for_each(channel)
	{
		if (r < 0)
			break;
		if (channel->relay != rs)
			continue;
		if (channel->type == CONSUMER_CHANNEL_TYPE_METADATA)
			r = relay_quiescent(rs, channel->relay_metadata_handle);
		for (uint32_t i = 0; r >= 0 && i < channel->nr_streams; i++)
			r = relay_stream_pending(rs, &channel->streams[i]);
	}
	/* Streams of channels already destroyed (apps gone) are the relay's to check too. */
	for (size_t i = 0; r >= 0 && i < rs->nr_retired; i++) {
		const struct relay_retired_stream *st = &rs->retired[i];

		r = st->metadata ? relay_quiescent(rs, st->handle)
		                 : relay_data_pending_stream(rs, st->handle, st->next_seq - 1);
	}
	return r < 0 ? r : relay_data_pending_end(rs);
}

int cmd_data_pending(const struct command_request *req)
{
	struct consumer_session_key msg;
	struct relay_session *rs;
	uint8_t pending;

	memcpy(&msg, req->payload, sizeof(msg));
	pending = session_data_pending(msg.session_id);
	rs = relay_session_get(msg.session_id);
	if (rs) {
		int r = relay_session_broken(rs) ? -EPIPE : pending ? 1 : session_relay_pending(rs);

		relay_session_put(rs);
		if (r < 0) {
			log_error("Session %" PRIu64
			          ": the relay daemon was lost, trace data with it",
			          msg.session_id);
			return command_reply_error(req, CONSUMERD_RELAYD_FAIL);
		}
		pending = r > 0;
	}
	log_debug("Session %" PRIu64 ": data %spending", msg.session_id, pending ? "" : "not ");
	return command_reply(req, &pending, sizeof(pending));
}

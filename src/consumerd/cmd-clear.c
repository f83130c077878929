/* SPDX-License-Identifier: MIT */
/*
 * CLEAR_CHANNEL (consumer-msg.h), as lttng's consumer clears a channel of
 * a snapshot session: every stream of an unmonitored DATA channel is
 * flushed and cleared in place (rb_stream_clear(), src/ringbuffer/clear.c):
 * what its ring buffer holds is discarded, producers go on, the discarded
 * and lost counts stay. A METADATA channel has nothing to clear: the whole
 * text stays, since later snapshots need it. Monitored channels are cleared
 * by the session daemon with a trace chunk rotation (sessiond/cmd-rotate.c),
 * which drains their streams, so they are refused here.
 *
 * Runs on the command thread, the only reader of unmonitored channels
 * (as SNAPSHOT_CHANNEL, consumerd/snapshot.c), under each stream's lock.
 * Nothing goes to a relay daemon: a snapshot session has no stream there
 * until a snapshot is recorded.
 */
#include <inttypes.h>
#include <pthread.h>
#include <string.h>

#include "channel.h"
#include "command.h"
#include "common/comm/consumer-msg.h"
#include "common/log.h"
#include "ringbuffer/ringbuffer.h"

static int clear_streams(struct consumer_channel *channel)
{
	for (uint32_t i = 0; i < channel->nr_streams; i++) {
		struct consumer_stream *stream = &channel->streams[i];
		int r;

		pthread_mutex_lock(&stream->lock);
		r = rb_stream_clear(stream->rb);
		pthread_mutex_unlock(&stream->lock);
		if (r < 0) {
			log_error("CLEAR_CHANNEL: ring buffer %" PRIu32
			          " of channel %s cannot be cleared: %s",
			          stream->cpu, channel->name, strerror(-r));
			return r;
		}
	}
	return 0;
}

int cmd_clear_channel(const struct command_request *req)
{
	struct consumer_channel_key msg;
	struct consumer_channel *channel;

	memcpy(&msg, req->payload, sizeof(msg));
	channel = channel_registry_find(msg.key);
	if (!channel) {
		log_warn("CLEAR_CHANNEL: channel key %" PRIu64 " not found", msg.key);
		return command_reply_error(req, CONSUMERD_CHAN_NOT_FOUND);
	}
	if (channel->monitor) {
		log_error("CLEAR_CHANNEL: channel %s (key %" PRIu64
		          ") is monitored: it is cleared by a trace chunk rotation",
		          channel->name, msg.key);
		return command_reply_error(req, CONSUMERD_INVALID_PARAMETERS);
	}
	if (channel->type == CONSUMER_CHANNEL_TYPE_DATA && clear_streams(channel) < 0)
		return command_reply_error(req, CONSUMERD_FATAL);
	log_info("Channel %s (key %" PRIu64 ") cleared", channel->name, msg.key);
	return command_reply(req, NULL, 0);
}

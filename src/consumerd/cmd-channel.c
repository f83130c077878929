/* SPDX-License-Identifier: MIT */
/*
 * Channel life cycle: ASK_CHANNEL_CREATION, GET_CHANNEL, FLUSH_CHANNEL,
 * DESTROY_CHANNEL.
 */
#include <inttypes.h>
#include <string.h>

#include "channel.h"
#include "command.h"
#include "common/comm/consumer-msg.h"
#include "common/comm/frame.h"
#include "common/log.h"
#include "data.h"
#include "output.h"
#include "ringbuffer/ringbuffer.h"

/* More CPUs than Linux supports (NR_CPUS <= 8192) is a malformed request. */
#define CHANNEL_MAX_STREAMS 8192u

static bool is_power_of_two(uint64_t v)
{
	return v != 0 && (v & (v - 1)) == 0;
}

/* A channel name becomes a file name: one non-empty path component. */
static bool channel_name_is_valid(const char *name)
{
	return name[0] != '\0' && !strchr(name, '/') && strcmp(name, ".") != 0 &&
	       strcmp(name, "..") != 0;
}

static bool ask_channel_is_valid(const struct consumer_ask_channel *msg)
{
	if (!command_string_is_terminated(msg->name, sizeof(msg->name))) {
		log_error("ASK_CHANNEL_CREATION: channel name not NUL-terminated");
		return false;
	}
	if (!command_string_is_terminated(msg->pathname, sizeof(msg->pathname))) {
		log_error("ASK_CHANNEL_CREATION: output path not NUL-terminated");
		return false;
	}
	if (!channel_name_is_valid(msg->name)) {
		log_error("ASK_CHANNEL_CREATION: invalid channel name \"%s\"", msg->name);
		return false;
	}
	if (msg->monitor != 0 && msg->monitor != 1) {
		log_error("ASK_CHANNEL_CREATION: channel %s: monitor must be 0 or 1", msg->name);
		return false;
	}
	/* Relative: a path inside the trace chunk of a session streamed to a relay. */
	if ((msg->pathname[0] != '/' && !msg->monitor) || strstr(msg->pathname, "..")) {
		log_error("ASK_CHANNEL_CREATION: output path \"%s\" is neither absolute nor a "
		          "relay stream path",
		          msg->pathname);
		return false;
	}
	if (msg->type == CONSUMER_CHANNEL_TYPE_METADATA)
		return true;
	if (msg->type != CONSUMER_CHANNEL_TYPE_DATA) {
		log_error("ASK_CHANNEL_CREATION: unknown channel type %" PRIu32, msg->type);
		return false;
	}
	if (!is_power_of_two(msg->subbuf_size) || msg->subbuf_size < RB_MIN_SUBBUF_SIZE ||
	    !is_power_of_two(msg->num_subbuf) || msg->num_subbuf < RB_MIN_NUM_SUBBUF ||
	    msg->num_subbuf > UINT32_MAX) {
		log_error("ASK_CHANNEL_CREATION: channel %s: %" PRIu64 " sub-buffers of %" PRIu64
		          " bytes: both must be powers of two, at least %u and %u",
		          msg->name, msg->num_subbuf, msg->subbuf_size, RB_MIN_NUM_SUBBUF,
		          RB_MIN_SUBBUF_SIZE);
		return false;
	}
	if (msg->nr_streams == 0 || msg->nr_streams > CHANNEL_MAX_STREAMS) {
		log_error("ASK_CHANNEL_CREATION: channel %s: %" PRIu32 " streams", msg->name,
		          msg->nr_streams);
		return false;
	}
	if (msg->tracefile_count != 0 && msg->tracefile_size == 0) {
		log_error("ASK_CHANNEL_CREATION: channel %s: a tracefile count needs a size",
		          msg->name);
		return false;
	}
	if (msg->overwrite != 0 && msg->overwrite != 1) {
		log_error("ASK_CHANNEL_CREATION: channel %s: overwrite must be 0 or 1", msg->name);
		return false;
	}
	return true;
}

static int reply_channel_status(const struct command_request *req,
                                const struct consumer_channel *channel)
{
	struct consumer_channel_status status = {
	    .key = channel->key,
	    .stream_count = channel->nr_streams,
	};

	return command_reply(req, &status, sizeof(status));
}

int cmd_ask_channel_creation(const struct command_request *req)
{
	struct consumer_ask_channel msg;
	struct consumer_channel *channel;
	int r;

	memcpy(&msg, req->payload, sizeof(msg));
	if (!ask_channel_is_valid(&msg))
		return command_reply_error(req, CONSUMERD_INVALID_PARAMETERS);
	if (channel_registry_find(msg.key)) {
		log_error("ASK_CHANNEL_CREATION: channel key %" PRIu64 " already exists", msg.key);
		return command_reply_error(req, CONSUMERD_ALREADY_SET);
	}
	r = channel_create(&msg, &channel);
	if (r < 0)
		return command_reply_error(req, -r);
	if (channel->type == CONSUMER_CHANNEL_TYPE_DATA && channel->monitor) {
		r = data_thread_add_channel(channel);
		if (r < 0) {
			log_error("Channel %s: cannot watch its streams: %s", channel->name,
			          strerror(-r));
			channel_destroy(channel);
			return command_reply_error(req, CONSUMERD_CHANNEL_FAIL);
		}
		channel->lent_to_data_thread = true;
	}
	channel_registry_add(channel);
	log_info("Created %s channel %s (key %" PRIu64 ", session %" PRIu64 ", %" PRIu32
	         " streams) to %s, %s",
	         channel->type == CONSUMER_CHANNEL_TYPE_DATA ? "data" : "metadata", channel->name,
	         channel->key, channel->session_id, channel->nr_streams,
	         channel->monitor ? channel->output->name : "for snapshots, not written to",
	         channel->pathname);
	return reply_channel_status(req, channel);
}

static struct consumer_channel *find_channel(const struct command_request *req)
{
	struct consumer_channel_key msg;
	struct consumer_channel *channel;

	memcpy(&msg, req->payload, sizeof(msg));
	channel = channel_registry_find(msg.key);
	if (!channel)
		log_warn("Channel key %" PRIu64 " not found", msg.key);
	return channel;
}

int cmd_get_channel(const struct command_request *req)
{
	struct consumer_channel *channel = find_channel(req);
	int r;

	if (!channel)
		return command_reply_error(req, CONSUMERD_CHAN_NOT_FOUND);
	r = reply_channel_status(req, channel);
	for (uint32_t i = 0; r >= 0 && i < channel->nr_streams; i++) {
		const struct consumer_stream *stream = &channel->streams[i];
		struct consumer_stream_fds msg = {.channel_key = channel->key, .cpu = stream->cpu};
		int fds[2] = {stream->shm_fd, stream->wakeup_fd};

		r = comm_send(req->sock, CONSUMER_GET_CHANNEL, 0, &msg, sizeof(msg), fds, 2);
	}
	return r;
}

int cmd_flush_channel(const struct command_request *req)
{
	struct consumer_channel *channel = find_channel(req);

	if (!channel)
		return command_reply_error(req, CONSUMERD_CHAN_NOT_FOUND);
	if (channel->type == CONSUMER_CHANNEL_TYPE_DATA) {
		channel_flush_streams(channel);
		/* Packets the flush delivered reach the files before the reply. */
		if (channel->lent_to_data_thread)
			data_thread_drain_channel(channel);
	}
	return command_reply(req, NULL, 0);
}

int cmd_destroy_channel(const struct command_request *req)
{
	struct consumer_channel *channel = find_channel(req);

	if (!channel)
		return command_reply_error(req, CONSUMERD_CHAN_NOT_FOUND);
	channel_registry_remove(channel);
	if (channel->lent_to_data_thread)
		data_thread_remove_channel(channel);
	channel_destroy(channel);
	return command_reply(req, NULL, 0);
}

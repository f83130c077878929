/* SPDX-License-Identifier: MIT */
/*
 * Loss accounting: DISCARDED_EVENTS (records the producers could not write,
 * buffer full) and LOST_PACKETS (packets the consumer could not write out,
 * or sequence gaps). Both reply a uint64_t total over the channel's streams;
 * a metadata channel has neither.
 */
#include <inttypes.h>
#include <string.h>

#include "channel.h"
#include "command.h"
#include "common/log.h"

static int reply_channel_counter(const struct command_request *req,
                                 uint64_t (*counter)(struct consumer_channel *))
{
	struct consumer_channel_key msg;
	struct consumer_channel *channel;
	uint64_t value;

	memcpy(&msg, req->payload, sizeof(msg));
	channel = channel_registry_find(msg.key);
	if (!channel) {
		log_warn("Channel key %" PRIu64 " not found", msg.key);
		return command_reply_error(req, CONSUMERD_CHAN_NOT_FOUND);
	}
	value = counter(channel);
	return command_reply(req, &value, sizeof(value));
}

int cmd_discarded_events(const struct command_request *req)
{
	return reply_channel_counter(req, channel_discarded_events);
}

int cmd_lost_packets(const struct command_request *req)
{
	return reply_channel_counter(req, channel_lost_packets);
}

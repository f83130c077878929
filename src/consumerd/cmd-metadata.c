/* SPDX-License-Identifier: MIT */
/*
 * Metadata channel: PUSH_METADATA appends TSDL text as metadata packets to
 * the channel's output (<pathname>/metadata, or the relay's metadata
 * stream), synchronously (the text is written or sent when the reply
 * leaves, so a metadata channel is never "data pending"); CLOSE_METADATA
 * closes the file. An unmonitored channel (snapshot session) keeps the text
 * in memory instead, for SNAPSHOT_CHANNEL.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "channel.h"
#include "command.h"
#include "common/comm/consumer-msg.h"
#include "common/log.h"
#include "output.h"

static struct consumer_channel *find_metadata_channel(uint64_t key, int *ret_code)
{
	struct consumer_channel *channel = channel_registry_find(key);

	if (!channel) {
		log_warn("Metadata channel key %" PRIu64 " not found", key);
		*ret_code = CONSUMERD_CHAN_NOT_FOUND;
		return NULL;
	}
	if (channel->type != CONSUMER_CHANNEL_TYPE_METADATA) {
		log_error("Channel %s (key %" PRIu64 ") is not a metadata channel", channel->name,
		          key);
		*ret_code = CONSUMERD_INVALID_PARAMETERS;
		return NULL;
	}
	return channel;
}

static int metadata_keep(struct consumer_channel *channel, const char *text, uint64_t len)
{
	uint64_t need = channel->metadata_text_bytes + len;

	if (need > channel->metadata_text_cap) {
		uint64_t cap = channel->metadata_text_cap ? channel->metadata_text_cap : 16384;
		char *grown;

		while (cap < need)
			cap *= 2;
		grown = realloc(channel->metadata_text, cap);
		if (!grown) {
			log_error("Cannot keep %" PRIu64 " bytes of metadata of %s in memory", need,
			          channel->name);
			return CONSUMERD_ENOMEM;
		}
		channel->metadata_text = grown;
		channel->metadata_text_cap = cap;
	}
	memcpy(channel->metadata_text + channel->metadata_text_bytes, text, len);
	channel->metadata_text_bytes = need;
	return 0;
}

static int metadata_append(struct consumer_channel *channel, const char *text, uint64_t len)
{
	int r;

	if (!channel->monitor)
		return metadata_keep(channel, text, len);
	r = channel->output->append_metadata(channel, text, len);
	if (r < 0)
		return -r;
	channel->metadata_text_bytes += len;
	return 0;
}

/*
 * A regenerated text (higher version) replaces the one held: the output
 * starts over, or the text kept in memory is dropped, and the new text
 * starts at 0.
 */
static int metadata_restart(struct consumer_channel *channel, uint64_t version)
{
	int r = channel->monitor ? channel->output->restart_metadata(channel) : 0;

	if (r < 0)
		return -r;
	log_info("Metadata of %s regenerated (version %" PRIu64 ")", channel->name, version);
	channel->metadata_text_bytes = 0;
	channel->metadata_file_bytes = 0;
	channel->metadata_version = version;
	return 0;
}

int cmd_push_metadata(const struct command_request *req)
{
	struct consumer_push_metadata msg;
	struct consumer_channel *channel;
	const char *text = (const char *)req->payload + sizeof(msg);
	int code;

	memcpy(&msg, req->payload, sizeof(msg));
	if (msg.len != req->payload_len - sizeof(msg)) {
		log_error("PUSH_METADATA: len %" PRIu64 " but %zu bytes of text follow", msg.len,
		          req->payload_len - sizeof(msg));
		return command_reply_error(req, CONSUMERD_INVALID_PARAMETERS);
	}
	channel = find_metadata_channel(msg.key, &code);
	if (!channel)
		return command_reply_error(req, code);
	if (msg.len == 0)
		return command_reply(req, NULL, 0);
	if (channel->metadata_closed) {
		log_error("PUSH_METADATA: metadata channel %s is closed", channel->name);
		return command_reply_error(req, CONSUMERD_ERROR_METADATA);
	}
	if (msg.version < channel->metadata_version) {
		log_error("PUSH_METADATA: version %" PRIu64 " of %s, which holds version %" PRIu64,
		          msg.version, channel->name, channel->metadata_version);
		return command_reply_error(req, CONSUMERD_ERROR_METADATA);
	}
	if (msg.version > channel->metadata_version) {
		if (msg.target_offset != 0) {
			log_error("PUSH_METADATA: version %" PRIu64
			          " of %s starts at offset %" PRIu64 ", not 0",
			          msg.version, channel->name, msg.target_offset);
			return command_reply_error(req, CONSUMERD_ERROR_METADATA);
		}
		code = metadata_restart(channel, msg.version);
		if (code)
			return command_reply_error(req, code);
	}
	if (msg.target_offset != channel->metadata_text_bytes) {
		log_error("PUSH_METADATA: text for offset %" PRIu64 " of %s, which holds %" PRIu64
		          " bytes: metadata is append-only",
		          msg.target_offset, channel->metadata_file_name,
		          channel->metadata_text_bytes);
		return command_reply_error(req, CONSUMERD_ERROR_METADATA);
	}
	code = metadata_append(channel, text, msg.len);
	if (code)
		return command_reply_error(req, code);
	return command_reply(req, NULL, 0);
}

int cmd_close_metadata(const struct command_request *req)
{
	struct consumer_channel_key msg;
	struct consumer_channel *channel;
	int code;

	memcpy(&msg, req->payload, sizeof(msg));
	channel = find_metadata_channel(msg.key, &code);
	if (!channel)
		return command_reply_error(req, code);
	if (!channel->metadata_closed) {
		if (channel->metadata_fd >= 0 && close(channel->metadata_fd) < 0)
			log_error("Closing %s: %s", channel->metadata_file_name, strerror(errno));
		channel->metadata_fd = -1;
		channel->metadata_closed = true;
	}
	return command_reply(req, NULL, 0);
}

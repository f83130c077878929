/* SPDX-License-Identifier: MIT */
/*
 * Relay output: each stream is announced to the relay daemon (ADD_STREAM,
 * then STREAMS_SENT for the channel), each packet goes on the data
 * connection as its content bytes plus the padding the relay zero-fills,
 * followed by its index on the control connection; packets of a stream are
 * numbered by net_seq_num from 0. Metadata pushes become one SEND_METADATA
 * each: whole metadata packets, the last one without its padding, so that
 * a live viewer never sees half of what the session daemon pushed.
 *
 * Live: a stream with nothing to send at a live timer tick sends a beacon,
 * which a relay only takes into account once the stream has sent at least
 * one packet (lttng-relayd makes a viewer wait for that packet). So a
 * stream's first packet is made by the ring buffer when it has none yet:
 * the live timer flushes such a stream with rb_stream_flush_empty() (a
 * header-only packet, as lttng's "open packet" at start gives every
 * stream), and so does a rotation (cmd-rotate.c): lttng-relayd moves a
 * stream to the new chunk only once it has received the packet before the
 * rotation position. Packets go out exactly as the ring buffer numbered
 * them; no beacon is sent before the first packet.
 */
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "channel.h"
#include "common/comm/consumer-msg.h"
#include "common/comm/relayd-wire.h"
#include "common/log.h"
#include "common/macros.h"
#include "common/paths.h"
#include "ctf/metadata-packet.h"
#include "ctf/packet.h"
#include "output.h"
#include "relay.h"

static int relay_open(struct consumer_channel *channel)
{
	char name[RELAYD_CHANNEL_NAME_MAX];
	int r = 0;

	if (channel->type == CONSUMER_CHANNEL_TYPE_METADATA) {
		r = relay_add_stream(channel->relay, "metadata", channel->pathname, 0, 0,
		                     &channel->relay_metadata_handle);
	} else {
		for (uint32_t i = 0; r == 0 && i < channel->nr_streams; i++) {
			struct consumer_stream *stream = &channel->streams[i];

			snprintf(name, sizeof(name), "%s_%" PRIu32, channel->name, stream->cpu);
			/* For messages: where the stream lands on the relay. */
			if (rt_path_format(stream->data_file_name, "relay stream %s/%s",
			                   channel->pathname, name) < 0)
				snprintf(stream->data_file_name, sizeof(stream->data_file_name),
				         "%s", name);
			r = relay_add_stream(channel->relay, name, channel->pathname,
			                     channel->tracefile_size, channel->tracefile_count,
			                     &stream->relay_handle);
		}
	}
	if (r == 0)
		r = relay_streams_sent(channel->relay);
	if (r < 0) {
		log_error("Cannot open channel %s on the relay daemon: %s", channel->name,
		          strerror(-r));
		return -CONSUMERD_RELAYD_FAIL;
	}
	return 0;
}

static void relay_close(struct consumer_channel *channel, bool failed)
{
	struct relay_session *rs = channel->relay;

	(void)failed; /* what the relay received stays there, as lttng's */
	if (!rs)
		return;
	if (channel->relay_metadata_handle)
		relay_retire_stream(rs, channel->relay_metadata_handle, 0, true);
	for (uint32_t i = 0; i < channel->nr_streams; i++) {
		struct consumer_stream *stream = &channel->streams[i];

		if (stream->relay_handle)
			relay_retire_stream(rs, stream->relay_handle, stream->relay_next_seq,
			                    false);
	}
	channel->relay = NULL;
	relay_session_put(rs);
}

static int relay_write_packet(struct consumer_stream *stream, void *packet,
                              const struct ctf_packet_info *info)
{
	uint32_t content_bytes = (uint32_t)(info->content_size_bits / 8);
	uint32_t packet_bytes = (uint32_t)(info->packet_size_bits / 8);
	struct relayd_index index = {
	    .stream_handle = stream->relay_handle,
	    .net_seq_num = stream->relay_next_seq,
	    .packet_size_bits = info->packet_size_bits,
	    .content_size_bits = info->content_size_bits,
	    .timestamp_begin = info->timestamp_begin,
	    .timestamp_end = info->timestamp_end,
	    .events_discarded = info->events_discarded,
	    .stream_id = info->stream_id,
	    .stream_instance_id = info->stream_instance_id,
	    .packet_seq_num = info->packet_seq_num,
	};
	int r = relay_send_packet(stream->channel->relay, &index, packet, content_bytes,
	                          packet_bytes - content_bytes);

	if (r == 0)
		stream->relay_next_seq++;
	return r;
}

int relay_output_metadata_text(struct relay_session *rs, uint64_t handle,
                               const struct consumer_channel *channel, const char *text,
                               uint64_t len)
{
	size_t count = ctf_metadata_packet_count(len), last_content = 0;
	_cleanup_free_ uint8_t *packets = malloc(count * CTF_METADATA_PACKET_SIZE);
	uint8_t *p = packets;
	uint64_t done = 0;

	if (!packets)
		return -ENOMEM;
	while (done < len) {
		size_t used = ctf_metadata_packet_build(p, channel->uuid, text + done, len - done);

		done += used;
		last_content = CTF_METADATA_HEADER_SIZE + used;
		p += CTF_METADATA_PACKET_SIZE;
	}
	return relay_send_metadata(
	    rs, handle, packets, (uint32_t)((count - 1) * CTF_METADATA_PACKET_SIZE + last_content),
	    (uint32_t)(CTF_METADATA_PACKET_SIZE - last_content));
}

static int relay_append_metadata(struct consumer_channel *channel, const char *text, uint64_t len)
{
	int r = relay_output_metadata_text(channel->relay, channel->relay_metadata_handle, channel,
	                                   text, len);

	if (r == -ENOMEM)
		return -CONSUMERD_ENOMEM;
	if (r < 0) {
		log_error("Cannot send %" PRIu64 " bytes of metadata of %s to the relay daemon: %s",
		          len, channel->name, strerror(-r));
		return -CONSUMERD_RELAYD_FAIL;
	}
	channel->metadata_file_bytes += ctf_metadata_packet_count(len) * CTF_METADATA_PACKET_SIZE;
	return 0;
}

static void relay_beacon(struct consumer_stream *stream, uint64_t timestamp_end)
{
	/* No packet yet (its empty first packet could not be made): a relay ignores it. */
	if (stream->relay_next_seq == 0)
		return;
	struct relayd_index index = {
	    .stream_handle = stream->relay_handle,
	    .net_seq_num = stream->relay_next_seq - 1,
	    .timestamp_end = timestamp_end,
	    .stream_id = stream->channel->stream_id,
	};

	(void)relay_send_beacon(stream->channel->relay, &index);
}

static int relay_restart_metadata(struct consumer_channel *channel)
{
	log_error("Metadata of %s cannot be regenerated: the session streams to a relay daemon",
	          channel->name);
	return -CONSUMERD_ERROR_METADATA;
}

const struct output_ops output_relay_ops = {
    .name = "relay daemon",
    .open = relay_open,
    .close = relay_close,
    .write_packet = relay_write_packet,
    .append_metadata = relay_append_metadata,
    .beacon = relay_beacon,
    .restart_metadata = relay_restart_metadata,
};

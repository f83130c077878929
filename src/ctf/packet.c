/* SPDX-License-Identifier: MIT */
#include "packet.h"

#include <errno.h>
#include <stddef.h>

#include "common/macros.h"
#include "ringbuffer/ringbuffer.h"

STATIC_ASSERT(sizeof(struct ctf_packet_header) == CTF_PACKET_HEADER_SIZE,
              "packet header+context is 84 bytes");
STATIC_ASSERT(offsetof(struct ctf_packet_header, stream_instance_id) == 24, "layout");
STATIC_ASSERT(offsetof(struct ctf_packet_header, timestamp_begin) == 32, "layout");
STATIC_ASSERT(offsetof(struct ctf_packet_header, events_discarded) == 72, "layout");
STATIC_ASSERT(offsetof(struct ctf_packet_header, cpu_id) == 80, "layout");
STATIC_ASSERT(sizeof(struct ctf_stream_client) == RB_CLIENT_AREA_SIZE,
              "the stream identity fills the ring buffer's client area");
STATIC_ASSERT(CTF_PACKET_SIZE_ALIGN <= RB_MIN_SUBBUF_SIZE,
              "a packet's on-disk size fits in the smallest sub-buffer");

void ctf_stream_client_fill(uint8_t *ret_client, const uint8_t uuid[RT_UUID_LEN],
                            uint32_t stream_id, uint32_t cpu)
{
	struct ctf_stream_client client = {
	    .stream_id = stream_id,
	    .cpu = cpu,
	};

	memcpy(client.uuid, uuid, RT_UUID_LEN);
	memcpy(ret_client, &client, sizeof(client));
}

void ctf_packet_begin(void *packet, const uint8_t *client, uint64_t ts_begin, uint64_t seq_num)
{
	struct ctf_stream_client id;
	struct ctf_packet_header header = {
	    .magic = CTF_PACKET_MAGIC,
	    .timestamp_begin = ts_begin,
	    .packet_seq_num = seq_num,
	};

	memcpy(&id, client, sizeof(id));
	memcpy(header.uuid, id.uuid, RT_UUID_LEN);
	header.stream_id = id.stream_id;
	header.stream_instance_id = id.cpu;
	header.cpu_id = id.cpu;
	memcpy(packet, &header, sizeof(header));
}

void ctf_packet_end(void *packet, const uint8_t *client, uint64_t ts_end,
                    uint64_t content_size_bytes, uint64_t events_discarded)
{
	struct ctf_packet_header *header = packet;
	uint64_t packet_size_bytes = ctf_packet_size_bytes(content_size_bytes);

	header->timestamp_end = ts_end;
	header->content_size = content_size_bytes * 8;
	header->packet_size = packet_size_bytes * 8;
	header->events_discarded = events_discarded;
	memset((uint8_t *)packet + content_size_bytes, 0, packet_size_bytes - content_size_bytes);
}

uint64_t ctf_packet_raise_events_discarded(void *packet, uint64_t floor)
{
	struct ctf_packet_header *header = packet;

	if (header->events_discarded < floor)
		header->events_discarded = floor;
	return header->events_discarded;
}

const struct rb_client_ops ctf_rb_client_ops = {
    .packet_begin = ctf_packet_begin,
    .packet_end = ctf_packet_end,
};

int ctf_packet_header_parse(const void *packet, size_t len, struct ctf_packet_info *ret_info)
{
	struct ctf_packet_header h;

	if (len < CTF_PACKET_HEADER_SIZE)
		return -EINVAL;
	memcpy(&h, packet, sizeof(h));
	if (h.magic != CTF_PACKET_MAGIC || h.content_size < CTF_PACKET_HEADER_SIZE * 8 ||
	    h.content_size > h.packet_size || h.packet_size % 8 != 0)
		return -EINVAL;
	*ret_info = (struct ctf_packet_info){
	    .stream_id = h.stream_id,
	    .stream_instance_id = h.stream_instance_id,
	    .timestamp_begin = h.timestamp_begin,
	    .timestamp_end = h.timestamp_end,
	    .content_size_bits = h.content_size,
	    .packet_size_bits = h.packet_size,
	    .packet_seq_num = h.packet_seq_num,
	    .events_discarded = h.events_discarded,
	    .cpu_id = h.cpu_id,
	};
	memcpy(ret_info->uuid, h.uuid, RT_UUID_LEN);
	return 0;
}

/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * CTF data packets as lttng-ust 2.13 writes them for a 64-bit app
 * (reference/ctf-layout.md sections 4 and 5), in host byte order:
 *
 *   off  size  field
 *     0     4  magic 0xC1FC1FC1           \
 *     4    16  uuid                        | trace.packet.header
 *    20     4  stream_id (channel id)      |
 *    24     8  stream_instance_id (cpu)   /
 *    32     8  timestamp_begin            \
 *    40     8  timestamp_end               |
 *    48     8  content_size (bits)         | struct packet_context
 *    56     8  packet_size (bits)          |
 *    64     8  packet_seq_num              |
 *    72     8  events_discarded (cumul.)   |
 *    80     4  cpu_id                     /
 *    84        first event record
 *
 * A record starts with the large event header: u16 id and the low 32 bits of
 * the clock ("compact", 6 bytes), or u16 65535, u32 id and the full 64-bit
 * clock ("extended", 14 bytes). Nothing is aligned: on x86 every TSDL align
 * is 8 bits. 32-bit apps (4-byte events_discarded) are not supported here.
 *
 * The ring buffer fills the header through ctf_rb_client_ops, reading the
 * stream identity from the 64-byte client area (struct ctf_stream_client).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "common/uuid.h"

#define CTF_PACKET_MAGIC       0xC1FC1FC1u
#define CTF_PACKET_HEADER_SIZE 84u
/* packet_size is content_size rounded up to this (the page size of x86). */
#define CTF_PACKET_SIZE_ALIGN          4096u
#define CTF_EVENT_HEADER_COMPACT_SIZE  6u  /* u16 id + u32 low timestamp */
#define CTF_EVENT_HEADER_EXTENDED_SIZE 14u /* u16 0xFFFF + u32 id + u64 timestamp */
#define CTF_EVENT_ID_EXTENDED          65535u
/*
 * The compact form may be used only while (ts >> 27) equals that of the
 * previous record of the buffer (lttng-ust keeps 27 even with the large header).
 */
#define CTF_TIMESTAMP_BITS 27u

/* The packet header and context, exactly as in the packet. */
struct ctf_packet_header {
	uint32_t magic;
	uint8_t uuid[RT_UUID_LEN];
	uint32_t stream_id;
	uint64_t stream_instance_id;
	uint64_t timestamp_begin;
	uint64_t timestamp_end;
	uint64_t content_size; /* bits */
	uint64_t packet_size;  /* bits */
	uint64_t packet_seq_num;
	uint64_t events_discarded;
	uint32_t cpu_id;
} __attribute__((packed));

/* Stream identity kept in the ring buffer's client area (RB_CLIENT_AREA_SIZE bytes). */
struct ctf_stream_client {
	uint8_t uuid[RT_UUID_LEN];
	uint32_t stream_id; /* channel id in the registry */
	uint32_t cpu;       /* stream_instance_id and cpu_id */
	uint8_t reserved[40];
} __attribute__((packed));

void ctf_stream_client_fill(uint8_t *ret_client, const uint8_t uuid[RT_UUID_LEN],
                            uint32_t stream_id, uint32_t cpu);

/*
 * Ring-buffer client callbacks (struct rb_client_ops, slow path only).
 * packet_begin writes the whole header: identity from the client area,
 * timestamp_begin, packet_seq_num, and zero for what packet_end fills.
 * packet_end writes timestamp_end, content_size, packet_size
 * (= CTF_PACKET_SIZE_ALIGN-aligned content, in bits: the consumer writes
 * packet_size/8 bytes) and events_discarded, and zeroes the padding between
 * the content and packet_size so no stale bytes of an earlier lap reach the
 * file. The sub-buffer must be at least packet_size/8 bytes, which holds for
 * any power-of-two sub-buffer >= 4096.
 */
void ctf_packet_begin(void *packet, const uint8_t *client, uint64_t ts_begin, uint64_t seq_num);
void ctf_packet_end(void *packet, const uint8_t *client, uint64_t ts_end,
                    uint64_t content_size_bytes, uint64_t events_discarded);

/*
 * Raises the packet's cumulative events_discarded to at least floor and
 * returns the value it then holds. Producers deliver packets in the order
 * they complete, not the order they were opened, so a packet may carry a
 * count read before its predecessor's. The consumer, which reads packets in
 * order, keeps the sequence from decreasing with this: babeltrace2 takes a
 * decrease for a wrap of the counter. The total stays exact; discards are
 * at worst attributed to the next packet.
 */
uint64_t ctf_packet_raise_events_discarded(void *packet, uint64_t floor);

struct rb_client_ops;
extern const struct rb_client_ops ctf_rb_client_ops;

/* Bytes a packet with content_size_bytes of content occupies on disk. */
static inline uint64_t ctf_packet_size_bytes(uint64_t content_size_bytes)
{
	return (content_size_bytes + CTF_PACKET_SIZE_ALIGN - 1) &
	       ~(uint64_t)(CTF_PACKET_SIZE_ALIGN - 1);
}

/* A packet header read back, e.g. by the consumer to build its index entry. */
struct ctf_packet_info {
	uint8_t uuid[RT_UUID_LEN];
	uint32_t stream_id;
	uint64_t stream_instance_id;
	uint64_t timestamp_begin;
	uint64_t timestamp_end;
	uint64_t content_size_bits;
	uint64_t packet_size_bits;
	uint64_t packet_seq_num;
	uint64_t events_discarded;
	uint32_t cpu_id;
};

/*
 * Parses the 84-byte header at the start of packet (len bytes available).
 * -EINVAL when len < CTF_PACKET_HEADER_SIZE, the magic is wrong, or the sizes
 * are inconsistent (content < header, content > packet size, packet size not
 * whole bytes). It does not check packet_size against len: a header is often
 * parsed before the rest of the packet is at hand.
 */
int ctf_packet_header_parse(const void *packet, size_t len, struct ctf_packet_info *ret_info);

/* --- event record header, on the tracer's fast path --- */

static inline bool ctf_event_id_needs_extended(uint32_t event_id)
{
	return event_id >= CTF_EVENT_ID_EXTENDED;
}

static inline void ctf_event_header_write_compact(void *record, uint16_t event_id,
                                                  uint64_t timestamp)
{
	uint32_t low = (uint32_t)timestamp;

	memcpy(record, &event_id, sizeof(event_id));
	memcpy((uint8_t *)record + 2, &low, sizeof(low));
}

static inline void ctf_event_header_write_extended(void *record, uint32_t event_id,
                                                   uint64_t timestamp)
{
	uint16_t marker = CTF_EVENT_ID_EXTENDED;

	memcpy(record, &marker, sizeof(marker));
	memcpy((uint8_t *)record + 2, &event_id, sizeof(event_id));
	memcpy((uint8_t *)record + 6, &timestamp, sizeof(timestamp));
}

/*
 * Writes the header form the ring buffer reserved room for (extended =
 * rb_reserve_ctx.long_header) and returns its size. Precondition: an event
 * id that ctf_event_id_needs_extended() was reserved with force_long, so
 * extended is true for it.
 */
static inline uint32_t ctf_event_header_write(void *record, uint32_t event_id, uint64_t timestamp,
                                              bool extended)
{
	if (extended) {
		ctf_event_header_write_extended(record, event_id, timestamp);
		return CTF_EVENT_HEADER_EXTENDED_SIZE;
	}
	ctf_event_header_write_compact(record, (uint16_t)event_id, timestamp);
	return CTF_EVENT_HEADER_COMPACT_SIZE;
}

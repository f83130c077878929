/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * The packetized metadata stream (reference/ctf-layout.md section 3): the
 * `metadata` file, and what the relay and live protocols carry, is a run of
 * 4096-byte packets, each a 37-byte header (host byte order), a slice of the
 * TSDL text and zero padding. Text is cut at any byte; a reader concatenates
 * the slices. Every append ends with a (possibly partial) packet of its own:
 * packets are never reopened, like lttng-ust's metadata channel after a flush.
 */

#include <stddef.h>
#include <stdint.h>

#include "common/uuid.h"

#define CTF_METADATA_MAGIC       0x75D11D57u
#define CTF_METADATA_HEADER_SIZE 37u
#define CTF_METADATA_PACKET_SIZE 4096u
#define CTF_METADATA_PAYLOAD_MAX (CTF_METADATA_PACKET_SIZE - CTF_METADATA_HEADER_SIZE)

struct ctf_metadata_packet_header {
	uint32_t magic;
	uint8_t uuid[RT_UUID_LEN];
	uint32_t checksum;          /* 0 */
	uint32_t content_size_bits; /* header included */
	uint32_t packet_size_bits;
	uint8_t compression_scheme; /* 0 */
	uint8_t encryption_scheme;  /* 0 */
	uint8_t checksum_scheme;    /* 0 */
	uint8_t major;              /* 1 */
	uint8_t minor;              /* 8 */
} __attribute__((packed));

/*
 * Fills ret_packet (CTF_METADATA_PACKET_SIZE bytes) with one packet holding
 * the first min(len, CTF_METADATA_PAYLOAD_MAX) bytes of text, zero padded.
 * Returns the number of text bytes consumed.
 */
size_t ctf_metadata_packet_build(void *ret_packet, const uint8_t uuid[RT_UUID_LEN],
                                 const char *text, size_t len);

/* Number of packets ctf_metadata_write() produces for len bytes (0 for 0). */
size_t ctf_metadata_packet_count(size_t len);

/*
 * Appends text to a metadata file (at the fd's current position) as
 * ctf_metadata_packet_count(len) whole packets. Nothing is written for
 * len == 0. Returns 0 or a negative errno; on error part of the packets may
 * have been written.
 */
int ctf_metadata_write(int fd, const uint8_t uuid[RT_UUID_LEN], const char *text, size_t len);

/*
 * De-packetizes a metadata stream held in memory (a whole file, or whole
 * packets received from a peer). Checks every header: magic, version 1.8,
 * content_size within [header, packet_size], sizes in whole bytes, packet
 * within the data, and the same uuid in every packet. On success returns a
 * malloc'd NUL-terminated text (caller frees), its length, and the uuid of
 * the stream (ret_uuid may be NULL). -EINVAL on malformed data (an empty
 * input gives an empty text).
 */
int ctf_metadata_read_text(const void *data, size_t size, char **ret_text, size_t *ret_len,
                           uint8_t ret_uuid[RT_UUID_LEN]);

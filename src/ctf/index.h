/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * CTF index files, `index/<stream file>.idx` (reference/ctf-layout.md
 * section 6): a 16-byte header then one 72-byte entry per packet of the data
 * file, in file order, every integer big-endian.
 *
 * babeltrace2 uses an index only when it is exactly consistent with the data
 * file (non-decreasing offsets, ts_end >= ts_begin, and the packet sizes
 * summing to the file size); otherwise it silently scans the data file. So
 * write one entry per packet actually written, with offset = the packet's
 * byte offset in the data file.
 */

#include <stddef.h>
#include <stdint.h>

#include "packet.h"

#define CTF_INDEX_MAGIC          0xC1F1DCC1u
#define CTF_INDEX_MAJOR          1u
#define CTF_INDEX_MINOR          1u
#define CTF_INDEX_HEADER_SIZE    16u
#define CTF_INDEX_ENTRY_SIZE     72u /* v1.1 */
#define CTF_INDEX_ENTRY_SIZE_1_0 56u /* v1.0: without stream_instance_id, packet_seq_num */

struct ctf_index_entry {
	uint64_t offset_bytes; /* of the packet in the data file */
	uint64_t packet_size_bits;
	uint64_t content_size_bits;
	uint64_t timestamp_begin;
	uint64_t timestamp_end;
	uint64_t events_discarded;
	uint64_t stream_id;
	uint64_t stream_instance_id;
	uint64_t packet_seq_num;
};

/* The fields of a parsed packet header, at offset_bytes in its data file. */
void ctf_index_entry_from_packet(const struct ctf_packet_info *info, uint64_t offset_bytes,
                                 struct ctf_index_entry *ret_entry);

void ctf_index_header_encode(uint8_t ret_bytes[CTF_INDEX_HEADER_SIZE]);
/*
 * Checks magic and major version and returns the entry length the file
 * declares (>= CTF_INDEX_ENTRY_SIZE_1_0); -EINVAL otherwise.
 */
int ctf_index_header_decode(const uint8_t bytes[CTF_INDEX_HEADER_SIZE], uint32_t *ret_entry_size);

void ctf_index_entry_encode(const struct ctf_index_entry *entry,
                            uint8_t ret_bytes[CTF_INDEX_ENTRY_SIZE]);
/*
 * Decodes an entry of entry_size bytes (from ctf_index_header_decode): a
 * v1.0 entry leaves stream_instance_id and packet_seq_num at 0.
 */
int ctf_index_entry_decode(const uint8_t *bytes, uint32_t entry_size,
                           struct ctf_index_entry *ret_entry);

/* Writes the header at the fd's current position (a new, empty index file). */
int ctf_index_write_header(int fd);
/* Appends one entry at the fd's current position. */
int ctf_index_append(int fd, const struct ctf_index_entry *entry);

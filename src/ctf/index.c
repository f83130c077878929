/* SPDX-License-Identifier: MIT */
#include "index.h"

#include <endian.h>
#include <errno.h>
#include <string.h>

#include "common/io.h"

static void put_be32(uint8_t *p, uint32_t v)
{
	v = htobe32(v);
	memcpy(p, &v, sizeof(v));
}

static void put_be64(uint8_t *p, uint64_t v)
{
	v = htobe64(v);
	memcpy(p, &v, sizeof(v));
}

static uint32_t get_be32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return be32toh(v);
}

static uint64_t get_be64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return be64toh(v);
}

void ctf_index_entry_from_packet(const struct ctf_packet_info *info, uint64_t offset_bytes,
                                 struct ctf_index_entry *ret_entry)
{
	*ret_entry = (struct ctf_index_entry){
	    .offset_bytes = offset_bytes,
	    .packet_size_bits = info->packet_size_bits,
	    .content_size_bits = info->content_size_bits,
	    .timestamp_begin = info->timestamp_begin,
	    .timestamp_end = info->timestamp_end,
	    .events_discarded = info->events_discarded,
	    .stream_id = info->stream_id,
	    .stream_instance_id = info->stream_instance_id,
	    .packet_seq_num = info->packet_seq_num,
	};
}

void ctf_index_header_encode(uint8_t ret_bytes[CTF_INDEX_HEADER_SIZE])
{
	put_be32(ret_bytes, CTF_INDEX_MAGIC);
	put_be32(ret_bytes + 4, CTF_INDEX_MAJOR);
	put_be32(ret_bytes + 8, CTF_INDEX_MINOR);
	put_be32(ret_bytes + 12, CTF_INDEX_ENTRY_SIZE);
}

int ctf_index_header_decode(const uint8_t bytes[CTF_INDEX_HEADER_SIZE], uint32_t *ret_entry_size)
{
	uint32_t entry_size = get_be32(bytes + 12);

	if (get_be32(bytes) != CTF_INDEX_MAGIC || get_be32(bytes + 4) != CTF_INDEX_MAJOR ||
	    entry_size < CTF_INDEX_ENTRY_SIZE_1_0)
		return -EINVAL;
	*ret_entry_size = entry_size;
	return 0;
}

void ctf_index_entry_encode(const struct ctf_index_entry *entry,
                            uint8_t ret_bytes[CTF_INDEX_ENTRY_SIZE])
{
	put_be64(ret_bytes + 0, entry->offset_bytes);
	put_be64(ret_bytes + 8, entry->packet_size_bits);
	put_be64(ret_bytes + 16, entry->content_size_bits);
	put_be64(ret_bytes + 24, entry->timestamp_begin);
	put_be64(ret_bytes + 32, entry->timestamp_end);
	put_be64(ret_bytes + 40, entry->events_discarded);
	put_be64(ret_bytes + 48, entry->stream_id);
	put_be64(ret_bytes + 56, entry->stream_instance_id);
	put_be64(ret_bytes + 64, entry->packet_seq_num);
}

int ctf_index_entry_decode(const uint8_t *bytes, uint32_t entry_size,
                           struct ctf_index_entry *ret_entry)
{
	if (entry_size < CTF_INDEX_ENTRY_SIZE_1_0)
		return -EINVAL;
	*ret_entry = (struct ctf_index_entry){
	    .offset_bytes = get_be64(bytes + 0),
	    .packet_size_bits = get_be64(bytes + 8),
	    .content_size_bits = get_be64(bytes + 16),
	    .timestamp_begin = get_be64(bytes + 24),
	    .timestamp_end = get_be64(bytes + 32),
	    .events_discarded = get_be64(bytes + 40),
	    .stream_id = get_be64(bytes + 48),
	};
	/* v1.1 fields; entries of later minors may carry more after them. */
	if (entry_size >= CTF_INDEX_ENTRY_SIZE) {
		ret_entry->stream_instance_id = get_be64(bytes + 56);
		ret_entry->packet_seq_num = get_be64(bytes + 64);
	}
	return 0;
}

int ctf_index_write_header(int fd)
{
	uint8_t bytes[CTF_INDEX_HEADER_SIZE];

	ctf_index_header_encode(bytes);
	return write_full(fd, bytes, sizeof(bytes));
}

int ctf_index_append(int fd, const struct ctf_index_entry *entry)
{
	uint8_t bytes[CTF_INDEX_ENTRY_SIZE];

	ctf_index_entry_encode(entry, bytes);
	return write_full(fd, bytes, sizeof(bytes));
}

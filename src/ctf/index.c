/* SPDX-License-Identifier: MIT */
#include "index.h"

#include <endian.h>
#include <errno.h>
#include <string.h>

#include "common/be-bytes.h"
#include "common/io.h"

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
	be32_put(ret_bytes, CTF_INDEX_MAGIC);
	be32_put(ret_bytes + 4, CTF_INDEX_MAJOR);
	be32_put(ret_bytes + 8, CTF_INDEX_MINOR);
	be32_put(ret_bytes + 12, CTF_INDEX_ENTRY_SIZE);
}

int ctf_index_header_decode(const uint8_t bytes[CTF_INDEX_HEADER_SIZE], uint32_t *ret_entry_size)
{
	uint32_t entry_size = be32_get(bytes + 12);

	if (be32_get(bytes) != CTF_INDEX_MAGIC || be32_get(bytes + 4) != CTF_INDEX_MAJOR ||
	    entry_size < CTF_INDEX_ENTRY_SIZE_1_0)
		return -EINVAL;
	*ret_entry_size = entry_size;
	return 0;
}

void ctf_index_entry_encode(const struct ctf_index_entry *entry,
                            uint8_t ret_bytes[CTF_INDEX_ENTRY_SIZE])
{
	be64_put(ret_bytes + 0, entry->offset_bytes);
	be64_put(ret_bytes + 8, entry->packet_size_bits);
	be64_put(ret_bytes + 16, entry->content_size_bits);
	be64_put(ret_bytes + 24, entry->timestamp_begin);
	be64_put(ret_bytes + 32, entry->timestamp_end);
	be64_put(ret_bytes + 40, entry->events_discarded);
	be64_put(ret_bytes + 48, entry->stream_id);
	be64_put(ret_bytes + 56, entry->stream_instance_id);
	be64_put(ret_bytes + 64, entry->packet_seq_num);
}

int ctf_index_entry_decode(const uint8_t *bytes, uint32_t entry_size,
                           struct ctf_index_entry *ret_entry)
{
	if (entry_size < CTF_INDEX_ENTRY_SIZE_1_0)
		return -EINVAL;
	*ret_entry = (struct ctf_index_entry){
	    .offset_bytes = be64_get(bytes + 0),
	    .packet_size_bits = be64_get(bytes + 8),
	    .content_size_bits = be64_get(bytes + 16),
	    .timestamp_begin = be64_get(bytes + 24),
	    .timestamp_end = be64_get(bytes + 32),
	    .events_discarded = be64_get(bytes + 40),
	    .stream_id = be64_get(bytes + 48),
	};
	/* v1.1 fields; entries of later minors may carry more after them. */
	if (entry_size >= CTF_INDEX_ENTRY_SIZE) {
		ret_entry->stream_instance_id = be64_get(bytes + 56);
		ret_entry->packet_seq_num = be64_get(bytes + 64);
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

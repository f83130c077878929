/* SPDX-License-Identifier: MIT */
#include "relayd-encode.h"

#include <errno.h>
#include <string.h>

#include "common/be-bytes.h"

void relayd_ctrl_header_encode(uint8_t ret_buf[RELAYD_CTRL_HEADER_SIZE], uint32_t cmd,
                               uint64_t data_size)
{
	be64_put(ret_buf, 0);
	be64_put(ret_buf + 8, data_size);
	be32_put(ret_buf + 16, cmd);
	be32_put(ret_buf + 20, 0);
}

void relayd_data_header_encode(uint8_t ret_buf[RELAYD_DATA_HEADER_SIZE],
                               const struct relayd_data_header *h)
{
	be64_put(ret_buf, h->circuit_id);
	be64_put(ret_buf + 8, h->stream_handle);
	be64_put(ret_buf + 16, h->net_seq_num);
	be32_put(ret_buf + 24, h->data_size);
	be32_put(ret_buf + 28, h->padding_size);
}

void relayd_version_encode(uint8_t ret_buf[8], uint32_t major, uint32_t minor)
{
	be32_put(ret_buf, major);
	be32_put(ret_buf + 4, minor);
}

/* Wire length of s (its NUL included), or 0 when it does not fit max bytes. */
static uint32_t wire_string_len(const char *s, size_t max)
{
	size_t len = strnlen(s, max);

	return len < max ? (uint32_t)len + 1 : 0;
}

ssize_t relayd_create_session_encode(uint8_t *buf, size_t cap,
                                     const struct relayd_create_session *cs)
{
	uint32_t name_len = wire_string_len(cs->session_name, RELAYD_SESSION_NAME_MAX);
	uint32_t host_len = wire_string_len(cs->hostname, RELAYD_HOSTNAME_MAX);
	uint32_t base_len = wire_string_len(cs->base_path, RELAYD_BASE_PATH_MAX);
	size_t total = 59u + (size_t)name_len + host_len + base_len;
	uint8_t *p;

	if (name_len < 2 || host_len < 2 || base_len == 0)
		return -EINVAL;
	if (total > cap)
		return -ENOBUFS;
	be32_put(buf, name_len);
	be32_put(buf + 4, host_len);
	be32_put(buf + 8, base_len);
	be32_put(buf + 12, cs->live_timer_us);
	buf[16] = cs->snapshot;
	buf[17] = cs->name_contains_creation_time;
	memcpy(buf + 18, cs->sessiond_uuid, sizeof(cs->sessiond_uuid));
	be64_put(buf + 34, cs->session_id);
	be64_put(buf + 42, cs->creation_time);
	buf[50] = cs->chunk_id_set;
	be64_put(buf + 51, cs->chunk_id_set ? cs->chunk_id : 0);
	p = buf + 59;
	memcpy(p, cs->session_name, name_len);
	memcpy(p + name_len, cs->hostname, host_len);
	memcpy(p + name_len + host_len, cs->base_path, base_len);
	return (ssize_t)total;
}

ssize_t relayd_add_stream_encode(uint8_t *buf, size_t cap, const struct relayd_add_stream *as)
{
	uint32_t channel_len = wire_string_len(as->channel_name, RELAYD_CHANNEL_NAME_MAX);
	uint32_t path_len = wire_string_len(as->pathname, RELAYD_STREAM_PATH_MAX);
	size_t total = 32u + (size_t)channel_len + path_len;

	if (channel_len < 2 || path_len == 0)
		return -EINVAL;
	if (total > cap)
		return -ENOBUFS;
	be32_put(buf, channel_len);
	be32_put(buf + 4, path_len);
	be64_put(buf + 8, as->tracefile_size);
	be64_put(buf + 16, as->tracefile_count);
	be64_put(buf + 24, as->trace_chunk_id);
	memcpy(buf + 32, as->channel_name, channel_len);
	memcpy(buf + 32 + channel_len, as->pathname, path_len);
	return (ssize_t)total;
}

void relayd_index_encode(uint8_t ret_buf[RELAYD_INDEX_SIZE], const struct relayd_index *index)
{
	const uint64_t fields[] = {
	    index->stream_handle,     index->net_seq_num,     index->packet_size_bits,
	    index->content_size_bits, index->timestamp_begin, index->timestamp_end,
	    index->events_discarded,  index->stream_id,       index->stream_instance_id,
	    index->packet_seq_num,
	};

	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		be64_put(ret_buf + 8 * i, fields[i]);
}

void relayd_stream_seq_encode(uint8_t ret_buf[16], uint64_t stream_handle, uint64_t net_seq_num)
{
	be64_put(ret_buf, stream_handle);
	be64_put(ret_buf + 8, net_seq_num);
}

void relayd_u64_encode(uint8_t ret_buf[8], uint64_t v)
{
	be64_put(ret_buf, v);
}

ssize_t relayd_create_chunk_encode(uint8_t *buf, size_t cap, uint64_t chunk_id,
                                   uint64_t creation_time, const char *override_name)
{
	uint32_t name_len =
	    override_name[0] ? wire_string_len(override_name, RELAYD_CHUNK_NAME_MAX) : 0;

	if (override_name[0] && !name_len)
		return -EINVAL;
	if (cap < 20 + name_len)
		return -ENOBUFS;
	be64_put(buf, chunk_id);
	be64_put(buf + 8, creation_time);
	be32_put(buf + 16, name_len);
	memcpy(buf + 20, override_name, name_len);
	return (ssize_t)(20 + name_len);
}

void relayd_rotate_streams_header_encode(uint8_t ret_buf[RELAYD_ROTATE_STREAMS_HEADER_SIZE],
                                         uint32_t stream_count, bool chunk_id_set,
                                         uint64_t chunk_id)
{
	memset(ret_buf, 0, RELAYD_ROTATE_STREAMS_HEADER_SIZE);
	be32_put(ret_buf, stream_count);
	ret_buf[4] = chunk_id_set;
	be64_put(ret_buf + 12, chunk_id_set ? chunk_id : 0);
}

void relayd_rotate_position_encode(uint8_t ret_buf[RELAYD_ROTATE_POS_SIZE], uint64_t stream_handle,
                                   uint64_t rotate_at_seq)
{
	be64_put(ret_buf, stream_handle);
	be64_put(ret_buf + 8, rotate_at_seq);
}

void relayd_close_chunk_encode(uint8_t ret_buf[RELAYD_CLOSE_CHUNK_SIZE],
                               const struct relayd_close_chunk *cc)
{
	be64_put(ret_buf, cc->chunk_id);
	be64_put(ret_buf + 8, cc->close_time);
	ret_buf[16] = cc->close_command_set;
	be32_put(ret_buf + 17, cc->close_command_set ? cc->close_command : 0);
}

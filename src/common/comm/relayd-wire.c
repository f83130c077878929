/* SPDX-License-Identifier: MIT */
#include "relayd-wire.h"

#include <errno.h>
#include <string.h>

#include "common/be-bytes.h"

#define CREATE_SESSION_FIXED_SIZE 59u
#define ADD_STREAM_FIXED_SIZE     32u
#define SEND_METADATA_FIXED_SIZE  12u
#define CREATE_CHUNK_FIXED_SIZE   20u
#define CLOSE_CHUNK_SIZE          21u

/*
 * Copies a string of wire_len bytes (its NUL included) at p into dst of
 * dst_size bytes. The last byte must be the only NUL. wire_len 0 means an
 * absent string, accepted only when allow_absent is set (dst becomes "").
 */
static int copy_wire_string(const uint8_t *p, uint32_t wire_len, char *dst, size_t dst_size,
                            bool allow_absent)
{
	if (wire_len == 0) {
		if (!allow_absent)
			return -EINVAL;
		dst[0] = '\0';
		return 0;
	}
	if (wire_len > dst_size || p[wire_len - 1] != '\0' ||
	    strlen((const char *)p) != wire_len - 1)
		return -EINVAL;
	memcpy(dst, p, wire_len);
	return 0;
}

int relayd_ctrl_header_parse(const uint8_t *buf, size_t len, struct relayd_ctrl_header *ret)
{
	if (len != RELAYD_CTRL_HEADER_SIZE)
		return -EINVAL;
	ret->circuit_id = be64_get(buf);
	ret->data_size = be64_get(buf + 8);
	ret->cmd = be32_get(buf + 16);
	ret->cmd_version = be32_get(buf + 20);
	return 0;
}

int relayd_data_header_parse(const uint8_t *buf, size_t len, struct relayd_data_header *ret)
{
	if (len != RELAYD_DATA_HEADER_SIZE)
		return -EINVAL;
	ret->circuit_id = be64_get(buf);
	ret->stream_handle = be64_get(buf + 8);
	ret->net_seq_num = be64_get(buf + 16);
	ret->data_size = be32_get(buf + 24);
	ret->padding_size = be32_get(buf + 28);
	return 0;
}

int relayd_version_parse(const uint8_t *buf, size_t len, struct relayd_version *ret)
{
	if (len != 8)
		return -EINVAL;
	ret->major = be32_get(buf);
	ret->minor = be32_get(buf + 4);
	return 0;
}

int relayd_create_session_parse(const uint8_t *buf, size_t len, struct relayd_create_session *ret)
{
	uint32_t name_len, host_len, base_len;
	static const uint8_t zero_uuid[16];
	const uint8_t *strings;
	int r;

	if (len < CREATE_SESSION_FIXED_SIZE)
		return -EINVAL;
	name_len = be32_get(buf);
	host_len = be32_get(buf + 4);
	base_len = be32_get(buf + 8);
	if ((uint64_t)CREATE_SESSION_FIXED_SIZE + name_len + host_len + base_len != len)
		return -EINVAL;
	ret->live_timer_us = be32_get(buf + 12);
	if (buf[16] > 1 || buf[17] > 1 || buf[50] > 1)
		return -EINVAL;
	ret->snapshot = buf[16];
	ret->name_contains_creation_time = buf[17];
	memcpy(ret->sessiond_uuid, buf + 18, sizeof(ret->sessiond_uuid));
	if (!memcmp(ret->sessiond_uuid, zero_uuid, sizeof(zero_uuid)))
		return -EINVAL;
	ret->session_id = be64_get(buf + 34);
	ret->creation_time = be64_get(buf + 42);
	ret->chunk_id_set = buf[50];
	ret->chunk_id = be64_get(buf + 51);

	strings = buf + CREATE_SESSION_FIXED_SIZE;
	r = copy_wire_string(strings, name_len, ret->session_name, sizeof(ret->session_name),
	                     false);
	if (r < 0 || ret->session_name[0] == '\0')
		return -EINVAL;
	r = copy_wire_string(strings + name_len, host_len, ret->hostname, sizeof(ret->hostname),
	                     false);
	if (r < 0 || ret->hostname[0] == '\0')
		return -EINVAL;
	return copy_wire_string(strings + name_len + host_len, base_len, ret->base_path,
	                        sizeof(ret->base_path), true);
}

int relayd_add_stream_parse(const uint8_t *buf, size_t len, struct relayd_add_stream *ret)
{
	uint32_t channel_len, path_len;
	int r;

	if (len < ADD_STREAM_FIXED_SIZE)
		return -EINVAL;
	channel_len = be32_get(buf);
	path_len = be32_get(buf + 4);
	if ((uint64_t)ADD_STREAM_FIXED_SIZE + channel_len + path_len != len)
		return -EINVAL;
	ret->tracefile_size = be64_get(buf + 8);
	ret->tracefile_count = be64_get(buf + 16);
	ret->trace_chunk_id = be64_get(buf + 24);
	r = copy_wire_string(buf + ADD_STREAM_FIXED_SIZE, channel_len, ret->channel_name,
	                     sizeof(ret->channel_name), false);
	if (r < 0 || ret->channel_name[0] == '\0')
		return -EINVAL;
	return copy_wire_string(buf + ADD_STREAM_FIXED_SIZE + channel_len, path_len, ret->pathname,
	                        sizeof(ret->pathname), false);
}

int relayd_send_metadata_parse(const uint8_t *buf, size_t len, struct relayd_send_metadata *ret)
{
	if (len < SEND_METADATA_FIXED_SIZE)
		return -EINVAL;
	ret->stream_handle = be64_get(buf);
	ret->padding_size = be32_get(buf + 8);
	ret->bytes = buf + SEND_METADATA_FIXED_SIZE;
	ret->len = len - SEND_METADATA_FIXED_SIZE;
	return 0;
}

int relayd_index_parse(const uint8_t *buf, size_t len, struct relayd_index *ret)
{
	if (len != RELAYD_INDEX_SIZE && len != RELAYD_INDEX_SIZE_2_4)
		return -EINVAL;
	ret->stream_handle = be64_get(buf);
	ret->net_seq_num = be64_get(buf + 8);
	ret->packet_size_bits = be64_get(buf + 16);
	ret->content_size_bits = be64_get(buf + 24);
	ret->timestamp_begin = be64_get(buf + 32);
	ret->timestamp_end = be64_get(buf + 40);
	ret->events_discarded = be64_get(buf + 48);
	ret->stream_id = be64_get(buf + 56);
	ret->stream_instance_id = len == RELAYD_INDEX_SIZE ? be64_get(buf + 64) : 0;
	ret->packet_seq_num = len == RELAYD_INDEX_SIZE ? be64_get(buf + 72) : 0;
	if (ret->content_size_bits > ret->packet_size_bits || ret->packet_size_bits % 8 ||
	    ret->content_size_bits % 8)
		return -EINVAL;
	return 0;
}

int relayd_stream_seq_parse(const uint8_t *buf, size_t len, struct relayd_stream_seq *ret)
{
	if (len != 16)
		return -EINVAL;
	ret->stream_handle = be64_get(buf);
	ret->net_seq_num = be64_get(buf + 8);
	return 0;
}

int relayd_reset_metadata_parse(const uint8_t *buf, size_t len, struct relayd_reset_metadata *ret)
{
	if (len != 16)
		return -EINVAL;
	ret->stream_handle = be64_get(buf);
	ret->version = be64_get(buf + 8);
	return 0;
}

int relayd_create_chunk_parse(const uint8_t *buf, size_t len, struct relayd_create_chunk *ret)
{
	uint32_t name_len;

	if (len < CREATE_CHUNK_FIXED_SIZE)
		return -EINVAL;
	ret->chunk_id = be64_get(buf);
	ret->creation_time = be64_get(buf + 8);
	name_len = be32_get(buf + 16);
	if ((uint64_t)CREATE_CHUNK_FIXED_SIZE + name_len != len)
		return -EINVAL;
	return copy_wire_string(buf + CREATE_CHUNK_FIXED_SIZE, name_len, ret->override_name,
	                        sizeof(ret->override_name), true);
}

int relayd_close_chunk_parse(const uint8_t *buf, size_t len, struct relayd_close_chunk *ret)
{
	if (len != CLOSE_CHUNK_SIZE || buf[16] > 1)
		return -EINVAL;
	ret->chunk_id = be64_get(buf);
	ret->close_time = be64_get(buf + 8);
	ret->close_command_set = buf[16];
	ret->close_command = be32_get(buf + 17);
	if (ret->close_command_set && ret->close_command >= _RELAYD_CHUNK_CLOSE_MAX)
		return -EINVAL;
	return 0;
}

int relayd_rotate_streams_parse(const uint8_t *buf, size_t len, struct relayd_rotate_streams *ret)
{
	size_t header_size, chunk_id_offset;

	if (len < 13)
		return -EINVAL;
	ret->stream_count = be32_get(buf);
	if ((uint64_t)ret->stream_count * RELAYD_ROTATE_POS_SIZE > len)
		return -EINVAL;
	header_size = len - (size_t)ret->stream_count * RELAYD_ROTATE_POS_SIZE;
	switch (header_size) {
	case 13:
		chunk_id_offset = 5;
		break;
	case 16:
		chunk_id_offset = 8;
		break;
	case 20:
		chunk_id_offset = 12;
		break;
	default:
		return -EINVAL;
	}
	if (buf[4] > 1)
		return -EINVAL;
	ret->chunk_id_set = buf[4];
	ret->chunk_id = be64_get(buf + chunk_id_offset);
	ret->positions = buf + header_size;
	return 0;
}

void relayd_rotate_position(const struct relayd_rotate_streams *rs, uint32_t i,
                            uint64_t *ret_stream_handle, uint64_t *ret_rotate_at_seq)
{
	const uint8_t *p = rs->positions + (size_t)i * RELAYD_ROTATE_POS_SIZE;

	*ret_stream_handle = be64_get(p);
	*ret_rotate_at_seq = be64_get(p + 8);
}

int relayd_u64_parse(const uint8_t *buf, size_t len, uint64_t *ret)
{
	if (len != 8)
		return -EINVAL;
	*ret = be64_get(buf);
	return 0;
}

/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * The client side of the relay control and data protocols
 * (reference/relayd-protocol.md): encoders of the 2.11+ request forms that
 * an LTTng 2.13 session daemon and consumer send, the inverse of the
 * parsers of relayd-wire.h. Pure functions over byte buffers, big-endian.
 *
 * Encoders of variable-size requests return the encoded length, or -EINVAL
 * when a string is empty where the protocol forbids it or too long for its
 * limit, or -ENOBUFS when cap is too small.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "relayd-wire.h"

#define RELAYD_CREATE_SESSION_MAX_SIZE                                                             \
	(59u + RELAYD_SESSION_NAME_MAX + RELAYD_HOSTNAME_MAX + RELAYD_BASE_PATH_MAX)
#define RELAYD_ADD_STREAM_MAX_SIZE   (32u + RELAYD_CHANNEL_NAME_MAX + RELAYD_STREAM_PATH_MAX)
#define RELAYD_CLOSE_CHUNK_SIZE      21u
#define RELAYD_CREATE_CHUNK_MAX_SIZE (20u + RELAYD_CHUNK_NAME_MAX)

void relayd_ctrl_header_encode(uint8_t ret_buf[RELAYD_CTRL_HEADER_SIZE], uint32_t cmd,
                               uint64_t data_size);
void relayd_data_header_encode(uint8_t ret_buf[RELAYD_DATA_HEADER_SIZE],
                               const struct relayd_data_header *h);
void relayd_version_encode(uint8_t ret_buf[8], uint32_t major, uint32_t minor);
ssize_t relayd_create_session_encode(uint8_t *buf, size_t cap,
                                     const struct relayd_create_session *cs);
ssize_t relayd_add_stream_encode(uint8_t *buf, size_t cap, const struct relayd_add_stream *as);
/* The 80-byte form (minor >= 8). */
void relayd_index_encode(uint8_t ret_buf[RELAYD_INDEX_SIZE], const struct relayd_index *index);
void relayd_stream_seq_encode(uint8_t ret_buf[16], uint64_t stream_handle, uint64_t net_seq_num);
void relayd_u64_encode(uint8_t ret_buf[8], uint64_t v);
/*
 * CREATE_TRACE_CHUNK: 20 bytes, then the override name and its NUL when
 * override_name is not empty (snapshot chunks).
 */
ssize_t relayd_create_chunk_encode(uint8_t *buf, size_t cap, uint64_t chunk_id,
                                   uint64_t creation_time, const char *override_name);
/*
 * ROTATE_STREAMS header in the layout LTTng 2.13 sends on x86-64 (20 bytes:
 * u32 count, u8 chunk_id_set, 7 zero bytes, u64 chunk_id); the count x 16
 * bytes of positions follow (relayd_rotate_position_encode).
 */
#define RELAYD_ROTATE_STREAMS_HEADER_SIZE 20u
void relayd_rotate_streams_header_encode(uint8_t ret_buf[RELAYD_ROTATE_STREAMS_HEADER_SIZE],
                                         uint32_t stream_count, bool chunk_id_set,
                                         uint64_t chunk_id);
void relayd_rotate_position_encode(uint8_t ret_buf[RELAYD_ROTATE_POS_SIZE], uint64_t stream_handle,
                                   uint64_t rotate_at_seq);
void relayd_close_chunk_encode(uint8_t ret_buf[RELAYD_CLOSE_CHUNK_SIZE],
                               const struct relayd_close_chunk *cc);

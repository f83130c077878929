/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: the relay control port parsers (common/comm/relayd-wire.h)
 * on arbitrary bytes. The input is a stream of control messages, each a
 * 24-byte header whose data_size is capped by what remains; each payload is
 * handed to the parser of its command (and, whatever the command, to every
 * parser once). Nothing may crash or read out of bounds, and what a parser
 * accepts must hold together: strings NUL-terminated inside their arrays,
 * lengths matching the payload, enum values in range.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/comm/relayd-wire.h"

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond))                                                                       \
			abort();                                                                   \
	} while (0)

static void check_string(const char *s, size_t size)
{
	CHECK(memchr(s, 0, size) != NULL);
}

static void parse_all(const uint8_t *p, size_t len)
{
	struct relayd_create_session cs;
	struct relayd_add_stream as;
	struct relayd_send_metadata sm;
	struct relayd_index idx;
	struct relayd_stream_seq seq;
	struct relayd_reset_metadata rm;
	struct relayd_create_chunk cc;
	struct relayd_close_chunk clc;
	struct relayd_rotate_streams rs;
	struct relayd_version v;
	uint64_t u64;

	if (relayd_create_session_parse(p, len, &cs) == 0) {
		check_string(cs.session_name, sizeof(cs.session_name));
		check_string(cs.hostname, sizeof(cs.hostname));
		check_string(cs.base_path, sizeof(cs.base_path));
		CHECK(cs.session_name[0] && cs.hostname[0]);
		CHECK(59 + strlen(cs.session_name) + 1 + strlen(cs.hostname) + 1 +
		          (cs.base_path[0] ? strlen(cs.base_path) + 1 : 0) <=
		      len);
	}
	if (relayd_add_stream_parse(p, len, &as) == 0) {
		check_string(as.channel_name, sizeof(as.channel_name));
		check_string(as.pathname, sizeof(as.pathname));
		CHECK(32 + strlen(as.channel_name) + strlen(as.pathname) + 2 == len);
	}
	if (relayd_send_metadata_parse(p, len, &sm) == 0)
		CHECK(sm.bytes == p + 12 && sm.len == len - 12);
	if (relayd_index_parse(p, len, &idx) == 0)
		CHECK(idx.content_size_bits <= idx.packet_size_bits && (len == 80 || len == 64));
	if (relayd_stream_seq_parse(p, len, &seq) == 0)
		CHECK(len == 16);
	if (relayd_reset_metadata_parse(p, len, &rm) == 0)
		CHECK(len == 16);
	if (relayd_create_chunk_parse(p, len, &cc) == 0) {
		check_string(cc.override_name, sizeof(cc.override_name));
		CHECK(20 + (cc.override_name[0] ? strlen(cc.override_name) + 1 : 0) <= len);
	}
	if (relayd_close_chunk_parse(p, len, &clc) == 0)
		CHECK(!clc.close_command_set || clc.close_command < _RELAYD_CHUNK_CLOSE_MAX);
	if (relayd_rotate_streams_parse(p, len, &rs) == 0) {
		uint64_t handle, at;

		CHECK(rs.positions >= p && rs.positions + (size_t)rs.stream_count * 16 == p + len);
		for (uint32_t i = 0; i < rs.stream_count; i++)
			relayd_rotate_position(&rs, i, &handle, &at);
	}
	if (relayd_version_parse(p, len, &v) == 0)
		CHECK(len == 8);
	if (relayd_u64_parse(p, len, &u64) == 0)
		CHECK(len == 8);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	while (size >= RELAYD_CTRL_HEADER_SIZE) {
		struct relayd_ctrl_header h;
		size_t len;
		uint8_t *payload;

		CHECK(relayd_ctrl_header_parse(data, RELAYD_CTRL_HEADER_SIZE, &h) == 0);
		data += RELAYD_CTRL_HEADER_SIZE;
		size -= RELAYD_CTRL_HEADER_SIZE;
		len = h.data_size < size ? (size_t)h.data_size : size;
		/* An exact-size copy, so reading past the payload is caught. */
		payload = malloc(len ? len : 1);
		CHECK(payload);
		memcpy(payload, data, len);
		parse_all(payload, len);
		free(payload);
		data += len;
		size -= len;
	}
	return 0;
}

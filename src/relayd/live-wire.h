/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * The live viewer protocol (port 5344) as babeltrace2 2.0.4's lttng-live
 * source speaks it (reference/live-protocol.md): a 16-byte header (u64
 * data_size, u32 cmd, u32 cmd_version) then a fixed-size payload per
 * command; replies have no header. Big-endian, packed. Pure parsers over
 * (bytes, length) returning 0 or -EINVAL, for the relay and fuzz targets.
 */

#include <stddef.h>
#include <stdint.h>

#define LIVE_HEADER_SIZE 16u
#define LIVE_SESSION_SIZE                                                                          \
	339u /* u64 id, u32 live_timer, u32 clients, u32 streams, 64 + 255 chars */
#define LIVE_STREAM_SIZE       4371u /* u64 id, u64 ctf_trace_id, u32 metadata_flag, 4096 + 255 chars */
#define LIVE_INDEX_REPLY_SIZE  64u
#define LIVE_HOSTNAME_SIZE     64u
#define LIVE_SESSION_NAME_SIZE 255u
#define LIVE_PATH_SIZE         4096u
#define LIVE_CHANNEL_NAME_SIZE 255u
#define LIVE_VERSION_MAJOR     2u
#define LIVE_VERSION_MINOR     13u

enum live_command {
	LIVE_CONNECT = 1,
	LIVE_LIST_SESSIONS = 2,
	LIVE_ATTACH_SESSION = 3,
	LIVE_GET_NEXT_INDEX = 4,
	LIVE_GET_PACKET = 5,
	LIVE_GET_METADATA = 6,
	LIVE_GET_NEW_STREAMS = 7,
	LIVE_CREATE_SESSION = 8,
	LIVE_DETACH_SESSION = 9,
	_LIVE_COMMAND_MAX,
};

enum live_seek { LIVE_SEEK_BEGINNING = 1, LIVE_SEEK_LAST = 2 };

enum live_attach_status {
	LIVE_ATTACH_OK = 1,
	LIVE_ATTACH_ALREADY = 2,
	LIVE_ATTACH_UNK = 3,
	LIVE_ATTACH_NOT_LIVE = 4,
	LIVE_ATTACH_SEEK_ERR = 5,
	LIVE_ATTACH_NO_SESSION = 6,
};

enum live_index_status {
	LIVE_INDEX_OK = 1,
	LIVE_INDEX_RETRY = 2,
	LIVE_INDEX_HUP = 3,
	LIVE_INDEX_ERR = 4,
	LIVE_INDEX_INACTIVE = 5,
	LIVE_INDEX_EOF = 6,
};

enum live_packet_status { LIVE_PACKET_OK = 1, LIVE_PACKET_RETRY = 2, LIVE_PACKET_ERR = 3 };
enum live_metadata_status { LIVE_METADATA_OK = 1, LIVE_METADATA_NO_NEW = 2, LIVE_METADATA_ERR = 3 };
enum live_new_streams_status {
	LIVE_NEW_STREAMS_OK = 1,
	LIVE_NEW_STREAMS_NO_NEW = 2,
	LIVE_NEW_STREAMS_ERR = 3,
	LIVE_NEW_STREAMS_HUP = 4,
};
enum live_detach_status { LIVE_DETACH_OK = 1, LIVE_DETACH_UNK = 2, LIVE_DETACH_ERR = 3 };

#define LIVE_FLAG_NEW_METADATA  1u
#define LIVE_FLAG_NEW_STREAM    2u
#define LIVE_CONNECTION_COMMAND 1u

struct live_header {
	uint64_t data_size;
	uint32_t cmd;
	uint32_t cmd_version;
};

struct live_connect {
	uint64_t viewer_session_id;
	uint32_t major;
	uint32_t minor;
	uint32_t type;
};

struct live_attach {
	uint64_t session_id;
	uint64_t offset;
	uint32_t seek;
};

struct live_get_packet {
	uint64_t stream_id;
	uint64_t offset;
	uint32_t len;
};

int live_header_parse(const uint8_t *buf, size_t len, struct live_header *ret);
/* The payload size a command takes; -EINVAL for an unknown command. */
int live_payload_size(uint32_t cmd);
int live_connect_parse(const uint8_t *buf, size_t len, struct live_connect *ret);
int live_attach_parse(const uint8_t *buf, size_t len, struct live_attach *ret);
int live_get_packet_parse(const uint8_t *buf, size_t len, struct live_get_packet *ret);
/* GET_NEXT_INDEX, GET_METADATA, GET_NEW_STREAMS and DETACH_SESSION carry one
 * u64, parsed with relayd_u64_parse() of common/comm/relayd-wire.h. */

/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * The relay daemon's control (5342) and data (5343) protocols of LTTng 2.13
 * (reference/relayd-protocol.md), as pure parsers over (bytes, length): no
 * I/O, no allocation, every length checked, so fuzz targets can drive them.
 * Every integer on the wire is big-endian and every structure packed.
 *
 * Each parser returns 0 and fills *ret on success, or -EINVAL (malformed:
 * wrong size, string not NUL-terminated where its length says, bad value)
 * and leaves *ret unspecified. Parsed strings are copied, NUL-terminated,
 * into fixed arrays sized by the protocol's own limits; pointers into the
 * payload (metadata bytes, rotation positions) stay valid as long as it.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RELAYD_CTRL_HEADER_SIZE 24u
#define RELAYD_DATA_HEADER_SIZE 32u
/* A control payload above this closes the connection (lttng-relayd's limit). */
#define RELAYD_CTRL_MAX_PAYLOAD (128u * 1024 * 1024)
#define RELAYD_VERSION_MAJOR    2u
#define RELAYD_VERSION_MINOR    13u

/* enum lttcomm_relayd_command, numbers as on the wire. */
enum relayd_command {
	RELAYD_ADD_STREAM = 1,
	RELAYD_CREATE_SESSION = 2,
	RELAYD_START_DATA = 3,
	RELAYD_UPDATE_SYNC_INFO = 4,
	RELAYD_VERSION = 5,
	RELAYD_SEND_METADATA = 6,
	RELAYD_CLOSE_STREAM = 7,
	RELAYD_DATA_PENDING = 8,
	RELAYD_QUIESCENT_CONTROL = 9,
	RELAYD_BEGIN_DATA_PENDING = 10,
	RELAYD_END_DATA_PENDING = 11,
	RELAYD_ADD_INDEX = 12,
	RELAYD_SEND_INDEX = 13,
	RELAYD_CLOSE_INDEX = 14,
	RELAYD_LIST_SESSIONS = 15,
	RELAYD_STREAMS_SENT = 16,
	RELAYD_RESET_METADATA = 17,
	RELAYD_ROTATE_STREAMS = 18,
	RELAYD_CREATE_TRACE_CHUNK = 19,
	RELAYD_CLOSE_TRACE_CHUNK = 20,
	RELAYD_TRACE_CHUNK_EXISTS = 21,
	RELAYD_GET_CONFIGURATION = 22,
	_RELAYD_COMMAND_MAX,
};

/* Reply codes (enum lttng_error_code). */
enum relayd_ret {
	RELAYD_RET_OK = 10,
	RELAYD_RET_UNK = 11,
	RELAYD_RET_FATAL = 25,
	RELAYD_RET_NOMEM = 26,
	RELAYD_RET_INVALID = 97,
	RELAYD_RET_INVALID_PROTOCOL = 152,
	RELAYD_RET_FILE_CREATION_ERROR = 153,
};

/* GET_CONFIGURATION reply flags. */
#define RELAYD_CONFIG_CLEAR_ALLOWED (UINT64_C(1) << 0)

/* CLOSE_TRACE_CHUNK close commands. */
enum relayd_chunk_close_command {
	RELAYD_CHUNK_CLOSE_MOVE_TO_COMPLETED = 0,
	RELAYD_CHUNK_CLOSE_NO_OPERATION = 1,
	RELAYD_CHUNK_CLOSE_DELETE = 2,
	_RELAYD_CHUNK_CLOSE_MAX,
};

#define RELAYD_SESSION_NAME_MAX 255u  /* bytes including the NUL */
#define RELAYD_HOSTNAME_MAX     256u  /* idem */
#define RELAYD_BASE_PATH_MAX    4096u /* idem */
#define RELAYD_CHANNEL_NAME_MAX 264u  /* idem */
#define RELAYD_STREAM_PATH_MAX  255u  /* idem */
#define RELAYD_CHUNK_NAME_MAX   255u  /* idem */
#define RELAYD_INDEX_SIZE       80u   /* minor >= 8 */
#define RELAYD_INDEX_SIZE_2_4   64u   /* minor < 8 */
#define RELAYD_ROTATE_POS_SIZE  16u
/* The last sequence number of a stream that never sends data packets (metadata). */
#define RELAYD_SEQ_NONE UINT64_MAX

struct relayd_ctrl_header {
	uint64_t circuit_id;
	uint64_t data_size;
	uint32_t cmd;
	uint32_t cmd_version;
};

struct relayd_data_header {
	uint64_t circuit_id;
	uint64_t stream_handle;
	uint64_t net_seq_num;
	uint32_t data_size;    /* content bytes that follow */
	uint32_t padding_size; /* zero bytes the relay appends */
};

struct relayd_version {
	uint32_t major;
	uint32_t minor;
};

struct relayd_create_session {
	char session_name[RELAYD_SESSION_NAME_MAX];
	char hostname[RELAYD_HOSTNAME_MAX];
	char base_path[RELAYD_BASE_PATH_MAX]; /* "" when absent */
	uint32_t live_timer_us;
	bool snapshot;
	bool name_contains_creation_time;
	uint8_t sessiond_uuid[16];
	uint64_t session_id;
	uint64_t creation_time;
	bool chunk_id_set;
	uint64_t chunk_id;
};

struct relayd_add_stream {
	char channel_name[RELAYD_CHANNEL_NAME_MAX];
	char pathname[RELAYD_STREAM_PATH_MAX];
	uint64_t tracefile_size;
	uint64_t tracefile_count;
	uint64_t trace_chunk_id;
};

struct relayd_send_metadata {
	uint64_t stream_handle;
	uint32_t padding_size;
	const uint8_t *bytes;
	size_t len;
};

struct relayd_index {
	uint64_t stream_handle;
	uint64_t net_seq_num;
	uint64_t packet_size_bits;
	uint64_t content_size_bits;
	uint64_t timestamp_begin;
	uint64_t timestamp_end;
	uint64_t events_discarded;
	uint64_t stream_id;
	uint64_t stream_instance_id; /* 0 from a minor < 8 peer */
	uint64_t packet_seq_num;     /* idem */
};

/* CLOSE_STREAM, DATA_PENDING: a stream and a sequence number. */
struct relayd_stream_seq {
	uint64_t stream_handle;
	uint64_t net_seq_num;
};

struct relayd_reset_metadata {
	uint64_t stream_handle;
	uint64_t version;
};

struct relayd_create_chunk {
	uint64_t chunk_id;
	uint64_t creation_time;
	char override_name[RELAYD_CHUNK_NAME_MAX]; /* "" when none */
};

struct relayd_close_chunk {
	uint64_t chunk_id;
	uint64_t close_time;
	bool close_command_set;
	uint32_t close_command; /* enum relayd_chunk_close_command */
};

struct relayd_rotate_streams {
	uint32_t stream_count;
	bool chunk_id_set;
	uint64_t chunk_id;
	const uint8_t *positions; /* stream_count x 16 bytes, see relayd_rotate_position */
};

int relayd_ctrl_header_parse(const uint8_t *buf, size_t len, struct relayd_ctrl_header *ret);
int relayd_data_header_parse(const uint8_t *buf, size_t len, struct relayd_data_header *ret);
int relayd_version_parse(const uint8_t *buf, size_t len, struct relayd_version *ret);
int relayd_create_session_parse(const uint8_t *buf, size_t len, struct relayd_create_session *ret);
int relayd_add_stream_parse(const uint8_t *buf, size_t len, struct relayd_add_stream *ret);
int relayd_send_metadata_parse(const uint8_t *buf, size_t len, struct relayd_send_metadata *ret);
int relayd_index_parse(const uint8_t *buf, size_t len, struct relayd_index *ret);
int relayd_stream_seq_parse(const uint8_t *buf, size_t len, struct relayd_stream_seq *ret);
int relayd_reset_metadata_parse(const uint8_t *buf, size_t len, struct relayd_reset_metadata *ret);
int relayd_create_chunk_parse(const uint8_t *buf, size_t len, struct relayd_create_chunk *ret);
int relayd_close_chunk_parse(const uint8_t *buf, size_t len, struct relayd_close_chunk *ret);
/* Infers the 13/16/20-byte header layout from len - 16 x count (the ABI quirk). */
int relayd_rotate_streams_parse(const uint8_t *buf, size_t len, struct relayd_rotate_streams *ret);
/* Position i < stream_count of a parsed ROTATE_STREAMS. */
void relayd_rotate_position(const struct relayd_rotate_streams *rs, uint32_t i,
                            uint64_t *ret_stream_handle, uint64_t *ret_rotate_at_seq);
/* A payload that is exactly one u64 (session id, stream handle, chunk id, flags). */
int relayd_u64_parse(const uint8_t *buf, size_t len, uint64_t *ret);

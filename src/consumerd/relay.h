/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * The consumer's side of a session streamed to a relay daemon: the control
 * and data connections the session daemon opened, did the handshake on
 * and handed over (ADD_RELAYD_SOCKET), and everything the consumer sends
 * on them (reference/relayd-protocol.md section 7): CREATE_TRACE_CHUNK
 * before the first stream, ADD_STREAM + STREAMS_SENT per channel, data
 * packets on the data port each followed by its SEND_INDEX, SEND_METADATA,
 * live beacons, the data pending exchange and, at DESTROY_RELAYD, the
 * teardown: ROTATE_STREAMS of the data streams then of the metadata
 * stream to no chunk, CLOSE_TRACE_CHUNK + TRACE_CHUNK_EXISTS, CLOSE_STREAM
 * of the metadata stream then of each data stream. Streams of channels
 * destroyed before are kept (retired) until then, or until the chunk they
 * are in is closed by a rotation (CLOSE_STREAM first, so that the relay
 * lets go of it). Trace chunks: see relay_create_trace_chunk.
 *
 * Threads and lifetime: the registry is touched by the command thread
 * only. A relay session is referenced by each channel streaming through it
 * (taken at channel creation, dropped at channel free) and by the
 * registry until DESTROY_RELAYD; it is freed with its last reference. The
 * data thread (packets, indexes, beacons) and the command thread
 * (metadata, streams, data pending) share the connections: ctrl_lock
 * serializes the control connection (one request and its reply at a time),
 * data_lock the data connection. The first I/O error marks the session
 * broken (under ctrl_lock or data_lock, read with either): both sockets
 * are shut down, not closed, so that a thread still holding a descriptor
 * number never writes to a reused one; they are closed at the free. Every
 * later send fails at once with -EPIPE: the caller counts the packet lost.
 */

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <urcu/list.h>

struct relayd_index;

/* A stream whose channel is gone, closed at DESTROY_RELAYD. */
struct relay_retired_stream {
	uint64_t handle;
	uint64_t next_seq; /* net_seq_num its next packet would have had */
	bool metadata;
};

struct relay_session {
	struct cds_list_head node; /* in the registry, until DESTROY_RELAYD */
	uint64_t session_id;       /* the session daemon's */
	uint64_t relay_session_id; /* the relay's, from CREATE_SESSION */
	uint32_t minor;            /* negotiated protocol minor */
	int ctrl_fd;
	int data_fd;
	pthread_mutex_t ctrl_lock;
	pthread_mutex_t data_lock;
	atomic_bool broken;
	uint64_t chunk_id;  /* current trace chunk (command thread only) */
	bool chunk_created; /* chunk_id announced (command thread only) */
	bool rotated;       /* a chunk was archived: so is the last one (command thread only) */
	bool snapshot;      /* the connections of one snapshot record (command thread only) */
	bool chunk_closed;  /* chunk_id closed, no successor yet (command thread only) */
	unsigned refs;      /* command thread only */
	struct relay_retired_stream *retired; /* command thread only */
	size_t nr_retired, retired_capacity;
};

/* ADD_RELAYD_SOCKET: takes fd (the control or the data connection). */
int relay_session_add_socket(uint64_t session_id, uint64_t relay_session_id, uint32_t minor,
                             bool data, int fd);

/* The relay session of a session with both connections, referenced; NULL if none. */
struct relay_session *relay_session_get(uint64_t session_id);
void relay_session_put(struct relay_session *rs);

/* DESTROY_RELAYD: closes the trace chunk and drops the registry's reference. */
int relay_session_destroy(uint64_t session_id);

/*
 * At exit, once every channel is destroyed: ends every relay session still
 * registered (its session daemon is gone) as DESTROY_RELAYD would.
 */
void relay_session_destroy_all(void);

/* Announces a stream (after chunk 0, created on first need); *ret_handle is the relay's. */
int relay_add_stream(struct relay_session *rs, const char *channel_name, const char *pathname,
                     uint64_t tracefile_size, uint64_t tracefile_count, uint64_t *ret_handle);
int relay_streams_sent(struct relay_session *rs);

/*
 * One packet: content_bytes of data, padding_bytes the relay zero-fills,
 * then its index (whose handle and net_seq_num name the packet).
 */
int relay_send_packet(struct relay_session *rs, const struct relayd_index *index, const void *data,
                      uint32_t content_bytes, uint32_t padding_bytes);

/* One packet on the data connection only (snapshots: the relay keeps no index). */
int relay_send_data(struct relay_session *rs, uint64_t handle, uint64_t net_seq_num,
                    const void *data, uint32_t content_bytes, uint32_t padding_bytes);

/* CLOSE_STREAM: last_net_seq_num is the last packet sent, RELAYD_SEQ_NONE for none/metadata. */
int relay_close_stream(struct relay_session *rs, uint64_t handle, uint64_t last_net_seq_num);

/* A live beacon: an index with packet_size 0 and only timestamp_end and stream_id set. */
int relay_send_beacon(struct relay_session *rs, const struct relayd_index *index);

/* Metadata bytes (whole packets, the last one's padding not sent). No reply. */
int relay_send_metadata(struct relay_session *rs, uint64_t handle, const void *bytes, uint32_t len,
                        uint32_t padding_bytes);

/*
 * A stream of a destroyed channel, to be closed at DESTROY_RELAYD (at once
 * when the session is already released or memory is short).
 */
void relay_retire_stream(struct relay_session *rs, uint64_t handle, uint64_t next_seq,
                         bool metadata);

/* Where a stream goes to the new chunk: from its packet seq on (0 for metadata). */
struct relay_rotate_position {
	uint64_t handle;
	uint64_t seq;
};

/*
 * Rotation (reference/relayd-protocol.md section 7): CREATE_TRACE_CHUNK of
 * chunk_id, which becomes the current chunk (the one left is announced
 * first if it never was, so that it can be closed); then each channel's
 * streams are moved to it (relay_rotate_streams, to_chunk true), then the
 * chunk left is closed. Its relay path is returned in ret_path (NUL-terminated,
 * truncated to path_size). close_command: enum relayd_chunk_close_command,
 * or -1 for none. The relay has the chunk (1) until no stream writes into it
 * any more (relay_trace_chunk_exists, 0 then).
 */
int relay_create_trace_chunk(struct relay_session *rs, uint64_t chunk_id);

/*
 * A snapshot record (reference/relayd-protocol.md section 7): the fresh
 * connections' only chunk, named (its directory on the relay); streams
 * added next go into it, and closing it (NO_OPERATION, also done by
 * DESTROY_RELAYD if the record failed before) ends the record.
 */
int relay_create_snapshot_chunk(struct relay_session *rs, uint64_t chunk_id, const char *name);
int relay_rotate_streams(struct relay_session *rs, bool to_chunk,
                         const struct relay_rotate_position *pos, uint32_t count);
int relay_close_trace_chunk(struct relay_session *rs, uint64_t chunk_id, int close_command,
                            char *ret_path, size_t path_size);
int relay_trace_chunk_exists(struct relay_session *rs, uint64_t chunk_id);

/*
 * CLOSE_STREAM of the retired streams, metadata first, so that the relay
 * lets go of the chunk they were in (before closing it at a rotation).
 */
int relay_close_retired_streams(struct relay_session *rs);

/*
 * The data pending exchange, in three steps driven by the caller (which
 * knows the streams): begin, one query per data stream (returns 1 when the
 * relay still waits for data of it), quiescent for each metadata stream,
 * end (1 while anything is pending). Each returns a negative errno on
 * failure (-EPIPE once broken).
 */
int relay_data_pending_begin(struct relay_session *rs);
int relay_data_pending_stream(struct relay_session *rs, uint64_t handle, uint64_t last_seq);
int relay_quiescent(struct relay_session *rs, uint64_t handle);
int relay_data_pending_end(struct relay_session *rs);

static inline bool relay_session_broken(struct relay_session *rs)
{
	return atomic_load(&rs->broken);
}

/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * A relay stream: one data or metadata stream of a consumer, written to
 * <chunk>/<pathname>/<channel_name> with, for data streams of non-snapshot
 * sessions, its index in <chunk>/<pathname>/index/<channel_name>.idx.
 *
 * Index pairing: a data packet (data port) and its SEND_INDEX (control
 * port) arrive on two connections in either order; both carry the stream's
 * net_seq_num. Each side is queued until its partner arrives, then the
 * index entry is written with the packet's byte offset in the data file.
 * Both sides arrive in sequence order, so entries are written in file order.
 *
 * Rotation: ROTATE_STREAMS gives, per stream, the sequence number of the
 * first packet of the new chunk. The data file switches when that packet
 * arrives, the index file when its entry is paired; metadata switches at
 * once (the consumer then sends the whole metadata again).
 *
 * Trace file size limit (enable-channel --tracefile-size/--tracefile-count):
 * a packet that would overflow the current file <channel>_<n> starts file
 * n + 1 (modulo the count); a packet still waiting for its index records
 * its file, whose index gets the entry when it comes.
 *
 * Completion: CLOSE_STREAM gives the last sequence number; the stream is
 * closed once every packet (and index) up to it has arrived.
 */

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <urcu/list.h>

#include "common/comm/relayd-wire.h"

struct relay_session;
struct relay_chunk;

struct relay_pending_packet {
	uint64_t seq;
	uint64_t offset_bytes;
	uint64_t tracefile_no; /* of the trace file holding it */
};

struct relay_stream {
	uint64_t handle; /* global counter from 1; also the live viewer's stream id */
	struct relay_session *session;
	struct relay_chunk *chunk;
	char channel_name[RELAYD_CHANNEL_NAME_MAX];
	char pathname[RELAYD_STREAM_PATH_MAX];
	uint64_t ctf_trace_id; /* same for every stream of one trace directory */
	bool is_metadata;
	bool has_index;
	bool published; /* after STREAMS_SENT: visible to live viewers */
	bool closed;    /* everything up to close_seq arrived, or producer gone */

	/* Size-limited trace files <channel>_<n> (0: one file <channel>). */
	uint64_t tracefile_size;
	uint64_t tracefile_count; /* 0: unlimited, else n wraps, oldest overwritten */
	uint64_t tracefile_no;

	int data_fd;
	int index_fd;
	uint64_t size_bytes;      /* of the current data file */
	uint64_t index_entries;   /* written to the current index file */
	uint64_t file_generation; /* +1 each time the files move to a new chunk */

	uint64_t last_data_seq;  /* RELAYD_SEQ_NONE before the first packet */
	uint64_t last_index_seq; /* idem, last paired index */
	bool close_requested;
	uint64_t close_seq;
	bool checked; /* by this round of data pending */

	/* Packets awaiting their index, indexes awaiting their packet, in seq order. */
	struct relay_pending_packet *pending_packets;
	size_t nr_pending_packets;
	struct relayd_index *pending_indexes;
	size_t nr_pending_indexes;

	/* A rotation in progress. */
	bool rotating;
	uint64_t rotate_at_seq;
	struct relay_chunk *next_chunk;
	bool data_rotated;
	int old_index_fd;              /* index file of the previous chunk until rotated */
	struct relay_chunk *old_chunk; /* idem, the chunk */
	bool chunk_released;           /* rotated to no chunk: writes on, holds none */

	/* Live: the latest beacon (a SEND_INDEX without packet). */
	bool has_beacon;
	uint64_t beacon_timestamp;
	uint64_t beacon_stream_id;
	uint64_t metadata_version;

	struct cds_list_head session_node;
	struct cds_list_head hash_node;
};

int stream_create(struct relay_session *session, const struct relayd_add_stream *req,
                  struct relay_stream **ret_stream);
void stream_free(struct relay_stream *stream);
struct relay_stream *stream_find(uint64_t handle);

/* Data port: the packet with header h starts; returns its byte offset. */
int stream_packet_begin(struct relay_stream *stream, const struct relayd_data_header *h,
                        uint64_t *ret_offset);
/*
 * Takes up to max_len bytes of the packet, ready on the data socket sock_fd,
 * into the file at offset; as socket_to_file().
 */
ssize_t stream_packet_receive(struct relay_stream *stream, int sock_fd, uint64_t offset,
                              size_t max_len, bool *ret_file_failed);
/* All data_size bytes written: append the padding, then pair with its index. */
int stream_packet_end(struct relay_stream *stream, const struct relayd_data_header *h,
                      uint64_t offset);
/* The packet was cut short: its bytes are dropped from the file. */
void stream_packet_abort(struct relay_stream *stream, uint64_t offset);

int stream_add_index(struct relay_stream *stream, const struct relayd_index *index);
int stream_append_metadata(struct relay_stream *stream, const uint8_t *bytes, size_t len,
                           uint32_t padding_size);
int stream_reset_metadata(struct relay_stream *stream, uint64_t version);
int stream_request_close(struct relay_stream *stream, uint64_t last_seq);
/* 1 while data or indexes up to last_seq are missing, else 0. */
int stream_data_pending(struct relay_stream *stream, uint64_t last_seq);
/* chunk NULL: to no chunk (at destroy). */
int stream_rotate(struct relay_stream *stream, struct relay_chunk *chunk, uint64_t rotate_at_seq);
/*
 * The stream still writes into the chunk (a rotation away from it is not
 * complete): TRACE_CHUNK_EXISTS answers 1 until no stream does.
 */
bool stream_uses_chunk(const struct relay_stream *stream, const struct relay_chunk *chunk);
/* Closes the stream where it stands (producer gone): pending pairs are dropped. */
void stream_close_now(struct relay_stream *stream);

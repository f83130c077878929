/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * A trivial ring buffer client for the unit tests: a 48-byte packet header
 * filled by packet_begin/packet_end, and records made of a 4-byte (short) or
 * 12-byte (long, with the full timestamp) header followed by the payload.
 */

#include "ringbuffer/ringbuffer.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#define TC_PACKET_MAGIC 0x7e57c11eu
#define TC_HEADER_SIZE  48u
#define TC_REC_SHORT    4u
#define TC_REC_LONG     12u
#define TC_TAG_SHORT    0xa5u
#define TC_TAG_LONG     0x5au

struct tc_packet_header {
	uint32_t magic;
	uint32_t begin_count; /* packet_begin calls on this packet (must be 1) */
	uint64_t seq_num;
	uint64_t ts_begin;
	uint64_t ts_end;
	uint64_t content_size;
	uint64_t events_discarded;
};

struct tc_record {
	bool long_header;
	uint32_t len; /* header + payload */
	uint64_t ts;  /* long form only */
	const uint8_t *payload;
	uint32_t payload_len;
};

extern const struct rb_client_ops tc_ops;

/* packet_end calls in this process (atomic). */
uint64_t tc_packet_end_calls(void);

void tc_attr_init(struct rb_stream_attr *attr, uint64_t subbuf_size, uint32_t num_subbuf,
                  uint32_t timestamp_bits);
/* Writes the record header (form from ctx) and the payload (ctx->len bytes in all). */
void tc_record_write(const struct rb_reserve_ctx *ctx, const void *payload);
/* Reads the packet header of a delivered sub-buffer (unaligned-safe copy). */
void tc_packet_header_read(const struct rb_subbuf *sb, struct tc_packet_header *ret_header);
/*
 * Parses the record at *offset of a packet, advancing *offset. Returns 1 for
 * a record, 0 at the end of the content, -1 on a malformed record.
 */
int tc_record_next(const struct rb_subbuf *sb, uint64_t *offset, struct tc_record *ret_record);

/* A stream with a producer and a consumer mapping of the same memfd. */
struct tc_fixture {
	int shm_fd;
	int wakeup_fd;
	struct rb_stream *prod; /* producer mapping */
	struct rb_stream *cons; /* consumer mapping (same memfd) */
};

/* Creates and maps both sides; fails the test on error. */
void tc_fixture_open(struct tc_fixture *f, uint64_t subbuf_size, uint32_t num_subbuf,
                     uint32_t timestamp_bits);
void tc_fixture_open_attr(struct tc_fixture *f, const struct rb_stream_attr *attr);
void tc_fixture_close(struct tc_fixture *f);

/*
 * Records of the snapshot and clear tests: TC_SEQ_PAYLOAD bytes, the
 * emitting thread and its index first, then a pattern of both.
 */
#define TC_SEQ_PAYLOAD 64u

struct tc_seq_head {
	uint32_t thread;
	uint32_t pad;
	uint64_t index;
};

/* A stream of num_subbuf x subbuf_size, discard or overwrite mode, both sides mapped. */
void tc_seq_open(struct tc_fixture *f, uint64_t subbuf_size, uint32_t num_subbuf,
                 uint32_t overwrite);
void tc_seq_payload(uint8_t buf[TC_SEQ_PAYLOAD], uint32_t thread, uint64_t index);
/* Reserves, writes and commits one record: 0 or rb_reserve()'s error. */
int tc_seq_emit(struct rb_stream *stream, uint32_t thread, uint64_t index);
/* Records a full packet holds (the first with a long header). */
uint64_t tc_seq_records_per_packet(uint64_t subbuf_size);

/* Producer threads that emit records 0, 1, 2... with tc_seq_emit() until stopped. */
#define TC_SEQ_THREADS 2u

struct tc_seq_producer {
	struct tc_seq_producers *set;
	uint32_t thread;
	pthread_t id;
};

struct tc_seq_producers {
	struct rb_stream *stream;
	/* Per thread: last index committed + 1 (0: none), stored with release. */
	uint64_t committed[TC_SEQ_THREADS];
	uint64_t discarded[TC_SEQ_THREADS]; /* emits refused (rb_reserve() error) */
	int stop;
	struct tc_seq_producer threads[TC_SEQ_THREADS];
};

void tc_seq_producers_start(struct tc_seq_producers *p, struct rb_stream *stream);
/* Stops and joins them: afterwards their counts can be read plainly. */
void tc_seq_producers_stop(struct tc_seq_producers *p);
/* CLOCK_MONOTONIC in nanoseconds (the tests' deadlines). */
uint64_t tc_now_ns(void);

/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Shared-memory ring buffer: one stream = one memfd holding a control area
 * and num_subbuf sub-buffers of subbuf_size bytes (both powers of two,
 * num_subbuf >= 2). A sub-buffer is one CTF packet. Producers (any number of
 * threads in any number of processes that map the same memfd) reserve space
 * and commit it without locks; one consumer reads delivered sub-buffers.
 *
 * Three roles:
 * - owner (consumerd): rb_stream_create() makes the memfd and the wakeup
 *   eventfd, fills the control area;
 * - producer (app): rb_stream_map() then rb_reserve()/rb_commit();
 * - consumer (consumerd): rb_consumer_* to read delivered sub-buffers,
 *   and the three flushes below.
 *
 * Two modes, fixed at creation (attr.overwrite): discard, where a full
 * buffer makes producers discard records (or wait, when blocking), and
 * overwrite (flight recorder), where producers reuse the oldest packet the
 * consumer has not read and the consumer sees the loss as a seq_num gap.
 *
 * The ring buffer knows nothing of CTF: the packet header of each sub-buffer
 * is reserved (header_size bytes) and filled through the client callbacks,
 * and the record header has a short and a long form chosen by the timestamp
 * rule (see rb_reserve). The algorithm and its invariants are described at
 * the top of ringbuffer.c.
 *
 * Everything in the control area is untrusted by the mapping side: a stream
 * mapped from an fd received over a socket is validated before use, and a
 * corrupted control area must never make a producer crash or loop forever.
 */

#include <errno.h> /* results are compared with -ENOBUFS, -EAGAIN */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RB_MIN_SUBBUF_SIZE  4096u
#define RB_MIN_NUM_SUBBUF   2u
#define RB_CLIENT_AREA_SIZE 64u /* opaque bytes for the client (uuid, stream id, cpu) */

/* Sanity limits checked by rb_stream_create() and rb_stream_map(). */
#define RB_MAX_SUBBUF_SIZE   (1ull << 30)
#define RB_MAX_NUM_SUBBUF    (1u << 20)
#define RB_MAX_BUFFER_SIZE   (1ull << 40) /* subbuf_size * num_subbuf */
#define RB_MAX_RECORD_HEADER 64u          /* record_header_long */

struct rb_stream;

/* Creation attributes, fixed for the life of the stream. */
struct rb_stream_attr {
	uint64_t subbuf_size; /* power of two, >= RB_MIN_SUBBUF_SIZE */
	uint32_t num_subbuf;  /* power of two, >= RB_MIN_NUM_SUBBUF */
	uint32_t header_size; /* packet header+context bytes at the start of each sub-buffer */
	uint32_t record_header_short; /* record header length, short form (CTF large compact: 6) */
	uint32_t record_header_long;  /* record header length, long form (CTF large extended: 14) */
	uint32_t timestamp_bits;      /* short form usable while ts >> bits is unchanged (27) */
	uint32_t overwrite; /* 1: flight recorder, producers overwrite the oldest packet */
	uint8_t client[RB_CLIENT_AREA_SIZE]; /* copied into the control area */
};

/*
 * Client callbacks, process-local (never in shared memory). Called on the
 * slow path only.
 * packet_begin: a producer opened sub-buffer `packet` (header_size bytes to
 *   fill) at timestamp ts_begin; seq_num counts sub-buffers since the start.
 * packet_end: the sub-buffer is complete: content_size bytes used (header
 *   included), ts_end its closing timestamp, events_discarded the stream's
 *   cumulative discarded-record count at that point.
 */
struct rb_client_ops {
	void (*packet_begin)(void *packet, const uint8_t *client, uint64_t ts_begin,
	                     uint64_t seq_num);
	void (*packet_end)(void *packet, const uint8_t *client, uint64_t ts_end,
	                   uint64_t content_size, uint64_t events_discarded);
};

/* Owner side: creates memfd + eventfd (both close-on-exec). */
int rb_stream_create(const struct rb_stream_attr *attr, int *ret_shm_fd, int *ret_wakeup_fd);

/*
 * Maps a stream (any role). Takes ownership of neither fd (dup them if
 * needed); validates the control area against the fd size. -EINVAL on any
 * inconsistency; -EXDEV when the stream's creator reads another trace clock
 * than this process (see common/clock.h), since their timestamps would not
 * compare; -ENOTSUP on an x86-64 CPU without cmpxchg16b (the reservation
 * swaps 16 bytes at once).
 *
 * Details: the stream keeps its own close-on-exec dups of wakeup_fd and
 * shm_fd (the caller may close its copies); wakeup_fd may be -1 to map
 * without wakeups. The memfd must carry F_SEAL_SHRINK
 * (rb_stream_create() seals it) so that no mapper can be killed by SIGBUS.
 * ops (may be NULL, as may each callback) are copied. Whoever completes a
 * packet calls packet_end with its own ops, and the flushes may open and
 * complete one, so the consumer must pass the same ops as the producers.
 */
int rb_stream_map(int shm_fd, int wakeup_fd, const struct rb_client_ops *ops,
                  struct rb_stream **ret_stream);
void rb_stream_unmap(struct rb_stream *stream);

const struct rb_stream_attr *rb_stream_get_attr(const struct rb_stream *stream);

/* --- producer --- */

struct rb_reserve_ctx {
	struct rb_stream *stream;
	uint64_t pos;       /* virtual offset of the record */
	uint64_t timestamp; /* clock value of the record */
	void *record;       /* where the record (header + payload) goes */
	uint32_t len;       /* record length including its header */
	bool long_header;   /* the long record header form must be written */
};

/*
 * Reserves a record of record header + payload_len bytes. Reads the trace
 * clock (common/clock.h) inside the reservation so records are in timestamp
 * order within a stream. The long header form is selected when force_long, or
 * when the record opens a packet, or when ts >> timestamp_bits differs from
 * the previous record's. Returns 0, or -ENOBUFS when the record is discarded
 * (no free sub-buffer, or larger than a sub-buffer): the discard is counted.
 * Lock-free, no syscall on the fast path.
 */
static inline int rb_reserve(struct rb_stream *stream, uint32_t payload_len, bool force_long,
                             struct rb_reserve_ctx *ctx);
/* Makes the record visible; may deliver the sub-buffer and wake the consumer. */
static inline void rb_commit(const struct rb_reserve_ctx *ctx);
/*
 * Both are static inline (ringbuffer-inline.h, included at the end of this
 * file). Records are packed back to back with no alignment: ctx->record may
 * be at any byte address. Every reserved record must be committed, even if
 * the caller gives up on it, or its packet is never delivered.
 */

/*
 * Blocking (producer, process-local): when no sub-buffer is free, retry for
 * up to timeout_us microseconds (-1: as long as a consumer holds the stream,
 * see rb_consumer_claim()) before discarding. 0 (the default): discard at
 * once. Must not be changed while this process reserves in the stream.
 */
void rb_stream_set_blocking_timeout(struct rb_stream *stream, int64_t timeout_us);

/* --- consumer --- */

/*
 * Marks this mapping as the stream's consumer for as long as it stays
 * mapped and the process lives: blocked producers give up when no consumer
 * holds the stream. Needs /proc. -EBUSY when another mapping holds it.
 */
int rb_consumer_claim(struct rb_stream *stream);
/* True while some mapping holds rb_consumer_claim() on the stream. */
bool rb_stream_consumer_alive(const struct rb_stream *stream);

struct rb_subbuf {
	uint64_t pos;          /* virtual offset of the sub-buffer */
	void *data;            /* start of the packet, the consumer's until put */
	uint64_t content_size; /* bytes used, header included */
	uint64_t seq_num;
};

/*
 * Next delivered, unread sub-buffer in order; -EAGAIN when none. In
 * overwrite mode, packets overwritten before the consumer got them are
 * skipped: seq_num jumps over them. The packet handed out stays intact
 * until it is put back: producers never write into it.
 */
int rb_consumer_get_subbuf(struct rb_stream *stream, struct rb_subbuf *ret_subbuf);
/* Releases it to the producers. */
void rb_consumer_put_subbuf(struct rb_stream *stream, const struct rb_subbuf *subbuf);

/*
 * Flushes (consumer side; lock-free, safe against concurrent producers, in
 * both modes; invariants I8, I9 at the top of ringbuffer.c). Each closes the
 * current sub-buffer if it holds records, so that it gets delivered once
 * its pending commits land, and leaves the next one unopened. They differ
 * when no sub-buffer is open (the stream sits on a packet boundary):
 *
 * rb_stream_flush(): does nothing then (lttng-ust's SWITCH_ACTIVE,
 *   lttng_ust_ctl_flush_buffer(producer_active = 1)).
 * rb_stream_flush_empty(): delivers a header-only packet (content_size =
 *   header_size, ts_begin = ts_end = the flush's time) in the next slot
 *   (lttng-ust's SWITCH_FLUSH, flush_buffer(producer_active = 0)). In
 *   overwrite mode that packet may take the slot of the oldest unread one,
 *   as any new packet does.
 * rb_stream_flush_final(): the flush that ends a stream's data; delivers
 *   the header-only packet only when records were discarded since the last
 *   delivered packet was closed, so that its packet_end carries the final
 *   discarded count.
 * The last two return 0, or -EAGAIN when the header-only packet is due but
 * its slot cannot be opened yet (discard mode: the ring is full, drain the
 * delivered packets and call again; overwrite mode: the slot's previous
 * packet still has commits pending). Nothing is changed then.
 *
 * Where lttng 2.13.9's consumer (ust-consumer.c, consumer.c,
 * consumer-stream.c, consumer-timer.c) uses which:
 *   producer_active = 0: stop (FLUSH_CHANNEL, unless quiescent), snapshot
 *     of a non-quiescent stream (SNAPSHOT_CHANNEL), stream hang-up (the
 *     application's buffers going away), "open packet" at start / clear
 *     (OPEN_CHANNEL_PACKETS) and after a rotation in the new chunk, and in a
 *     rotation for a stream that produced nothing in the closing chunk;
 *   producer_active = 1: switch timer, live timer (then a beacon when
 *     nothing was delivered), rotation of a stream that produced data,
 *     metadata packets.
 * Here (consumerd) rb_stream_flush_empty() serves the same places, on a
 * stream written to since the last stop: stop, snapshot, a running
 * session's channel teardown, rotation and clear (a clear is a rotation
 * here: a stream without a packet in the closing chunk, then every stream
 * in the new chunk), and the live timer for a stream that has delivered no
 * packet yet (lttng's open packet at start gives it one). Timers otherwise
 * use rb_stream_flush(), and rb_stream_flush_final() ends a stream's data
 * in the remaining cases (teardown after stop, rotation of a stream with
 * packets in the chunk). Not done here: lttng's open packet at start.
 */
void rb_stream_flush(struct rb_stream *stream);
int rb_stream_flush_empty(struct rb_stream *stream);
int rb_stream_flush_final(struct rb_stream *stream);

/*
 * Snapshot, a read that does not consume (algorithm and invariants at the
 * top of snapshot.c); consumer side, never interleaved with the draining
 * get/put above by another thread.
 * rb_snapshot_range: positions [*ret_begin, *ret_end) of the most recent
 * closed packets still in the ring, at most max_packets of them; call after
 * a flush to include the current packet.
 * rb_snapshot_get: packet at pos (a multiple of the sub-buffer size), intact
 * until put back. -EAGAIN: not complete yet (commits pending); -ESTALE:
 * overwritten (or already consumed); -EBUSY: a packet is held already.
 * rb_snapshot_put: gives it back; the packet stays in the ring for later
 * snapshots unless a producer claimed its slot meanwhile (returns false then,
 * or when subbuf is not the packet held).
 */
void rb_snapshot_range(const struct rb_stream *stream, uint64_t max_packets, uint64_t *ret_begin,
                       uint64_t *ret_end);
int rb_snapshot_get(struct rb_stream *stream, uint64_t pos, struct rb_subbuf *ret_subbuf);
bool rb_snapshot_put(struct rb_stream *stream, const struct rb_subbuf *subbuf);

/*
 * Clear (algorithm and invariants at the top of clear.c): flushes the
 * stream, then discards every packet closed so far, so that later snapshot
 * reads and the consumer see only what producers write from then on.
 * Producers go on undisturbed; discarded-event and sequence counters are
 * kept. Consumer side, on the thread that reads the stream; -EBUSY while a
 * packet got is not put back.
 */
int rb_stream_clear(struct rb_stream *stream);

/* Clears the eventfd; call after a wakeup, before reading sub-buffers. */
void rb_consumer_clear_wakeup(struct rb_stream *stream);
int rb_stream_wakeup_fd(const struct rb_stream *stream);

/*
 * True when records were reserved beyond what the consumer has read
 * (consumer side: compares with this mapping's own consumed position).
 */
bool rb_stream_data_pending(const struct rb_stream *stream);

/*
 * [W]: how far producers and flushes have reserved, in bytes since the
 * stream's creation; it only grows, with every record and every flush that
 * closes or makes a packet.
 */
uint64_t rb_stream_produced(const struct rb_stream *stream);

/* Cumulative number of discarded records. */
uint64_t rb_stream_events_discarded(const struct rb_stream *stream);

/*
 * Bytes reserved by producers and not yet released by this mapping's
 * consumer (at most the ring size). Consumer side, lock-free and read-only:
 * producers go on undisturbed; like the snapshot reads, never called while
 * another thread runs the draining get/put (usage.c).
 */
uint64_t rb_stream_usage_bytes(const struct rb_stream *stream);

#define RB_RINGBUFFER_H_TYPES
#include "ringbuffer/ringbuffer-inline.h"

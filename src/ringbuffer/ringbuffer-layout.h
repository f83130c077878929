/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Internal to src/ringbuffer: the layout of a stream's control area in shared
 * memory, and the process-local handle (struct rb_stream). Exposed only so
 * that the fast path (ringbuffer-inline.h) can be inlined into the tracer;
 * nothing outside src/ringbuffer and its unit tests may touch these fields.
 * The meaning of every field and the rules for accessing it are in the big
 * comment at the top of ringbuffer.c (names in [brackets] refer to it).
 */

#include <stddef.h>
#include <stdint.h>

/* Reached through ringbuffer.h (which includes ringbuffer-inline.h at its end). */
#ifndef RB_RINGBUFFER_H_TYPES
#error "include ringbuffer/ringbuffer.h, not ringbuffer-layout.h"
#endif

#define RB_SHM_MAGIC       0x52545242u /* "RTRB" */
#define RB_LAYOUT_VERSION  5u
#define RB_CACHELINE_BYTES 64

/* Per sub-buffer state, one cache line each so slots do not false-share. */
struct rb_shm_subbuf {
	uint64_t commit_count;  /* [C] bytes committed into this slot, all laps */
	uint64_t delivered_seq; /* [D] seq_num + 1 of the last packet delivered */
	uint64_t content_size;  /* [E] end info of the last packet closed here */
	uint64_t ts_end;        /* [E] */
	uint64_t page;          /* [T] overwrite mode: page of the packet in this slot */
} __attribute__((aligned(RB_CACHELINE_BYTES)));

/*
 * The control area: offset 0 of the memfd, ctl_size bytes (a multiple of the
 * page size), followed by the num_subbuf sub-buffer pages (num_subbuf + 1 in
 * overwrite mode: one is the consumer's spare).
 */
struct rb_shm_ctl {
	/* Written once by rb_stream_create(), read-only afterwards. */
	uint32_t magic;
	uint32_t version;
	uint64_t ctl_size;
	struct rb_stream_attr attr;
	/*
	 * The trace clock (enum rt_clock_source) of the creator: every process
	 * stamping records in this stream must read the same clock, so a
	 * process whose clock differs refuses to map it.
	 */
	uint32_t clock_source;

	/*
	 * Producers: both change together on every reservation, by one 16-byte
	 * compare-and-swap (rb_head_cas()), so they are adjacent and 16-byte
	 * aligned.
	 */
	uint64_t write_pos __attribute__((aligned(RB_CACHELINE_BYTES))); /* [W] */
	uint64_t last_ts;                                                /* [L] */

	/* Written by the consumer only. */
	uint64_t consumed_pos __attribute__((aligned(RB_CACHELINE_BYTES))); /* [R] */

	/* Rarely written (discard path). */
	uint64_t events_discarded __attribute__((aligned(RB_CACHELINE_BYTES))); /* [X] */
	uint64_t discarded_delivered; /* [Y] highest [X] a delivered packet carried */

	struct rb_shm_subbuf subbuf[]; /* num_subbuf entries */
};

_Static_assert(offsetof(struct rb_shm_ctl, attr) == 16, "control area layout changed");
_Static_assert(offsetof(struct rb_shm_ctl, write_pos) == 128, "control area layout changed");
_Static_assert(offsetof(struct rb_shm_ctl, subbuf) == 320, "control area layout changed");
_Static_assert(offsetof(struct rb_shm_ctl, last_ts) == offsetof(struct rb_shm_ctl, write_pos) + 8,
               "[W] and [L] form one 16-byte word");
_Static_assert(sizeof(struct rb_shm_subbuf) == RB_CACHELINE_BYTES, "sub-buffer state size");

/*
 * Process-local handle. Every size below is derived from the attr copy that
 * rb_stream_map() validated; the shared copy of attr is never read again, so
 * a producer changing it later cannot make us index out of the mapping.
 */
struct rb_stream {
	/* Fast path. */
	struct rb_shm_ctl *ctl;
	uint8_t *data;         /* page 0 (sub-buffer 0) */
	uint64_t subbuf_size;  /* S */
	uint64_t offset_mask;  /* S - 1 */
	uint64_t buf_mask;     /* N * S - 1 */
	uint64_t ts_high_mask; /* bits of ts that the short record header cannot carry */
	uint32_t subbuf_shift; /* log2(S) */
	uint32_t buf_shift;    /* log2(N * S) */
	/* max_payload + 1, or 0 in overwrite mode: the fast path takes payloads below it. */
	uint32_t fast_payload_limit;
	uint32_t record_header_short;
	uint32_t record_header_long;
	uint32_t header_size; /* H */

	/* Slow path. */
	uint32_t max_payload; /* S - header_size - record_header_long */
	struct rb_client_ops ops;
	int wakeup_fd;               /* our own dup, or -1 */
	int shm_fd;                  /* our own dup of the memfd: asks the kernel about [K] */
	int consumer_lock_fd;        /* consumer: its own description holding [K], or -1 */
	int64_t blocking_timeout_us; /* producer, process-local: 0 discard, -1 forever */
	/* Overwrite mode, consumer side (overwrite.c). */
	uint64_t spare_page;   /* the page it owns and gives to the next slot it reads */
	bool ow_held;          /* a packet was got and not put back yet */
	uint64_t ow_held_page; /* its page */
	struct rb_subbuf ow_held_subbuf;
	/* Snapshot read (snapshot.c). */
	bool snap_held;        /* a packet was got and not put back yet */
	uint64_t snap_pos;     /* its position */
	uint64_t snap_page;    /* overwrite mode: its page */
	uint64_t consumer_pos; /* consumer's private copy of [R], see ringbuffer.c */
	uint64_t clear_pos;    /* reads start at or above it (clear.c, C3) */
	size_t map_size;
	struct rb_stream_attr attr;
};

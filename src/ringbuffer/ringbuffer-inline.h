/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * The producer fast path, inlined into the tracer. Included at the end of
 * ringbuffer.h; do not include directly. The algorithm, the counters [W],
 * [L], [C] and the invariants I1..I7 / orderings M1..M6 cited below are
 * described at the top of ringbuffer.c.
 *
 * The fast path handles a record that lands strictly inside the current
 * sub-buffer of a discard-mode stream: it neither opens a packet, nor
 * closes one (switch or exact fill), nor is discarded. Everything else,
 * and every record of an overwrite-mode stream (whose pages move, see
 * overwrite.c), goes to rb_reserve_slow().
 */

#include "common/clock.h"
#include "ringbuffer/ringbuffer-layout.h"

/* Internal slow paths (ringbuffer.c); call rb_reserve()/rb_commit() instead. */
int rb_reserve_slow(struct rb_stream *stream, uint32_t payload_len, bool force_long,
                    struct rb_reserve_ctx *ctx);
void rb_subbuf_deliver(struct rb_stream *stream, uint64_t pos);

/*
 * Adds len committed bytes to the sub-buffer holding virtual offset pos and
 * delivers the packet if this completes it (I5).
 */
static inline void rb_commit_bytes(struct rb_stream *stream, uint64_t pos, uint64_t len)
{
	struct rb_shm_subbuf *sb =
	    &stream->ctl->subbuf[(pos & stream->buf_mask) >> stream->subbuf_shift];
	/* This packet's lap w = pos / (N * S) completes when [C] reaches (w + 1) * S. */
	uint64_t complete = ((pos >> stream->buf_shift) + 1) << stream->subbuf_shift;

	/*
	 * M2, keeps I5: release publishes this committer's bytes (record, packet
	 * header, end info) to whoever completes the packet; acquire lets the
	 * completer see every other committer's bytes (all updates of [C] are
	 * RMWs, so they form one release sequence).
	 */
	if (__builtin_expect(
	        __atomic_add_fetch(&sb->commit_count, len, __ATOMIC_ACQ_REL) == complete, 0))
		rb_subbuf_deliver(stream, pos);
}

/*
 * M1: [W] and [L] in one compare-and-swap, strong, acq_rel (on x86-64 a
 * locked instruction: a full barrier), acquire on failure. On failure
 * *old_pos and *old_ts receive the current pair, read atomically.
 */
static inline bool rb_head_cas(struct rb_shm_ctl *ctl, uint64_t *old_pos, uint64_t *old_ts,
                               uint64_t new_pos, uint64_t new_ts)
{
#if defined(__x86_64__)
	bool swapped;

	/* write_pos is 16-byte aligned (cache-line aligned), last_ts follows it. */
	__asm__ volatile("lock cmpxchg16b %[pos]"
	                 : "=@ccz"(swapped), [pos] "+m"(ctl->write_pos), "+m"(ctl->last_ts),
	                   "+a"(*old_pos), "+d"(*old_ts)
	                 : "b"(new_pos), "c"(new_ts)
	                 : "memory");
	return swapped;
#elif defined(__GCC_HAVE_SYNC_COMPARE_AND_SWAP_16)
	uint64_t pair[2] = {*old_pos, *old_ts};
	unsigned __int128 expected, desired, seen;

	__builtin_memcpy(&expected, pair, sizeof(expected));
	pair[0] = new_pos;
	pair[1] = new_ts;
	__builtin_memcpy(&desired, pair, sizeof(desired));
	seen = __sync_val_compare_and_swap((unsigned __int128 *)(void *)&ctl->write_pos, expected,
	                                   desired);
	__builtin_memcpy(pair, &seen, sizeof(pair));
	*old_pos = pair[0];
	*old_ts = pair[1];
	return seen == expected;
#else
#error "the ring buffer needs a lock-free 16-byte compare-and-swap"
#endif
}

/*
 * The timestamp of a record (or of a flush) that follows the one holding
 * [L] == last in [W] order: the clock, raised to last if it reads lower
 * (I3). The raise covers the clock read that ran ahead of the load of [W]
 * (rt_clock_read_unordered()) and clocks of other CPUs or processes that
 * lag by a few nanoseconds.
 */
static inline uint64_t rb_timestamp_after(uint64_t last)
{
	uint64_t ts = rt_clock_read_unordered();

	return ts < last ? last : ts;
}

static inline int rb_reserve(struct rb_stream *stream, uint32_t payload_len, bool force_long,
                             struct rb_reserve_ctx *ctx)
{
	struct rb_shm_ctl *ctl = stream->ctl;
	uint64_t old, last, offset, ts;
	uint32_t len;
	bool long_header;

	/* Oversize payloads, and every record in overwrite mode (limit 0). */
	if (__builtin_expect(payload_len >= stream->fast_payload_limit, 0))
		return rb_reserve_slow(stream, payload_len, force_long, ctx);

	/*
	 * M1: the pair may be read torn (two loads); the CAS compares both
	 * words, so a torn pair only fails it and brings the current one.
	 */
	old = __atomic_load_n(&ctl->write_pos, __ATOMIC_ACQUIRE);
	last = __atomic_load_n(&ctl->last_ts, __ATOMIC_RELAXED);
	do {
		ts = rb_timestamp_after(last);
		/* [L] is the previous record's timestamp: exact header form. */
		long_header = force_long || ((ts ^ last) & stream->ts_high_mask) != 0;
		len = (long_header ? stream->record_header_long : stream->record_header_short) +
		      payload_len;
		offset = old & stream->offset_mask;
		if (__builtin_expect(offset == 0 || offset + len >= stream->subbuf_size, 0))
			return rb_reserve_slow(stream, payload_len, force_long, ctx);
		/*
		 * M1, keeps I1 and I3: the CAS hands [old, old + len) to us alone,
		 * orders us among reservers and makes ts the new [L].
		 */
	} while (!rb_head_cas(ctl, &old, &last, old + len, ts));

	ctx->stream = stream;
	ctx->pos = old;
	ctx->timestamp = ts;
	ctx->record = stream->data + (old & stream->buf_mask);
	ctx->len = len;
	ctx->long_header = long_header;
	return 0;
}

static inline void rb_commit(const struct rb_reserve_ctx *ctx)
{
	rb_commit_bytes(ctx->stream, ctx->pos, ctx->len);
}

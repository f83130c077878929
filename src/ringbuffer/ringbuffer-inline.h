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

static inline int rb_reserve(struct rb_stream *stream, uint32_t payload_len, bool force_long,
                             struct rb_reserve_ctx *ctx)
{
	struct rb_shm_ctl *ctl = stream->ctl;
	uint64_t old, offset, ts;
	uint32_t len;
	bool long_header;

	/* Oversize payloads, and every record in overwrite mode (limit 0). */
	if (__builtin_expect(payload_len >= stream->fast_payload_limit, 0))
		return rb_reserve_slow(stream, payload_len, force_long, ctx);

	/* M1: acquire; rt_clock_read() fences itself after this load (I3). */
	old = __atomic_load_n(&ctl->write_pos, __ATOMIC_ACQUIRE);
	do {
		ts = rt_clock_read();
		/* M5: relaxed, a stale [L] only costs a long header. */
		long_header =
		    force_long || ((ts ^ __atomic_load_n(&ctl->last_ts, __ATOMIC_RELAXED)) &
		                   stream->ts_high_mask) != 0;
		len = (long_header ? stream->record_header_long : stream->record_header_short) +
		      payload_len;
		offset = old & stream->offset_mask;
		if (__builtin_expect(offset == 0 || offset + len >= stream->subbuf_size, 0))
			return rb_reserve_slow(stream, payload_len, force_long, ctx);
		/*
		 * M1, keeps I1 and I3: the CAS hands [old, old + len) to us alone
		 * and orders us among reservers; acq_rel/acquire so the retry
		 * reads the clock after the newer [W].
		 */
	} while (!__atomic_compare_exchange_n(&ctl->write_pos, &old, old + len, true,
	                                      __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE));
	/* M5: relaxed, see "record header form" in ringbuffer.c. */
	__atomic_store_n(&ctl->last_ts, ts, __ATOMIC_RELAXED);

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

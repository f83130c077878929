/* SPDX-License-Identifier: MIT */
/*
 * Snapshot: the consumer reads the most recent packets of a stream without
 * consuming them, while producers keep writing. Used by the consumer daemon
 * for SNAPSHOT_CHANNEL in snapshot sessions, whose streams are never drained.
 *
 * ======================================================================
 *  Algorithm
 * ======================================================================
 *
 * The caller flushes the stream (the current packet is closed; with
 * rb_stream_flush_empty() an idle stream gets a header-only one), takes the range
 * rb_snapshot_range() gives, and for each position in it, oldest first, gets the packet, writes it
 * out and puts it back. A packet it cannot get is skipped: it is lost to this snapshot, as lttng's
 * consumer counts a packet it fails to get.
 *
 *  S0  Range. end = [W] rounded down to a packet boundary: every packet
 *      before end is closed (I1), possibly with commits pending. begin is
 *      the newest of: end - max_packets * S (the caller's size limit), the
 *      consumer's own [R] copy (consumer_pos; packets below it were read
 *      and released by the draining consumer, and in overwrite mode their
 *      slots may now name its old spare page under their old tag), and in
 *      overwrite mode end - N * S (older packets' slots have been reused).
 *      A snapshot stream is not drained, so consumer_pos stays at 0 and the
 *      snapshot reads the last N packets, unless a clear moved the floor
 *      (clear_pos, C3 in clear.c) above it: nothing below it is read. Draining and snapshot reads
 * of a stream must not be interleaved by two threads: they share the spare.
 *
 * Discard mode:
 *  S1d A packet b in [consumer_pos, end) whose [D] == b / S + 1 (acquire,
 *      M3) is complete, and its slot cannot be reopened before [R] passes b
 *      (I2), which only this consumer moves. So it is read in place and put
 *      back is a no-op: nothing changes in shared memory. (With nobody
 *      draining, a full discard-mode buffer keeps its oldest packets and
 *      producers discard, as in lttng.)
 *
 * Overwrite mode (the proposal from overwrite mode's author, kept as is;
 * O1..O5 are at the top of ringbuffer.c):
 *  S1  Get = O3's exchange (rb_ow_take()): the tag of the slot must be b's
 *      and b delivered; the consumer CASes its spare page into the slot and
 *      owns b's page. From then on no producer writes that page: a producer
 *      lapping the slot claims it (O1) with the spare, so producers never
 *      wait for a snapshot and lose nothing to it (O2 does not look at the
 *      consumer). If the tag is newer, or the CAS fails, b was overwritten:
 *      -ESTALE, skipped.
 *  S2  Put, nobody claimed the slot: [T] still is (b's tag, spare). A CAS
 *      from that value back to (b's tag, b's page) restores the slot as it
 *      was, so the packet stays in the ring for later snapshots (a snapshot
 *      does not consume) and the spare stays the consumer's. The CAS
 *      releases our reads of the page before any later claim (acquire).
 *  S3  Put, a producer claimed the slot (the CAS fails: tags are unique per
 *      packet, b's never comes back, so there is no ABA): the spare is now
 *      the producer's page and b is gone from the ring; b's page becomes
 *      the spare, exactly as after a draining get/put (O5).
 *  S4  One packet at a time (one spare): a second get before the put, or a
 *      get while the draining consumer holds one, is -EBUSY. In both modes
 *      the packet handed out is intact until put back.
 *  A producer that loaded [T] before S1 or S2 fails its claim CAS and
 *  retries with the new value, so it always writes into the page [T]
 *  names at its claim; that page is never the one the consumer holds.
 */
#include "ringbuffer/ringbuffer.h"

#include "ringbuffer/overwrite.h"
#include "ringbuffer/ringbuffer-layout.h"

#include <errno.h>

/* S0: reads start at the consumer's [R] copy, or above, where a clear left them (clear.c). */
static uint64_t rb_snapshot_floor(const struct rb_stream *stream)
{
	return stream->clear_pos > stream->consumer_pos ? stream->clear_pos : stream->consumer_pos;
}

void rb_snapshot_range(const struct rb_stream *stream, uint64_t max_packets, uint64_t *ret_begin,
                       uint64_t *ret_end)
{
	uint64_t end =
	    __atomic_load_n(&stream->ctl->write_pos, __ATOMIC_ACQUIRE) & ~stream->offset_mask;
	uint64_t begin = rb_snapshot_floor(stream);
	uint64_t packets = end >> stream->subbuf_shift;

	/* S0. */
	if (stream->attr.overwrite && packets > stream->attr.num_subbuf)
		packets = stream->attr.num_subbuf;
	if (packets > max_packets)
		packets = max_packets;
	if (end - (packets << stream->subbuf_shift) > begin)
		begin = end - (packets << stream->subbuf_shift);
	*ret_begin = begin < end ? begin : end;
	*ret_end = end;
}

int rb_snapshot_get(struct rb_stream *stream, uint64_t pos, struct rb_subbuf *ret_subbuf)
{
	const struct rb_shm_subbuf *sb;
	uint64_t seq = pos >> stream->subbuf_shift;
	uint64_t content_size;
	int r;

	if (stream->snap_held || stream->ow_held)
		return -EBUSY; /* S4 */
	pos &= ~stream->offset_mask;
	if (stream->attr.overwrite) {
		r = rb_ow_take(stream, pos, ret_subbuf, &stream->snap_page); /* S1 */
		if (r < 0)
			return r;
	} else {
		/* S1d. */
		if (pos < rb_snapshot_floor(stream))
			return -ESTALE;
		sb = &stream->ctl->subbuf[(pos & stream->buf_mask) >> stream->subbuf_shift];
		if (__atomic_load_n(&sb->delivered_seq, __ATOMIC_ACQUIRE) != seq + 1)
			return -EAGAIN;
		content_size = __atomic_load_n(&sb->content_size, __ATOMIC_RELAXED);
		*ret_subbuf = (struct rb_subbuf){
		    .pos = pos,
		    .data = stream->data + (pos & stream->buf_mask),
		    .content_size =
		        content_size < stream->subbuf_size ? content_size : stream->subbuf_size,
		    .seq_num = seq,
		};
	}
	stream->snap_held = true;
	stream->snap_pos = pos;
	return 0;
}

bool rb_snapshot_put(struct rb_stream *stream, const struct rb_subbuf *subbuf)
{
	if (!stream->snap_held || subbuf->pos != stream->snap_pos)
		return false; /* not the packet get handed out */
	stream->snap_held = false;
	if (!stream->attr.overwrite)
		return true;                                            /* S1d */
	return rb_ow_give_back(stream, subbuf->pos, stream->snap_page); /* S2, S3 */
}

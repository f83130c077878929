/* SPDX-License-Identifier: MIT */
/*
 * Clear: the consumer discards what a stream holds, while producers keep
 * writing (lttng's clear of a buffer: a switch, then the reader position
 * moved to the current packet boundary). Used by the consumer daemon for
 * CLEAR_CHANNEL in snapshot sessions, whose streams are never drained, so
 * that a later snapshot holds only what was written after the clear.
 *
 * ======================================================================
 *  Algorithm and invariants (names in [brackets]: ringbuffer.c)
 * ======================================================================
 *
 *  C1  Flush: rb_stream_flush() closes the current packet if it holds
 *      records, with its usual guarantees against concurrent producers.
 *  C2  Target: t = [W] (acquire, loaded after the flush) rounded down to a
 *      packet boundary. Every packet below t is closed (I1): its records
 *      were reserved before the load, so they are "before the clear". A
 *      record reserved after the load is at or above t and survives. A
 *      record reserved concurrently with the clear may land on either side;
 *      no record is torn, since the clear writes nothing into any packet.
 *  C3  Floor: clear_pos = max(clear_pos, t). Snapshot reads start at or
 *      above it (S0, S1d in snapshot.c), so nothing below t is read again.
 *      The floor is process-local and only this consumer reads it.
 *  C4  Release, discard mode: producers may open a slot only once [R] has
 *      passed the packet that held it (I2), and a packet reopened while
 *      commits into its previous lap are pending would break I5. So [R]
 *      moves exactly as the draining consumer's put moves it: one packet at
 *      a time, each only once delivered ([D] == seq + 1, acquire, M3), with
 *      a release store of [R] (M4, I7). A packet whose commits are still
 *      pending (a producer between reserve and commit) is waited for a
 *      bounded number of yields; if it stays incomplete, [R] stops before
 *      it: producers then have that packet less room until a later clear,
 *      which resumes from there. Nothing is lost or torn either way, and
 *      the floor (C3) already hides it from snapshots.
 *  C5  Release, overwrite mode: producers never look at [R] (O2), so only
 *      the consumer's copy moves (to the floor) and [R] is stored for
 *      statistics (O5). No slot of [T] is touched: the pages stay where they
 *      are and the spare stays the consumer's (O3 is not involved).
 *  C6  Counters: [X], [Y], [C], [D], [E] and seq_num are untouched, as
 *      lttng's clear leaves the discarded and lost counts alone; the next
 *      packets simply carry later sequence numbers.
 *  C7  Caller: the consumer side, on the thread that reads the stream
 *      (snapshot reads or the draining get/put), never while a packet got
 *      is held: -EBUSY then, nothing changed.
 */
#include "ringbuffer/ringbuffer.h"

#include <errno.h>
#include <sched.h>

#include "ringbuffer/ringbuffer-layout.h"

/* C4: yields granted to a packet whose commits are pending. */
#define RB_CLEAR_PENDING_YIELDS 1000

static bool rb_clear_delivered(const struct rb_stream *stream, uint64_t pos)
{
	const struct rb_shm_subbuf *sb =
	    &stream->ctl->subbuf[(pos & stream->buf_mask) >> stream->subbuf_shift];

	/* M3: acquire, the packet's commits are done before [R] passes it. */
	return __atomic_load_n(&sb->delivered_seq, __ATOMIC_ACQUIRE) ==
	       (pos >> stream->subbuf_shift) + 1;
}

/* C4: [R] over the delivered packets below target; returns where it stopped. */
static uint64_t rb_clear_release(struct rb_stream *stream, uint64_t target)
{
	uint64_t pos = stream->consumer_pos;
	int yields = 0;

	while (pos < target) {
		if (!rb_clear_delivered(stream, pos)) {
			if (yields++ == RB_CLEAR_PENDING_YIELDS)
				break;
			sched_yield();
			continue;
		}
		pos += stream->subbuf_size;
		stream->consumer_pos = pos;
		/* M4, keeps I7. */
		__atomic_store_n(&stream->ctl->consumed_pos, pos, __ATOMIC_RELEASE);
	}
	return pos;
}

int rb_stream_clear(struct rb_stream *stream)
{
	uint64_t target;

	if (stream->snap_held || stream->ow_held)
		return -EBUSY;   /* C7 */
	rb_stream_flush(stream); /* C1 */
	/* C2. */
	target = __atomic_load_n(&stream->ctl->write_pos, __ATOMIC_ACQUIRE) & ~stream->offset_mask;
	if (target > stream->clear_pos)
		stream->clear_pos = target; /* C3 */
	if (!stream->attr.overwrite) {
		rb_clear_release(stream, stream->clear_pos);
		return 0;
	}
	/* C5. */
	if (stream->clear_pos > stream->consumer_pos) {
		stream->consumer_pos = stream->clear_pos;
		__atomic_store_n(&stream->ctl->consumed_pos, stream->consumer_pos,
		                 __ATOMIC_RELEASE);
	}
	return 0;
}

/* SPDX-License-Identifier: MIT */
/*
 * Ring buffer frontend: positions, reservation, commit, sub-buffer switch,
 * delivery, flush, and the consumer's side of the positions. The memfd and
 * its control area are set up and validated in stream.c; the producer fast
 * path is in ringbuffer-inline.h.
 *
 * ======================================================================
 *  Memory
 * ======================================================================
 *
 * One stream = one sealed memfd:
 *
 *   0          ctl_size     +S           +2S                +N*S
 *   +-----------+------------+------------+-----    -------+
 *   | control   | sub-buf 0  | sub-buf 1  |  ...   sub-buf |
 *   | area      |            |            |          N-1   |
 *   +-----------+------------+------------+-----    -------+
 *
 * S = subbuf_size, N = num_subbuf (powers of two), B = N * S, H = header_size.
 * Positions are virtual byte offsets in an endless stream (64 bits: they do
 * not wrap in practice). Virtual offset v lives in slot (v / S) % N at byte
 * v % S, i.e. at data + (v % B) in discard mode (in overwrite mode the slot's
 * page comes from [T], see below); the packet holding v has
 * seq_num = v / S and lap w = v / B.
 *
 *        [R] consumed_pos                       [W] write_pos
 *            |                                      |
 *   ---------+------------+------------+------------+---------+--------
 *    consumed| delivered, | closed,    | current    |         | free
 *            | not read   | commits    | packet     |         | slots
 *            |            | pending    |            |         |
 *   ---------+------------+------------+------------+---------+--------
 *
 *   a packet:  [ H: packet header ][rec][rec]...[rec][ padding ]
 *              ^ packet_begin      ^ records, packed, no alignment
 *                                       content_size ^        ^ S
 *
 * ======================================================================
 *  Counters (control area, struct rb_shm_ctl)
 * ======================================================================
 *
 *  [W] write_pos     end of the last reserved byte. Only grows, only by CAS
 *                    of the pair [W], [L] (producers' reserve, the
 *                    flushes).
 *  [R] consumed_pos  start of the oldest packet the consumer has not
 *                    released; a multiple of S. Written by the consumer only.
 *  [L] last_ts       timestamp of the reservation (record or flush) that
 *                    moved [W] last; changes with [W] in the same CAS.
 *  [X] events_discarded  cumulative discarded records.
 *  [Y] discarded_delivered  the highest [X] a delivered packet carries
 *                    (raised by deliverers, I8).
 *  Per slot i:
 *  [C] commit_count  bytes committed into slot i, cumulative over all laps.
 *  [D] delivered_seq seq_num + 1 of the last packet delivered from slot i.
 *  [E] content_size, ts_end: end info of the packet last closed in slot i.
 *
 * Every byte of a packet is reserved exactly once (one CAS on [W]) and then
 * committed exactly once by whoever reserved it:
 *  - the opener (the reserver whose record starts a packet) owns the H
 *    header bytes: it calls packet_begin and commits H;
 *  - each reserver owns its record and commits it (rb_commit);
 *  - the closer owns the padding from content_size to S: it records [E] and
 *    commits S - content_size. A packet is closed by exactly one of: a
 *    reserver whose record does not fit (switch: content = its offset, ts_end
 *    = its record's timestamp, which also opens the next packet), a reserver
 *    whose record ends exactly at S (exact fill: content = S, no padding,
 *    ts_end = its timestamp), or a flush (content = offset, ts_end = the
 *    flush's timestamp, taken like a record's, I3; next packet left
 *    unopened), or a flush that finds no packet open and makes a
 *    header-only one (I8, I9), which reserves the whole packet at once and
 *    is its opener and closer.
 *
 * ======================================================================
 *  Invariants
 * ======================================================================
 *
 *  I1  [W] moves only by a successful CAS, so reserved ranges never overlap
 *      and every byte below [W] belongs to exactly one owner above. A range
 *      never crosses a packet boundary: a reservation is planned against
 *      the snapshot of [W] its CAS validates. Consequently, when [W] is
 *      exactly on a boundary (offset 0), the packet before it is closed.
 *  I2  A packet at begin b (slot i) is opened only after the check
 *      b - [R] < B (unsigned), i.e. the packet b - B that used slot i before
 *      has been released by the consumer. Hence [W] - [R] <= B. If the check
 *      fails, a blocking producer may wait and retry from a fresh [W]
 *      ("Blocking" below); otherwise, or once it gives up, the record is
 *      discarded: [X]++, -ENOBUFS, [W] unchanged. This is the only place a
 *      reservation looks at [R] (besides the header-only packet of I8 / I9,
 *      which is opened under the same check); a flush that closes records
 *      does not look (it opens nothing), so [W] may sit on a boundary whose
 *      slot is busy, and the next reservation there waits or discards.
 *  I3  Timestamp order = [W] order. [W] and [L] form one 16-byte word
 *      that changes only by a compare-and-swap of both (rb_head_cas()).
 *      A reserver (or flush) that read the pair (w, l) reads the clock,
 *      raises the value to l if it is lower (rb_timestamp_after()) and
 *      CASes (w, l) -> (w', ts). Each successful CAS thus stores a [L] >=
 *      the one it replaced, and the record (or packet end) it made gets
 *      that timestamp: timestamps never decrease in [W] order, whatever
 *      the clock reads, whichever CPU or process reserves. In particular
 *      ts_end of a closed packet >= every timestamp in it and <= the next
 *      packet's ts_begin.
 *  I4  [E] of a packet is written once, by its closer, before the closer's
 *      own commit into that packet.
 *  I5  Packet b of lap w in slot i starts with [C] == w * S (lap w - 1 was
 *      complete, since it was delivered before being released, I2). Its
 *      bytes sum to S, so it is complete exactly when [C] == (w + 1) * S,
 *      and exactly one committer -- the one whose add-fetch returns that
 *      value -- observes it. That thread delivers.
 *  I6  Delivery: packet_end(packet, [E], [X] now), then [D] = seq + 1, then
 *      a write of 1 to the eventfd. The consumer hands out packet [R] only
 *      when [D] of its slot == [R] / S + 1, in order, one at a time.
 *  I7  Release: the consumer finishes reading packet [R] and then advances
 *      [R] by S; producers write into that slot again only after seeing the
 *      new [R] (I2).
 *  I8  Every discard reaches a packet: a packet's events_discarded is [X]
 *      read at its delivery, so a discard is carried by the next packet
 *      delivered after it. When none follows (the ring stayed full until
 *      the producers stopped), rb_stream_flush_final() makes one: a flush
 *      that closes the current packet if it holds records (its delivery
 *      will carry [X], read then), and otherwise, with [W] on a boundary
 *      (offset 0) and [X] > [Y], the header-only packet of I9. [Y] only
 *      decides whether such a packet is needed: a packet closed but not
 *      yet delivered may make one redundant (an extra header-only packet,
 *      harmless), never missing. Discards that happen after the last
 *      delivery are by definition after the end of the data.
 *  I9  Empty packet (rb_stream_flush_empty(), lttng-ust's SWITCH_FLUSH):
 *      with [W] on a boundary b, a flush CASes [W] from b to b + S (one
 *      reservation of the whole packet, I1; its timestamp is both ts_begin
 *      and ts_end, I3), opens b (packet_begin, commits H) and closes it at
 *      offset H (end info, commits S - H): the packet completes with the
 *      last of those commits (I5) and is delivered with content_size = H
 *      and the current [X], like any other. Its open obeys I2 (discard
 *      mode: b - [R] < B) or O2 (overwrite mode: the slot's previous packet
 *      is delivered; it may be unread, and is then lost to the consumer like
 *      any packet a producer laps), checked before the CAS: both only
 *      become true, never false again, so the check still holds after it.
 *      When it fails, nothing changes and the flush returns -EAGAIN. A
 *      concurrent producer either reserved before the CAS (then [W] was not
 *      b and the flush closes its packet, or the CAS fails and the plan is
 *      made again) or after (then it opens b + S, or finds it busy).
 *
 * ======================================================================
 *  Memory ordering
 * ======================================================================
 *
 *  M1  [W], [L]: acquire load of [W], relaxed load of [L] (two loads: the
 *      pair read may be torn, which only makes the CAS fail); the pair CAS
 *      is acq_rel on success, acquire on failure, where it returns the
 *      current pair read atomically (on x86-64, lock cmpxchg16b: a full
 *      barrier either way). Release + acquire chain the reservers of one
 *      packet: the opener loaded [R] with acquire (M4) before its CAS, so
 *      every later reserver of that packet writes its record after the
 *      consumer's reads of the previous lap (I7).
 *      The clock needs no ordering against these accesses (I3 does not
 *      rest on it): the ring buffer reads it with
 *      rt_clock_read_unordered(), a bare rdtsc on the TSC path, which may
 *      execute before the load of [W] completes; such an early reading is
 *      at worst raised to [L]. The concurrent unit tests check the
 *      resulting order.
 *  M2  [C]: add-fetch acq_rel. Release publishes what the committer wrote
 *      before: its record; for an opener the packet header written by
 *      packet_begin; for a closer [E]. Acquire, on the completing add-fetch,
 *      makes all of them visible to the deliverer: every update of [C] is an
 *      RMW, so the releases of all committers are in one release sequence.
 *  M3  [D]: release store after packet_end, acquire load by the consumer: the
 *      consumer sees the whole packet, packet_end's writes included.
 *  M4  [R]: release store by the consumer after reading the packet, acquire
 *      load by an opener: the next lap's writes come after those reads.
 *  M5  [L]: see M1; never written alone.
 *  M6  [X]: relaxed fetch-add: an RMW, so the count is exact; it orders
 *      nothing and is read relaxed as a statistic. [Y]: relaxed CAS-max,
 *      same status (I8 needs no ordering: a stale [Y] only adds a packet).
 *  [E] is accessed with relaxed atomics; M2 orders it.
 *
 * ======================================================================
 *  Record header form
 * ======================================================================
 *
 * The short record header carries only the low timestamp_bits of ts; a
 * reader rebuilds the full value from the previous record of the stream
 * (in [W] order), which is correct when both share ts >> timestamp_bits.
 * So a record takes the long form when force_long, when it opens a packet
 * (a reader starts from the packet's ts_begin, and packets may be lost), or
 * when (ts ^ [L]) has bits above timestamp_bits. The [L] compared is the
 * one the record's own CAS replaces (I3), i.e. the timestamp of the
 * previous record exactly, or of a flush, after which the record opens a
 * packet anyway. Discarded records do not change [L]: they make no CAS.
 *
 * ======================================================================
 *  Overwrite mode (overwrite.c)
 * ======================================================================
 *
 * A stream created with attr.overwrite is a flight recorder: producers
 * never wait for the consumer; opening a packet reuses its slot even when
 * the consumer has not read the packet the slot held, which is then lost.
 * The consumer must never read memory a producer writes, so a slot does not
 * own a fixed page: the memfd holds N + 1 pages, and
 *
 *  [T] page (per slot i): tag << 21 | (page ^ i), tag = seq_num + 1 of the
 *      last packet claimed in slot i (0: none; the xor makes an all-zero
 *      table the identity). Pages not named by any [T] belong to the
 *      consumer: exactly one, its spare (consumer-local spare_page).
 *
 *  O1  Claim: whoever writes into packet b (opener, any reserver, closer
 *      writing [E], deliverer) first makes slot i's tag b's, by CAS keeping
 *      the page, and writes into the page the tag came with. Every writer of
 *      b runs between b's open and b's delivery; before b is delivered no
 *      later packet can claim the slot (O2) and the consumer does not
 *      exchange it (O3), so all of b's writers use one page.
 *  O2  A packet b >= B opens only if the slot's previous packet b - B is
 *      delivered ([D] == (b - B) / S + 1, acquire): its commits and
 *      packet_end are done, so I5 holds ([C] == w * S at the open), and
 *      nobody still writes its page. Otherwise the record is discarded
 *      ([X]++), as lttng-ust does when the writer laps a packet still being
 *      committed. [R] is not looked at: the writer laps the consumer.
 *  O3  Exchange: to read packet b the consumer checks [T]'s tag is b's and
 *      [D] == b / S + 1 (acquire, M3), reads [E], then CASes [T] from what
 *      it loaded to (b's tag, its spare). Success means no writer of a
 *      later packet has claimed the slot (O1 would have changed the tag),
 *      so the page it got holds b, complete, and no producer will write it
 *      again: later writers of the slot get the spare. [E] was read before
 *      the CAS, and a later packet's closer writes [E] only after its own
 *      claim (O1), which follows our CAS in [T]'s modification order, so
 *      the value read is b's.
 *  O4  Lost packets: if the tag is newer than b's, or the CAS fails, b was
 *      overwritten: the consumer moves to b + S and the gap in seq_num is
 *      what it reports (lost packets, packet_seq_num gaps). When [W]'s
 *      packet is more than a ring ahead it jumps there directly. An older
 *      tag means b is not opened yet: -EAGAIN.
 *  O5  Put: the page read becomes the spare; [R] is stored for statistics.
 *      Get without put returns the same packet (data_pending peeks).
 *  Snapshot reads (snapshot.c, S0..S4) take packets with the same exchange
 *  and give the page back when no producer claimed the slot meanwhile.
 *  Only one mapping may consume (one spare). Every overwrite-mode record
 *  takes the slow path (fast_payload_limit = 0): its page is found in [T].
 *  Memory ordering: [T] CASes are acq_rel (acquire on failure) and loads
 *  acquire. The consumer's successful CAS releases its reads of the spare's
 *  previous packet to the producer whose claim reads it (O1 acquire); the
 *  producer's claim orders its writes after it.
 *
 * ======================================================================
 *  Blocking (blocking.c)
 * ======================================================================
 *
 * A producer whose stream has a blocking timeout (process-local, set by the
 * tracer: the channel's --blocking-timeout when the application allows
 * blocking) does not discard when I2's check fails: it sleeps and plans
 * again from a fresh [W], until the check passes, the timeout expires, or
 * nobody will ever release a slot. It waits holding no reservation, so it
 * delays no packet's completion: the packet it waits for (the one at
 * begin - B) needs only commits of reservers that are not waiting, then
 * the consumer. Counters are untouched while waiting; [X] counts the record
 * only when the producer gives up.
 *
 *  [K] consumer liveness: an open-file-description write lock on byte 0
 *      of the memfd, taken by the consumer through its own description of
 *      the file (rb_consumer_claim(), never passed to anyone). The kernel
 *      drops it when the consumer closes that description: on unmap, on
 *      exit, on kill -9. A stopped (SIGSTOP) consumer still holds it.
 *  B1  A waiting producer asks the kernel whether [K] is held (F_OFD_GETLK
 *      on its own description) before every sleep; when it is not, no
 *      slot will ever be released and it gives up at once. So a producer
 *      waiting "forever" wakes within one sleep period of the consumer's
 *      death, and never waits on a stream nobody consumes.
 *  B2  Sleeps are nanosleep() (async-signal-safe, errno kept), starting at
 *      1 ms and doubling up to 100 ms (lttng-ust polls every 100 ms), never
 *      past the deadline, which is measured on CLOCK_MONOTONIC.
 *
 * ======================================================================
 *  Untrusted control area
 * ======================================================================
 *
 * Any mapper can scribble over the control area. Each process uses its own
 * validated copy of the sizes; positions read from shared memory are only
 * ever masked into the mapping (data + (v % B), slot (v / S) % N) with
 * unsigned arithmetic, and reservations are planned from the local sizes,
 * so a record never leaves its sub-buffer whatever [W] says. content_size
 * read from [E] is clamped to S; a page read from [T] above N is replaced by
 * the slot's own (overwrite.c), so it stays inside the mapping too. The
 * memfd is sealed against shrinking, so no mapping can fault. The consumer
 * keeps its own copy of [R] (stream->consumer_pos) and only writes [R]: a
 * corrupted [R] changes what producers consider free, never what the
 * consumer reads. A corrupted [C] or [D] can withhold or repeat a delivery,
 * within the mapping; a corrupted [L] can only hold the timestamps of later
 * records at its value. What remains unbounded is a CAS loop against a
 * process that keeps changing [W], which is that process spinning us, not
 * a fault.
 */

#include "ringbuffer/ringbuffer.h"

#include "ringbuffer/blocking.h"
#include "ringbuffer/overwrite.h"

#include <errno.h>
#include <sys/eventfd.h>
#include <unistd.h>

/* What a reservation against the snapshot old of [W] would do. */
struct rb_plan {
	uint64_t record_pos; /* virtual offset of the record */
	uint32_t len;        /* record header + payload */
	bool long_header;
	bool opens_packet;    /* the record opens the packet at record_pos - H */
	bool closes_previous; /* switch: old's packet is closed at offset old % S */
};

static struct rb_shm_subbuf *rb_slot(const struct rb_stream *stream, uint64_t pos)
{
	return &stream->ctl->subbuf[(pos & stream->buf_mask) >> stream->subbuf_shift];
}

/* Where the packet holding pos is written: its slot, or in overwrite mode [T]'s page (O1). */
static void *rb_packet(struct rb_stream *stream, uint64_t pos)
{
	if (stream->attr.overwrite)
		return rb_ow_packet(stream, pos);
	return stream->data + (pos & stream->buf_mask & ~stream->offset_mask);
}

static void *rb_record_address(struct rb_stream *stream, uint64_t pos)
{
	return (uint8_t *)rb_packet(stream, pos) + (pos & stream->offset_mask);
}

static uint32_t rb_record_len(const struct rb_stream *stream, bool long_header,
                              uint32_t payload_len)
{
	return (long_header ? stream->record_header_long : stream->record_header_short) +
	       payload_len;
}

/* Precondition: payload_len <= max_payload, so an opened packet has room. */
static void rb_plan_reservation(const struct rb_stream *stream, uint64_t old, uint64_t last,
                                uint64_t ts, uint32_t payload_len, bool force_long,
                                struct rb_plan *plan)
{
	uint64_t offset = old & stream->offset_mask;
	uint64_t packet;

	plan->long_header = force_long || ((ts ^ last) & stream->ts_high_mask) != 0;
	plan->len = rb_record_len(stream, plan->long_header, payload_len);
	plan->closes_previous = false;
	plan->opens_packet = false;

	if (offset != 0 && offset + plan->len <= stream->subbuf_size) {
		plan->record_pos = old; /* fits, possibly filling the packet exactly */
		return;
	}
	/* Offset 0: the packet at old is closed already (I1); otherwise switch. */
	plan->closes_previous = offset != 0;
	packet = offset == 0 ? old : old - offset + stream->subbuf_size;
	plan->opens_packet = true;
	plan->long_header = true;
	plan->len = rb_record_len(stream, true, payload_len);
	plan->record_pos = packet + stream->header_size;
}

static void rb_count_discard(struct rb_stream *stream)
{
	/* M6: exact count, no ordering. */
	__atomic_fetch_add(&stream->ctl->events_discarded, 1, __ATOMIC_RELAXED);
}

/* I2: may the packet starting at begin be opened? */
static bool rb_packet_is_free(const struct rb_stream *stream, uint64_t begin)
{
	/* M4: acquire, the consumer's reads of the previous lap are done. */
	uint64_t consumed = __atomic_load_n(&stream->ctl->consumed_pos, __ATOMIC_ACQUIRE);

	return begin - consumed <= stream->buf_mask;
}

/* I2 in discard mode, O2 in overwrite mode. */
static bool rb_packet_may_open(const struct rb_stream *stream, uint64_t begin)
{
	if (stream->attr.overwrite)
		return rb_ow_slot_reusable(stream, begin);
	return rb_packet_is_free(stream, begin);
}

static void rb_store_end_info(struct rb_stream *stream, uint64_t pos, uint64_t content_size,
                              uint64_t ts_end)
{
	struct rb_shm_subbuf *sb = rb_slot(stream, pos);

	/* O1: in overwrite mode the slot must name this packet before [E] changes. */
	if (stream->attr.overwrite)
		rb_ow_packet(stream, pos);
	/* I4; relaxed, published by the closer's commit that follows (M2). */
	__atomic_store_n(&sb->content_size, content_size, __ATOMIC_RELAXED);
	__atomic_store_n(&sb->ts_end, ts_end, __ATOMIC_RELAXED);
}

/*
 * Closes the packet holding pos at offset pos % S (> 0): the caller's CAS
 * moved [W] from pos past the packet's end, so the caller owns the padding.
 */
static void rb_packet_close(struct rb_stream *stream, uint64_t pos, uint64_t ts_end)
{
	uint64_t offset = pos & stream->offset_mask;

	rb_store_end_info(stream, pos, offset, ts_end);
	rb_commit_bytes(stream, pos, stream->subbuf_size - offset);
}

/* The caller's CAS reserved [begin, begin + H) for the packet header. */
static void rb_packet_open(struct rb_stream *stream, uint64_t begin, uint64_t ts)
{
	if (stream->ops.packet_begin)
		stream->ops.packet_begin(rb_packet(stream, begin), stream->attr.client, ts,
		                         begin >> stream->subbuf_shift);
	rb_commit_bytes(stream, begin, stream->header_size);
}

/* Runs inside the traced application: leaves its errno alone. */
static void rb_wakeup(const struct rb_stream *stream)
{
	int saved_errno = errno;
	uint64_t one = 1;

	if (stream->wakeup_fd < 0)
		return;
	/* Non-blocking: EAGAIN means the counter is saturated, the consumer is awake. */
	while (write(stream->wakeup_fd, &one, sizeof(one)) < 0 && errno == EINTR)
		;
	errno = saved_errno;
}

/*
 * The general reservation: everything the fast path declines (packet open,
 * switch, exact fill, oversize). Same CAS protocol as rb_reserve().
 */
__attribute__((noinline)) int rb_reserve_slow(struct rb_stream *stream, uint32_t payload_len,
                                              bool force_long, struct rb_reserve_ctx *ctx)
{
	struct rb_shm_ctl *ctl = stream->ctl;
	struct rb_wait wait = {0};
	struct rb_plan plan;
	uint64_t old, last, ts, end;

	if (payload_len > stream->max_payload) {
		rb_count_discard(stream);
		return -ENOBUFS;
	}

	/* M1: a possibly torn pair, checked by the CAS. */
	old = __atomic_load_n(&ctl->write_pos, __ATOMIC_ACQUIRE);
	last = __atomic_load_n(&ctl->last_ts, __ATOMIC_RELAXED);
	for (;;) {
		ts = rb_timestamp_after(last);
		rb_plan_reservation(stream, old, last, ts, payload_len, force_long, &plan);
		if (plan.opens_packet &&
		    !rb_packet_may_open(stream, plan.record_pos - stream->header_size)) {
			/* I2: wait for the consumer (B1, B2), or discard. */
			if (rb_wait_for_space(stream, &wait)) {
				/* M1: a fresh pair, a fresh timestamp. */
				old = __atomic_load_n(&ctl->write_pos, __ATOMIC_ACQUIRE);
				last = __atomic_load_n(&ctl->last_ts, __ATOMIC_RELAXED);
				continue;
			}
			rb_count_discard(stream);
			return -ENOBUFS;
		}
		end = plan.record_pos + plan.len;
		/* M1, keeps I1 and I3. */
		if (rb_head_cas(ctl, &old, &last, end, ts))
			break;
	}

	if (plan.closes_previous)
		rb_packet_close(stream, old, ts);
	if ((end & stream->offset_mask) == 0)
		rb_store_end_info(stream, plan.record_pos, stream->subbuf_size,
		                  ts); /* exact fill */
	if (plan.opens_packet)
		rb_packet_open(stream, plan.record_pos - stream->header_size, ts);

	ctx->stream = stream;
	ctx->pos = plan.record_pos;
	ctx->timestamp = ts;
	ctx->record = rb_record_address(stream, plan.record_pos);
	ctx->len = plan.len;
	ctx->long_header = plan.long_header;
	return 0;
}

/* I8: [Y] = max([Y], discarded); relaxed like [X] (M6). */
static void rb_note_discarded_delivered(struct rb_stream *stream, uint64_t discarded)
{
	uint64_t seen = __atomic_load_n(&stream->ctl->discarded_delivered, __ATOMIC_RELAXED);

	while (seen < discarded &&
	       !__atomic_compare_exchange_n(&stream->ctl->discarded_delivered, &seen, discarded,
	                                    false, __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
}

/* Called by the one committer that completed the packet holding pos (I5). */
__attribute__((noinline)) void rb_subbuf_deliver(struct rb_stream *stream, uint64_t pos)
{
	struct rb_shm_subbuf *sb = rb_slot(stream, pos);
	uint64_t content_size, ts_end, discarded = rb_stream_events_discarded(stream);

	rb_note_discarded_delivered(stream, discarded);
	if (stream->ops.packet_end) {
		/* Ordered by the acq_rel add-fetch that brought us here (M2). */
		content_size = __atomic_load_n(&sb->content_size, __ATOMIC_RELAXED);
		ts_end = __atomic_load_n(&sb->ts_end, __ATOMIC_RELAXED);
		if (content_size > stream->subbuf_size)
			content_size = stream->subbuf_size;
		stream->ops.packet_end(rb_packet(stream, pos), stream->attr.client, ts_end,
		                       content_size, discarded);
	}
	/* M3, keeps I6: publishes the packet, packet_end's writes included. */
	__atomic_store_n(&sb->delivered_seq, (pos >> stream->subbuf_shift) + 1, __ATOMIC_RELEASE);
	rb_wakeup(stream);
}

/* I8: discards that no delivered packet carries yet. */
static bool rb_discards_unreported(const struct rb_stream *stream)
{
	return rb_stream_events_discarded(stream) >
	       __atomic_load_n(&stream->ctl->discarded_delivered, __ATOMIC_RELAXED);
}

/* What a flush does to a packet without records ([W] on a boundary, I1). */
enum rb_flush_mode {
	RB_FLUSH_ACTIVE, /* nothing */
	RB_FLUSH_EMPTY,  /* a header-only packet, I9 */
	RB_FLUSH_FINAL,  /* a header-only packet when discards are unreported, I8 */
};

/*
 * The three flushes, one CAS loop (I1, I3, I8, I9). Against the snapshot
 * (w, l) of the pair, with offset = w % S:
 *  - offset > H: the current packet holds records; [W] goes to the next
 *    boundary and we close the packet at offset (next packet left unopened);
 *  - offset == 0: nothing is open; in RB_FLUSH_EMPTY mode (RB_FLUSH_FINAL:
 *    only with unreported discards) [W] goes from w to w + S, and we open
 *    packet w and close it at offset H: header-only, ts_begin = ts_end;
 *    when its slot may not be opened yet (I2 / O2): -EAGAIN, nothing done;
 *  - otherwise (0 < offset <= H, never made by this code): nothing.
 * A failed CAS brings a fresh pair and the plan is made again from it, so a
 * producer that opens or fills a packet meanwhile just changes the case.
 */
static int rb_stream_switch(struct rb_stream *stream, enum rb_flush_mode mode)
{
	struct rb_shm_ctl *ctl = stream->ctl;
	uint64_t old, last, offset, ts, end;

	/* M1: a possibly torn pair, checked by the CAS. */
	old = __atomic_load_n(&ctl->write_pos, __ATOMIC_ACQUIRE);
	last = __atomic_load_n(&ctl->last_ts, __ATOMIC_RELAXED);
	do {
		offset = old & stream->offset_mask;
		if (offset != 0 && offset <= stream->header_size)
			return 0;
		if (offset == 0) {
			if (mode == RB_FLUSH_ACTIVE ||
			    (mode == RB_FLUSH_FINAL && !rb_discards_unreported(stream)))
				return 0;
			/* I2 (O2): the slot must be free, as for any open. */
			if (!rb_packet_may_open(stream, old))
				return -EAGAIN;
			end = old + stream->subbuf_size; /* the whole packet is ours */
		} else {
			end = old - offset + stream->subbuf_size; /* the padding is ours */
		}
		/* I3: ts_end >= every record's timestamp, <= the next packet's ts_begin. */
		ts = rb_timestamp_after(last);
		/* M1, keeps I1 and I3. */
	} while (!rb_head_cas(ctl, &old, &last, end, ts));
	if (offset == 0) {
		rb_packet_open(stream, old, ts);
		old += stream->header_size;
	}
	rb_packet_close(stream, old, ts);
	return 0;
}

void rb_stream_flush(struct rb_stream *stream)
{
	(void)rb_stream_switch(stream, RB_FLUSH_ACTIVE);
}

int rb_stream_flush_empty(struct rb_stream *stream)
{
	return rb_stream_switch(stream, RB_FLUSH_EMPTY);
}

int rb_stream_flush_final(struct rb_stream *stream)
{
	return rb_stream_switch(stream, RB_FLUSH_FINAL);
}

int rb_consumer_get_subbuf(struct rb_stream *stream, struct rb_subbuf *ret_subbuf)
{
	uint64_t pos = __atomic_load_n(&stream->consumer_pos, __ATOMIC_RELAXED);
	struct rb_shm_subbuf *sb = rb_slot(stream, pos);
	uint64_t content_size;

	if (stream->attr.overwrite)
		return rb_ow_consumer_get_subbuf(stream, ret_subbuf);
	/* M3: acquire, pairs with the deliverer's release (I6). */
	if (__atomic_load_n(&sb->delivered_seq, __ATOMIC_ACQUIRE) !=
	    (pos >> stream->subbuf_shift) + 1)
		return -EAGAIN;
	content_size = __atomic_load_n(&sb->content_size, __ATOMIC_RELAXED);
	if (content_size > stream->subbuf_size)
		content_size = stream->subbuf_size;

	*ret_subbuf = (struct rb_subbuf){
	    .pos = pos,
	    .data = rb_packet(stream, pos),
	    .content_size = content_size,
	    .seq_num = pos >> stream->subbuf_shift,
	};
	return 0;
}

void rb_consumer_put_subbuf(struct rb_stream *stream, const struct rb_subbuf *subbuf)
{
	uint64_t pos = __atomic_load_n(&stream->consumer_pos, __ATOMIC_RELAXED);

	if (stream->attr.overwrite) {
		rb_ow_consumer_put_subbuf(stream, subbuf);
		return;
	}
	if (subbuf->pos != pos)
		return; /* not the packet get handed out (double put): nothing to release */
	pos += stream->subbuf_size;
	__atomic_store_n(&stream->consumer_pos, pos, __ATOMIC_RELAXED);
	/* M4, keeps I7: our reads of the packet come before its reuse. */
	__atomic_store_n(&stream->ctl->consumed_pos, pos, __ATOMIC_RELEASE);
}

void rb_consumer_clear_wakeup(struct rb_stream *stream)
{
	uint64_t value;

	if (stream->wakeup_fd < 0)
		return;
	/* Non-blocking: EAGAIN means nothing to clear. */
	while (read(stream->wakeup_fd, &value, sizeof(value)) < 0 && errno == EINTR)
		;
}

bool rb_stream_data_pending(const struct rb_stream *stream)
{
	uint64_t write_pos = __atomic_load_n(&stream->ctl->write_pos, __ATOMIC_ACQUIRE);
	uint64_t consumed = __atomic_load_n(&stream->consumer_pos, __ATOMIC_RELAXED);

	/* A packet other than the one being consumed, or records beyond its header. */
	return (write_pos & ~stream->offset_mask) != consumed ||
	       (write_pos & stream->offset_mask) > stream->header_size;
}

uint64_t rb_stream_produced(const struct rb_stream *stream)
{
	return __atomic_load_n(&stream->ctl->write_pos, __ATOMIC_ACQUIRE);
}

uint64_t rb_stream_events_discarded(const struct rb_stream *stream)
{
	/* M6. */
	return __atomic_load_n(&stream->ctl->events_discarded, __ATOMIC_RELAXED);
}

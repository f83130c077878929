/* SPDX-License-Identifier: MIT */
/*
 * Overwrite mode: the page table [T], the producers' claim of a slot for
 * a packet, and the consumer's exchange of its spare page for the oldest
 * delivered packet. Invariants O1..O5 are described under "Overwrite mode"
 * at the top of ringbuffer.c.
 */
#include "ringbuffer/overwrite.h"

#include "ringbuffer/ringbuffer.h"

#include <errno.h>

/* [T] = tag << RB_PAGE_BITS | (page ^ slot); tag = seq_num + 1, 0: no packet yet. */
#define RB_PAGE_BITS 21
#define RB_PAGE_MASK ((1ull << RB_PAGE_BITS) - 1)
#define RB_TAG_BITS  (64 - RB_PAGE_BITS)

_Static_assert(RB_MAX_NUM_SUBBUF < (1ull << RB_PAGE_BITS), "page numbers must fit in [T]");

static uint64_t rb_slot_index(const struct rb_stream *stream, uint64_t pos)
{
	return (pos & stream->buf_mask) >> stream->subbuf_shift;
}

static uint64_t rb_tag(uint64_t pos_or_seq_shifted)
{
	return (pos_or_seq_shifted + 1) << RB_PAGE_BITS;
}

/* The page [T] names, checked against the mapping (a corrupted [T] stays inside it). */
static uint64_t rb_page_of(const struct rb_stream *stream, uint64_t slot, uint64_t t)
{
	uint64_t page = (t & RB_PAGE_MASK) ^ slot;

	return page <= stream->attr.num_subbuf ? page : slot;
}

/* Tags compare modulo 2^RB_TAG_BITS: > 0 when a is newer than b. */
static int64_t rb_tag_diff(uint64_t a, uint64_t b)
{
	return (int64_t)(a - b) >> RB_PAGE_BITS;
}

uint8_t *rb_ow_packet(struct rb_stream *stream, uint64_t pos)
{
	uint64_t slot = rb_slot_index(stream, pos);
	uint64_t *t = &stream->ctl->subbuf[slot].page;
	uint64_t want = rb_tag(pos >> stream->subbuf_shift);
	/* O1: acquire, so a page the consumer gave back is seen with its reads done. */
	uint64_t cur = __atomic_load_n(t, __ATOMIC_ACQUIRE);

	/*
	 * O1: move the tag to our packet, keeping the page. Once the tag is
	 * ours the consumer's exchange (which expects the previous packet's
	 * tag) fails, so the page is ours until our packet is delivered.
	 */
	while ((cur & ~RB_PAGE_MASK) != want &&
	       !__atomic_compare_exchange_n(t, &cur, want | (cur & RB_PAGE_MASK), false,
	                                    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		;
	return stream->data + (rb_page_of(stream, slot, cur) << stream->subbuf_shift);
}

bool rb_ow_slot_reusable(const struct rb_stream *stream, uint64_t begin)
{
	uint64_t seq = begin >> stream->subbuf_shift;
	uint64_t n = stream->attr.num_subbuf;

	if (seq < n)
		return true; /* first lap: the slot never held a packet */
	/* O2, M3: acquire, packet_end of the previous packet is done with the page. */
	return __atomic_load_n(&stream->ctl->subbuf[rb_slot_index(stream, begin)].delivered_seq,
	                       __ATOMIC_ACQUIRE) == seq - n + 1;
}

/* O4: packets whose slot a later packet has certainly been opened in are gone. */
static void rb_ow_skip_lapped(struct rb_stream *stream)
{
	uint64_t pos = stream->consumer_pos;
	uint64_t buf_size = stream->buf_mask + 1;
	uint64_t current =
	    __atomic_load_n(&stream->ctl->write_pos, __ATOMIC_ACQUIRE) & ~stream->offset_mask;

	if (pos + buf_size < current)
		stream->consumer_pos = current - buf_size;
}

int rb_ow_take(struct rb_stream *stream, uint64_t pos, struct rb_subbuf *ret_subbuf,
               uint64_t *ret_page)
{
	uint64_t seq = pos >> stream->subbuf_shift;
	uint64_t slot = rb_slot_index(stream, pos);
	struct rb_shm_subbuf *sb = &stream->ctl->subbuf[slot];
	uint64_t want = rb_tag(seq), t, content_size;
	int64_t diff;

	t = __atomic_load_n(&sb->page, __ATOMIC_ACQUIRE);
	diff = rb_tag_diff(t & ~RB_PAGE_MASK, want);
	if (diff < 0)
		return -EAGAIN; /* not opened yet */
	if (diff > 0)
		return -ESTALE; /* O4: a later packet claimed the slot */
	/* M3: acquire, pairs with the deliverer's release (I6). */
	if (__atomic_load_n(&sb->delivered_seq, __ATOMIC_ACQUIRE) != seq + 1)
		return -EAGAIN;
	/* O3: read before the exchange; only a later packet's closer rewrites it. */
	content_size = __atomic_load_n(&sb->content_size, __ATOMIC_RELAXED);
	if (content_size > stream->subbuf_size)
		content_size = stream->subbuf_size;
	/* O3: the page becomes ours, the spare takes its place in the slot. */
	if (!__atomic_compare_exchange_n(&sb->page, &t, want | (stream->spare_page ^ slot), false,
	                                 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		return -ESTALE; /* the tag moved on: a producer claimed the slot */
	*ret_page = rb_page_of(stream, slot, t);
	*ret_subbuf = (struct rb_subbuf){
	    .pos = pos,
	    .data = stream->data + (*ret_page << stream->subbuf_shift),
	    .content_size = content_size,
	    .seq_num = seq,
	};
	return 0;
}

bool rb_ow_give_back(struct rb_stream *stream, uint64_t pos, uint64_t page)
{
	uint64_t slot = rb_slot_index(stream, pos);
	uint64_t tag = rb_tag(pos >> stream->subbuf_shift);
	uint64_t expected = tag | (stream->spare_page ^ slot);

	/* S2: release, our reads of the page come before any later claim of it (O1 acquire). */
	if (__atomic_compare_exchange_n(&stream->ctl->subbuf[slot].page, &expected,
	                                tag | (page ^ slot), false, __ATOMIC_ACQ_REL,
	                                __ATOMIC_ACQUIRE))
		return true;
	/* S3: a producer took the spare for a later packet; the page read replaces it. */
	stream->spare_page = page;
	return false;
}

int rb_ow_consumer_get_subbuf(struct rb_stream *stream, struct rb_subbuf *ret_subbuf)
{
	if (stream->ow_held) {
		*ret_subbuf = stream->ow_held_subbuf; /* got and not put back yet */
		return 0;
	}
	rb_ow_skip_lapped(stream);
	for (;;) {
		int r = rb_ow_take(stream, stream->consumer_pos, &stream->ow_held_subbuf,
		                   &stream->ow_held_page);

		if (r == 0) {
			stream->ow_held = true;
			*ret_subbuf = stream->ow_held_subbuf;
			return 0;
		}
		if (r == -EAGAIN)
			return r;
		/* O4: overwritten before we got it; the consumer sees the seq_num gap. */
		stream->consumer_pos += stream->subbuf_size;
	}
}

void rb_ow_consumer_put_subbuf(struct rb_stream *stream, const struct rb_subbuf *subbuf)
{
	if (!stream->ow_held || subbuf->pos != stream->ow_held_subbuf.pos)
		return; /* not the packet get handed out (double put) */
	/* O5: the page read becomes the spare, given to a slot by the next get. */
	stream->spare_page = stream->ow_held_page;
	stream->ow_held = false;
	stream->consumer_pos = subbuf->pos + stream->subbuf_size;
	/* M4: a statistic for producers in this mode (O2 does not read [R]). */
	__atomic_store_n(&stream->ctl->consumed_pos, stream->consumer_pos, __ATOMIC_RELEASE);
}

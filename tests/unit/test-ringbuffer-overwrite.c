/* SPDX-License-Identifier: MIT */
/*
 * Overwrite (flight recorder) mode, single-threaded: producers lap the
 * consumer without ever waiting, the consumer gets the most recent packets
 * with exact contents and sees the lost ones as seq_num gaps, a packet the
 * consumer holds is never written while the producers lap it, and a packet
 * still being committed is never overwritten (the record is discarded).
 */

#include "test-ringbuffer-client.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#define S4K     4096u
#define NSUB    4u
#define PAYLOAD 100u

static void ow_open(struct tc_fixture *f)
{
	struct rb_stream_attr attr;

	tc_attr_init(&attr, S4K, NSUB, 64);
	attr.overwrite = 1;
	tc_fixture_open_attr(f, &attr);
}

static void payload_of(uint8_t *buf, uint64_t index)
{
	memcpy(buf, &index, sizeof(index));
	for (uint32_t i = sizeof(index); i < PAYLOAD; i++)
		buf[i] = (uint8_t)(index * 29 + i);
}

static int emit(struct rb_stream *stream, uint64_t index)
{
	uint8_t payload[PAYLOAD];
	struct rb_reserve_ctx ctx;
	int r = rb_reserve(stream, PAYLOAD, false, &ctx);

	if (r < 0)
		return r;
	payload_of(payload, index);
	tc_record_write(&ctx, payload);
	rb_commit(&ctx);
	return 0;
}

/* Checks every record of a packet is intact and in sequence; returns the next index. */
static uint64_t check_packet(const struct rb_subbuf *sb, uint64_t first_index)
{
	uint8_t expected[PAYLOAD];
	struct tc_packet_header h;
	struct tc_record rec;
	uint64_t offset = TC_HEADER_SIZE, index = UINT64_MAX;
	int r;

	tc_packet_header_read(sb, &h);
	assert_int_equal(h.magic, TC_PACKET_MAGIC);
	assert_int_equal(h.seq_num, sb->seq_num);
	assert_int_equal(h.content_size, sb->content_size);
	while ((r = tc_record_next(sb, &offset, &rec)) == 1) {
		assert_int_equal(rec.payload_len, PAYLOAD);
		if (index == UINT64_MAX) {
			memcpy(&index, rec.payload, sizeof(index));
			if (first_index != UINT64_MAX)
				assert_int_equal(index, first_index);
		}
		payload_of(expected, index);
		assert_memory_equal(rec.payload, expected, PAYLOAD);
		index++;
	}
	assert_int_equal(r, 0);
	return index;
}

static uint64_t records_per_packet(void)
{
	/* The first record of a packet has the long header. */
	return 1 + (S4K - TC_HEADER_SIZE - TC_REC_LONG - PAYLOAD) / (TC_REC_SHORT + PAYLOAD);
}

static void test_laps_keep_the_most_recent_packets(void **state)
{
	const uint64_t emitted = records_per_packet() * NSUB * 3 + 7;
	struct tc_fixture f;
	struct rb_subbuf sb;
	uint64_t seq, next = UINT64_MAX, packets = 0, first_seq;

	ow_open(&f);
	for (uint64_t i = 0; i < emitted; i++)
		assert_int_equal(emit(f.prod, i), 0); /* never waits, never discards */
	assert_int_equal(rb_stream_events_discarded(f.cons), 0);
	rb_stream_flush(f.cons);

	assert_int_equal(rb_consumer_get_subbuf(f.cons, &sb), 0);
	first_seq = seq = sb.seq_num;
	/* 13 packets were written; only the last NSUB are still in the ring. */
	assert_int_equal(first_seq, emitted / records_per_packet() + 1 - NSUB);
	do {
		assert_int_equal(sb.seq_num, seq++);
		next = check_packet(&sb, next);
		rb_consumer_put_subbuf(f.cons, &sb);
		packets++;
	} while (rb_consumer_get_subbuf(f.cons, &sb) == 0);
	assert_int_equal(packets, NSUB);
	assert_int_equal(next, emitted); /* the newest record is the last one read */
	tc_fixture_close(&f);
}

static void test_held_packet_is_never_overwritten(void **state)
{
	const uint64_t per_lap = records_per_packet() * NSUB;
	struct tc_fixture f;
	struct rb_subbuf held, again, sb;
	uint8_t copy[S4K];
	uint64_t i = 0, seq;

	ow_open(&f);
	for (; i < per_lap; i++)
		assert_int_equal(emit(f.prod, i), 0);
	assert_int_equal(rb_consumer_get_subbuf(f.cons, &held), 0);
	assert_int_equal(held.seq_num, 0);
	memcpy(copy, held.data, held.content_size);
	/* A second get without put is the same packet (a data-pending peek). */
	assert_int_equal(rb_consumer_get_subbuf(f.cons, &again), 0);
	assert_memory_equal(&again, &held, sizeof(held));

	/* Three laps while the consumer holds packet 0. */
	for (; i < 4 * per_lap; i++)
		assert_int_equal(emit(f.prod, i), 0);
	assert_memory_equal(held.data, copy, held.content_size);
	assert_int_equal(check_packet(&held, 0), records_per_packet());
	rb_consumer_put_subbuf(f.cons, &held);

	/* What follows is the most recent lap (minus the packet still open), intact. */
	assert_int_equal(rb_consumer_get_subbuf(f.cons, &sb), 0);
	assert_true(sb.seq_num > 4);
	seq = sb.seq_num;
	do {
		assert_int_equal(sb.seq_num, seq++);
		check_packet(&sb, UINT64_MAX);
		rb_consumer_put_subbuf(f.cons, &sb);
	} while (rb_consumer_get_subbuf(f.cons, &sb) == 0);
	assert_int_equal(seq, 4 * NSUB - 1);
	tc_fixture_close(&f);
}

static void test_uncommitted_packet_is_not_overwritten(void **state)
{
	struct tc_fixture f;
	struct rb_reserve_ctx pending;
	struct rb_subbuf sb;
	uint64_t i = 1, discarded = 0;

	ow_open(&f);
	/* Record 0 stays reserved, not committed: packet 0 is never delivered. */
	assert_int_equal(rb_reserve(f.prod, PAYLOAD, false, &pending), 0);
	for (; i < records_per_packet() * NSUB * 2; i++)
		if (emit(f.prod, i) == -ENOBUFS)
			discarded++;
	/* Every record that would open packet NSUB (slot 0 again) was discarded. */
	assert_true(discarded > 0);
	assert_int_equal(rb_stream_events_discarded(f.cons), discarded);
	assert_int_equal(rb_consumer_get_subbuf(f.cons, &sb), -EAGAIN);

	tc_record_write(&pending, (uint8_t[PAYLOAD]){0});
	rb_commit(&pending);
	assert_int_equal(rb_consumer_get_subbuf(f.cons, &sb), 0);
	assert_int_equal(sb.seq_num, 0);
	rb_consumer_put_subbuf(f.cons, &sb);
	/* Room again: the producer opens packet NSUB in slot 0. */
	assert_int_equal(emit(f.prod, i), 0);
	tc_fixture_close(&f);
}

/*
 * I9 in overwrite mode: the header-only packet laps the oldest unread packet
 * like any new packet, and is refused (-EAGAIN, nothing changed) while the
 * slot's previous packet has commits pending (O2).
 */
static void test_flush_empty_laps(void **state)
{
	struct tc_packet_header h;
	struct rb_reserve_ctx pending;
	struct tc_fixture f;
	struct rb_subbuf sb;
	uint64_t next = 0, calls;

	ow_open(&f);
	/* Record 0 of packet 0 stays uncommitted; packets 1..NSUB-1 header-only. */
	assert_int_equal(rb_reserve(f.prod, PAYLOAD, false, &pending), 0);
	for (uint32_t p = 0; p < NSUB; p++)
		assert_int_equal(rb_stream_flush_empty(f.cons), 0);
	calls = tc_packet_end_calls();
	assert_int_equal(rb_stream_flush_empty(f.cons), -EAGAIN);
	assert_int_equal(f.prod->ctl->write_pos, NSUB * S4K);
	assert_int_equal(tc_packet_end_calls(), calls);

	tc_record_write(&pending, (uint8_t[PAYLOAD]){0});
	rb_commit(&pending);
	/* Packet 0 delivered, unread: the next empty packet (NSUB) takes its slot. */
	assert_int_equal(rb_stream_flush_empty(f.cons), 0);
	assert_int_equal(rb_stream_flush_empty(f.cons), 0);
	for (uint64_t seq = 2; seq < NSUB + 2; seq++) {
		assert_int_equal(rb_consumer_get_subbuf(f.cons, &sb), 0);
		assert_int_equal(sb.seq_num, seq); /* 0 and 1 lost */
		assert_int_equal(sb.content_size, TC_HEADER_SIZE);
		tc_packet_header_read(&sb, &h);
		assert_int_equal(h.seq_num, seq);
		assert_int_equal(h.ts_begin, h.ts_end);
		rb_consumer_put_subbuf(f.cons, &sb);
	}
	assert_int_equal(rb_consumer_get_subbuf(f.cons, &sb), -EAGAIN);

	/* Records after it are intact and open the next packet. */
	for (uint64_t i = 0; i < 3; i++)
		assert_int_equal(emit(f.prod, i), 0);
	assert_int_equal(rb_stream_flush_empty(f.cons), 0);
	assert_int_equal(rb_consumer_get_subbuf(f.cons, &sb), 0);
	assert_int_equal(sb.seq_num, NSUB + 2);
	next = check_packet(&sb, 0);
	assert_int_equal(next, 3);
	rb_consumer_put_subbuf(f.cons, &sb);
	tc_fixture_close(&f);
}

static void test_bad_mode_is_refused(void **state)
{
	struct rb_stream_attr attr;
	int shm_fd, wakeup_fd;

	tc_attr_init(&attr, S4K, NSUB, 64);
	attr.overwrite = 2;
	assert_int_equal(rb_stream_create(&attr, &shm_fd, &wakeup_fd), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_laps_keep_the_most_recent_packets),
	    cmocka_unit_test(test_held_packet_is_never_overwritten),
	    cmocka_unit_test(test_uncommitted_packet_is_not_overwritten),
	    cmocka_unit_test(test_flush_empty_laps),
	    cmocka_unit_test(test_bad_mode_is_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: MIT */
/*
 * Clear (src/ringbuffer/clear.c): after rb_stream_clear() a snapshot holds
 * only records emitted after it, sequence numbers go on, discarded counts
 * are kept, a discard-mode stream that was full takes records again; and,
 * with two producer threads writing all along while the consumer clears and
 * snapshots over and over, every packet read is intact, holds only records
 * committed after the clear began, and producers keep recording.
 */

#include "test-ringbuffer-client.h"

#include <errno.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#define S4K     4096u
#define NSUB    4u
#define PAYLOAD TC_SEQ_PAYLOAD
#define THREADS TC_SEQ_THREADS

struct snap_result {
	uint64_t packets, records, skipped;
	uint64_t first_seq;
	uint64_t first[THREADS]; /* first index of each thread, UINT64_MAX: none */
	uint64_t next[THREADS];  /* last index of each thread + 1 */
};

/*
 * One snapshot (the caller flushed), every packet checked: intact records,
 * each thread's indexes increasing and at least floor[thread].
 */
static void snapshot(struct rb_stream *stream, const uint64_t floor[THREADS],
                     struct snap_result *res)
{
	uint64_t begin, end;
	struct rb_subbuf sb;

	*res = (struct snap_result){.first_seq = UINT64_MAX};
	for (uint32_t t = 0; t < THREADS; t++) {
		res->first[t] = UINT64_MAX;
		res->next[t] = floor[t];
	}
	rb_snapshot_range(stream, UINT64_MAX, &begin, &end);
	for (uint64_t pos = begin; pos < end; pos += S4K) {
		uint8_t expected[PAYLOAD];
		struct tc_packet_header ph;
		struct tc_record rec;
		uint64_t offset = TC_HEADER_SIZE;
		int r = rb_snapshot_get(stream, pos, &sb);

		if (r == -EAGAIN || r == -ESTALE) {
			res->skipped++;
			continue;
		}
		assert_int_equal(r, 0);
		tc_packet_header_read(&sb, &ph);
		assert_int_equal(ph.magic, TC_PACKET_MAGIC);
		assert_int_equal(ph.seq_num, sb.seq_num);
		if (res->first_seq == UINT64_MAX)
			res->first_seq = sb.seq_num;
		while ((r = tc_record_next(&sb, &offset, &rec)) == 1) {
			struct tc_seq_head h;

			assert_int_equal(rec.payload_len, PAYLOAD);
			memcpy(&h, rec.payload, sizeof(h));
			assert_true(h.thread < THREADS);
			/* Nothing committed before the clear, and in order. */
			assert_true(h.index >= res->next[h.thread]);
			tc_seq_payload(expected, h.thread, h.index);
			assert_memory_equal(rec.payload, expected, PAYLOAD);
			if (res->first[h.thread] == UINT64_MAX)
				res->first[h.thread] = h.index;
			res->next[h.thread] = h.index + 1;
			res->records++;
		}
		assert_int_equal(r, 0);
		rb_snapshot_put(stream, &sb);
		res->packets++;
	}
}

static void clear_keeps_only_later_records(uint32_t overwrite)
{
	const uint64_t zero[THREADS] = {0}, emitted = tc_seq_records_per_packet(S4K) * 2 + 5;
	uint64_t i = 0, begin, end, discarded;
	struct snap_result a;
	struct tc_fixture f;

	tc_seq_open(&f, S4K, NSUB, overwrite);
	for (; i < emitted; i++)
		assert_int_equal(tc_seq_emit(f.prod, 0, i), 0);
	discarded = rb_stream_events_discarded(f.cons);
	assert_int_equal(rb_stream_clear(f.cons), 0);
	/* The current packet was closed and is gone with the others. */
	rb_snapshot_range(f.cons, UINT64_MAX, &begin, &end);
	assert_int_equal(begin, end);
	assert_int_equal(end, 3 * S4K);
	assert_int_equal(rb_stream_events_discarded(f.cons), discarded);
	assert_int_equal(rb_stream_clear(f.cons), 0); /* twice: nothing more to do */

	for (uint64_t k = 0; k < 7; k++, i++)
		assert_int_equal(tc_seq_emit(f.prod, 0, i), 0);
	rb_stream_flush(f.cons);
	snapshot(f.cons, zero, &a);
	assert_int_equal(a.packets, 1);
	assert_int_equal(a.records, 7);
	assert_int_equal(a.first[0], emitted);
	assert_int_equal(a.next[0], emitted + 7);
	assert_int_equal(a.first_seq, 3); /* sequence numbers go on */
	tc_fixture_close(&f);
}

static void test_overwrite_clear_keeps_only_later_records(void **state)
{
	clear_keeps_only_later_records(1);
}

static void test_discard_clear_keeps_only_later_records(void **state)
{
	clear_keeps_only_later_records(0);
}

static void test_full_discard_stream_takes_records_after_clear(void **state)
{
	const uint64_t per_lap = tc_seq_records_per_packet(S4K) * NSUB, zero[THREADS] = {0};
	uint64_t i = 0, discarded = 0;
	struct snap_result a;
	struct tc_fixture f;
	struct rb_subbuf sb;

	tc_seq_open(&f, S4K, NSUB, 0);
	for (; i < per_lap + 10; i++)
		if (tc_seq_emit(f.prod, 0, i) == -ENOBUFS)
			discarded++;
	assert_int_equal(discarded, 10);
	assert_int_equal(rb_stream_clear(f.cons), 0);
	/* A whole ring again, no discard. */
	for (uint64_t k = 0; k < per_lap; k++, i++)
		assert_int_equal(tc_seq_emit(f.prod, 0, i), 0);
	assert_int_equal(tc_seq_emit(f.prod, 0, i++), -ENOBUFS);
	assert_int_equal(rb_stream_events_discarded(f.cons), 11);
	rb_stream_flush(f.cons);
	snapshot(f.cons, zero, &a);
	assert_int_equal(a.packets, NSUB);
	assert_int_equal(a.records, per_lap);
	assert_int_equal(a.first[0], per_lap + 10);
	/* A packet held by a snapshot read: no clear meanwhile. */
	assert_int_equal(rb_snapshot_get(f.cons, NSUB * S4K, &sb), 0);
	assert_int_equal(rb_stream_clear(f.cons), -EBUSY);
	assert_true(rb_snapshot_put(f.cons, &sb));
	assert_int_equal(rb_stream_clear(f.cons), 0);
	assert_int_equal(tc_seq_emit(f.prod, 0, i), 0);
	tc_fixture_close(&f);
}

/* --- concurrent: THREADS producers write while the consumer clears and reads --- */

static void clears_while_producers_write(uint32_t overwrite)
{
	struct tc_seq_producers sh;
	struct snap_result res;
	struct tc_fixture f;
	uint64_t deadline = tc_now_ns() + 20000000000u, clears = 0, with_records = 0, records = 0;
	uint64_t floor[THREADS], discarded = 0, i;

	tc_seq_open(&f, S4K, NSUB, overwrite);
	tc_seq_producers_start(&sh, f.prod);
	while (clears < 50 || with_records < 20) {
		assert_true(tc_now_ns() < deadline);
		/* Every record committed before the clear begins must be gone after it. */
		for (uint32_t t = 0; t < THREADS; t++)
			floor[t] = __atomic_load_n(&sh.committed[t], __ATOMIC_ACQUIRE);
		assert_int_equal(rb_stream_clear(f.cons), 0);
		clears++;
		/* Let the producers write a little, then read. */
		for (int k = 0; k < 3; k++)
			sched_yield();
		rb_stream_flush(f.cons);
		snapshot(f.cons, floor, &res);
		records += res.records;
		if (res.records)
			with_records++;
	}
	tc_seq_producers_stop(&sh);

	/* Quiet: a clear empties the stream and keeps the discarded count. */
	for (uint32_t t = 0; t < THREADS; t++)
		discarded += sh.discarded[t];
	assert_int_equal(rb_stream_events_discarded(f.cons), discarded);
	assert_int_equal(rb_stream_clear(f.cons), 0);
	assert_int_equal(rb_stream_events_discarded(f.cons), discarded);
	for (uint32_t t = 0; t < THREADS; t++)
		floor[t] = sh.committed[t];
	rb_stream_flush(f.cons);
	snapshot(f.cons, floor, &res);
	assert_int_equal(res.records, 0);
	assert_int_equal(res.skipped, 0);
	/* Then exactly what comes next. */
	i = sh.committed[0];
	for (uint64_t k = 0; k < 5; k++)
		assert_int_equal(tc_seq_emit(f.prod, 0, i + k), 0);
	rb_stream_flush(f.cons);
	snapshot(f.cons, floor, &res);
	assert_int_equal(res.records, 5);
	assert_int_equal(res.first[0], i);
	assert_int_equal(res.first[1], UINT64_MAX);
	print_message("%s: %lu clears, %lu snapshots with records, %lu records read, %lu "
	              "discarded\n",
	              overwrite ? "overwrite" : "discard", (unsigned long)clears,
	              (unsigned long)with_records, (unsigned long)records,
	              (unsigned long)discarded);
	tc_fixture_close(&f);
}

static void test_overwrite_clears_while_producers_write(void **state)
{
	clears_while_producers_write(1);
}

static void test_discard_clears_while_producers_write(void **state)
{
	clears_while_producers_write(0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_overwrite_clear_keeps_only_later_records),
	    cmocka_unit_test(test_discard_clear_keeps_only_later_records),
	    cmocka_unit_test(test_full_discard_stream_takes_records_after_clear),
	    cmocka_unit_test(test_overwrite_clears_while_producers_write),
	    cmocka_unit_test(test_discard_clears_while_producers_write),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: MIT */
/*
 * Snapshot reads (src/ringbuffer/snapshot.c): the most recent packets come
 * back intact and in order, a snapshot consumes nothing (a second one sees
 * the same packets), the packet a snapshot holds is never written while
 * producers lap it, discard-mode streams keep their oldest packets, and,
 * with two producer threads lapping the ring while a snapshot thread reads
 * it over and over, every packet read is intact with per-producer sequence
 * numbers increasing along each snapshot, and producers never discard
 * because of a snapshot.
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
#define PAYLOAD TC_SEQ_PAYLOAD
#define THREADS TC_SEQ_THREADS

/*
 * Checks one packet: header, every record intact, each thread's indexes
 * above next[thread] (then updated). Returns the number of records.
 */
static uint64_t check_packet(const struct rb_subbuf *sb, uint64_t next[THREADS])
{
	uint8_t expected[PAYLOAD];
	struct tc_packet_header ph;
	struct tc_record rec;
	struct tc_seq_head h;
	uint64_t offset = TC_HEADER_SIZE, n = 0;
	int r;

	tc_packet_header_read(sb, &ph);
	assert_int_equal(ph.magic, TC_PACKET_MAGIC);
	assert_int_equal(ph.begin_count, 1);
	assert_int_equal(ph.seq_num, sb->seq_num);
	assert_int_equal(ph.content_size, sb->content_size);
	while ((r = tc_record_next(sb, &offset, &rec)) == 1) {
		assert_int_equal(rec.payload_len, PAYLOAD);
		memcpy(&h, rec.payload, sizeof(h));
		assert_true(h.thread < THREADS);
		assert_true(h.index >= next[h.thread]);
		tc_seq_payload(expected, h.thread, h.index);
		assert_memory_equal(rec.payload, expected, PAYLOAD);
		next[h.thread] = h.index + 1;
		n++;
	}
	assert_int_equal(r, 0);
	return n;
}

struct snap_result {
	uint64_t packets, records, skipped, given_back, kept;
	uint64_t first_seq, last_index; /* last record's index (thread 0 tests) */
};

/* One snapshot of at most max_packets packets, checked; the caller flushed. */
static void snapshot(struct rb_stream *stream, uint64_t max_packets, struct snap_result *res)
{
	uint64_t next[THREADS] = {0}, begin, end, seq = UINT64_MAX;
	struct rb_subbuf sb;

	*res = (struct snap_result){.first_seq = UINT64_MAX};
	rb_snapshot_range(stream, max_packets, &begin, &end);
	for (uint64_t pos = begin; pos < end; pos += S4K) {
		int r = rb_snapshot_get(stream, pos, &sb);

		if (r == -EAGAIN || r == -ESTALE) {
			res->skipped++;
			continue;
		}
		assert_int_equal(r, 0);
		assert_int_equal(sb.pos, pos);
		assert_true(seq == UINT64_MAX || sb.seq_num > seq);
		seq = sb.seq_num;
		if (res->first_seq == UINT64_MAX)
			res->first_seq = seq;
		res->records += check_packet(&sb, next);
		res->packets++;
		if (rb_snapshot_put(stream, &sb))
			res->given_back++;
		else
			res->kept++;
	}
	res->last_index = next[0] - 1;
}

static void test_overwrite_snapshot_reads_newest_and_consumes_nothing(void **state)
{
	const uint64_t emitted = tc_seq_records_per_packet(S4K) * NSUB * 3 + 7;
	struct snap_result a, b, c;
	struct tc_fixture f;
	struct rb_subbuf sb;

	tc_seq_open(&f, S4K, NSUB, 1);
	for (uint64_t i = 0; i < emitted; i++)
		assert_int_equal(tc_seq_emit(f.prod, 0, i), 0);
	rb_stream_flush(f.cons);

	snapshot(f.cons, UINT64_MAX, &a);
	assert_int_equal(a.packets, NSUB);
	assert_int_equal(a.skipped, 0);
	assert_int_equal(a.given_back, NSUB);
	assert_int_equal(a.first_seq, emitted / tc_seq_records_per_packet(S4K) + 1 - NSUB);
	assert_int_equal(a.last_index, emitted - 1);
	assert_int_equal(a.records, tc_seq_records_per_packet(S4K) * (NSUB - 1) + 7);

	/* Nothing was consumed: the same packets again. */
	snapshot(f.cons, UINT64_MAX, &b);
	assert_memory_equal(&a, &b, sizeof(a));

	/* Size limit: the newest two only. */
	snapshot(f.cons, 2, &c);
	assert_int_equal(c.packets, 2);
	assert_int_equal(c.first_seq, a.first_seq + NSUB - 2);
	assert_int_equal(c.last_index, emitted - 1);

	/* The draining consumer still gets them all afterwards. */
	assert_int_equal(rb_consumer_get_subbuf(f.cons, &sb), 0);
	assert_int_equal(sb.seq_num, a.first_seq);
	/* It holds a packet, and the spare with it: no snapshot read now. */
	assert_int_equal(rb_snapshot_get(f.cons, sb.pos, &sb), -EBUSY);
	tc_fixture_close(&f);
}

static void test_held_snapshot_packet_survives_laps(void **state)
{
	const uint64_t per_lap = tc_seq_records_per_packet(S4K) * NSUB;
	uint64_t next[THREADS] = {0}, begin, end, i = 0;
	struct rb_subbuf held, other;
	struct snap_result a;
	struct tc_fixture f;
	uint8_t copy[S4K];

	tc_seq_open(&f, S4K, NSUB, 1);
	for (; i < per_lap; i++)
		assert_int_equal(tc_seq_emit(f.prod, 0, i), 0);
	rb_stream_flush(f.cons);
	rb_snapshot_range(f.cons, UINT64_MAX, &begin, &end);
	assert_int_equal(begin, 0);
	assert_int_equal(end, NSUB * S4K);
	assert_int_equal(rb_snapshot_get(f.cons, 0, &held), 0);
	assert_int_equal(rb_snapshot_get(f.cons, S4K, &other), -EBUSY); /* S4 */
	memcpy(copy, held.data, held.content_size);

	/* Two laps while the snapshot holds packet 0: never waits, never discards. */
	for (; i < 3 * per_lap; i++)
		assert_int_equal(tc_seq_emit(f.prod, 0, i), 0);
	assert_int_equal(rb_stream_events_discarded(f.cons), 0);
	assert_memory_equal(held.data, copy, held.content_size);
	assert_int_equal(check_packet(&held, next), tc_seq_records_per_packet(S4K));
	/* S3: its slot was claimed meanwhile, the page becomes the spare. */
	assert_false(rb_snapshot_put(f.cons, &held));
	assert_false(rb_snapshot_put(f.cons, &held)); /* double put: nothing */

	/* The ring is consistent: more laps, then a snapshot of the newest packets. */
	for (; i < 5 * per_lap; i++)
		assert_int_equal(tc_seq_emit(f.prod, 0, i), 0);
	rb_stream_flush(f.cons);
	snapshot(f.cons, UINT64_MAX, &a);
	assert_int_equal(a.packets, NSUB);
	assert_int_equal(a.last_index, i - 1);
	assert_int_equal(a.skipped, 0);
	tc_fixture_close(&f);
}

static void test_discard_snapshot_keeps_oldest(void **state)
{
	const uint64_t per_lap = tc_seq_records_per_packet(S4K) * NSUB;
	struct snap_result a, b;
	struct tc_fixture f;
	uint64_t discarded = 0;

	tc_seq_open(&f, S4K, NSUB, 0);
	for (uint64_t i = 0; i < 2 * per_lap; i++)
		if (tc_seq_emit(f.prod, 0, i) == -ENOBUFS)
			discarded++;
	assert_int_equal(discarded, per_lap);
	rb_stream_flush(f.cons); /* closes packet NSUB - 1, full but not switched */
	snapshot(f.cons, UINT64_MAX, &a);
	assert_int_equal(a.packets, NSUB);
	assert_int_equal(a.first_seq, 0);
	assert_int_equal(a.last_index, per_lap - 1);
	/* Nothing released: producers still discard, a second snapshot is the same. */
	assert_int_equal(tc_seq_emit(f.prod, 0, 0), -ENOBUFS);
	snapshot(f.cons, UINT64_MAX, &b);
	assert_memory_equal(&a, &b, sizeof(a));
	snapshot(f.cons, 1, &b);
	assert_int_equal(b.packets, 1);
	assert_int_equal(b.first_seq, NSUB - 1);
	tc_fixture_close(&f);
}

/* --- concurrent: THREADS producers lap the ring while snapshots read it --- */

static void test_snapshots_while_producers_lap(void **state)
{
	struct tc_seq_producers sh;
	struct snap_result res, total = {0};
	struct tc_fixture f;
	uint64_t deadline = tc_now_ns() + 10000000000u, snapshots = 0, newest = 0;
	uint64_t last_seq[2] = {0}, discarded = 0;

	tc_seq_open(&f, S4K, NSUB, 1);
	tc_seq_producers_start(&sh, f.prod);
	/* Until both put outcomes (S2, S3) were seen, at least 200 snapshots. */
	while (snapshots < 200 || total.given_back < 50 || total.kept < 10) {
		assert_true(tc_now_ns() < deadline);
		rb_stream_flush(f.cons);
		snapshot(f.cons, UINT64_MAX, &res);
		total.packets += res.packets;
		total.skipped += res.skipped;
		total.given_back += res.given_back;
		total.kept += res.kept;
		if (res.packets)
			newest = res.first_seq;
		snapshots++;
	}
	tc_seq_producers_stop(&sh);
	assert_true(newest > NSUB);
	assert_true(total.packets > 0);

	/* Quiet now: the last snapshot ends with the last record emitted, twice alike. */
	rb_stream_flush(f.cons);
	for (int k = 0; k < 2; k++) {
		uint64_t next[THREADS] = {0}, begin, end, last_thread = 0, last_index = 0;
		struct rb_subbuf sb;

		rb_snapshot_range(f.cons, UINT64_MAX, &begin, &end);
		assert_int_equal(end - begin, NSUB * S4K);
		for (uint64_t pos = begin; pos < end; pos += S4K) {
			uint64_t before[THREADS];

			assert_int_equal(rb_snapshot_get(f.cons, pos, &sb), 0);
			memcpy(before, next, sizeof(before));
			check_packet(&sb, next);
			for (uint32_t t = 0; t < THREADS; t++)
				if (next[t] != before[t] && next[t] > 0) {
					last_thread = t;
					last_index = next[t] - 1;
				}
			assert_true(rb_snapshot_put(f.cons, &sb)); /* nobody claims: S2 */
			last_seq[k] = sb.seq_num;
		}
		/* The newest record belongs to a thread and is its last one emitted. */
		assert_int_equal(last_index + 1, sh.committed[last_thread]);
	}
	assert_int_equal(last_seq[0], last_seq[1]);
	/* Producers discarded only laps of packets still being committed (O2). */
	for (uint32_t t = 0; t < THREADS; t++)
		discarded += sh.discarded[t];
	assert_int_equal(rb_stream_events_discarded(f.cons), discarded);
	print_message("%lu snapshots, %lu packets read, %lu skipped, %lu given back, %lu kept, "
	              "%lu records discarded\n",
	              (unsigned long)snapshots, (unsigned long)total.packets,
	              (unsigned long)total.skipped, (unsigned long)total.given_back,
	              (unsigned long)total.kept, (unsigned long)discarded);
	tc_fixture_close(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_overwrite_snapshot_reads_newest_and_consumes_nothing),
	    cmocka_unit_test(test_held_snapshot_packet_survives_laps),
	    cmocka_unit_test(test_discard_snapshot_keeps_oldest),
	    cmocka_unit_test(test_snapshots_while_producers_lap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

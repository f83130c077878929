/* SPDX-License-Identifier: MIT */
/*
 * Single-threaded ring buffer tests: layout and wrap-around with exact
 * contents, packet boundaries (switch, exact fill, flush), discard
 * accounting, wakeups, and map validation against corrupted control areas.
 */

#include "test-ringbuffer-client.h"

#include "common/macros.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

#define S4K 4096u

static uint64_t write_pos(const struct tc_fixture *f)
{
	return __atomic_load_n(&f->prod->ctl->write_pos, __ATOMIC_RELAXED);
}

/* Payload of record `index`: the index, then a pattern derived from it. */
static void payload_fill(uint8_t *buf, uint64_t index, uint32_t len)
{
	memcpy(buf, &index, sizeof(index));
	for (uint32_t i = sizeof(index); i < len; i++)
		buf[i] = (uint8_t)(index * 131 + i * 7 + 1);
}

static void payload_check(const struct tc_record *rec, uint64_t index, uint32_t len)
{
	uint8_t expected[S4K];

	assert_int_equal(rec->payload_len, len);
	payload_fill(expected, index, len);
	assert_memory_equal(rec->payload, expected, len);
}

/* Reserves, writes and commits record `index`; returns rb_reserve()'s result. */
static int emit(struct rb_stream *stream, uint64_t index, uint32_t payload_len, bool force_long,
                struct rb_reserve_ctx *ret_ctx)
{
	uint8_t payload[S4K];
	struct rb_reserve_ctx ctx;
	int r;

	assert_true(payload_len <= sizeof(payload));
	r = rb_reserve(stream, payload_len, force_long, &ctx);
	if (r < 0)
		return r;
	payload_fill(payload, index, payload_len);
	tc_record_write(&ctx, payload);
	rb_commit(&ctx);
	if (ret_ctx)
		*ret_ctx = ctx;
	return 0;
}

static void check_packet_header(const struct rb_subbuf *sb, struct tc_packet_header *ret_h)
{
	tc_packet_header_read(sb, ret_h);
	assert_int_equal(ret_h->magic, TC_PACKET_MAGIC);
	assert_int_equal(ret_h->begin_count, 1);
	assert_int_equal(ret_h->seq_num, sb->seq_num);
	assert_int_equal(ret_h->content_size, sb->content_size);
	assert_true(ret_h->ts_begin <= ret_h->ts_end);
}

static void test_create_and_map(void **state)
{
	struct rb_stream_attr attr, bad;
	struct tc_fixture f;
	struct rb_subbuf sb;
	int shm_fd, wakeup_fd;

	tc_fixture_open(&f, S4K, 4, 27);
	tc_attr_init(&attr, S4K, 4, 27);
	assert_memory_equal(rb_stream_get_attr(f.prod), &attr, sizeof(attr));
	assert_true(rb_stream_wakeup_fd(f.prod) >= 0);
	assert_int_not_equal(rb_stream_wakeup_fd(f.prod), f.wakeup_fd);
	assert_false(rb_stream_data_pending(f.cons));
	assert_int_equal(rb_stream_events_discarded(f.cons), 0);
	assert_int_equal(rb_consumer_get_subbuf(f.cons, &sb), -EAGAIN);
	assert_true(fcntl(f.shm_fd, F_GETFD) & FD_CLOEXEC);
	assert_true(fcntl(f.wakeup_fd, F_GETFD) & FD_CLOEXEC);
	assert_true(fcntl(f.wakeup_fd, F_GETFL) & O_NONBLOCK);
	/* The data starts page-aligned, right after the control area. */
	assert_int_equal((uintptr_t)f.prod->data % (uintptr_t)sysconf(_SC_PAGESIZE), 0);
	tc_fixture_close(&f);

	bad = attr, bad.subbuf_size = 6000;
	assert_int_equal(rb_stream_create(&bad, &shm_fd, &wakeup_fd), -EINVAL);
	bad = attr, bad.subbuf_size = 2048;
	assert_int_equal(rb_stream_create(&bad, &shm_fd, &wakeup_fd), -EINVAL);
	bad = attr, bad.num_subbuf = 1;
	assert_int_equal(rb_stream_create(&bad, &shm_fd, &wakeup_fd), -EINVAL);
	bad = attr, bad.num_subbuf = 3;
	assert_int_equal(rb_stream_create(&bad, &shm_fd, &wakeup_fd), -EINVAL);
	bad = attr, bad.header_size = S4K;
	assert_int_equal(rb_stream_create(&bad, &shm_fd, &wakeup_fd), -EINVAL);
	bad = attr, bad.header_size = S4K - TC_REC_LONG;
	assert_int_equal(rb_stream_create(&bad, &shm_fd, &wakeup_fd), -EINVAL);
	bad = attr, bad.record_header_short = 0;
	assert_int_equal(rb_stream_create(&bad, &shm_fd, &wakeup_fd), -EINVAL);
	bad = attr, bad.record_header_short = TC_REC_LONG + 1;
	assert_int_equal(rb_stream_create(&bad, &shm_fd, &wakeup_fd), -EINVAL);
	bad = attr, bad.timestamp_bits = 0;
	assert_int_equal(rb_stream_create(&bad, &shm_fd, &wakeup_fd), -EINVAL);
	bad = attr, bad.timestamp_bits = 65;
	assert_int_equal(rb_stream_create(&bad, &shm_fd, &wakeup_fd), -EINVAL);
}

/*
 * Reference model of the packet layout for one producer: where each record
 * goes, which header form it gets, and each closed packet's content size.
 * With timestamp_bits = 64 the form depends only on force_long and on
 * opening a packet, so the layout is deterministic.
 */
struct layout_model {
	uint64_t subbuf_size;
	uint64_t offset; /* in the current packet, 0 = not opened */
	uint64_t seq;
	uint64_t *content_sizes; /* by seq, for closed packets */
	bool *long_forms;        /* by record index */
};

static void model_close(struct layout_model *m, uint64_t content_size)
{
	m->content_sizes[m->seq++] = content_size;
	m->offset = 0;
}

static uint64_t model_record(struct layout_model *m, uint64_t index, uint32_t payload_len,
                             bool force_long)
{
	bool long_form = force_long;
	uint64_t pos;

	if (m->offset != 0 &&
	    m->offset + TC_REC_SHORT * !force_long + TC_REC_LONG * force_long + payload_len >
	        m->subbuf_size)
		model_close(m, m->offset);
	if (m->offset == 0) {
		m->offset = TC_HEADER_SIZE;
		long_form = true;
	}
	pos = m->seq * m->subbuf_size + m->offset;
	m->offset += (long_form ? TC_REC_LONG : TC_REC_SHORT) + payload_len;
	m->long_forms[index] = long_form;
	if (m->offset == m->subbuf_size)
		model_close(m, m->subbuf_size);
	return pos;
}

struct reader {
	uint64_t next_seq;
	uint64_t next_index;
	uint64_t prev_ts_end;
};

static uint32_t payload_len_of(uint64_t index)
{
	return 8 + (uint32_t)((index * 2654435761u) % 293);
}

/* Reads every delivered packet and checks it against the model. */
static void drain_and_check(struct tc_fixture *f, struct reader *rd, const struct layout_model *m)
{
	struct tc_packet_header h;
	struct tc_record rec;
	struct rb_subbuf sb;
	uint64_t offset;
	int r;

	while (rb_consumer_get_subbuf(f->cons, &sb) == 0) {
		assert_int_equal(sb.seq_num, rd->next_seq);
		assert_int_equal(sb.pos, rd->next_seq * m->subbuf_size);
		assert_true(sb.seq_num < m->seq);
		assert_int_equal(sb.content_size, m->content_sizes[sb.seq_num]);
		check_packet_header(&sb, &h);
		assert_true(h.ts_begin >= rd->prev_ts_end);
		rd->prev_ts_end = h.ts_end;

		offset = TC_HEADER_SIZE;
		while ((r = tc_record_next(&sb, &offset, &rec)) == 1) {
			assert_int_equal(rec.long_header, m->long_forms[rd->next_index]);
			payload_check(&rec, rd->next_index, payload_len_of(rd->next_index));
			rd->next_index++;
		}
		assert_int_equal(r, 0);
		rb_consumer_put_subbuf(f->cons, &sb);
		rd->next_seq++;
	}
}

static void test_wraparound_exact_content(void **state)
{
	const uint64_t records = 20000;
	struct layout_model m = {.subbuf_size = S4K};
	struct rb_reserve_ctx ctx;
	struct reader rd = {0};
	struct tc_fixture f;

	m.content_sizes = calloc(4096, sizeof(*m.content_sizes));
	m.long_forms = calloc(records, sizeof(*m.long_forms));
	assert_non_null(m.content_sizes);
	assert_non_null(m.long_forms);
	tc_fixture_open(&f, S4K, 4, 64);

	for (uint64_t i = 0; i < records; i++) {
		bool force_long = i % 7 == 3;
		uint64_t pos = model_record(&m, i, payload_len_of(i), force_long);

		assert_int_equal(emit(f.prod, i, payload_len_of(i), force_long, &ctx), 0);
		assert_int_equal(ctx.pos, pos);
		assert_int_equal(ctx.long_header, m.long_forms[i]);
		/* Read irregularly so the producer runs ahead by up to 3 packets. */
		if (i % 37 == 0)
			drain_and_check(&f, &rd, &m);
	}
	drain_and_check(&f, &rd, &m);
	assert_true(rb_stream_data_pending(f.cons));
	rb_stream_flush(f.cons);
	if (m.offset > TC_HEADER_SIZE)
		model_close(&m, m.offset);
	drain_and_check(&f, &rd, &m);

	assert_int_equal(rd.next_index, records);
	assert_int_equal(rd.next_seq, m.seq);
	assert_true(m.seq > 100 * 4); /* wrapped around the 4 slots many times */
	assert_false(rb_stream_data_pending(f.cons));
	assert_int_equal(rb_stream_events_discarded(f.cons), 0);
	tc_fixture_close(&f);
	free(m.content_sizes);
	free(m.long_forms);
}

static void test_exact_fill(void **state)
{
	const uint32_t max_payload = S4K - TC_HEADER_SIZE - TC_REC_LONG;
	struct rb_reserve_ctx ctx;
	struct tc_packet_header h;
	struct rb_subbuf sb;
	struct tc_fixture f;

	tc_fixture_open(&f, S4K, 4, 64);

	/* The opening record fills packet 0 exactly: delivered on commit. */
	assert_int_equal(emit(f.prod, 0, max_payload, false, &ctx), 0);
	assert_int_equal(ctx.pos, TC_HEADER_SIZE);
	assert_true(ctx.long_header);
	assert_int_equal(write_pos(&f), S4K);
	assert_int_equal(rb_consumer_get_subbuf(f.cons, &sb), 0);
	assert_int_equal(sb.seq_num, 0);
	assert_int_equal(sb.content_size, S4K);
	check_packet_header(&sb, &h);
	assert_int_equal(h.ts_end, ctx.timestamp);
	rb_consumer_put_subbuf(f.cons, &sb);
	/* Flush at a boundary: nothing to close. */
	rb_stream_flush(f.cons);
	assert_int_equal(write_pos(&f), S4K);
	assert_false(rb_stream_data_pending(f.cons));

	/* A short record fills packet 1 exactly after a long one. */
	assert_int_equal(emit(f.prod, 1, 100, false, &ctx), 0);
	assert_int_equal(ctx.pos, S4K + TC_HEADER_SIZE);
	assert_int_equal(
	    emit(f.prod, 2, S4K - TC_HEADER_SIZE - TC_REC_LONG - 100 - TC_REC_SHORT, false, &ctx),
	    0);
	assert_false(ctx.long_header);
	assert_int_equal(write_pos(&f), 2 * S4K);
	assert_int_equal(rb_consumer_get_subbuf(f.cons, &sb), 0);
	assert_int_equal(sb.seq_num, 1);
	assert_int_equal(sb.content_size, S4K);
	check_packet_header(&sb, &h);
	assert_int_equal(h.ts_end, ctx.timestamp);
	rb_consumer_put_subbuf(f.cons, &sb);

	/* Next record opens packet 2; one byte too many is discarded. */
	assert_int_equal(emit(f.prod, 3, max_payload + 1, false, NULL), -ENOBUFS);
	assert_int_equal(rb_stream_events_discarded(f.prod), 1);
	assert_int_equal(write_pos(&f), 2 * S4K);
	assert_int_equal(emit(f.prod, 4, 8, false, &ctx), 0);
	assert_int_equal(ctx.pos, 2 * S4K + TC_HEADER_SIZE);
	assert_true(tc_packet_end_calls() >= 2);
	tc_fixture_close(&f);
}

/* A packet is delivered only when its last pending commit lands. */
static void test_delivery_waits_for_commits(void **state)
{
	struct rb_reserve_ctx a, b;
	struct tc_packet_header h;
	struct pollfd pfd;
	struct rb_subbuf sb;
	struct tc_fixture f;
	uint8_t payload[64];
	uint64_t calls;

	tc_fixture_open(&f, S4K, 4, 27);
	pfd = (struct pollfd){.fd = rb_stream_wakeup_fd(f.cons), .events = POLLIN};
	payload_fill(payload, 0, sizeof(payload));

	assert_int_equal(rb_reserve(f.prod, 20, false, &a), 0);
	assert_int_equal(rb_reserve(f.prod, 30, false, &b), 0);
	assert_true(a.long_header);
	assert_int_equal(b.pos, a.pos + a.len);
	tc_record_write(&b, payload);
	rb_commit(&b);
	rb_stream_flush(f.cons);
	assert_int_equal(write_pos(&f), S4K);
	assert_int_equal(rb_consumer_get_subbuf(f.cons, &sb), -EAGAIN);
	assert_int_equal(poll(&pfd, 1, 0), 0);
	assert_true(rb_stream_data_pending(f.cons));

	calls = tc_packet_end_calls();
	tc_record_write(&a, payload);
	rb_commit(&a);
	assert_int_equal(tc_packet_end_calls(), calls + 1);
	assert_int_equal(poll(&pfd, 1, 0), 1);
	rb_consumer_clear_wakeup(f.cons);
	assert_int_equal(poll(&pfd, 1, 0), 0);

	assert_int_equal(rb_consumer_get_subbuf(f.cons, &sb), 0);
	assert_int_equal(sb.content_size, TC_HEADER_SIZE + a.len + b.len);
	check_packet_header(&sb, &h);
	assert_int_equal(h.ts_begin, a.timestamp);
	assert_true(h.ts_end >= b.timestamp);
	assert_true(b.timestamp >= a.timestamp);
	/* Getting twice without put returns the same packet; a double put is ignored. */
	assert_int_equal(rb_consumer_get_subbuf(f.cons, &sb), 0);
	assert_int_equal(sb.seq_num, 0);
	rb_consumer_put_subbuf(f.cons, &sb);
	rb_consumer_put_subbuf(f.cons, &sb);
	assert_int_equal(__atomic_load_n(&f.cons->ctl->consumed_pos, __ATOMIC_RELAXED), S4K);
	assert_false(rb_stream_data_pending(f.cons));
	tc_fixture_close(&f);
}

static void test_flush_partial(void **state)
{
	struct rb_reserve_ctx ctx;
	struct tc_packet_header h;
	struct tc_record rec;
	struct rb_subbuf sb;
	struct tc_fixture f;
	uint64_t offset, content = TC_HEADER_SIZE, last_ts = 0;

	tc_fixture_open(&f, S4K, 4, 27);

	/* Nothing to flush in a fresh stream. */
	rb_stream_flush(f.cons);
	assert_int_equal(write_pos(&f), 0);
	assert_false(rb_stream_data_pending(f.cons));

	for (uint64_t i = 0; i < 3; i++) {
		assert_int_equal(emit(f.prod, i, 40 + (uint32_t)i, false, &ctx), 0);
		content += ctx.len;
		last_ts = ctx.timestamp;
	}
	assert_true(rb_stream_data_pending(f.cons));
	assert_int_equal(rb_consumer_get_subbuf(f.cons, &sb), -EAGAIN);
	rb_stream_flush(f.cons);
	assert_int_equal(write_pos(&f), S4K);
	assert_int_equal(rb_consumer_get_subbuf(f.cons, &sb), 0);
	assert_int_equal(sb.seq_num, 0);
	assert_int_equal(sb.content_size, content);
	check_packet_header(&sb, &h);
	assert_true(h.ts_end >= last_ts);
	offset = TC_HEADER_SIZE;
	for (uint64_t i = 0; i < 3; i++) {
		assert_int_equal(tc_record_next(&sb, &offset, &rec), 1);
		payload_check(&rec, i, 40 + (uint32_t)i);
	}
	assert_int_equal(tc_record_next(&sb, &offset, &rec), 0);
	rb_consumer_put_subbuf(f.cons, &sb);

	/* Flushing again does nothing; the next record opens packet 1. */
	rb_stream_flush(f.cons);
	assert_int_equal(write_pos(&f), S4K);
	assert_int_equal(rb_consumer_get_subbuf(f.cons, &sb), -EAGAIN);
	assert_false(rb_stream_data_pending(f.cons));
	assert_int_equal(emit(f.prod, 3, 10, false, &ctx), 0);
	assert_int_equal(ctx.pos, S4K + TC_HEADER_SIZE);
	assert_true(ctx.long_header);
	rb_stream_flush(f.cons);
	assert_int_equal(rb_consumer_get_subbuf(f.cons, &sb), 0);
	assert_int_equal(sb.seq_num, 1);
	check_packet_header(&sb, &h);
	assert_true(h.ts_begin >= last_ts);
	tc_fixture_close(&f);
}

/*
 * I3: a clock reading below [L] (here [L] is set ahead of the clock, as a
 * record stamped by a clock read later on another CPU would leave it) is
 * raised to [L]; every record and the flush then carry [L], and each CAS
 * leaves its own timestamp in [L].
 */
static void test_timestamp_raised_to_last(void **state)
{
	const uint64_t ahead = rt_clock_read() + (1ull << 40);
	struct rb_reserve_ctx ctx;
	struct tc_packet_header h;
	struct tc_record rec;
	struct rb_subbuf sb;
	struct tc_fixture f;
	uint64_t offset = TC_HEADER_SIZE;

	tc_fixture_open(&f, S4K, 4, 27);
	assert_int_equal(emit(f.prod, 0, 20, false, &ctx), 0); /* opens packet 0 */
	assert_true(ctx.timestamp < ahead);
	__atomic_store_n(&f.prod->ctl->last_ts, ahead, __ATOMIC_RELAXED);
	for (uint64_t i = 1; i < 4; i++) {
		assert_int_equal(emit(f.prod, i, 20, false, &ctx), 0);
		assert_int_equal(ctx.timestamp, ahead);
		/* Same high bits as [L]: the short form (the first one reads [L] exactly). */
		assert_false(ctx.long_header);
		assert_int_equal(__atomic_load_n(&f.prod->ctl->last_ts, __ATOMIC_RELAXED), ahead);
	}
	rb_stream_flush(f.cons);
	assert_int_equal(rb_consumer_get_subbuf(f.cons, &sb), 0);
	check_packet_header(&sb, &h);
	assert_int_equal(h.ts_end, ahead);
	assert_int_equal(tc_record_next(&sb, &offset, &rec), 1);
	assert_true(rec.ts < ahead);
	for (uint64_t i = 1; i < 4; i++)
		assert_int_equal(tc_record_next(&sb, &offset, &rec), 1);
	assert_int_equal(tc_record_next(&sb, &offset, &rec), 0);
	rb_consumer_put_subbuf(f.cons, &sb);

	/* The next packet begins at [L] too, and the clock takes over once past it. */
	assert_int_equal(emit(f.prod, 4, 20, false, &ctx), 0);
	assert_int_equal(ctx.timestamp, ahead);
	assert_true(ctx.long_header);
	__atomic_store_n(&f.prod->ctl->last_ts, 1, __ATOMIC_RELAXED);
	assert_int_equal(emit(f.prod, 5, 20, false, &ctx), 0);
	assert_true(ctx.timestamp > 1 && ctx.timestamp < ahead);
	assert_int_equal(__atomic_load_n(&f.prod->ctl->last_ts, __ATOMIC_RELAXED), ctx.timestamp);
	tc_fixture_close(&f);
}

/* Flush does not need the next slot; the next reservation then discards. */
static void test_flush_next_slot_busy(void **state)
{
	struct rb_reserve_ctx ctx;
	struct rb_subbuf sb;
	struct tc_fixture f;
	uint64_t i = 0;

	tc_fixture_open(&f, S4K, 2, 27);
	/* Fill packet 0 until a record switches to packet 1. */
	do
		assert_int_equal(emit(f.prod, i++, 200, false, &ctx), 0);
	while (ctx.pos < S4K);
	assert_true(tc_packet_end_calls() > 0);
	rb_stream_flush(f.cons); /* closes packet 1; slot 0 still holds packet 0 */
	assert_int_equal(write_pos(&f), 2 * S4K);

	assert_int_equal(emit(f.prod, i++, 10, false, &ctx), -ENOBUFS);
	assert_int_equal(write_pos(&f), 2 * S4K);
	assert_int_equal(rb_stream_events_discarded(f.cons), 1);

	assert_int_equal(rb_consumer_get_subbuf(f.cons, &sb), 0);
	assert_int_equal(sb.seq_num, 0);
	rb_consumer_put_subbuf(f.cons, &sb);
	assert_int_equal(emit(f.prod, i++, 10, false, &ctx), 0);
	assert_int_equal(ctx.pos, 2 * S4K + TC_HEADER_SIZE);
	tc_fixture_close(&f);
}

/* Reads the next packet: checks its header, returns its record count and discarded count. */
static uint64_t read_packet(struct tc_fixture *f, uint64_t seq, uint64_t *ret_discarded,
                            uint64_t *ret_content_size)
{
	struct tc_packet_header h;
	struct tc_record rec;
	struct rb_subbuf sb;
	uint64_t offset = TC_HEADER_SIZE, records = 0;
	int r;

	assert_int_equal(rb_consumer_get_subbuf(f->cons, &sb), 0);
	assert_int_equal(sb.seq_num, seq);
	check_packet_header(&sb, &h);
	while ((r = tc_record_next(&sb, &offset, &rec)) == 1)
		records++;
	assert_int_equal(r, 0);
	*ret_discarded = h.events_discarded;
	*ret_content_size = sb.content_size;
	rb_consumer_put_subbuf(f->cons, &sb);
	return records;
}

/* I8: discards after the last delivered packet reach a header-only packet. */
static void test_flush_final_carries_discards(void **state)
{
	struct rb_reserve_ctx ctx;
	struct rb_subbuf sb;
	struct tc_fixture f;
	uint64_t i = 0, records = 0, discarded, content_size, calls;

	tc_fixture_open(&f, S4K, 2, 27);
	/* Nothing discarded: nothing to close, even on an empty stream. */
	assert_int_equal(rb_stream_flush_final(f.cons), 0);
	assert_int_equal(write_pos(&f), 0);

	/* Packet 0 full, packet 1 closed by the flush: both delivered, the ring full. */
	do
		assert_int_equal(emit(f.prod, i++, 200, false, &ctx), 0);
	while (ctx.pos < S4K);
	assert_int_equal(rb_stream_flush_final(f.cons), 0);
	assert_int_equal(write_pos(&f), 2 * S4K);
	/* Discards after the last packet was closed. */
	assert_int_equal(emit(f.prod, i, 10, false, NULL), -ENOBUFS);
	assert_int_equal(emit(f.prod, i, 10, false, NULL), -ENOBUFS);
	calls = tc_packet_end_calls();
	assert_int_equal(rb_stream_flush_final(f.cons), -EAGAIN); /* slot 0 holds packet 0 */
	assert_int_equal(write_pos(&f), 2 * S4K);
	assert_int_equal(tc_packet_end_calls(), calls);

	for (uint64_t seq = 0; seq < 2; seq++) {
		records += read_packet(&f, seq, &discarded, &content_size);
		assert_int_equal(discarded, 0);
	}
	assert_int_equal(records, i);
	assert_int_equal(rb_stream_flush_final(f.cons), 0);
	assert_int_equal(write_pos(&f), 3 * S4K);
	assert_int_equal(tc_packet_end_calls(), calls + 1);
	assert_int_equal(read_packet(&f, 2, &discarded, &content_size), 0);
	assert_int_equal(content_size, TC_HEADER_SIZE);
	assert_int_equal(discarded, 2);
	/* Carried: flushing again closes nothing. */
	assert_int_equal(rb_stream_flush_final(f.cons), 0);
	assert_int_equal(write_pos(&f), 3 * S4K);
	assert_int_equal(rb_consumer_get_subbuf(f.cons, &sb), -EAGAIN);

	/* A record after the discard: its packet carries the count, no empty packet follows. */
	assert_int_equal(emit(f.prod, i, S4K, false, NULL), -ENOBUFS); /* too large */
	assert_int_equal(emit(f.prod, i, 10, false, NULL), 0);
	assert_int_equal(rb_stream_flush_final(f.cons), 0);
	assert_int_equal(write_pos(&f), 4 * S4K);
	assert_int_equal(read_packet(&f, 3, &discarded, &content_size), 1);
	assert_int_equal(discarded, 3);
	assert_int_equal(rb_consumer_get_subbuf(f.cons, &sb), -EAGAIN);
	assert_false(rb_stream_data_pending(f.cons));
	tc_fixture_close(&f);
}

/* Reads header-only packet seq; returns its header. */
static void read_empty_packet(struct tc_fixture *f, uint64_t seq, struct tc_packet_header *ret_h)
{
	struct rb_subbuf sb;
	uint64_t offset = TC_HEADER_SIZE;
	struct tc_record rec;

	assert_int_equal(rb_consumer_get_subbuf(f->cons, &sb), 0);
	assert_int_equal(sb.seq_num, seq);
	assert_int_equal(sb.content_size, TC_HEADER_SIZE);
	check_packet_header(&sb, ret_h);
	assert_int_equal(ret_h->ts_begin, ret_h->ts_end);
	assert_int_equal(tc_record_next(&sb, &offset, &rec), 0);
	rb_consumer_put_subbuf(f->cons, &sb);
}

/* I9: rb_stream_flush_empty() closes records, or delivers a header-only packet. */
static void test_flush_empty(void **state)
{
	struct tc_packet_header h, h2;
	struct rb_reserve_ctx ctx;
	struct rb_subbuf sb;
	struct tc_fixture f;
	uint64_t discarded, content_size, calls;

	tc_fixture_open(&f, S4K, 2, 27);
	/* The active flush leaves an idle stream alone. */
	rb_stream_flush(f.cons);
	assert_int_equal(write_pos(&f), 0);
	assert_int_equal(rb_consumer_get_subbuf(f.cons, &sb), -EAGAIN);

	/* Idle stream: packet 0, header only. */
	assert_int_equal(rb_stream_flush_empty(f.cons), 0);
	assert_int_equal(write_pos(&f), S4K);
	assert_true(rb_stream_data_pending(f.cons));
	read_empty_packet(&f, 0, &h);
	assert_false(rb_stream_data_pending(f.cons));

	/* Records: closed like rb_stream_flush(), no empty packet after them. */
	assert_int_equal(emit(f.prod, 0, 100, false, &ctx), 0);
	assert_int_equal(ctx.pos, S4K + TC_HEADER_SIZE);
	assert_true(ctx.long_header); /* opens packet 1 */
	assert_true(ctx.timestamp >= h.ts_end);
	assert_int_equal(emit(f.prod, 1, 100, false, NULL), 0);
	assert_int_equal(rb_stream_flush_empty(f.cons), 0);
	assert_int_equal(write_pos(&f), 2 * S4K);
	assert_int_equal(read_packet(&f, 1, &discarded, &content_size), 2);
	assert_int_equal(rb_consumer_get_subbuf(f.cons, &sb), -EAGAIN);

	/* Back to back: one header-only packet each, in time order. */
	assert_int_equal(rb_stream_flush_empty(f.cons), 0);
	assert_int_equal(rb_stream_flush_empty(f.cons), 0);
	assert_int_equal(write_pos(&f), 4 * S4K);
	read_empty_packet(&f, 2, &h);
	read_empty_packet(&f, 3, &h2);
	assert_true(h2.ts_begin >= h.ts_end);

	/* Ring full (discard mode, I2): -EAGAIN and nothing changes. */
	assert_int_equal(rb_stream_flush_empty(f.cons), 0);
	assert_int_equal(rb_stream_flush_empty(f.cons), 0);
	calls = tc_packet_end_calls();
	assert_int_equal(rb_stream_flush_empty(f.cons), -EAGAIN);
	assert_int_equal(write_pos(&f), 6 * S4K);
	assert_int_equal(tc_packet_end_calls(), calls);
	assert_int_equal(emit(f.prod, 2, 100, false, NULL), -ENOBUFS);
	read_empty_packet(&f, 4, &h);
	/* The discard is carried by the next packet delivered: an empty one. */
	assert_int_equal(rb_stream_flush_empty(f.cons), 0);
	read_empty_packet(&f, 5, &h);
	assert_int_equal(h.events_discarded, 0);
	read_empty_packet(&f, 6, &h);
	assert_int_equal(h.events_discarded, 1);
	assert_int_equal(rb_consumer_get_subbuf(f.cons, &sb), -EAGAIN);
	assert_false(rb_stream_data_pending(f.cons));
	tc_fixture_close(&f);
}

/* A reservation still uncommitted holds the empty packet back until its commit. */
static void test_flush_empty_waits_for_commits(void **state)
{
	struct tc_packet_header h;
	struct rb_reserve_ctx ctx;
	struct rb_subbuf sb;
	struct tc_fixture f;
	uint64_t discarded, content_size;

	tc_fixture_open(&f, S4K, 4, 27);
	assert_int_equal(rb_reserve(f.prod, 100, false, &ctx), 0);
	assert_int_equal(rb_stream_flush_empty(f.cons), 0); /* closes packet 0 */
	assert_int_equal(rb_stream_flush_empty(f.cons), 0); /* header-only packet 1 */
	assert_int_equal(write_pos(&f), 2 * S4K);
	/* Delivered in order: packet 1 is complete but waits for packet 0. */
	assert_int_equal(rb_consumer_get_subbuf(f.cons, &sb), -EAGAIN);
	tc_record_write(&ctx, (uint8_t[100]){0});
	rb_commit(&ctx);
	assert_int_equal(read_packet(&f, 0, &discarded, &content_size), 1);
	read_empty_packet(&f, 1, &h);
	tc_fixture_close(&f);
}

static void test_discard_accounting(void **state)
{
	const uint64_t emitted = 1000;
	struct tc_packet_header h;
	struct tc_record rec;
	struct rb_subbuf sb;
	struct tc_fixture f;
	uint64_t discarded = 0, read = 0, first_discard = UINT64_MAX, offset, w, calls;
	int r;

	tc_fixture_open(&f, S4K, 4, 64);
	calls = tc_packet_end_calls();
	for (uint64_t i = 0; i < emitted; i++) {
		w = write_pos(&f);
		r = emit(f.prod, i, 100, false, NULL);
		if (r == -ENOBUFS) {
			assert_int_equal(write_pos(&f), w);
			if (first_discard == UINT64_MAX)
				first_discard = i;
			discarded++;
		} else {
			assert_int_equal(r, 0);
			assert_true(first_discard == UINT64_MAX); /* no room comes back by itself */
		}
	}
	assert_true(discarded > 0);
	assert_int_equal(rb_stream_events_discarded(f.cons), discarded);
	/* Packets 0..2 are complete; packet 3 is full but not closed. */
	assert_int_equal(tc_packet_end_calls() - calls, 3);
	rb_stream_flush(f.cons);
	assert_int_equal(tc_packet_end_calls() - calls, 4);

	for (uint64_t seq = 0; seq < 4; seq++) {
		assert_int_equal(rb_consumer_get_subbuf(f.cons, &sb), 0);
		assert_int_equal(sb.seq_num, seq);
		check_packet_header(&sb, &h);
		if (seq == 3)
			assert_int_equal(h.events_discarded, discarded);
		offset = TC_HEADER_SIZE;
		while ((r = tc_record_next(&sb, &offset, &rec)) == 1)
			payload_check(&rec, read++, 100);
		assert_int_equal(r, 0);
		rb_consumer_put_subbuf(f.cons, &sb);
	}
	assert_int_equal(rb_consumer_get_subbuf(f.cons, &sb), -EAGAIN);
	assert_int_equal(read, first_discard);
	assert_int_equal(read + discarded, emitted);

	/* Room again: the next packet reports the cumulative count. */
	assert_int_equal(emit(f.prod, emitted, 100, false, NULL), 0);
	rb_stream_flush(f.cons);
	assert_int_equal(rb_consumer_get_subbuf(f.cons, &sb), 0);
	assert_int_equal(sb.seq_num, 4);
	check_packet_header(&sb, &h);
	assert_int_equal(h.events_discarded, discarded);
	tc_fixture_close(&f);
}

/* Writes `len` bytes at `offset` of the memfd (the memfd is not write-sealed). */
static void poke(int fd, const void *buf, size_t len, off_t offset)
{
	assert_int_equal(pwrite(fd, buf, len, offset), (ssize_t)len);
}

static void expect_map_einval(int fd)
{
	struct rb_stream *s = NULL;

	assert_int_equal(rb_stream_map(fd, -1, &tc_ops, &s), -EINVAL);
	assert_null(s);
}

#define CTL_OFF(field) ((off_t)offsetof(struct rb_shm_ctl, field))
#define ATTR_OFF(field)                                                                            \
	((off_t)(offsetof(struct rb_shm_ctl, attr) + offsetof(struct rb_stream_attr, field)))

static void test_map_rejects_corruption(void **state)
{
	struct rb_stream_attr attr;
	struct rb_shm_ctl good;
	struct rb_stream *s;
	uint64_t v64;
	uint32_t v32;
	int fd, wfd, other;
	int pipefd[2];

	tc_attr_init(&attr, S4K, 4, 27);
	assert_int_equal(rb_stream_create(&attr, &fd, &wfd), 0);
	assert_int_equal(pread(fd, &good, sizeof(good), 0), (ssize_t)sizeof(good));
	assert_int_equal(rb_stream_map(fd, -1, NULL, &s), 0);
	assert_int_equal(rb_stream_wakeup_fd(s), -1);
	rb_stream_unmap(s);

#define CORRUPT(off, value)                                                                        \
	do {                                                                                       \
		__typeof__(value) _v = (value);                                                    \
		poke(fd, &_v, sizeof(_v), (off));                                                  \
		expect_map_einval(fd);                                                             \
		poke(fd, &good, sizeof(good), 0);                                                  \
	} while (0)

	CORRUPT(CTL_OFF(magic), v32 = 0xdeadbeef);
	CORRUPT(CTL_OFF(version), v32 = RB_LAYOUT_VERSION + 1);
	CORRUPT(CTL_OFF(ctl_size), v64 = good.ctl_size + 4096);
	CORRUPT(CTL_OFF(ctl_size), v64 = 0);
	CORRUPT(ATTR_OFF(subbuf_size), v64 = 8192);      /* valid alone, not with the fd size */
	CORRUPT(ATTR_OFF(subbuf_size), v64 = 4096 + 64); /* not a power of two */
	CORRUPT(ATTR_OFF(subbuf_size), v64 = 0);
	CORRUPT(ATTR_OFF(subbuf_size), v64 = UINT64_MAX);
	CORRUPT(ATTR_OFF(num_subbuf), v32 = 8);
	CORRUPT(ATTR_OFF(num_subbuf), v32 = 2); /* fits the limits, not the fd size */
	CORRUPT(ATTR_OFF(num_subbuf), v32 = 0);
	CORRUPT(ATTR_OFF(num_subbuf), v32 = 1u << 31);
	CORRUPT(ATTR_OFF(header_size), v32 = S4K);
	CORRUPT(ATTR_OFF(header_size), v32 = UINT32_MAX);
	CORRUPT(ATTR_OFF(record_header_short), v32 = 0);
	CORRUPT(ATTR_OFF(record_header_short), v32 = TC_REC_LONG + 1);
	CORRUPT(ATTR_OFF(record_header_long), v32 = 1000);
	CORRUPT(ATTR_OFF(timestamp_bits), v32 = 0);
	CORRUPT(ATTR_OFF(timestamp_bits), v32 = 200);
#undef CORRUPT

	assert_int_equal(rb_stream_map(fd, wfd, &tc_ops, &s), 0);
	rb_stream_unmap(s);

	/* Same bytes in an unsealed memfd: could be shrunk under us. */
	other = memfd_create("unsealed", MFD_CLOEXEC);
	assert_true(other >= 0);
	assert_int_equal(ftruncate(other, good.ctl_size + 4 * S4K), 0);
	poke(other, &good, sizeof(good), 0);
	expect_map_einval(other);
	close(other);

	/* Sealed but empty, and sealed but too short. */
	other = memfd_create("short", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	assert_true(other >= 0);
	assert_int_equal(fcntl(other, F_ADD_SEALS, F_SEAL_SHRINK), 0);
	expect_map_einval(other);
	assert_int_equal(ftruncate(other, good.ctl_size + S4K), 0);
	poke(other, &good, sizeof(good), 0);
	expect_map_einval(other);
	close(other);

	/* Not a memfd at all. */
	assert_int_equal(pipe2(pipefd, O_CLOEXEC), 0);
	expect_map_einval(pipefd[0]);
	close(pipefd[0]);
	close(pipefd[1]);
	other = open("/dev/null", O_RDWR | O_CLOEXEC);
	assert_true(other >= 0);
	expect_map_einval(other);
	close(other);

	/* The seals hold: nobody can shrink the stream. */
	assert_int_equal(ftruncate(fd, 0), -1);
	assert_int_equal(errno, EPERM);

	close(fd);
	close(wfd);
}

/*
 * A producer keeps going, within its mapping, whatever another mapper wrote
 * into the positions and counters of the control area.
 */
static void test_corrupted_positions(void **state)
{
	static const uint64_t values[] = {
	    0,
	    1,
	    47,
	    48,
	    49,
	    4095,
	    4096,
	    4097,
	    16383,
	    16384,
	    1ull << 40,
	    UINT64_MAX - 4096,
	    UINT64_MAX - 100,
	    UINT64_MAX - 1,
	    UINT64_MAX,
	};
	const size_t nv = ARRAY_SIZE(values);
	struct rb_reserve_ctx ctx;
	struct rb_subbuf sb;
	struct tc_fixture f;
	uint8_t payload[1024];
	uint8_t *data_end;
	struct rb_shm_ctl *ctl;
	uint64_t buf_size = 4 * S4K;

	tc_fixture_open(&f, S4K, 4, 27);
	ctl = f.prod->ctl;
	data_end = f.prod->data + buf_size;
	memset(payload, 0xee, sizeof(payload));

	for (size_t i = 0; i < nv * nv * 4; i++) {
		uint64_t w = values[i % nv], r = values[(i / nv) % nv];
		uint32_t len = (uint32_t)(i * 97 % 1000);

		__atomic_store_n(&ctl->write_pos, w, __ATOMIC_RELAXED);
		__atomic_store_n(&ctl->consumed_pos, r, __ATOMIC_RELAXED);
		__atomic_store_n(&ctl->last_ts, values[(i / 3) % nv], __ATOMIC_RELAXED);
		for (uint32_t k = 0; k < 4; k++) {
			ctl->subbuf[k].commit_count = values[(i + k) % nv];
			ctl->subbuf[k].delivered_seq = values[(i + 2 * k) % nv];
			ctl->subbuf[k].content_size = values[(i + 3 * k) % nv];
		}
		if (rb_reserve(f.prod, len, i & 1, &ctx) == 0) {
			uint8_t *rec = ctx.record;
			uint64_t start = (uint64_t)(rec - f.prod->data);

			assert_true(rec >= f.prod->data && rec + ctx.len <= data_end);
			assert_int_equal(start / S4K, (start + ctx.len - 1) / S4K);
			memset(rec, 0xee, ctx.len);
			rb_commit(&ctx);
		}
		rb_stream_flush(f.prod);
		if (rb_consumer_get_subbuf(f.cons, &sb) == 0) {
			assert_true(sb.content_size <= S4K);
			assert_true((const uint8_t *)sb.data >= f.cons->data &&
			            (const uint8_t *)sb.data + S4K <= f.cons->data + buf_size);
			rb_consumer_put_subbuf(f.cons, &sb);
		}
		(void)rb_stream_data_pending(f.cons);
	}
	tc_fixture_close(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_create_and_map),
	    cmocka_unit_test(test_wraparound_exact_content),
	    cmocka_unit_test(test_exact_fill),
	    cmocka_unit_test(test_delivery_waits_for_commits),
	    cmocka_unit_test(test_flush_partial),
	    cmocka_unit_test(test_timestamp_raised_to_last),
	    cmocka_unit_test(test_flush_next_slot_busy),
	    cmocka_unit_test(test_flush_final_carries_discards),
	    cmocka_unit_test(test_flush_empty),
	    cmocka_unit_test(test_flush_empty_waits_for_commits),
	    cmocka_unit_test(test_discard_accounting),
	    cmocka_unit_test(test_map_rejects_corruption),
	    cmocka_unit_test(test_corrupted_positions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

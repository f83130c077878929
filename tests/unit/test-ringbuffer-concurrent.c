/* SPDX-License-Identifier: MIT */
/*
 * Concurrent ring buffer tests: two producer threads, then two producer
 * processes (each mapping the memfd itself), against one consumer thread
 * that also flushes the stream, like a switch timer. Each runs with a large
 * buffer (the consumer keeps up: few or no discards) and a tiny one (most
 * records discarded, packets reused constantly). Checks that
 * every record is read exactly once or counted as discarded, that records
 * are intact, that timestamps never decrease along the stream, and that
 * every short record header is decodable from the record before it. The
 * tiny buffer runs once more with blocking producers (waiting forever on
 * a consumer that holds the stream): then nothing may be discarded; and
 * both run in overwrite mode, where packets the producers lap are lost
 * whole (seq_num gaps) and every packet read must still be intact. The
 * run ends with the final flush (retried while the ring is full), after
 * which the last packet read carries the stream's whole discarded count.
 * Runs with EMPTY flush with rb_stream_flush_empty() instead (I9), racing
 * header-only packets against the producers' opens; they must then appear,
 * numbered in sequence like the others, with ts_begin == ts_end.
 */

#include "test-ringbuffer-client.h"

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#define PRODUCERS      2
#define RECORDS        100000u /* per producer */
#define SUBBUF_SIZE    4096u
#define TIMESTAMP_BITS 12u /* ~4 us: both header forms occur often */
#define TIMEOUT_NS     (15ull * 1000000000ull)

/* Start of every payload; the rest is a pattern derived from it. */
struct payload_head {
	uint32_t producer;
	uint32_t len;
	uint64_t seq;
	uint64_t ts;
};

/* Shared with producer processes (MAP_SHARED anonymous memory). */
struct shared {
	uint8_t discarded[PRODUCERS][RECORDS];
	uint64_t discard_count;
	uint32_t go;
};

struct consumer {
	struct rb_stream *stream;
	bool overwrite;   /* packets may be lost: seq_num may jump */
	bool flush_empty; /* flushes make header-only packets too (I9) */
	bool ended_empty; /* flush_empty: the stream's last packet is header-only */
	struct shared *shared;
	uint8_t seen[PRODUCERS][RECORDS];
	uint32_t producers_done;
	/* Results, read by the test after join. */
	char error[256];
	uint64_t packets;
	uint64_t records;
	uint64_t flushes;
	uint64_t empty_packets;
	uint64_t lost_packets;
	uint64_t last_discarded; /* events_discarded of the last packet read */
	/* Stream state. */
	uint64_t next_seq;
	uint64_t last_ts;
	uint64_t prev_ts_end;
};

static uint64_t now_ns(void)
{
	return rt_monotonic_ns();
}

static uint32_t payload_len_of(uint32_t producer, uint64_t seq)
{
	return (uint32_t)sizeof(struct payload_head) + (uint32_t)((seq * 31 + producer * 17) % 180);
}

static uint8_t pattern_byte(const struct payload_head *h, uint32_t i)
{
	return (uint8_t)(h->seq * 13 + h->producer * 101 + i);
}

static void produce(struct rb_stream *stream, uint32_t producer, struct shared *shared)
{
	uint8_t payload[512];
	struct rb_reserve_ctx ctx;
	struct payload_head h;

	for (uint64_t seq = 0; seq < RECORDS; seq++) {
		uint32_t len = payload_len_of(producer, seq);

		if (rb_reserve(stream, len, seq % 50 == 0, &ctx) < 0) {
			shared->discarded[producer][seq] = 1;
			__atomic_fetch_add(&shared->discard_count, 1, __ATOMIC_RELAXED);
			continue;
		}
		h = (struct payload_head){
		    .producer = producer, .len = len, .seq = seq, .ts = ctx.timestamp};
		memcpy(payload, &h, sizeof(h));
		for (uint32_t i = sizeof(h); i < len; i++)
			payload[i] = pattern_byte(&h, i);
		tc_record_write(&ctx, payload);
		rb_commit(&ctx);
		/* Bursts: the consumer catches up between them, and falls behind within. */
		if (seq % 256 == 255)
			usleep(50);
	}
}

#define FAIL(c, ...)                                                                               \
	do {                                                                                       \
		if ((c)->error[0] == '\0')                                                         \
			snprintf((c)->error, sizeof((c)->error), __VA_ARGS__);                     \
		return;                                                                            \
	} while (0)

static void check_record(struct consumer *c, const struct tc_packet_header *ph,
                         const struct tc_record *rec, bool first)
{
	struct payload_head h;

	if (rec->payload_len < sizeof(h))
		FAIL(c, "packet %" PRIu64 ": short payload", ph->seq_num);
	memcpy(&h, rec->payload, sizeof(h));
	if (h.producer >= PRODUCERS || h.seq >= RECORDS || h.len != rec->payload_len ||
	    h.len != payload_len_of(h.producer, h.seq))
		FAIL(c, "packet %" PRIu64 ": bad record identity", ph->seq_num);
	for (uint32_t i = sizeof(h); i < h.len; i++)
		if (rec->payload[i] != pattern_byte(&h, i))
			FAIL(c, "record %u/%" PRIu64 ": payload byte %u corrupted", h.producer,
			     h.seq, i);
	if (c->seen[h.producer][h.seq])
		FAIL(c, "record %u/%" PRIu64 " read twice", h.producer, h.seq);
	c->seen[h.producer][h.seq] = 1;

	if (h.ts < c->last_ts)
		FAIL(c, "record %u/%" PRIu64 ": timestamp went back by %" PRIu64 " ticks",
		     h.producer, h.seq, c->last_ts - h.ts);
	if (h.ts < ph->ts_begin || h.ts > ph->ts_end)
		FAIL(c, "record %u/%" PRIu64 " outside its packet's time range", h.producer, h.seq);
	if (first && (!rec->long_header || h.ts != ph->ts_begin))
		FAIL(c, "packet %" PRIu64 ": first record not long or not at ts_begin",
		     ph->seq_num);
	if (rec->long_header && rec->ts != h.ts)
		FAIL(c, "record %u/%" PRIu64 ": header timestamp mismatch", h.producer, h.seq);
	if (!rec->long_header && (h.ts >> TIMESTAMP_BITS) != (c->last_ts >> TIMESTAMP_BITS))
		FAIL(c, "record %u/%" PRIu64 ": short header but high timestamp bits changed",
		     h.producer, h.seq);
	c->last_ts = h.ts;
	c->records++;
}

static void check_packet(struct consumer *c, const struct rb_subbuf *sb)
{
	struct tc_packet_header ph;
	struct tc_record rec;
	uint64_t offset = TC_HEADER_SIZE;
	bool first = true;
	int r;

	tc_packet_header_read(sb, &ph);
	if ((c->overwrite ? sb->seq_num < c->next_seq : sb->seq_num != c->next_seq) ||
	    ph.seq_num != sb->seq_num)
		FAIL(c, "packet %" PRIu64 ": expected seq %" PRIu64 "", sb->seq_num, c->next_seq);
	if (ph.magic != TC_PACKET_MAGIC || ph.begin_count != 1)
		FAIL(c, "packet %" PRIu64 ": bad packet header", sb->seq_num);
	/* Header-only packets come from the final flush (I8) or flush_empty (I9). */
	if (ph.content_size != sb->content_size || sb->content_size < TC_HEADER_SIZE)
		FAIL(c, "packet %" PRIu64 ": content size %" PRIu64 " / %" PRIu64 "", sb->seq_num,
		     ph.content_size, sb->content_size);
	if (sb->content_size == TC_HEADER_SIZE) {
		if (ph.ts_begin != ph.ts_end)
			FAIL(c, "header-only packet %" PRIu64 ": ts_begin != ts_end", sb->seq_num);
		c->empty_packets++;
	}
	if (ph.ts_begin > ph.ts_end || ph.ts_begin < c->prev_ts_end)
		FAIL(c, "packet %" PRIu64 ": packet time range out of order", sb->seq_num);
	if (ph.events_discarded > rb_stream_events_discarded(c->stream))
		FAIL(c, "packet %" PRIu64 ": events_discarded from the future", sb->seq_num);
	while ((r = tc_record_next(sb, &offset, &rec)) == 1) {
		check_record(c, &ph, &rec, first);
		if (c->error[0])
			return;
		first = false;
	}
	if (r != 0)
		FAIL(c, "packet %" PRIu64 ": malformed record at offset %" PRIu64 "", sb->seq_num,
		     offset);
	c->prev_ts_end = ph.ts_end;
	c->last_discarded = ph.events_discarded;
	c->lost_packets += sb->seq_num - c->next_seq;
	c->next_seq = sb->seq_num + 1;
	c->packets++;
}

static void *consumer_main(void *arg)
{
	struct consumer *c = arg;
	struct pollfd pfd = {.fd = rb_stream_wakeup_fd(c->stream), .events = POLLIN};
	uint64_t deadline = now_ns() + TIMEOUT_NS;
	struct rb_subbuf sb;
	uint64_t iteration = 0;

	for (;;) {
		bool done = __atomic_load_n(&c->producers_done, __ATOMIC_ACQUIRE);
		int final = 0;

		/* -EAGAIN: the ring is full; drained below, retried next round. */
		if (done)
			final = rb_stream_flush_final(c->stream);
		/* The producers are gone: [W] is on a boundary, an empty packet is due. */
		if (done && final == 0 && c->flush_empty && !c->ended_empty) {
			final = rb_stream_flush_empty(c->stream);
			c->ended_empty = final == 0;
		}
		rb_consumer_clear_wakeup(c->stream);
		while (rb_consumer_get_subbuf(c->stream, &sb) == 0) {
			check_packet(c, &sb);
			if (c->error[0])
				return NULL;
			rb_consumer_put_subbuf(c->stream, &sb);
		}
		if (done && final == 0 && !rb_stream_data_pending(c->stream))
			return NULL;
		if (now_ns() > deadline) {
			snprintf(c->error, sizeof(c->error), "timeout, data still pending");
			return NULL;
		}
		/* Flush when idle for 1 ms, and often anyway to race with the producers. */
		if (poll(&pfd, 1, 1) == 0 || ++iteration % 4 == 0) {
			if (c->flush_empty)
				(void)rb_stream_flush_empty(c->stream); /* -EAGAIN: ring full */
			else
				rb_stream_flush(c->stream);
			c->flushes++;
		}
	}
}

struct fixture {
	int shm_fd;
	int wakeup_fd;
	struct shared *shared;
	struct consumer *consumer;
	pthread_t consumer_thread;
};

static void fixture_open(struct fixture *f, uint32_t num_subbuf, bool overwrite, bool flush_empty)
{
	struct rb_stream_attr attr;

	tc_attr_init(&attr, SUBBUF_SIZE, num_subbuf, TIMESTAMP_BITS);
	attr.overwrite = overwrite;
	assert_int_equal(rb_stream_create(&attr, &f->shm_fd, &f->wakeup_fd), 0);
	f->shared = mmap(NULL, sizeof(*f->shared), PROT_READ | PROT_WRITE,
	                 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	assert_true(f->shared != MAP_FAILED);
	f->consumer = calloc(1, sizeof(*f->consumer));
	assert_non_null(f->consumer);
	f->consumer->shared = f->shared;
	f->consumer->overwrite = overwrite;
	f->consumer->flush_empty = flush_empty;
	assert_int_equal(rb_stream_map(f->shm_fd, f->wakeup_fd, &tc_ops, &f->consumer->stream), 0);
	assert_int_equal(rb_consumer_claim(f->consumer->stream), 0);
}

static void consumer_start(struct fixture *f)
{
	assert_int_equal(pthread_create(&f->consumer_thread, NULL, consumer_main, f->consumer), 0);
}

/* Ends the run and checks the exactly-once-or-discarded accounting. */
static void consumer_finish_and_check(struct fixture *f)
{
	struct consumer *c = f->consumer;
	uint64_t discarded = 0;

	__atomic_store_n(&c->producers_done, 1, __ATOMIC_RELEASE);
	assert_int_equal(pthread_join(f->consumer_thread, NULL), 0);
	if (c->error[0])
		fail_msg("consumer: %s", c->error);

	for (uint32_t p = 0; p < PRODUCERS; p++) {
		for (uint64_t seq = 0; seq < RECORDS; seq++) {
			/* Overwrite mode: neither read nor discarded = in a lost packet. */
			if (c->seen[p][seq] + f->shared->discarded[p][seq] != 1 &&
			    !(c->overwrite && c->seen[p][seq] + f->shared->discarded[p][seq] == 0))
				fail_msg("record %u/%" PRIu64 ": read %u, discarded %u", p, seq,
				         c->seen[p][seq], f->shared->discarded[p][seq]);
			discarded += f->shared->discarded[p][seq];
		}
	}
	assert_int_equal(discarded, f->shared->discard_count);
	assert_int_equal(rb_stream_events_discarded(c->stream), discarded);
	assert_int_equal(c->last_discarded, discarded);
	if (c->overwrite)
		assert_true(c->records + discarded <= (uint64_t)PRODUCERS * RECORDS);
	else
		assert_int_equal(c->records + discarded, (uint64_t)PRODUCERS * RECORDS);
	assert_true(c->overwrite || c->lost_packets == 0);
	print_message(
	    "read %" PRIu64 " records in %" PRIu64 " packets (%" PRIu64 " header-only), %" PRIu64
	    " discarded, %" PRIu64 " packets lost, %" PRIu64 " flushes\n",
	    c->records, c->packets, c->empty_packets, discarded, c->lost_packets, c->flushes);
	assert_true(c->records > 0);
	if (c->flush_empty)
		assert_true(c->empty_packets > 0);
}

static void fixture_close(struct fixture *f)
{
	rb_stream_unmap(f->consumer->stream);
	free(f->consumer);
	munmap(f->shared, sizeof(*f->shared));
	close(f->shm_fd);
	close(f->wakeup_fd);
}

struct producer_arg {
	struct rb_stream *stream;
	struct shared *shared;
	uint32_t producer;
};

static void *producer_thread(void *arg)
{
	struct producer_arg *a = arg;

	produce(a->stream, a->producer, a->shared);
	return NULL;
}

/* The test's parameter: num_subbuf, plus BLOCKING or OVERWRITE for the mode. */
#define BLOCKING  (1u << 16)
#define OVERWRITE (1u << 17)
#define EMPTY     (1u << 18)

static uint32_t num_subbuf_of(void **state)
{
	return (uint32_t)(uintptr_t)*state & (BLOCKING - 1);
}

static bool overwrite_of(void **state)
{
	return ((uint32_t)(uintptr_t)*state & OVERWRITE) != 0;
}

static bool empty_of(void **state)
{
	return ((uint32_t)(uintptr_t)*state & EMPTY) != 0;
}

static bool blocking_of(void **state)
{
	return ((uint32_t)(uintptr_t)*state & BLOCKING) != 0;
}

static void producer_mode(struct rb_stream *stream, void **state)
{
	rb_stream_set_blocking_timeout(stream, blocking_of(state) ? -1 : 0);
}

static void check_mode(struct fixture *f, void **state)
{
	if (blocking_of(state))
		assert_int_equal(f->shared->discard_count, 0);
}

static void test_two_threads(void **state)
{
	struct producer_arg args[PRODUCERS];
	pthread_t threads[PRODUCERS];
	struct rb_stream *stream;
	struct fixture f;

	fixture_open(&f, num_subbuf_of(state), overwrite_of(state), empty_of(state));
	/* One mapping shared by the producer threads, as in a traced process. */
	assert_int_equal(rb_stream_map(f.shm_fd, f.wakeup_fd, &tc_ops, &stream), 0);
	producer_mode(stream, state);
	consumer_start(&f);
	for (uint32_t p = 0; p < PRODUCERS; p++) {
		args[p] =
		    (struct producer_arg){.stream = stream, .shared = f.shared, .producer = p};
		assert_int_equal(pthread_create(&threads[p], NULL, producer_thread, &args[p]), 0);
	}
	for (uint32_t p = 0; p < PRODUCERS; p++)
		assert_int_equal(pthread_join(threads[p], NULL), 0);
	consumer_finish_and_check(&f);
	check_mode(&f, state);
	rb_stream_unmap(stream);
	fixture_close(&f);
}

static void test_two_processes(void **state)
{
	pid_t pids[PRODUCERS];
	struct fixture f;
	int status;

	fixture_open(&f, num_subbuf_of(state), overwrite_of(state), empty_of(state));
	/* Fork before the consumer thread exists; children wait for `go`. */
	for (uint32_t p = 0; p < PRODUCERS; p++) {
		pids[p] = fork();
		assert_true(pids[p] >= 0);
		if (pids[p] == 0) {
			struct rb_stream *stream;

			if (rb_stream_map(f.shm_fd, f.wakeup_fd, &tc_ops, &stream) < 0)
				_exit(2);
			producer_mode(stream, state);
			while (!__atomic_load_n(&f.shared->go, __ATOMIC_ACQUIRE))
				usleep(100);
			produce(stream, p, f.shared);
			rb_stream_unmap(stream);
			_exit(0);
		}
	}
	consumer_start(&f);
	__atomic_store_n(&f.shared->go, 1, __ATOMIC_RELEASE);
	for (uint32_t p = 0; p < PRODUCERS; p++) {
		assert_int_equal(waitpid(pids[p], &status, 0), pids[p]);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
	consumer_finish_and_check(&f);
	check_mode(&f, state);
	fixture_close(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_prestate(test_two_threads, (void *)(uintptr_t)64),
	    cmocka_unit_test_prestate(test_two_threads, (void *)(uintptr_t)4),
	    cmocka_unit_test_prestate(test_two_processes, (void *)(uintptr_t)64),
	    cmocka_unit_test_prestate(test_two_processes, (void *)(uintptr_t)4),
	    cmocka_unit_test_prestate(test_two_threads, (void *)(uintptr_t)(4 | BLOCKING)),
	    cmocka_unit_test_prestate(test_two_processes, (void *)(uintptr_t)(4 | BLOCKING)),
	    cmocka_unit_test_prestate(test_two_threads, (void *)(uintptr_t)(64 | OVERWRITE)),
	    cmocka_unit_test_prestate(test_two_threads, (void *)(uintptr_t)(4 | OVERWRITE)),
	    cmocka_unit_test_prestate(test_two_processes, (void *)(uintptr_t)(64 | OVERWRITE)),
	    cmocka_unit_test_prestate(test_two_processes, (void *)(uintptr_t)(4 | OVERWRITE)),
	    cmocka_unit_test_prestate(test_two_threads, (void *)(uintptr_t)(64 | EMPTY)),
	    cmocka_unit_test_prestate(test_two_threads, (void *)(uintptr_t)(4 | EMPTY)),
	    cmocka_unit_test_prestate(test_two_processes,
	                              (void *)(uintptr_t)(4 | OVERWRITE | EMPTY)),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

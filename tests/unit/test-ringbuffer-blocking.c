/* SPDX-License-Identifier: MIT */
/*
 * Blocking streams: a producer with a blocking timeout waits for the
 * consumer instead of discarding, gives up after the timeout (the record is
 * then counted as discarded), waits "forever" only while a consumer holds
 * the stream, and wakes when the consumer unmaps or dies (kill -9, in
 * another process).
 */

#include "test-ringbuffer-client.h"

#include "common/clock.h"

#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#define S4K     4096u
#define PAYLOAD 100u
#define MS      (1000ull * 1000ull)

static int emit(struct rb_stream *stream)
{
	uint8_t payload[PAYLOAD] = {0};
	struct rb_reserve_ctx ctx;
	int r = rb_reserve(stream, PAYLOAD, false, &ctx);

	if (r < 0)
		return r;
	tc_record_write(&ctx, payload);
	rb_commit(&ctx);
	return 0;
}

/* Fills the buffer (non-blocking) until the first discard; returns records written. */
static uint64_t fill(struct tc_fixture *f)
{
	uint64_t n = 0;

	rb_stream_set_blocking_timeout(f->prod, 0);
	while (emit(f->prod) == 0)
		n++;
	return n;
}

static void test_claim(void **state)
{
	struct tc_fixture f;

	tc_fixture_open(&f, S4K, 2, 64);
	assert_false(rb_stream_consumer_alive(f.prod));
	assert_int_equal(rb_consumer_claim(f.cons), 0);
	assert_true(rb_stream_consumer_alive(f.prod));
	/* The consumer's own shared description does not hide its lock from itself either. */
	assert_true(rb_stream_consumer_alive(f.cons));
	assert_int_equal(rb_consumer_claim(f.cons), -EALREADY);
	assert_int_equal(rb_consumer_claim(f.prod), -EBUSY);
	rb_stream_unmap(f.cons);
	assert_false(rb_stream_consumer_alive(f.prod));
	assert_int_equal(rb_stream_map(f.shm_fd, f.wakeup_fd, &tc_ops, &f.cons), 0);
	tc_fixture_close(&f);
}

/* Without a consumer holding the stream, even "forever" discards at once. */
static void test_no_consumer_discards_at_once(void **state)
{
	struct tc_fixture f;
	uint64_t t0;

	tc_fixture_open(&f, S4K, 2, 64);
	fill(&f);
	rb_stream_set_blocking_timeout(f.prod, -1);
	t0 = rt_monotonic_ns();
	assert_int_equal(emit(f.prod), -ENOBUFS);
	assert_true(rt_monotonic_ns() - t0 < 50 * MS);
	assert_int_equal(rb_stream_events_discarded(f.cons), 2);
	tc_fixture_close(&f);
}

static void test_timeout_then_discard(void **state)
{
	struct tc_fixture f;
	uint64_t t0, elapsed;

	tc_fixture_open(&f, S4K, 2, 64);
	assert_int_equal(rb_consumer_claim(f.cons), 0);
	fill(&f);
	assert_int_equal(rb_stream_events_discarded(f.cons), 1);
	rb_stream_set_blocking_timeout(f.prod, 30 * 1000);
	t0 = rt_monotonic_ns();
	assert_int_equal(emit(f.prod), -ENOBUFS);
	elapsed = rt_monotonic_ns() - t0;
	assert_true(elapsed >= 30 * MS);
	assert_true(elapsed < 1000 * MS);
	assert_int_equal(rb_stream_events_discarded(f.cons), 2);
	tc_fixture_close(&f);
}

struct delayed {
	struct tc_fixture *f;
	uint64_t delay_ns;
	void (*action)(struct delayed *d);
	pid_t child;
};

static void *delayed_main(void *arg)
{
	struct delayed *d = arg;
	struct timespec ts = {(time_t)(d->delay_ns / 1000000000ull),
	                      (long)(d->delay_ns % 1000000000ull)};

	nanosleep(&ts, NULL);
	d->action(d);
	return NULL;
}

/* The consumer reads one packet. */
static void release_one(struct delayed *d)
{
	struct rb_subbuf sb;

	assert_int_equal(rb_consumer_get_subbuf(d->f->cons, &sb), 0);
	rb_consumer_put_subbuf(d->f->cons, &sb);
}

static void unmap_consumer(struct delayed *d)
{
	rb_stream_unmap(d->f->cons);
	d->f->cons = NULL;
}

static void kill_consumer(struct delayed *d)
{
	assert_int_equal(kill(d->child, SIGKILL), 0);
}

/* Blocks "forever" in emit(); the delayed action must end the wait. */
static uint64_t emit_blocked(struct delayed *d, int expected)
{
	pthread_t thread;
	uint64_t t0 = rt_monotonic_ns(), elapsed;

	rb_stream_set_blocking_timeout(d->f->prod, -1);
	assert_int_equal(pthread_create(&thread, NULL, delayed_main, d), 0);
	assert_int_equal(emit(d->f->prod), expected);
	elapsed = rt_monotonic_ns() - t0;
	assert_int_equal(pthread_join(thread, NULL), 0);
	assert_true(elapsed >= d->delay_ns);
	return elapsed;
}

static void test_waits_for_consumer(void **state)
{
	struct tc_fixture f;
	struct delayed d = {.f = &f, .delay_ns = 50 * MS, .action = release_one};

	tc_fixture_open(&f, S4K, 2, 64);
	assert_int_equal(rb_consumer_claim(f.cons), 0);
	fill(&f);
	emit_blocked(&d, 0);
	/* Only fill()'s probe was discarded; the blocked record went in. */
	assert_int_equal(rb_stream_events_discarded(f.prod), 1);
	tc_fixture_close(&f);
}

static void test_consumer_unmapped_while_waiting(void **state)
{
	struct tc_fixture f;
	struct delayed d = {.f = &f, .delay_ns = 50 * MS, .action = unmap_consumer};

	tc_fixture_open(&f, S4K, 2, 64);
	assert_int_equal(rb_consumer_claim(f.cons), 0);
	fill(&f);
	/* Noticed within one sleep period (at most 100 ms) after the unmap. */
	assert_true(emit_blocked(&d, -ENOBUFS) < d.delay_ns + 500 * MS);
	assert_int_equal(rb_stream_events_discarded(f.prod), 2);
	assert_int_equal(rb_stream_map(f.shm_fd, f.wakeup_fd, &tc_ops, &f.cons), 0);
	tc_fixture_close(&f);
}

static void test_consumer_killed_while_waiting(void **state)
{
	struct tc_fixture f;
	struct delayed d = {.f = &f, .delay_ns = 50 * MS, .action = kill_consumer};
	int ready[2], status;
	char c;

	tc_fixture_open(&f, S4K, 2, 64);
	assert_int_equal(pipe(ready), 0);
	d.child = fork();
	assert_true(d.child >= 0);
	if (d.child == 0) {
		struct rb_stream *cons;

		if (rb_stream_map(f.shm_fd, -1, &tc_ops, &cons) < 0 || rb_consumer_claim(cons) < 0)
			_exit(2);
		if (write(ready[1], "r", 1) != 1)
			_exit(2);
		for (;;)
			pause();
	}
	assert_int_equal(read(ready[0], &c, 1), 1);
	assert_true(rb_stream_consumer_alive(f.prod));
	fill(&f);
	assert_true(emit_blocked(&d, -ENOBUFS) < d.delay_ns + 500 * MS);
	assert_int_equal(waitpid(d.child, &status, 0), d.child);
	assert_true(WIFSIGNALED(status));
	assert_false(rb_stream_consumer_alive(f.prod));
	close(ready[0]);
	close(ready[1]);
	tc_fixture_close(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_claim),
	    cmocka_unit_test(test_no_consumer_discards_at_once),
	    cmocka_unit_test(test_timeout_then_discard),
	    cmocka_unit_test(test_waits_for_consumer),
	    cmocka_unit_test(test_consumer_unmapped_while_waiting),
	    cmocka_unit_test(test_consumer_killed_while_waiting),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: MIT */
/*
 * rb_stream_usage_bytes(), the monitor timer's sample: bytes reserved and
 * not yet released, exact in discard mode, never above the ring size in
 * overwrite mode, and unharmed by a corrupted write position.
 */
#include "test-ringbuffer-client.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ringbuffer/ringbuffer.h"

#define S4K     4096u
#define NSUB    4u
#define PAYLOAD 100u

static void emit(struct rb_stream *stream)
{
	uint8_t payload[PAYLOAD] = {0};
	struct rb_reserve_ctx ctx;

	assert_int_equal(rb_reserve(stream, PAYLOAD, false, &ctx), 0);
	tc_record_write(&ctx, payload);
	rb_commit(&ctx);
}

static uint64_t written(const struct tc_fixture *f)
{
	return __atomic_load_n(&f->prod->ctl->write_pos, __ATOMIC_RELAXED);
}

static void test_discard_usage_follows_reserve_and_release(void **state)
{
	struct tc_fixture f;
	struct rb_subbuf sb;

	(void)state;
	tc_fixture_open(&f, S4K, NSUB, 27);
	assert_int_equal(rb_stream_usage_bytes(f.cons), 0);
	emit(f.prod);
	assert_int_equal(rb_stream_usage_bytes(f.cons), written(&f));
	/* Fill two packets and a bit: usage is everything reserved. */
	while (written(&f) < 2 * S4K + 200)
		emit(f.prod);
	assert_int_equal(rb_stream_usage_bytes(f.cons), written(&f));
	/* Releasing the first packet takes it out of the usage. */
	assert_int_equal(rb_consumer_get_subbuf(f.cons, &sb), 0);
	assert_int_equal(rb_stream_usage_bytes(f.cons), written(&f));
	rb_consumer_put_subbuf(f.cons, &sb);
	assert_int_equal(rb_stream_usage_bytes(f.cons), written(&f) - S4K);
	/* A full ring is the ring size; what is discarded does not count. */
	while (written(&f) < S4K + NSUB * S4K - 2 * PAYLOAD)
		emit(f.prod);
	assert_true(rb_stream_usage_bytes(f.cons) <= NSUB * S4K);
	assert_int_equal(rb_stream_usage_bytes(f.cons), written(&f) - S4K);
	tc_fixture_close(&f);
}

static void test_overwrite_usage_is_at_most_the_ring(void **state)
{
	struct rb_stream_attr attr;
	struct tc_fixture f;

	(void)state;
	tc_attr_init(&attr, S4K, NSUB, 64);
	attr.overwrite = 1;
	tc_fixture_open_attr(&f, &attr);
	/* Three laps, nothing consumed. */
	while (written(&f) < 3 * NSUB * S4K)
		emit(f.prod);
	assert_int_equal(rb_stream_usage_bytes(f.cons), NSUB * S4K);
	tc_fixture_close(&f);
}

static void test_corrupted_write_position(void **state)
{
	struct tc_fixture f;
	struct rb_subbuf sb;

	(void)state;
	tc_fixture_open(&f, S4K, NSUB, 27);
	while (written(&f) < S4K + 200)
		emit(f.prod);
	assert_int_equal(rb_consumer_get_subbuf(f.cons, &sb), 0);
	rb_consumer_put_subbuf(f.cons, &sb);
	/* Some mapper moved [W] behind the consumer, then far ahead. */
	__atomic_store_n(&f.prod->ctl->write_pos, 10, __ATOMIC_RELAXED);
	assert_int_equal(rb_stream_usage_bytes(f.cons), 0);
	__atomic_store_n(&f.prod->ctl->write_pos, UINT64_MAX - 5, __ATOMIC_RELAXED);
	assert_int_equal(rb_stream_usage_bytes(f.cons), NSUB * S4K);
	tc_fixture_close(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_discard_usage_follows_reserve_and_release),
	    cmocka_unit_test(test_overwrite_usage_is_at_most_the_ring),
	    cmocka_unit_test(test_corrupted_write_position),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

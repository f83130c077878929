/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Internal to src/ringbuffer: the producer's wait for a free sub-buffer in
 * a blocking stream ("Blocking" at the top of ringbuffer.c).
 */

#include <stdbool.h>
#include <stdint.h>

struct rb_stream;

/* One reservation's wait state; zero-initialize before the first call. */
struct rb_wait {
	bool started;
	int64_t deadline_ns; /* CLOCK_MONOTONIC; INT64_MAX: no deadline */
	int64_t delay_ns;    /* next sleep */
};

/*
 * Called when I2's check failed. Sleeps once and returns true when the
 * caller should plan again; returns false at once when the stream does not
 * block, the deadline has passed, or no consumer holds the stream (B1).
 */
bool rb_wait_for_space(struct rb_stream *stream, struct rb_wait *wait);

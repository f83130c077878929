/* SPDX-License-Identifier: MIT */
/*
 * Blocking streams: the producer's timed wait for a free sub-buffer and the
 * consumer liveness lock [K] it relies on. Invariants B1 and B2 are
 * described under "Blocking" at the top of ringbuffer.c.
 */
#include "ringbuffer/blocking.h"

#include "ringbuffer/ringbuffer.h"

#include "common/clock.h"
#include "common/macros.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#define RB_WAIT_FIRST_NS (1000 * 1000LL)       /* 1 ms */
#define RB_WAIT_MAX_NS   (100 * 1000 * 1000LL) /* 100 ms, lttng-ust's period */

/* [K]: one byte at the start of the control area. */
static struct flock rb_liveness_range(short type)
{
	return (struct flock){.l_type = type, .l_whence = SEEK_SET, .l_start = 0, .l_len = 1};
}

int rb_consumer_claim(struct rb_stream *stream)
{
	struct flock lock = rb_liveness_range(F_WRLCK);
	char path[64];
	int fd;

	if (stream->consumer_lock_fd >= 0)
		return -EALREADY;
	/* A description of our own: the one the producers share cannot hold [K] apart. */
	snprintf(path, sizeof(path), "/proc/self/fd/%d", stream->shm_fd);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return negative_errno();
	if (fcntl(fd, F_OFD_SETLK, &lock) < 0) {
		int r = errno == EAGAIN || errno == EACCES ? -EBUSY : negative_errno();

		close(fd);
		return r;
	}
	stream->consumer_lock_fd = fd;
	return 0;
}

bool rb_stream_consumer_alive(const struct rb_stream *stream)
{
	struct flock lock = rb_liveness_range(F_WRLCK);

	/* B1: our description holds no lock, so a conflict is someone else's [K]. */
	if (fcntl(stream->shm_fd, F_OFD_GETLK, &lock) < 0)
		return false;
	return lock.l_type != F_UNLCK;
}

void rb_stream_set_blocking_timeout(struct rb_stream *stream, int64_t timeout_us)
{
	stream->blocking_timeout_us = timeout_us < -1 ? 0 : timeout_us;
}

/* Runs inside the traced application, possibly in a signal handler: keeps errno. */
bool rb_wait_for_space(struct rb_stream *stream, struct rb_wait *wait)
{
	int saved_errno = errno;
	int64_t timeout_us = stream->blocking_timeout_us;
	int64_t now, sleep_ns;
	struct timespec ts;

	if (timeout_us == 0)
		return false;
	now = (int64_t)rt_monotonic_ns();
	if (!wait->started) {
		wait->started = true;
		wait->deadline_ns = timeout_us < 0 || timeout_us > (INT64_MAX - now) / 1000
		                        ? INT64_MAX
		                        : now + timeout_us * 1000;
		wait->delay_ns = RB_WAIT_FIRST_NS;
	}
	if (now >= wait->deadline_ns || !rb_stream_consumer_alive(stream)) {
		errno = saved_errno;
		return false;
	}
	/* B2. */
	sleep_ns =
	    wait->delay_ns < wait->deadline_ns - now ? wait->delay_ns : wait->deadline_ns - now;
	ts = (struct timespec){.tv_sec = sleep_ns / 1000000000LL,
	                       .tv_nsec = sleep_ns % 1000000000LL};
	nanosleep(&ts, NULL);
	if (wait->delay_ns < RB_WAIT_MAX_NS)
		wait->delay_ns =
		    wait->delay_ns * 2 < RB_WAIT_MAX_NS ? wait->delay_ns * 2 : RB_WAIT_MAX_NS;
	errno = saved_errno;
	return true;
}

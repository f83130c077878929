/* SPDX-License-Identifier: MIT */
#include "timers.h"

#include <errno.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "common/macros.h"

int timer_open_periodic(uint32_t period_us)
{
	struct itimerspec spec = {
	    .it_interval = {.tv_sec = period_us / 1000000u,
	                    .tv_nsec = (long)(period_us % 1000000u) * 1000},
	};
	int fd;

	if (period_us == 0)
		return -EINVAL;
	spec.it_value = spec.it_interval;
	fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (timerfd_settime(fd, 0, &spec, NULL) < 0) {
		int r = -errno;

		close(fd);
		return r;
	}
	return fd;
}

void timer_acknowledge(int timer_fd)
{
	uint64_t expirations;

	/* EAGAIN: already acknowledged; nothing else can fail on a timerfd. */
	while (read(timer_fd, &expirations, sizeof(expirations)) < 0 && errno == EINTR)
		;
}

/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Channel timers as timerfds, polled by the data thread in the same epoll
 * set as the stream wakeups (no signals, no extra thread): the read timer
 * drains the streams even when no wakeup came, the monitor timer samples
 * buffer usage for the session daemon, the switch timer flushes
 * partial packets so that data reaches the disk at least every period.
 */

#include <stdint.h>

/* Non-blocking periodic timerfd, first expiry one period from now. */
int timer_open_periodic(uint32_t period_us);

/* Acknowledges the expirations of a timerfd that polled readable. */
void timer_acknowledge(int timer_fd);

/* SPDX-License-Identifier: MIT */
/*
 * ticker [COUNT] [PERIOD_MS]: emits rt_test:tick n = 0.. every PERIOD_MS
 * (default 10) COUNT times (default: forever), printing "ready" once
 * started and flushing stdout, so tests can synchronise with it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "rt_test_tp.h"

int main(int argc, char **argv)
{
	long count = argc > 1 ? atol(argv[1]) : -1;
	long period_ms = argc > 2 ? atol(argv[2]) : 10;
	struct timespec ts = {period_ms / 1000, (period_ms % 1000) * 1000000};

	printf("ready\n");
	fflush(stdout);
	for (long n = 0; count < 0 || n < count; n++) {
		lttng_ust_tracepoint(rt_test, tick, (int)n);
		nanosleep(&ts, NULL);
	}
	return 0;
}

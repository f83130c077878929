/* SPDX-License-Identifier: MIT */
/*
 * threads N_THREADS EVENTS_PER_THREAD [PAUSE_US]: each thread emits
 * rt_test:seq 0..EVENTS-1, sleeping PAUSE_US (default 0) after every 1000
 * events, so that a load can last long enough for timers to fire under it.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include "rt_test_tp.h"

static uint64_t events_per_thread;
static long pause_us;

static void *emit(void *arg)
{
	int thread = (int)(intptr_t)arg;

	struct timespec pause = {pause_us / 1000000, (pause_us % 1000000) * 1000};

	for (uint64_t i = 0; i < events_per_thread; i++) {
		lttng_ust_tracepoint(rt_test, seq, thread, i);
		if (pause_us > 0 && i % 1000 == 999)
			nanosleep(&pause, NULL);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 2;
	pthread_t t[64];

	events_per_thread = argc > 2 ? strtoull(argv[2], NULL, 10) : 1000;
	pause_us = argc > 3 ? atol(argv[3]) : 0;
	if (n < 1 || n > 64)
		return 2;
	for (int i = 0; i < n; i++)
		pthread_create(&t[i], NULL, emit, (void *)(intptr_t)i);
	for (int i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	return 0;
}

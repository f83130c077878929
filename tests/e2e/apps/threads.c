/* SPDX-License-Identifier: MIT */
/* threads N_THREADS EVENTS_PER_THREAD: each thread emits rt_test:seq 0..EVENTS-1. */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#include "rt_test_tp.h"

static uint64_t events_per_thread;

static void *emit(void *arg)
{
	int thread = (int)(intptr_t)arg;

	for (uint64_t i = 0; i < events_per_thread; i++)
		lttng_ust_tracepoint(rt_test, seq, thread, i);
	return NULL;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 2;
	pthread_t t[64];

	events_per_thread = argc > 2 ? strtoull(argv[2], NULL, 10) : 1000;
	if (n < 1 || n > 64)
		return 2;
	for (int i = 0; i < n; i++)
		pthread_create(&t[i], NULL, emit, (void *)(intptr_t)i);
	for (int i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	return 0;
}

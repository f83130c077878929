/* SPDX-License-Identifier: MIT */
/*
 * ctxapp N_THREADS EVENTS_PER_THREAD: each thread names itself "ctx-t<i>",
 * prints "thread <i> <tid> <pthread_self>" and emits rt_test:seq 0..EVENTS-1;
 * main prints "pid <pid>" and "emit <address of emit()>" first, "done" last.
 * For the context tests: every value a context records is printed here.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "rt_test_tp.h"

static uint64_t events_per_thread;
static pthread_mutex_t print_lock = PTHREAD_MUTEX_INITIALIZER;

static void *emit(void *arg)
{
	int thread = (int)(intptr_t)arg;
	char name[16];

	snprintf(name, sizeof(name), "ctx-t%d", thread);
	pthread_setname_np(pthread_self(), name);
	pthread_mutex_lock(&print_lock);
	printf("thread %d %d %lu\n", thread, (int)gettid(), (unsigned long)pthread_self());
	pthread_mutex_unlock(&print_lock);
	for (uint64_t i = 0; i < events_per_thread; i++)
		lttng_ust_tracepoint(rt_test, seq, thread, i);
	return NULL;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 2;
	pthread_t t[64];

	events_per_thread = argc > 2 ? strtoull(argv[2], NULL, 10) : 10;
	if (n < 1 || n > 64)
		return 2;
	printf("pid %d\nemit %lu\n", (int)getpid(), (unsigned long)(uintptr_t)emit);
	fflush(stdout);
	for (int i = 0; i < n; i++)
		pthread_create(&t[i], NULL, emit, (void *)(intptr_t)i);
	for (int i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	printf("done\n");
	return 0;
}

/* SPDX-License-Identifier: MIT */
/*
 * Tracepoint cost, the same source for lttng-ust and ringtrace.
 *
 *   bench-tracepoint enabled THREADS EVENTS_PER_THREAD
 *   bench-tracepoint disabled EVENTS
 *   bench-tracepoint rate EVENTS_PER_SECOND SECONDS
 *
 * enabled/disabled print "ns_per_event=<median over 5 rounds>". rate emits
 * at a fixed rate (sleeping between batches of 1000) and prints
 * "events=<n> seconds=<s>", so the caller can compare the trace's event and
 * discarded counts with what was emitted.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_tp.h"

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

struct worker {
	pthread_t thread;
	long events;
	uint64_t elapsed_ns;
};

static pthread_barrier_t start_barrier;

static void *emit_enabled(void *arg)
{
	struct worker *w = arg;
	uint64_t t0;

	pthread_barrier_wait(&start_barrier);
	t0 = now_ns();
	for (long i = 0; i < w->events; i++)
		lttng_ust_tracepoint(bench, event, (int)i, "hello");
	w->elapsed_ns = now_ns() - t0;
	return NULL;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double run_enabled_round(int threads, long events)
{
	struct worker w[64];
	double worst = 0;

	pthread_barrier_init(&start_barrier, NULL, (unsigned)threads);
	for (int i = 0; i < threads; i++) {
		w[i].events = events;
		pthread_create(&w[i].thread, NULL, emit_enabled, &w[i]);
	}
	for (int i = 0; i < threads; i++) {
		double ns;

		pthread_join(w[i].thread, NULL);
		ns = (double)w[i].elapsed_ns / (double)events;
		if (ns > worst)
			worst = ns;
	}
	pthread_barrier_destroy(&start_barrier);
	return worst;
}

static double run_disabled_round(long events)
{
	uint64_t t0 = now_ns();

	for (long i = 0; i < events; i++)
		lttng_ust_tracepoint(bench, disabled, (int)i);
	return (double)(now_ns() - t0) / (double)events;
}

static void run_rate(long per_second, double seconds)
{
	long total = (long)((double)per_second * seconds);
	uint64_t t0 = now_ns();
	long sent = 0;

	while (sent < total) {
		uint64_t due = t0 + (uint64_t)((double)sent * 1e9 / (double)per_second);
		uint64_t t = now_ns();

		if (t < due) {
			struct timespec ts = {0, (long)(due - t)};

			nanosleep(&ts, NULL);
		}
		for (int i = 0; i < 1000 && sent < total; i++, sent++)
			lttng_ust_tracepoint(bench, event, (int)sent, "hello");
	}
	printf("events=%ld seconds=%.3f\n", sent, (double)(now_ns() - t0) / 1e9);
}

int main(int argc, char **argv)
{
	double rounds[5];

	if (argc >= 4 && strcmp(argv[1], "enabled") == 0) {
		int threads = atoi(argv[2]);
		long events = atol(argv[3]);

		if (threads < 1 || threads > 64 || events < 1)
			return 2;
		for (int r = 0; r < 5; r++) {
			/*
			 * Rounds are apart so that the consumer drains one before the
			 * next: a round then costs recording, not discarding, events.
			 */
			const struct timespec drain = {0, 300 * 1000 * 1000};

			if (r)
				nanosleep(&drain, NULL);
			rounds[r] = run_enabled_round(threads, events);
		}
	} else if (argc >= 3 && strcmp(argv[1], "disabled") == 0) {
		long events = atol(argv[2]);

		if (events < 1)
			return 2;
		for (int r = 0; r < 5; r++)
			rounds[r] = run_disabled_round(events);
	} else if (argc >= 4 && strcmp(argv[1], "rate") == 0) {
		run_rate(atol(argv[2]), atof(argv[3]));
		return 0;
	} else {
		fprintf(stderr, "usage: %s enabled THREADS EVENTS | disabled EVENTS | rate EPS SECONDS\n",
			argv[0]);
		return 2;
	}
	qsort(rounds, 5, sizeof(rounds[0]), cmp_double);
	printf("ns_per_event=%.2f\n", rounds[2]);
	return 0;
}

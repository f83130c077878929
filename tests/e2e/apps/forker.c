/* SPDX-License-Identifier: MIT */
/*
 * forker COUNT PERIOD_MS: forks once; the parent emits rt_test:tick with
 * n = 0..COUNT-1, the child with n = 1000000..1000000+COUNT-1, each every
 * PERIOD_MS. Prints "ready" after the fork. The parent waits for the child.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "rt_test_tp.h"

int main(int argc, char **argv)
{
	long count = argc > 1 ? atol(argv[1]) : 100;
	long period_ms = argc > 2 ? atol(argv[2]) : 10;
	struct timespec ts = {period_ms / 1000, (period_ms % 1000) * 1000000};
	pid_t child = fork();
	int base = child == 0 ? 1000000 : 0;
	int status = 0;

	if (child < 0)
		return 1;
	if (child > 0) {
		printf("ready\n");
		fflush(stdout);
	}
	for (long n = 0; n < count; n++) {
		lttng_ust_tracepoint(rt_test, tick, base + (int)n);
		nanosleep(&ts, NULL);
	}
	if (child > 0 && waitpid(child, &status, 0) != child)
		return 1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

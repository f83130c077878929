/* SPDX-License-Identifier: MIT */
/*
 * burst COUNT: prints "ready" once registered, waits for a line on stdin,
 * then emits rt_test:seq thread = 0, seq = 0..COUNT-1 as fast as it can and
 * prints "done". Tests stall or kill the consumer between the two.
 */
#include <stdio.h>
#include <stdlib.h>

#include "rt_test_tp.h"

int main(int argc, char **argv)
{
	unsigned long long count = argc > 1 ? strtoull(argv[1], NULL, 10) : 1000;
	char line[16];

	printf("ready\n");
	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin))
		return 2;
	for (unsigned long long i = 0; i < count; i++)
		lttng_ust_tracepoint(rt_test, seq, 0, i);
	printf("done\n");
	fflush(stdout);
	return 0;
}

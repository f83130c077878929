/* SPDX-License-Identifier: MIT */
/*
 * burst: prints "ready" once registered, then for each line COUNT read on
 * stdin emits COUNT rt_test:seq events (thread = 0, seq continuing from
 * the previous batch) as fast as it can and prints "done". Exits at the end
 * of its input. Tests stall or kill the consumer between batches.
 */
#include <stdio.h>
#include <stdlib.h>

#include "rt_test_tp.h"

int main(void)
{
	unsigned long long seq = 0;
	char line[32];

	printf("ready\n");
	fflush(stdout);
	while (fgets(line, sizeof(line), stdin)) {
		unsigned long long end = seq + strtoull(line, NULL, 10);

		for (; seq < end; seq++)
			lttng_ust_tracepoint(rt_test, seq, 0, seq);
		printf("done\n");
		fflush(stdout);
	}
	return 0;
}

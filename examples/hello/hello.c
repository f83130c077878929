/* SPDX-License-Identifier: MIT */
/*
 * hello [NAME [COUNT]]: greets NAME (default "world") COUNT times (default
 * 1), recording the event hello:greeting each time.
 *
 *   ringtrace create demo && ringtrace enable-event -u 'hello:*' && ringtrace start
 *   ./hello ringtrace 3
 *   ringtrace stop && ringtrace view
 */
#include <stdio.h>
#include <stdlib.h>

#include "hello-tp.h"

int main(int argc, char **argv)
{
	const char *name = argc > 1 ? argv[1] : "world";
	int count = argc > 2 ? atoi(argv[2]) : 1;

	for (int i = 0; i < count; i++) {
		printf("hello, %s (%d)\n", name, i);
		lttng_ust_tracepoint(hello, greeting, name, i);
	}
	return 0;
}

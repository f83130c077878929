/* SPDX-License-Identifier: MIT */
/*
 * Emits rt_test:allfields with edge values: once with i = -1 and a UTF-8
 * string, once with i = 2147483647, empty sequences and an empty string.
 */
#include "rt_test_tp.h"

int main(void)
{
	static const int arr[3] = {1, -2, 2147483647};

	lttng_ust_tracepoint(rt_test, allfields, -1, "h\xc3\xa9llo \xe2\x9c\x93", arr, 3, -0.5);
	lttng_ust_tracepoint(rt_test, allfields, 2147483647, "", arr, 0, 1e300);
	return 0;
}

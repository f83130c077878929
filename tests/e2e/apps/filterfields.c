/* SPDX-License-Identifier: MIT */
/*
 * Emits rt_test:allfields once per row below, so that filters on every
 * field type select a known subset: each event is known by its i32 field
 * (the row's i). The other arguments vary by row: the string s (and the
 * text sequence made of its first seqlen bytes), the length of the integer
 * sequence, the double d. The enum field is i & 3.
 */
#include <stddef.h>

#include "rt_test_tp.h"

static const struct {
	int i;
	const char *s;
	size_t seqlen;
	double d;
} rows[] = {
    {-1, "hello", 3, -0.5},  {0, "world", 0, 0.0},         {1, "help me", 2, 1.5},
    {2, "", 1, 1e300},       {3, "h*llo", 3, 2.0},         {4, "hello world", 1, 2.5},
    {2147483647, "xyz", 2, -3.25},
};

int main(void)
{
	static const int arr[3] = {1, -2, 2147483647};

	for (size_t r = 0; r < sizeof(rows) / sizeof(rows[0]); r++)
		lttng_ust_tracepoint(rt_test, allfields, rows[r].i, rows[r].s, arr, rows[r].seqlen,
		                     rows[r].d);
	return 0;
}

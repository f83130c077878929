/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * lttng-ust 2.13's <lttng/ust-ringbuffer-context.h>, the part a context
 * provider uses: alignment helpers and the record context it writes to.
 * Records are byte-packed (as lttng-ust's on x86), so no padding is ever
 * needed: lttng_ust_ring_buffer_align() is 0 and lttng_ust_rb_alignof() 1.
 */

#include <ringtrace/context-provider.h>
#include <stddef.h>

#define lttng_ust_ring_buffer_ctx ringtrace_record_ctx

#define lttng_ust_rb_alignof(type) 1

static inline unsigned int lttng_ust_ring_buffer_align(size_t align_drift, size_t size_of_type)
{
	(void)align_drift;
	(void)size_of_type;
	return 0;
}

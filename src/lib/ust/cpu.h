/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * The CPU the calling thread runs on, as sched_getcpu() returns it, read
 * without a system call where the kernel keeps it in the thread's rseq area
 * (which glibc registers). Async-signal-safe.
 */
#include <sched.h>
#include <stdint.h>
#if __has_include(<sys/rseq.h>)
#include <sys/rseq.h>
#define RT_HAVE_RSEQ 1
#else
#define RT_HAVE_RSEQ 0
#endif
#include <urcu/system.h>

#include "common/macros.h"

static inline int rt_ust_current_cpu(void)
{
#if RT_HAVE_RSEQ
	if (likely(__rseq_size > 0)) {
		const struct rseq *rs =
		    (const struct rseq *)((char *)__builtin_thread_pointer() + __rseq_offset);
		int32_t cpu = (int32_t)CMM_LOAD_SHARED(rs->cpu_id);

		if (likely(cpu >= 0))
			return cpu;
	}
#endif
	return sched_getcpu();
}

/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Per-thread perf counters for the `perf:thread:<counter>` contexts, as
 * lttng-ust records them: each thread counts for itself (perf_event_open()
 * on the calling thread, user space only), opened lazily at the thread's
 * first event that records the counter; read with rdpmc when the counter's
 * mmap page allows it in user space (cap_user_rdpmc, counter scheduled),
 * with read() otherwise. A counter the kernel refuses to open in a thread
 * records 0 there (logged once per counter with RINGTRACE_UST_DEBUG): the
 * session daemon checks at add-context time that the counter can be
 * opened, so this happens only when the app's conditions differ (seccomp,
 * another user's perf_event_paranoid view...).
 *
 * Counters are process-wide slots keyed by (type, config), at most
 * RT_UST_PERF_MAX_COUNTERS, never freed (a channel reusing a counter reuses
 * its slot and the threads' open descriptors). A thread's descriptors are
 * closed when it exits and, in the child, after fork().
 */

#include <stdint.h>

#define RT_UST_PERF_MAX_COUNTERS 64

struct rt_ust_perf_counter;

/* The counter of (type, config), created on first use. -ENOSPC, -ENOMEM. */
int rt_ust_perf_counter_get(uint32_t type, uint64_t config, struct rt_ust_perf_counter **ret);

/* The calling thread's count (0 when the counter cannot be opened). Not async-signal-safe on first
 * use. */
uint64_t rt_ust_perf_counter_read(struct rt_ust_perf_counter *counter);

/* In the child after fork(): forgets the descriptors of the parent's thread. */
void rt_ust_perf_reset_after_fork(void);

/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * A perf counter counting the calling thread in user space, as lttng-ust's
 * `perf:thread:` contexts open them (perf_event_open(), pid 0, any CPU,
 * kernel and hypervisor excluded). Used by the tracer to count and by the
 * session daemon to check at add-context time that the kernel allows it.
 */

#include <stdint.h>

/* The counter's descriptor (close-on-exec), or -errno. */
int perf_open_thread_counter(uint32_t type, uint64_t config);

/* SPDX-License-Identifier: MIT */
#include "common/perf-open.h"

#include <errno.h>
#include <linux/perf_event.h>
#include <sys/syscall.h>
#include <unistd.h>

int perf_open_thread_counter(uint32_t type, uint64_t config)
{
	struct perf_event_attr attr = {
	    .type = type,
	    .size = sizeof(attr),
	    .config = config,
	    .exclude_kernel = 1,
	    .exclude_hv = 1,
	};
	long fd =
	    syscall(SYS_perf_event_open, &attr, 0, -1, -1, (unsigned long)PERF_FLAG_FD_CLOEXEC);

	return fd < 0 ? -errno : (int)fd;
}

/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * After a session stopped: waiting until the consumer has written every
 * buffer (polling DATA_PENDING every 200 ms, one dot per poll, as lttng),
 * and the warning about discarded events and lost packets.
 */

#include <stdbool.h>

struct data_wait {
	const char *header; /* printed before the dots */
	bool header_always; /* else only once data turns out to be pending (destroy) */
	bool on_stderr;     /* record: keep stdout to the traced command */
	bool printed;       /* out: the header was printed (a newline is owed) */
};

/*
 * Polls until no data is pending. Returns 0 or a negative RINGTRACE_ERR_*;
 * with header_always the line is terminated, else the caller owes the
 * newline when w->printed.
 */
int data_wait(const char *session_name, struct data_wait *w);

/*
 * lttng's warning ("Warning: N events were discarded, please refer to the
 * documentation on channel configuration.") as a malloc'd string, or NULL
 * when nothing was lost (or in snapshot mode, or when it cannot be known).
 */
char *session_stats_warning(const char *session_name);

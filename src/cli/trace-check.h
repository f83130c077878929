/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * A quick look at a written trace, to tell the user when nothing was
 * recorded: are there data stream files at all (an application registered
 * and buffers were created), and does any packet hold an event.
 */

#include <stdbool.h>

struct trace_summary {
	unsigned streams; /* data stream files (metadata and index files excluded) */
	bool has_events;  /* some packet has content beyond its header */
};

/* Returns 0 (also for a missing directory: nothing was written) or a negative errno. */
int trace_summarize(const char *trace_dir, struct trace_summary *ret_summary);

/* SPDX-License-Identifier: MIT */
/*
 * Benchmark tracepoint provider, written for lttng-ust 2.13 and compiled
 * unmodified against both lttng-ust and ringtrace.
 */
#undef LTTNG_UST_TRACEPOINT_PROVIDER
#define LTTNG_UST_TRACEPOINT_PROVIDER bench

#undef LTTNG_UST_TRACEPOINT_INCLUDE
#define LTTNG_UST_TRACEPOINT_INCLUDE "./bench_tp.h"

#if !defined(BENCH_TP_H) || defined(LTTNG_UST_TRACEPOINT_HEADER_MULTI_READ)
#define BENCH_TP_H

#include <lttng/tracepoint.h>

LTTNG_UST_TRACEPOINT_EVENT(bench, event,
	LTTNG_UST_TP_ARGS(int, value, const char *, text),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(int, value, value)
		lttng_ust_field_string(text, text)
	)
)

LTTNG_UST_TRACEPOINT_EVENT(bench, disabled,
	LTTNG_UST_TP_ARGS(int, value),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(int, value, value)
	)
)

#endif /* BENCH_TP_H */

#include <lttng/tracepoint-event.h>

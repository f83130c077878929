/* SPDX-License-Identifier: MIT */
/* Provider of the dynamic-linkage test, built into a shared object of its own. */
/* Provider headers keep the layout of their macros. */
/* clang-format off */
#undef LTTNG_UST_TRACEPOINT_PROVIDER
#define LTTNG_UST_TRACEPOINT_PROVIDER rt_dl

#undef LTTNG_UST_TRACEPOINT_INCLUDE
#define LTTNG_UST_TRACEPOINT_INCLUDE "./test-tracepoint-dl-tp.h"

#if !defined(TEST_TRACEPOINT_DL_TP_H) || defined(LTTNG_UST_TRACEPOINT_HEADER_MULTI_READ)
#define TEST_TRACEPOINT_DL_TP_H

#include <lttng/tracepoint.h>

LTTNG_UST_TRACEPOINT_EVENT(rt_dl, ping,
	LTTNG_UST_TP_ARGS(int, n, const char *, who),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(int, n, n)
		lttng_ust_field_string(who, who)
	)
)

#endif /* TEST_TRACEPOINT_DL_TP_H */

#include <lttng/tracepoint-event.h>
/* clang-format on */

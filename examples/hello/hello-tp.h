/* SPDX-License-Identifier: MIT */
/* Provider headers keep the layout of their macros. */
/* clang-format off */
/*
 * The tracepoint provider of examples/hello, written for lttng-ust 2.13:
 * this file builds unmodified against lttng-ust or ringtrace.
 */
#undef LTTNG_UST_TRACEPOINT_PROVIDER
#define LTTNG_UST_TRACEPOINT_PROVIDER hello

#undef LTTNG_UST_TRACEPOINT_INCLUDE
#define LTTNG_UST_TRACEPOINT_INCLUDE "./hello-tp.h"

#if !defined(HELLO_TP_H) || defined(LTTNG_UST_TRACEPOINT_HEADER_MULTI_READ)
#define HELLO_TP_H

#include <lttng/tracepoint.h>

/* hello:greeting, recorded once per greeting. */
LTTNG_UST_TRACEPOINT_EVENT(hello, greeting,
	LTTNG_UST_TP_ARGS(const char *, name, int, count),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_string(name, name)
		lttng_ust_field_integer(int, count, count)
	)
)
LTTNG_UST_TRACEPOINT_LOGLEVEL(hello, greeting, LTTNG_UST_TRACEPOINT_LOGLEVEL_INFO)

#endif /* HELLO_TP_H */

#include <lttng/tracepoint-event.h>
/* clang-format on */

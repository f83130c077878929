/* SPDX-License-Identifier: MIT */
/* Provider headers keep the layout of their macros. */
/* clang-format off */
/*
 * Provider header of the event recorded by ringtrace_tracef() (lttng-ust's
 * tracef()): same provider, name, fields and log level as lttng-ust 2.13.
 * Only libringtrace-ust reads it (src/lib/ust/tracef.c); programs get the
 * call site from <ringtrace/tracef.h>.
 */
#if !defined(RINGTRACE_TP_TRACEF_H) || defined(RINGTRACE_TRACEPOINT_HEADER_MULTI_READ)
#define RINGTRACE_TP_TRACEF_H

#include <ringtrace/tracepoint.h>

RINGTRACE_TRACEPOINT_EVENT(lttng_ust_tracef, event,
	RINGTRACE_TP_ARGS(const char *, msg, unsigned int, len, void *, ip),
	RINGTRACE_TP_FIELDS(
		ringtrace_field_sequence_text(char, msg, msg, unsigned int, len)
		ringtrace_field_unused(ip)
	)
)
RINGTRACE_TRACEPOINT_LOGLEVEL(lttng_ust_tracef, event, RINGTRACE_LOGLEVEL_DEBUG)

#endif /* RINGTRACE_TP_TRACEF_H */
/* clang-format on */

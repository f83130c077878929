/* SPDX-License-Identifier: MIT */
/* Provider headers keep the layout of their macros. */
/* clang-format off */
/*
 * Provider header of the events recorded by ringtrace_tracelog() (lttng-ust's
 * tracelog()): as in lttng-ust 2.13, one event per log level, named after
 * lttng-ust's level constant ("lttng_ust_tracelog:LTTNG_UST_TRACEPOINT_LOGLEVEL_ERR"),
 * with that log level. Only libringtrace-ust reads it (src/lib/ust/tracef.c);
 * programs get the call sites from <ringtrace/tracelog.h>.
 */
#if !defined(RINGTRACE_TP_TRACELOG_H) || defined(RINGTRACE_TRACEPOINT_HEADER_MULTI_READ)
#define RINGTRACE_TP_TRACELOG_H

#include <ringtrace/tracepoint.h>

RINGTRACE_TRACEPOINT_EVENT_CLASS(lttng_ust_tracelog, tlclass,
	RINGTRACE_TP_ARGS(const char *, file, int, line, const char *, func,
		const char *, msg, unsigned int, len, void *, ip),
	RINGTRACE_TP_FIELDS(
		ringtrace_field_integer(int, line, line)
		ringtrace_field_string(file, file)
		ringtrace_field_string(func, func)
		ringtrace_field_sequence_text(char, msg, msg, unsigned int, len)
		ringtrace_field_unused(ip)
	)
)

/* The event name is lttng-ust's constant, spelled out: it must not be a macro here. */
#define _RT_TRACELOG_EVENT(event, level)                                                          \
	RINGTRACE_TRACEPOINT_EVENT_INSTANCE(lttng_ust_tracelog, tlclass, lttng_ust_tracelog, event, \
		RINGTRACE_TP_ARGS(const char *, file, int, line, const char *, func,               \
			const char *, msg, unsigned int, len, void *, ip))                         \
	RINGTRACE_TRACEPOINT_LOGLEVEL(lttng_ust_tracelog, event, level)

_RT_TRACELOG_EVENT(LTTNG_UST_TRACEPOINT_LOGLEVEL_EMERG, RINGTRACE_LOGLEVEL_EMERG)
_RT_TRACELOG_EVENT(LTTNG_UST_TRACEPOINT_LOGLEVEL_ALERT, RINGTRACE_LOGLEVEL_ALERT)
_RT_TRACELOG_EVENT(LTTNG_UST_TRACEPOINT_LOGLEVEL_CRIT, RINGTRACE_LOGLEVEL_CRIT)
_RT_TRACELOG_EVENT(LTTNG_UST_TRACEPOINT_LOGLEVEL_ERR, RINGTRACE_LOGLEVEL_ERR)
_RT_TRACELOG_EVENT(LTTNG_UST_TRACEPOINT_LOGLEVEL_WARNING, RINGTRACE_LOGLEVEL_WARNING)
_RT_TRACELOG_EVENT(LTTNG_UST_TRACEPOINT_LOGLEVEL_NOTICE, RINGTRACE_LOGLEVEL_NOTICE)
_RT_TRACELOG_EVENT(LTTNG_UST_TRACEPOINT_LOGLEVEL_INFO, RINGTRACE_LOGLEVEL_INFO)
_RT_TRACELOG_EVENT(LTTNG_UST_TRACEPOINT_LOGLEVEL_DEBUG_SYSTEM, RINGTRACE_LOGLEVEL_DEBUG_SYSTEM)
_RT_TRACELOG_EVENT(LTTNG_UST_TRACEPOINT_LOGLEVEL_DEBUG_PROGRAM, RINGTRACE_LOGLEVEL_DEBUG_PROGRAM)
_RT_TRACELOG_EVENT(LTTNG_UST_TRACEPOINT_LOGLEVEL_DEBUG_PROCESS, RINGTRACE_LOGLEVEL_DEBUG_PROCESS)
_RT_TRACELOG_EVENT(LTTNG_UST_TRACEPOINT_LOGLEVEL_DEBUG_MODULE, RINGTRACE_LOGLEVEL_DEBUG_MODULE)
_RT_TRACELOG_EVENT(LTTNG_UST_TRACEPOINT_LOGLEVEL_DEBUG_UNIT, RINGTRACE_LOGLEVEL_DEBUG_UNIT)
_RT_TRACELOG_EVENT(LTTNG_UST_TRACEPOINT_LOGLEVEL_DEBUG_FUNCTION, RINGTRACE_LOGLEVEL_DEBUG_FUNCTION)
_RT_TRACELOG_EVENT(LTTNG_UST_TRACEPOINT_LOGLEVEL_DEBUG_LINE, RINGTRACE_LOGLEVEL_DEBUG_LINE)
_RT_TRACELOG_EVENT(LTTNG_UST_TRACEPOINT_LOGLEVEL_DEBUG, RINGTRACE_LOGLEVEL_DEBUG)

#undef _RT_TRACELOG_EVENT

#endif /* RINGTRACE_TP_TRACELOG_H */
/* clang-format on */

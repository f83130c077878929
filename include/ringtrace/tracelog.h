/* SPDX-License-Identifier: MIT */
/*
 * ringtrace_tracelog(level, fmt, ...): records a printf-formatted message
 * with its source location as the event "lttng_ust_tracelog:<level>" (one
 * event per log level, named as in lttng-ust 2.13, e.g.
 * "lttng_ust_tracelog:LTTNG_UST_TRACEPOINT_LOGLEVEL_WARNING"; fields line,
 * file, func, msg). level is one of the RINGTRACE_LOGLEVEL_* constants,
 * written out (it selects the event at compile time). Not recorded: one
 * load and a branch, arguments not evaluated.
 */
#ifndef RINGTRACE_TRACELOG_H
#define RINGTRACE_TRACELOG_H

#include <stdarg.h>

#include <ringtrace/tracepoint.h>

#ifdef __cplusplus
extern "C" {
#endif

extern struct ringtrace_tracepoint
    ringtrace__tp___lttng_ust_tracelog___LTTNG_UST_TRACEPOINT_LOGLEVEL_EMERG;
extern struct ringtrace_tracepoint
    ringtrace__tp___lttng_ust_tracelog___LTTNG_UST_TRACEPOINT_LOGLEVEL_ALERT;
extern struct ringtrace_tracepoint
    ringtrace__tp___lttng_ust_tracelog___LTTNG_UST_TRACEPOINT_LOGLEVEL_CRIT;
extern struct ringtrace_tracepoint
    ringtrace__tp___lttng_ust_tracelog___LTTNG_UST_TRACEPOINT_LOGLEVEL_ERR;
extern struct ringtrace_tracepoint
    ringtrace__tp___lttng_ust_tracelog___LTTNG_UST_TRACEPOINT_LOGLEVEL_WARNING;
extern struct ringtrace_tracepoint
    ringtrace__tp___lttng_ust_tracelog___LTTNG_UST_TRACEPOINT_LOGLEVEL_NOTICE;
extern struct ringtrace_tracepoint
    ringtrace__tp___lttng_ust_tracelog___LTTNG_UST_TRACEPOINT_LOGLEVEL_INFO;
extern struct ringtrace_tracepoint
    ringtrace__tp___lttng_ust_tracelog___LTTNG_UST_TRACEPOINT_LOGLEVEL_DEBUG_SYSTEM;
extern struct ringtrace_tracepoint
    ringtrace__tp___lttng_ust_tracelog___LTTNG_UST_TRACEPOINT_LOGLEVEL_DEBUG_PROGRAM;
extern struct ringtrace_tracepoint
    ringtrace__tp___lttng_ust_tracelog___LTTNG_UST_TRACEPOINT_LOGLEVEL_DEBUG_PROCESS;
extern struct ringtrace_tracepoint
    ringtrace__tp___lttng_ust_tracelog___LTTNG_UST_TRACEPOINT_LOGLEVEL_DEBUG_MODULE;
extern struct ringtrace_tracepoint
    ringtrace__tp___lttng_ust_tracelog___LTTNG_UST_TRACEPOINT_LOGLEVEL_DEBUG_UNIT;
extern struct ringtrace_tracepoint
    ringtrace__tp___lttng_ust_tracelog___LTTNG_UST_TRACEPOINT_LOGLEVEL_DEBUG_FUNCTION;
extern struct ringtrace_tracepoint
    ringtrace__tp___lttng_ust_tracelog___LTTNG_UST_TRACEPOINT_LOGLEVEL_DEBUG_LINE;
extern struct ringtrace_tracepoint
    ringtrace__tp___lttng_ust_tracelog___LTTNG_UST_TRACEPOINT_LOGLEVEL_DEBUG;

void ringtrace__tracelog(int level, const char *file, int line, const char *func, const char *fmt,
                         ...) __attribute__((format(printf, 5, 6)));
void ringtrace__vtracelog(int level, const char *file, int line, const char *func, const char *fmt,
                          va_list ap) __attribute__((format(printf, 5, 0)));

/* The call site of each level constant. */
#define _RT_TRACELOG_SITE_RINGTRACE_LOGLEVEL_EMERG                                                 \
	ringtrace__tp___lttng_ust_tracelog___LTTNG_UST_TRACEPOINT_LOGLEVEL_EMERG
#define _RT_TRACELOG_SITE_RINGTRACE_LOGLEVEL_ALERT                                                 \
	ringtrace__tp___lttng_ust_tracelog___LTTNG_UST_TRACEPOINT_LOGLEVEL_ALERT
#define _RT_TRACELOG_SITE_RINGTRACE_LOGLEVEL_CRIT                                                  \
	ringtrace__tp___lttng_ust_tracelog___LTTNG_UST_TRACEPOINT_LOGLEVEL_CRIT
#define _RT_TRACELOG_SITE_RINGTRACE_LOGLEVEL_ERR                                                   \
	ringtrace__tp___lttng_ust_tracelog___LTTNG_UST_TRACEPOINT_LOGLEVEL_ERR
#define _RT_TRACELOG_SITE_RINGTRACE_LOGLEVEL_WARNING                                               \
	ringtrace__tp___lttng_ust_tracelog___LTTNG_UST_TRACEPOINT_LOGLEVEL_WARNING
#define _RT_TRACELOG_SITE_RINGTRACE_LOGLEVEL_NOTICE                                                \
	ringtrace__tp___lttng_ust_tracelog___LTTNG_UST_TRACEPOINT_LOGLEVEL_NOTICE
#define _RT_TRACELOG_SITE_RINGTRACE_LOGLEVEL_INFO                                                  \
	ringtrace__tp___lttng_ust_tracelog___LTTNG_UST_TRACEPOINT_LOGLEVEL_INFO
#define _RT_TRACELOG_SITE_RINGTRACE_LOGLEVEL_DEBUG_SYSTEM                                          \
	ringtrace__tp___lttng_ust_tracelog___LTTNG_UST_TRACEPOINT_LOGLEVEL_DEBUG_SYSTEM
#define _RT_TRACELOG_SITE_RINGTRACE_LOGLEVEL_DEBUG_PROGRAM                                         \
	ringtrace__tp___lttng_ust_tracelog___LTTNG_UST_TRACEPOINT_LOGLEVEL_DEBUG_PROGRAM
#define _RT_TRACELOG_SITE_RINGTRACE_LOGLEVEL_DEBUG_PROCESS                                         \
	ringtrace__tp___lttng_ust_tracelog___LTTNG_UST_TRACEPOINT_LOGLEVEL_DEBUG_PROCESS
#define _RT_TRACELOG_SITE_RINGTRACE_LOGLEVEL_DEBUG_MODULE                                          \
	ringtrace__tp___lttng_ust_tracelog___LTTNG_UST_TRACEPOINT_LOGLEVEL_DEBUG_MODULE
#define _RT_TRACELOG_SITE_RINGTRACE_LOGLEVEL_DEBUG_UNIT                                            \
	ringtrace__tp___lttng_ust_tracelog___LTTNG_UST_TRACEPOINT_LOGLEVEL_DEBUG_UNIT
#define _RT_TRACELOG_SITE_RINGTRACE_LOGLEVEL_DEBUG_FUNCTION                                        \
	ringtrace__tp___lttng_ust_tracelog___LTTNG_UST_TRACEPOINT_LOGLEVEL_DEBUG_FUNCTION
#define _RT_TRACELOG_SITE_RINGTRACE_LOGLEVEL_DEBUG_LINE                                            \
	ringtrace__tp___lttng_ust_tracelog___LTTNG_UST_TRACEPOINT_LOGLEVEL_DEBUG_LINE
#define _RT_TRACELOG_SITE_RINGTRACE_LOGLEVEL_DEBUG                                                 \
	ringtrace__tp___lttng_ust_tracelog___LTTNG_UST_TRACEPOINT_LOGLEVEL_DEBUG

#define _RT_TRACELOG_ENABLED(level)                                                                \
	__builtin_expect(__atomic_load_n(&_RT_TRACELOG_SITE_##level.state, __ATOMIC_RELAXED), 0)

/* Second level: level is macro-expanded before it is pasted. */
#define _RT_TRACELOG(level, fmt, ...)                                                              \
	do {                                                                                       \
		if (_RT_TRACELOG_ENABLED(level))                                                   \
			ringtrace__tracelog(level, __FILE__, __LINE__, __func__, fmt,              \
			                    ##__VA_ARGS__);                                        \
	} while (0)
#define _RT_VTRACELOG(level, fmt, ap)                                                              \
	do {                                                                                       \
		if (_RT_TRACELOG_ENABLED(level))                                                   \
			ringtrace__vtracelog(level, __FILE__, __LINE__, __func__, fmt, ap);        \
	} while (0)

#define ringtrace_tracelog(level, fmt, ...) _RT_TRACELOG(level, fmt, ##__VA_ARGS__)
#define ringtrace_vtracelog(level, fmt, ap) _RT_VTRACELOG(level, fmt, ap)

#ifdef __cplusplus
}
#endif

#endif /* RINGTRACE_TRACELOG_H */

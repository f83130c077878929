/* SPDX-License-Identifier: MIT */
/*
 * tracef() and tracelog(): the library's own providers, lttng_ust_tracef and
 * lttng_ust_tracelog (same events as lttng-ust 2.13), with their call sites,
 * and the functions the macros of <ringtrace/tracef.h> and
 * <ringtrace/tracelog.h> call once the event is known to be recorded.
 */
#define RINGTRACE_TRACEPOINT_CREATE_PROBES
#define RINGTRACE_TRACEPOINT_DEFINE

#define RINGTRACE_TRACEPOINT_PROVIDER lttng_ust_tracef
#define RINGTRACE_TRACEPOINT_INCLUDE  <ringtrace/tp-tracef.h>
#include <ringtrace/tp-tracef.h>
#include <ringtrace/tracepoint-event.h>
#undef RINGTRACE_TRACEPOINT_PROVIDER
#undef RINGTRACE_TRACEPOINT_INCLUDE

#define RINGTRACE_TRACEPOINT_PROVIDER lttng_ust_tracelog
#define RINGTRACE_TRACEPOINT_INCLUDE  <ringtrace/tp-tracelog.h>
#include <ringtrace/tp-tracelog.h>
#include <ringtrace/tracepoint-event.h>
#undef RINGTRACE_TRACEPOINT_PROVIDER
#undef RINGTRACE_TRACEPOINT_INCLUDE

#include <ringtrace/tracef.h>
#include <ringtrace/tracelog.h>
#include <stdio.h>
#include <stdlib.h>

/* Messages up to this size (NUL included) are formatted without allocation. */
#define MSG_STACK_SIZE 512

/*
 * Formats into buf, or into a heap buffer returned in *ret_heap (to free)
 * for longer messages. Returns the message length, -1 on error.
 */
static int format_message(char *buf, size_t size, char **ret_heap, const char *fmt, va_list ap)
{
	va_list aq;
	int n;

	*ret_heap = NULL;
	va_copy(aq, ap);
	n = vsnprintf(buf, size, fmt, aq);
	va_end(aq);
	if (n < 0 || (size_t)n < size)
		return n;
	return vasprintf(ret_heap, fmt, ap);
}

void ringtrace__vtracef(const char *fmt, va_list ap)
{
	void *ip = __builtin_return_address(0);
	char buf[MSG_STACK_SIZE], *heap;
	int n = format_message(buf, sizeof(buf), &heap, fmt, ap);

	if (n < 0)
		return;
	ringtrace_tracepoint(lttng_ust_tracef, event, heap ? heap : buf, (unsigned int)n, ip);
	free(heap);
}

void ringtrace__tracef(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ringtrace__vtracef(fmt, ap);
	va_end(ap);
}

#define TRACELOG_CASE(level, event)                                                                \
	case level:                                                                                \
		ringtrace_tracepoint(lttng_ust_tracelog, event, file, line, func, msg,             \
		                     (unsigned int)n, ip);                                         \
		break;

void ringtrace__vtracelog(int level, const char *file, int line, const char *func, const char *fmt,
                          va_list ap)
{
	void *ip = __builtin_return_address(0);
	char buf[MSG_STACK_SIZE], *heap, *msg;
	int n = format_message(buf, sizeof(buf), &heap, fmt, ap);

	if (n < 0)
		return;
	msg = heap ? heap : buf;
	switch (level) {
		TRACELOG_CASE(RINGTRACE_LOGLEVEL_EMERG, LTTNG_UST_TRACEPOINT_LOGLEVEL_EMERG)
		TRACELOG_CASE(RINGTRACE_LOGLEVEL_ALERT, LTTNG_UST_TRACEPOINT_LOGLEVEL_ALERT)
		TRACELOG_CASE(RINGTRACE_LOGLEVEL_CRIT, LTTNG_UST_TRACEPOINT_LOGLEVEL_CRIT)
		TRACELOG_CASE(RINGTRACE_LOGLEVEL_ERR, LTTNG_UST_TRACEPOINT_LOGLEVEL_ERR)
		TRACELOG_CASE(RINGTRACE_LOGLEVEL_WARNING, LTTNG_UST_TRACEPOINT_LOGLEVEL_WARNING)
		TRACELOG_CASE(RINGTRACE_LOGLEVEL_NOTICE, LTTNG_UST_TRACEPOINT_LOGLEVEL_NOTICE)
		TRACELOG_CASE(RINGTRACE_LOGLEVEL_INFO, LTTNG_UST_TRACEPOINT_LOGLEVEL_INFO)
		TRACELOG_CASE(RINGTRACE_LOGLEVEL_DEBUG_SYSTEM,
		              LTTNG_UST_TRACEPOINT_LOGLEVEL_DEBUG_SYSTEM)
		TRACELOG_CASE(RINGTRACE_LOGLEVEL_DEBUG_PROGRAM,
		              LTTNG_UST_TRACEPOINT_LOGLEVEL_DEBUG_PROGRAM)
		TRACELOG_CASE(RINGTRACE_LOGLEVEL_DEBUG_PROCESS,
		              LTTNG_UST_TRACEPOINT_LOGLEVEL_DEBUG_PROCESS)
		TRACELOG_CASE(RINGTRACE_LOGLEVEL_DEBUG_MODULE,
		              LTTNG_UST_TRACEPOINT_LOGLEVEL_DEBUG_MODULE)
		TRACELOG_CASE(RINGTRACE_LOGLEVEL_DEBUG_UNIT,
		              LTTNG_UST_TRACEPOINT_LOGLEVEL_DEBUG_UNIT)
		TRACELOG_CASE(RINGTRACE_LOGLEVEL_DEBUG_FUNCTION,
		              LTTNG_UST_TRACEPOINT_LOGLEVEL_DEBUG_FUNCTION)
		TRACELOG_CASE(RINGTRACE_LOGLEVEL_DEBUG_LINE,
		              LTTNG_UST_TRACEPOINT_LOGLEVEL_DEBUG_LINE)
		TRACELOG_CASE(RINGTRACE_LOGLEVEL_DEBUG, LTTNG_UST_TRACEPOINT_LOGLEVEL_DEBUG)
	default:
		break;
	}
	free(heap);
}

void ringtrace__tracelog(int level, const char *file, int line, const char *func, const char *fmt,
                         ...)
{
	va_list ap;

	va_start(ap, fmt);
	ringtrace__vtracelog(level, file, line, func, fmt, ap);
	va_end(ap);
}

/* SPDX-License-Identifier: MIT */
/*
 * ringtrace_tracef(fmt, ...): records a printf-formatted message as the
 * event "lttng_ust_tracef:event" (field msg, a UTF-8 sequence; log level
 * DEBUG), like lttng-ust's tracef(). When the event is not recorded the
 * cost is one load and a branch, the arguments are not evaluated; when it
 * is, the message is formatted (on the stack, or on the heap past 512 bytes).
 */
#ifndef RINGTRACE_TRACEF_H
#define RINGTRACE_TRACEF_H

#include <stdarg.h>

#include <ringtrace/tracepoint.h>

#ifdef __cplusplus
extern "C" {
#endif

extern struct ringtrace_tracepoint ringtrace__tp___lttng_ust_tracef___event;

void ringtrace__tracef(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void ringtrace__vtracef(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

#define ringtrace_tracef(fmt, ...)                                                                 \
	do {                                                                                       \
		if (__builtin_expect(                                                              \
		        __atomic_load_n(&ringtrace__tp___lttng_ust_tracef___event.state,           \
		                        __ATOMIC_RELAXED),                                         \
		        0))                                                                        \
			ringtrace__tracef(fmt, ##__VA_ARGS__);                                     \
	} while (0)

#define ringtrace_vtracef(fmt, ap)                                                                 \
	do {                                                                                       \
		if (__builtin_expect(                                                              \
		        __atomic_load_n(&ringtrace__tp___lttng_ust_tracef___event.state,           \
		                        __ATOMIC_RELAXED),                                         \
		        0))                                                                        \
			ringtrace__vtracef(fmt, ap);                                               \
	} while (0)

#ifdef __cplusplus
}
#endif

#endif /* RINGTRACE_TRACEF_H */

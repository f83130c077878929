/* SPDX-License-Identifier: MIT */
/*
 * An lttng-ust 2.13 program, unmodified: tracepoints of a statically linked
 * provider (unprefixed and prefixed spellings), tracepoint_enabled() /
 * do_tracepoint(), tracef() and tracelog(). Built against ringtrace's
 * compat headers and run without any session daemon: it must not notice.
 */
#include <lttng/tracef.h>
#include <lttng/tracelog.h>
#include <stdarg.h>
#include <stdio.h>

#include "test-tracepoint-compat-tp.h"

static void log_v(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	lttng_ust_vtracef(fmt, ap);
	va_end(ap);
}

int main(void)
{
	static const uint8_t data[] = {1, 2, 3, 4};
	int calls = 0;

	for (int i = 0; i < 3; i++) {
		tracepoint(compat_app, message, i, "hello", 0.5 * i);
		lttng_ust_tracepoint(compat_app, enter, 0, i, data, 4);
		tracepoint(compat_app, leave, i, 0, data, 0);
		if (tracepoint_enabled(compat_app, message)) {
			calls++;
			do_tracepoint(compat_app, message, i, "again", 1.0);
		}
		tracef("iteration %d", i);
		log_v("iteration %d (v)", i);
		tracelog(LTTNG_UST_TRACEPOINT_LOGLEVEL_WARNING, "iteration %d", i);
		lttng_ust_tracelog(LTTNG_UST_TRACEPOINT_LOGLEVEL_DEBUG, "iteration %d", i);
	}
	/* Nothing records without a session daemon. */
	if (calls) {
		fprintf(stderr, "tracepoint_enabled() is true without a session\n");
		return 1;
	}
	return 0;
}

/* SPDX-License-Identifier: MIT */
/* Tracepoint provider of test-ust-comm-helper. */
#undef RINGTRACE_TRACEPOINT_PROVIDER
#define RINGTRACE_TRACEPOINT_PROVIDER ust_comm_test

#undef RINGTRACE_TRACEPOINT_INCLUDE
#define RINGTRACE_TRACEPOINT_INCLUDE "test-ust-comm-tp.h"

#if !defined(TEST_UST_COMM_TP_H) || defined(RINGTRACE_TRACEPOINT_HEADER_MULTI_READ)
#define TEST_UST_COMM_TP_H

#include <ringtrace/tracepoint.h>

/* Provider declarations read best laid out by hand. */
/* clang-format off */
RINGTRACE_TRACEPOINT_EVENT(ust_comm_test, ping,
	RINGTRACE_TP_ARGS(int, seq, const char *, msg),
	RINGTRACE_TP_FIELDS(
		ringtrace_field_integer(int, seq, seq)
		ringtrace_field_string(msg, msg)
	)
)
/* clang-format on */

#endif /* TEST_UST_COMM_TP_H */

#include <ringtrace/tracepoint-event.h>

/* SPDX-License-Identifier: MIT */
/* Provider headers keep the layout of their macros. */
/* clang-format off */
/*
 * A provider written for lttng-ust with its older, unprefixed API, as
 * lttng-gen-tp users have them: TRACEPOINT_EVENT, a class with instances,
 * an enum, log levels, ctf_* fields. Compiled unmodified against ringtrace's
 * compat headers (and, when installed, against lttng-ust itself).
 */
#undef TRACEPOINT_PROVIDER
#define TRACEPOINT_PROVIDER compat_app

#undef TRACEPOINT_INCLUDE
#define TRACEPOINT_INCLUDE "./test-tracepoint-compat-tp.h"

#if !defined(TEST_TRACEPOINT_COMPAT_TP_H) || defined(TRACEPOINT_HEADER_MULTI_READ)
#define TEST_TRACEPOINT_COMPAT_TP_H

#include <lttng/tracepoint.h>
#include <stdint.h>

TRACEPOINT_ENUM(compat_app, state,
	TP_ENUM_VALUES(
		ctf_enum_value("IDLE", 0)
		ctf_enum_range("BUSY", 1, 9)
		ctf_enum_auto("OTHER")
	)
)

TRACEPOINT_EVENT(compat_app, message,
	TP_ARGS(int, id, const char *, text, double, ratio),
	TP_FIELDS(
		ctf_integer(int, id, id)
		ctf_integer_hex(int, id_hex, id)
		ctf_integer_network(int16_t, id_net, (int16_t)id)
		ctf_integer_network_hex(int16_t, id_nethex, (int16_t)id)
		ctf_float(double, ratio, ratio)
		ctf_float(float, ratio_f, (float)ratio)
		ctf_string(text, text)
		ctf_array_text(char, prefix, text, 2)
		ctf_sequence_text(char, body, text, size_t, 3)
		ctf_integer_nowrite(int, secret, id * 2)
		ctf_string_nowrite(secret_text, text)
	)
)
TRACEPOINT_LOGLEVEL(compat_app, message, TRACE_INFO)

TRACEPOINT_EVENT_CLASS(compat_app, transition,
	TP_ARGS(int, from, int, to, const uint8_t *, data, unsigned int, len),
	TP_FIELDS(
		ctf_enum(compat_app, state, int, from, from)
		ctf_enum(compat_app, state, int, to, to)
		ctf_array(uint8_t, head, data, 2)
		ctf_sequence(uint8_t, data, data, unsigned int, len)
		ctf_enum_nowrite(compat_app, state, int, to_again, to)
	)
)

TRACEPOINT_EVENT_INSTANCE(compat_app, transition, enter,
	TP_ARGS(int, from, int, to, const uint8_t *, data, unsigned int, len))
TRACEPOINT_EVENT_INSTANCE(compat_app, transition, leave,
	TP_ARGS(int, from, int, to, const uint8_t *, data, unsigned int, len))
TRACEPOINT_LOGLEVEL(compat_app, leave, TRACE_DEBUG_FUNCTION)
TRACEPOINT_MODEL_EMF_URI(compat_app, leave, "uri:leave")

#endif /* TEST_TRACEPOINT_COMPAT_TP_H */

#include <lttng/tracepoint-event.h>
/* clang-format on */

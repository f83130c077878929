/* SPDX-License-Identifier: MIT */
/*
 * Test provider in lttng-ust 2.13 style (prefixed API), covering every
 * field kind. Compiled unmodified against ringtrace's compat headers.
 */
#undef LTTNG_UST_TRACEPOINT_PROVIDER
#define LTTNG_UST_TRACEPOINT_PROVIDER rt_test

#undef LTTNG_UST_TRACEPOINT_INCLUDE
#define LTTNG_UST_TRACEPOINT_INCLUDE "./rt_test_tp.h"

#if !defined(RT_TEST_TP_H) || defined(LTTNG_UST_TRACEPOINT_HEADER_MULTI_READ)
#define RT_TEST_TP_H

#include <lttng/tracepoint.h>
#include <stddef.h>
#include <stdint.h>

LTTNG_UST_TRACEPOINT_ENUM(rt_test, color,
	LTTNG_UST_TP_ENUM_VALUES(
		lttng_ust_field_enum_value("RED", 0)
		lttng_ust_field_enum_range("GREENISH", 1, 10)
		lttng_ust_field_enum_auto("AUTO")
	)
)

LTTNG_UST_TRACEPOINT_EVENT(rt_test, allfields,
	LTTNG_UST_TP_ARGS(int, i, const char *, s, const int *, arr, size_t, seqlen, double, d),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(int8_t, i8, (int8_t)-128)
		lttng_ust_field_integer(uint8_t, u8, (uint8_t)255)
		lttng_ust_field_integer(int16_t, i16, (int16_t)-32768)
		lttng_ust_field_integer(uint16_t, u16, (uint16_t)65535)
		lttng_ust_field_integer(int32_t, i32, i)
		lttng_ust_field_integer(uint32_t, u32, (uint32_t)4294967295u)
		lttng_ust_field_integer(int64_t, i64, (int64_t)INT64_MIN)
		lttng_ust_field_integer(uint64_t, u64, (uint64_t)UINT64_MAX)
		lttng_ust_field_integer_hex(int, hex, 0x1234abcd)
		lttng_ust_field_integer_network(int32_t, net, 0x01020304)
		lttng_ust_field_integer_network_hex(int16_t, nethex, 0x0a0b)
		lttng_ust_field_float(float, f, 1.25f)
		lttng_ust_field_float(double, d, d)
		lttng_ust_field_string(s, s)
		lttng_ust_field_array(int, arr, arr, 3)
		lttng_ust_field_array_text(char, arrtext, "hello", 4)
		lttng_ust_field_sequence(int, seq, arr, size_t, seqlen)
		lttng_ust_field_sequence_text(char, seqtext, s, unsigned int, seqlen)
		lttng_ust_field_enum(rt_test, color, int, e, i & 3)
		lttng_ust_field_integer_nowrite(int, hidden, 42)
	)
)

LTTNG_UST_TRACEPOINT_EVENT(rt_test, seq,
	LTTNG_UST_TP_ARGS(int, thread, uint64_t, seq),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(int, thread, thread)
		lttng_ust_field_integer(uint64_t, seq, seq)
	)
)

LTTNG_UST_TRACEPOINT_EVENT(rt_test, tick,
	LTTNG_UST_TP_ARGS(int, n),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(int, n, n)
	)
)
LTTNG_UST_TRACEPOINT_LOGLEVEL(rt_test, tick, LTTNG_UST_TRACEPOINT_LOGLEVEL_INFO)

#endif /* RT_TEST_TP_H */

#include <lttng/tracepoint-event.h>

/* SPDX-License-Identifier: MIT */
/* Provider headers keep the layout of their macros. */
/* clang-format off */
/*
 * Unit-test provider, in lttng-ust 2.13 prefixed style: every field macro,
 * a class with instances, log levels, a model URI, an enum, an event without
 * arguments and one with the maximum of ten.
 */
#undef LTTNG_UST_TRACEPOINT_PROVIDER
#define LTTNG_UST_TRACEPOINT_PROVIDER rt_unit

#undef LTTNG_UST_TRACEPOINT_INCLUDE
#define LTTNG_UST_TRACEPOINT_INCLUDE "./test-tracepoint-tp.h"

#if !defined(TEST_TRACEPOINT_TP_H) || defined(LTTNG_UST_TRACEPOINT_HEADER_MULTI_READ)
#define TEST_TRACEPOINT_TP_H

#include <lttng/tracepoint.h>

#include "test-tracepoint-values.h"

LTTNG_UST_TRACEPOINT_ENUM(rt_unit, color,
	LTTNG_UST_TP_ENUM_VALUES(
		lttng_ust_field_enum_value("RED", 0)
		lttng_ust_field_enum_range("GREENISH", 1, 10)
		lttng_ust_field_enum_value("BIG", 4000000000u)
		lttng_ust_field_enum_auto("AUTO")
	)
)

LTTNG_UST_TRACEPOINT_EVENT(rt_unit, allfields,
	LTTNG_UST_TP_ARGS(const struct unit_values *, v),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(int8_t, i8, v->i8)
		lttng_ust_field_integer(uint8_t, u8, v->u8)
		lttng_ust_field_integer(int16_t, i16, v->i16)
		lttng_ust_field_integer(uint16_t, u16, v->u16)
		lttng_ust_field_integer(int32_t, i32, v->i32)
		lttng_ust_field_integer(uint32_t, u32, v->u32)
		lttng_ust_field_integer(int64_t, i64, v->i64)
		lttng_ust_field_integer(uint64_t, u64, v->u64)
		lttng_ust_field_integer(long, l, v->l)
		lttng_ust_field_integer_hex(uint32_t, hex, v->hex)
		lttng_ust_field_integer_network(uint32_t, net32, v->net32)
		lttng_ust_field_integer_network_hex(uint16_t, net16, v->net16)
		lttng_ust_field_integer_nowrite(int, hidden, v->i32)
		lttng_ust_field_float(float, f, v->f)
		lttng_ust_field_float(double, d, v->d)
		lttng_ust_field_float_nowrite(double, dhidden, v->d)
		lttng_ust_field_string(s, v->s)
		lttng_ust_field_string_nowrite(shidden, v->s)
		lttng_ust_field_array(int32_t, arr, v->arr, 3)
		lttng_ust_field_array_hex(uint8_t, arrhex, v->bytes, 2)
		lttng_ust_field_array_network(uint16_t, arrnet, v->net_arr, 2)
		lttng_ust_field_array_network_hex(uint16_t, arrnethex, v->net_arr, 1)
		lttng_ust_field_array_text(char, text, v->text, 4)
		lttng_ust_field_array_nowrite(int32_t, arrhidden, v->arr, 3)
		lttng_ust_field_array_nowrite_hex(int32_t, arrhidden_hex, v->arr, 3)
		lttng_ust_field_array_network_nowrite(uint16_t, arrnethidden, v->net_arr, 2)
		lttng_ust_field_array_network_nowrite_hex(uint16_t, arrnethexhidden, v->net_arr, 2)
		lttng_ust_field_array_text_nowrite(char, texthidden, v->text, 4)
		lttng_ust_field_sequence(int16_t, seq, v->seq, size_t, v->seq_len)
		lttng_ust_field_sequence_hex(uint8_t, seqhex, v->bytes, uint8_t, v->bytes_len)
		lttng_ust_field_sequence_network(uint16_t, seqnet, v->net_arr, uint16_t, 2)
		lttng_ust_field_sequence_network_hex(uint16_t, seqnethex, v->net_arr, int, 1)
		lttng_ust_field_sequence_text(char, seqtext, v->seqtext, unsigned int, v->seqtext_len)
		lttng_ust_field_sequence_nowrite(int16_t, seqhidden, v->seq, size_t, v->seq_len)
		lttng_ust_field_sequence_nowrite_hex(int16_t, seqhidden_hex, v->seq, size_t, v->seq_len)
		lttng_ust_field_sequence_network_nowrite(uint16_t, seqnethidden, v->net_arr, int, 2)
		lttng_ust_field_sequence_network_nowrite_hex(uint16_t, seqnethexhidden, v->net_arr, int, 2)
		lttng_ust_field_sequence_text_nowrite(char, seqtexthidden, v->seqtext, int, 1)
		lttng_ust_field_enum(rt_unit, color, int, color, v->color)
		lttng_ust_field_enum_nowrite(rt_unit, color, int, colorhidden, v->color)
		lttng_ust_field_unused(v)
		lttng_ust_field_unused_nowrite(v)
	)
)
LTTNG_UST_TRACEPOINT_LOGLEVEL(rt_unit, allfields, LTTNG_UST_TRACEPOINT_LOGLEVEL_INFO)

LTTNG_UST_TRACEPOINT_EVENT(rt_unit, strings,
	LTTNG_UST_TP_ARGS(const char *, a, const char *, b),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_string(a, a)
		lttng_ust_field_string(b, b)
	)
)

LTTNG_UST_TRACEPOINT_EVENT(rt_unit, empty,
	LTTNG_UST_TP_ARGS(const int *, p, size_t, n),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_sequence(int, seq, p, size_t, n)
		lttng_ust_field_array(int, arr, p, 0)
		lttng_ust_field_sequence_text(char, seqtext, (const char *)p, unsigned int, n)
		lttng_ust_field_array_text(char, text, (const char *)p, 3)
	)
)

LTTNG_UST_TRACEPOINT_EVENT_CLASS(rt_unit, pair_class,
	LTTNG_UST_TP_ARGS(int, a, long, b),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(int, a, a)
		lttng_ust_field_integer_hex(long, b, b)
	)
)
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(rt_unit, pair_class, rt_unit, pair_first,
	LTTNG_UST_TP_ARGS(int, a, long, b))
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(rt_unit, pair_class, rt_unit, pair_second,
	LTTNG_UST_TP_ARGS(int, a, long, b))
LTTNG_UST_TRACEPOINT_LOGLEVEL(rt_unit, pair_second, LTTNG_UST_TRACEPOINT_LOGLEVEL_WARNING)
LTTNG_UST_TRACEPOINT_MODEL_EMF_URI(rt_unit, pair_second, "http://example.com/pair")

LTTNG_UST_TRACEPOINT_EVENT(rt_unit, noargs,
	LTTNG_UST_TP_ARGS(),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(int, answer, 42)
	)
)

LTTNG_UST_TRACEPOINT_EVENT(rt_unit, counted,
	LTTNG_UST_TP_ARGS(int, v),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(int, v, v)
	)
)

LTTNG_UST_TRACEPOINT_EVENT(rt_unit, ten,
	LTTNG_UST_TP_ARGS(uint8_t, a0, uint8_t, a1, uint8_t, a2, uint8_t, a3, uint8_t, a4,
		uint8_t, a5, uint8_t, a6, uint8_t, a7, uint8_t, a8, uint8_t, a9),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(uint8_t, a0, a0)
		lttng_ust_field_integer(uint8_t, a9, a9)
		lttng_ust_field_integer(int, sum, a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8)
	)
)

#endif /* TEST_TRACEPOINT_TP_H */

#include <lttng/tracepoint-event.h>
/* clang-format on */

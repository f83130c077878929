/* SPDX-License-Identifier: MIT */
#pragma once

/* Arguments of rt_unit:allfields (test-tracepoint-tp.h), one member per field. */

#include <stddef.h>
#include <stdint.h>

struct unit_values {
	int8_t i8;
	uint8_t u8;
	int16_t i16;
	uint16_t u16;
	int32_t i32;
	uint32_t u32;
	int64_t i64;
	uint64_t u64;
	long l;
	uint32_t hex;
	uint32_t net32; /* already in network order, as lttng-ust expects */
	uint16_t net16;
	float f;
	double d;
	const char *s;
	int32_t arr[3];
	const uint8_t *bytes;
	uint8_t bytes_len;
	const uint16_t *net_arr; /* 2 elements, network order */
	const char *text;        /* array_text of 4 */
	const int16_t *seq;
	size_t seq_len;
	const char *seqtext;
	unsigned int seqtext_len;
	int color;
};

/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Assertions shared by the filter compiler tests (cmocka): an expression
 * compiles to exact bytes, or is refused at a given place.
 */

#include <stddef.h>
#include <stdint.h>

/* An expression and the data of its bytecode as lttng 2.13 sends it. */
struct filter_case {
	const char *expression;
	uint32_t reloc_table_offset;
	const char *data_hex; /* code then relocation table, lowercase hex */
};

/*
 * Compiles expression and checks the whole container: the header (len,
 * reloc_table_offset, seqnum 0, zero padding) and the data bytes.
 */
void filter_expect_bytes(const char *expression, uint32_t reloc_table_offset, const char *data_hex);

void filter_expect_case(const struct filter_case *c);

/*
 * Checks that expression is refused with -EINVAL at byte offset, with a
 * message containing message_part.
 */
void filter_expect_error(const char *expression, size_t offset, const char *message_part);

/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * The commonest filter, one integer field compared with a constant
 * (`size > 4096`), recognized in a linked program so that the tracer can
 * evaluate it in place, without entering the interpreter. The result is
 * the interpreter's for the same program and values.
 */

#include <ringtrace/tp-record.h>
#include <stdbool.h>
#include <stdint.h>

struct filter_program;

/*
 * A relation as the outcomes of comparing the value with the constant that
 * satisfy it: the test is then branch-free.
 */
enum filter_comparison_rel {
	FILTER_COMPARISON_NONE = 0, /* not such a program: run the interpreter */
	FILTER_COMPARISON_LESS = 1u << 0,
	FILTER_COMPARISON_EQUAL = 1u << 1,
	FILTER_COMPARISON_GREATER = 1u << 2,
	FILTER_COMPARISON_EQ = FILTER_COMPARISON_EQUAL,
	FILTER_COMPARISON_NE = FILTER_COMPARISON_LESS | FILTER_COMPARISON_GREATER,
	FILTER_COMPARISON_GT = FILTER_COMPARISON_GREATER,
	FILTER_COMPARISON_LT = FILTER_COMPARISON_LESS,
	FILTER_COMPARISON_GE = FILTER_COMPARISON_GREATER | FILTER_COMPARISON_EQUAL,
	FILTER_COMPARISON_LE = FILTER_COMPARISON_LESS | FILTER_COMPARISON_EQUAL,
};

struct filter_comparison {
	uint32_t rel;         /* enum filter_comparison_rel */
	uint32_t value_index; /* the field's filter value */
	int64_t constant;
};

/* The program as one comparison, or rel FILTER_COMPARISON_NONE. */
struct filter_comparison filter_program_comparison(const struct filter_program *program);

/* Precondition: c->rel is not FILTER_COMPARISON_NONE. */
static inline bool filter_comparison_holds(const struct filter_comparison *c,
                                           const union ringtrace_filter_value *values)
{
	int64_t v = values[c->value_index].s64;
	uint32_t outcome = (uint32_t)(v < c->constant) * FILTER_COMPARISON_LESS |
	                   (uint32_t)(v == c->constant) * FILTER_COMPARISON_EQUAL |
	                   (uint32_t)(v > c->constant) * FILTER_COMPARISON_GREATER;

	return (outcome & c->rel) != 0;
}

/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * A linked program (filter-program.h) that is only `&&` and `||` of simple
 * clauses, recognized so that the tracer evaluates it without the
 * interpreter. A clause compares one value with a constant:
 *
 *  - an integer or enum field, or an integer context, OP an integer (or
 *    alone: nonzero), as signed 64-bit values;
 *  - a float field, or an integer or double value against a double
 *    constant, as doubles (NaN: only != holds);
 *  - a string field, text array or sequence, or a string context, == or !=
 *    a plain literal (a '*' matches any rest, "\*" and "\\" escape) or a
 *    star-glob literal;
 *
 * either operand first. The clauses form a decision graph that follows
 * the bytecode's short-circuits exactly: after each clause, its outcome
 * names the next clause or the verdict. Evaluating the graph gives the
 * interpreter's verdict for the same program and values, errors included
 * (a NULL string, a context that cannot be read or has changed kind
 * reject the event, as they stop the interpreter). Programs of any other
 * shape are not recognized and stay with the interpreter.
 *
 * The clauses point into the program's literals: free them before it.
 */

#include <ringtrace/tp-record.h>
#include <stdbool.h>
#include <stdint.h>

#include "common/macros.h"
#include "filter/filter-interp.h"

struct filter_program;

/* Outcomes of comparing the value with the constant; a relation is the set that satisfies it. */
enum filter_outcome {
	FILTER_OUTCOME_LESS = 1u << 0,
	FILTER_OUTCOME_EQUAL = 1u << 1,
	FILTER_OUTCOME_GREATER = 1u << 2,
	FILTER_OUTCOME_UNORDERED = 1u << 3, /* a NaN */
};

enum filter_clause_load {
	FILTER_CLAUSE_LOAD_INT,     /* values[index].s64 */
	FILTER_CLAUSE_LOAD_DOUBLE,  /* values[index].d */
	FILTER_CLAUSE_LOAD_STRING,  /* values[index].str, up to its NUL */
	FILTER_CLAUSE_LOAD_TEXT,    /* values[index].seq: at most len bytes, up to a NUL */
	FILTER_CLAUSE_LOAD_CONTEXT, /* built-in context ctx, of kind ctx_kind */
};

enum filter_clause_test {
	FILTER_CLAUSE_TEST_INT,    /* against k.s64 */
	FILTER_CLAUSE_TEST_DOUBLE, /* as a double, against k.d */
	FILTER_CLAUSE_TEST_PREFIX, /* equal: the string is k.str[0, len), then its end unless star
	                            */
	FILTER_CLAUSE_TEST_GLOB,   /* equal: the string matches the glob pattern k.str */
};

/* next[] values that end the evaluation. */
#define FILTER_CLAUSE_REJECT (-1)
#define FILTER_CLAUSE_ACCEPT (-2)
/* Bound of a graph's clauses: larger programs stay with the interpreter. */
#define FILTER_CLAUSES_MAX 64

struct filter_clause {
	uint8_t load;      /* enum filter_clause_load */
	uint8_t test;      /* enum filter_clause_test */
	uint8_t rel;       /* outcomes that satisfy the clause */
	uint8_t star;      /* PREFIX: any rest matches */
	int16_t next[2];   /* by whether it holds: a clause index, or REJECT / ACCEPT */
	uint32_t index;    /* LOAD_INT .. LOAD_TEXT: the value */
	uint32_t len;      /* PREFIX: bytes of k.str */
	uint32_t ctx_kind; /* LOAD_CONTEXT: enum filter_ctx_kind */
	union {
		int64_t s64;
		double d;
		const char *str;
	} k;
	const void *ctx; /* LOAD_CONTEXT */
};

struct filter_clauses {
	const struct filter_ctx_ops *ops; /* the program's, for contexts */
	uint32_t nr;
	struct filter_clause clause[]; /* clause[0] first; then the unescaped literals */
};

/*
 * The program as a decision graph of clauses. 0 with *ret_clauses (free()
 * it), -ENOTSUP when it is not of that shape, -ENOMEM.
 */
int filter_clauses_build(const struct filter_program *program, struct filter_clauses **ret_clauses);

/* The outcome of any clause but an integer field's: 1 holds, 0 not, -1 an error. */
int filter_clause_eval_slow(const struct filter_clauses *clauses, const struct filter_clause *c,
                            const union ringtrace_filter_value *values);

static inline uint32_t filter_outcome_int(int64_t v, int64_t k)
{
	return (uint32_t)(v < k) * FILTER_OUTCOME_LESS | (uint32_t)(v == k) * FILTER_OUTCOME_EQUAL |
	       (uint32_t)(v > k) * FILTER_OUTCOME_GREATER;
}

/* Whether the program the graph was built from accepts these values. */
static inline bool filter_clauses_accept(const struct filter_clauses *clauses,
                                         const union ringtrace_filter_value *values)
{
	const struct filter_clause *c = clauses->clause;

	for (;;) {
		int holds, next;

		if (likely(c->load == FILTER_CLAUSE_LOAD_INT &&
		           c->test == FILTER_CLAUSE_TEST_INT)) {
			holds = (filter_outcome_int(values[c->index].s64, c->k.s64) & c->rel) != 0;
		} else {
			holds = filter_clause_eval_slow(clauses, c, values);
			if (unlikely(holds < 0))
				return false;
		}
		next = c->next[holds];
		if (next < 0)
			return next == FILTER_CLAUSE_ACCEPT;
		c = &clauses->clause[next];
	}
}

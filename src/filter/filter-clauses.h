/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * A linked program (filter-program.h) that is only `&&` and `||` of simple
 * clauses, recognized so that the tracer evaluates it without the
 * interpreter. A clause compares one value with a constant:
 *
 *  - an integer or enum field, or an integer context, OP an integer (or
 *    alone: nonzero), as signed 64-bit values;
 *  - a float field or a double context OP a number, or an integer value
 *    OP a double constant, as doubles (a NaN: only != holds);
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

/* What the clause tests; TEST_INT, PREFIX and GLOB have a relation folded into next[]. */
enum filter_clause_test {
	FILTER_CLAUSE_TEST_INT,    /* the value is in [k.s64, k.s64 + span] (unsigned distance) */
	FILTER_CLAUSE_TEST_DOUBLE, /* as a double against k.d: the outcome is in rel */
	FILTER_CLAUSE_TEST_PREFIX, /* the string is k.str[0, span), then its end unless star */
	FILTER_CLAUSE_TEST_GLOB,   /* the string matches the glob pattern k.str */
};

/* How the clause is evaluated: the first three with no call. */
enum filter_clause_kind {
	FILTER_CLAUSE_INT_FIELD,    /* LOAD_INT, TEST_INT */
	FILTER_CLAUSE_DOUBLE_FIELD, /* LOAD_INT or LOAD_DOUBLE, TEST_DOUBLE */
	FILTER_CLAUSE_PREFIX_FIELD, /* LOAD_STRING or LOAD_TEXT, TEST_PREFIX */
	FILTER_CLAUSE_CALL,         /* any other: filter_clause_eval_call() */
};

/* next[] values that end the evaluation. */
#define FILTER_CLAUSE_REJECT (-1)
#define FILTER_CLAUSE_ACCEPT (-2)
/* Bound of a graph's clauses: larger programs stay with the interpreter. */
#define FILTER_CLAUSES_MAX 64

struct filter_clause {
	uint8_t kind;    /* enum filter_clause_kind */
	uint8_t load;    /* enum filter_clause_load */
	uint8_t test;    /* enum filter_clause_test */
	uint8_t rel;     /* TEST_DOUBLE: outcomes that satisfy it */
	int16_t next[2]; /* by whether the test holds: a clause index, or REJECT / ACCEPT */
	uint8_t star;    /* PREFIX: any rest matches */
	uint32_t index;  /* LOAD_INT .. LOAD_TEXT: the value */
	union {
		int64_t s64;
		double d;
		const char *str;
	} k;
	uint64_t span;     /* TEST_INT: width of the range; PREFIX: bytes of k.str */
	const void *ctx;   /* LOAD_CONTEXT */
	uint32_t ctx_kind; /* LOAD_CONTEXT: enum filter_ctx_kind */
};

struct filter_clauses {
	const struct filter_ctx_ops *ops; /* the program's, for contexts */
	uint32_t nr;
	bool ints_only;                /* every clause is a FILTER_CLAUSE_INT_FIELD */
	struct filter_clause clause[]; /* clause[0] first; then the unescaped literals */
};

/*
 * The program as a decision graph of clauses. 0 with *ret_clauses (free()
 * it), -ENOTSUP when it is not of that shape, -ENOMEM.
 */
int filter_clauses_build(const struct filter_program *program, struct filter_clauses **ret_clauses);

/* Whether a FILTER_CLAUSE_CALL clause holds: 1, 0, or -1 on an error. */
int filter_clause_eval_call(const struct filter_clauses *clauses, const struct filter_clause *c,
                            const union ringtrace_filter_value *values);

/*
 * Whether the string s (len bytes at most, or up to its NUL) is a PREFIX
 * clause's literal. The literal has no NUL: the string's NUL is a
 * mismatch, never read past.
 */
static inline bool filter_clause_prefix_equal(const struct filter_clause *c, const char *s,
                                              size_t len)
{
	size_t n = c->span;

	if (len < n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] != c->k.str[i])
			return false;
	return c->star || n == len || s[n] == '\0';
}

/* Whether d against k is one of the outcomes of rel (enum filter_outcome). */
static inline bool filter_double_holds(double d, double k, uint32_t rel)
{
	uint32_t outcome = d < k    ? FILTER_OUTCOME_LESS
	                   : d == k ? FILTER_OUTCOME_EQUAL
	                   : d > k  ? FILTER_OUTCOME_GREATER
	                            : FILTER_OUTCOME_UNORDERED;

	return (outcome & rel) != 0;
}

/*
 * Whether a clause of the kinds evaluated with no call holds: 1, 0, or -1
 * on an error (a NULL string).
 */
static inline int filter_clause_field_holds(const struct filter_clause *c,
                                            const union ringtrace_filter_value *values)
{
	const union ringtrace_filter_value *v = &values[c->index];

	switch (c->kind) {
	case FILTER_CLAUSE_INT_FIELD:
		return (uint64_t)v->s64 - (uint64_t)c->k.s64 <= c->span;
	case FILTER_CLAUSE_DOUBLE_FIELD:
		return filter_double_holds(
		    c->load == FILTER_CLAUSE_LOAD_INT ? (double)v->s64 : v->d, c->k.d, c->rel);
	default:
		if (c->load == FILTER_CLAUSE_LOAD_STRING)
			return v->str ? filter_clause_prefix_equal(c, v->str, SIZE_MAX) : -1;
		return v->seq.ptr ? filter_clause_prefix_equal(c, v->seq.ptr, v->seq.len) : -1;
	}
}

/*
 * Whether the program the graph was built from accepts these values, with
 * no call and no loop but the graph's. Precondition: clauses->ints_only.
 */
static inline bool filter_clauses_accept_ints(const struct filter_clauses *clauses,
                                              const union ringtrace_filter_value *values)
{
	const struct filter_clause *c = clauses->clause;

	for (;;) {
		int next = c->next[(uint64_t)values[c->index].s64 - (uint64_t)c->k.s64 <= c->span];

		if (next < 0)
			return next == FILTER_CLAUSE_ACCEPT;
		c = &clauses->clause[next];
	}
}

/* Whether the program the graph was built from accepts these values. */
static inline bool filter_clauses_accept(const struct filter_clauses *clauses,
                                         const union ringtrace_filter_value *values)
{
	const struct filter_clause *c = clauses->clause;

	for (;;) {
		int holds, next;

		if (likely(c->kind != FILTER_CLAUSE_CALL))
			holds = filter_clause_field_holds(c, values);
		else
			holds = filter_clause_eval_call(clauses, c, values);
		if (unlikely(holds < 0))
			return false;
		next = c->next[holds];
		if (next < 0)
			return next == FILTER_CLAUSE_ACCEPT;
		c = &clauses->clause[next];
	}
}

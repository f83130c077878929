/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * A linked filter program (filter-link.c builds it, filter-interp.c runs
 * it): the bytecode's instructions with every type resolved, so that each
 * operation knows its operand representations and does no type dispatch.
 * Jump targets are instruction indexes; string literals point into the
 * program's own copy of the code. Stack entries are struct filter_slot.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "filter/filter-interp.h"

enum lop {
	LOP_ERROR,       /* abort: the event is rejected */
	LOP_RETURN,      /* integer on top: the verdict */
	LOP_AND,         /* integer on top: 0 -> jump (keep it), else pop */
	LOP_OR,          /* integer on top: nonzero -> 1, jump, else pop */
	LOP_PUSH_INT,    /* u.s64 */
	LOP_PUSH_DOUBLE, /* u.d */
	LOP_PUSH_STRING, /* u.str, aux = literal kind (enum filter_lit) */
	LOP_FIELD_INT,   /* arg = value index */
	LOP_FIELD_DOUBLE,
	LOP_FIELD_STRING,
	LOP_FIELD_TEXT,  /* text array / sequence: seq.ptr, seq.len bytes */
	LOP_FIELD_ELEM,  /* arg = value index, u.index; aux = elem size, flags */
	LOP_CONTEXT,     /* u.ctx; aux = enum filter_ctx_kind */
	LOP_APP_CONTEXT, /* arg = application context index: its value read before the run */
	LOP_CMP_INT_EQ,  /* both integers; one op per relation, in enum filter_rel order */
	LOP_CMP_INT_NE,
	LOP_CMP_INT_GT,
	LOP_CMP_INT_LT,
	LOP_CMP_INT_GE,
	LOP_CMP_INT_LE,
	LOP_FIELD_CMP_IMM_EQ, /* push (integer field arg REL u.s64); per relation, in order */
	LOP_FIELD_CMP_IMM_NE,
	LOP_FIELD_CMP_IMM_GT,
	LOP_FIELD_CMP_IMM_LT,
	LOP_FIELD_CMP_IMM_GE,
	LOP_FIELD_CMP_IMM_LE,
	LOP_CMP_DOUBLE,     /* aux = enum filter_rel; both doubles */
	LOP_CMP_DOUBLE_INT, /* below double, top integer */
	LOP_CMP_INT_DOUBLE, /* below integer, top double */
	LOP_CMP_STRING,
	LOP_CMP_GLOB, /* aux = EQ or NE */
	LOP_BIT_RSHIFT,
	LOP_BIT_LSHIFT,
	LOP_BIT_AND,
	LOP_BIT_OR,
	LOP_BIT_XOR,
	LOP_NEG_INT,
	LOP_NEG_DOUBLE,
	LOP_NOT_INT,
	LOP_NOT_DOUBLE,
	LOP_BIT_NOT,
	LOP_DOUBLE_TO_INT,
	_LOP_MAX,
};

enum filter_rel { REL_EQ, REL_NE, REL_GT, REL_LT, REL_GE, REL_LE };

/* How a string on the stack compares (lttng-ust's literal types). */
enum filter_lit {
	LIT_NONE,  /* a field or context value: every byte is itself */
	LIT_PLAIN, /* a plain literal: '*' matches the rest, "\*" and "\\" escape */
	LIT_GLOB,  /* a star-glob pattern */
};

/* LOP_FIELD_ELEM flags, in the high bits of aux (low bits: element size). */
#define ELEM_SIGNED    0x10u
#define ELEM_REVERSE   0x20u
#define ELEM_SEQUENCE  0x40u
#define ELEM_SIZE_MASK 0x0fu

struct lop_insn {
	uint8_t op; /* enum lop */
	uint8_t aux;
	uint32_t arg;
	union {
		int64_t s64;
		double d;
		const char *str;
		uint64_t index;
		const void *ctx;
	} u;
};

struct filter_slot {
	union {
		int64_t v;
		double d;
	} n;
	const char *str;
	size_t len;  /* bytes at most (SIZE_MAX: up to the NUL) */
	uint8_t lit; /* enum filter_lit */
};

/*
 * A program reading application contexts has no instructions of its own:
 * it reads their values, then runs variants[k], linked for the kinds they
 * have (k = sum of kind_i * 4^i, kind FILTER_CTX_* or APP_KIND_ERROR).
 */
#define APP_KIND_ERROR 3
#define APP_NR_KINDS   4

struct filter_program {
	const struct filter_ctx_ops *ctx;
	uint32_t nr_insns;
	char *strings;     /* copy of the code, for the literals */
	bool owns_strings; /* false in variants: the top program's */
	uint32_t nr_app;
	const void *app[FILTER_MAX_APP_CONTEXTS];
	struct filter_program **variants; /* APP_NR_KINDS^nr_app */
	struct lop_insn insns[];
};

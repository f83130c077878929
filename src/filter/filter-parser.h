/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * The grammar of lttng 2.13's filter expressions (reference/
 * ust-registration.md section 3), lowest precedence first, every binary
 * operator left-associative:
 *
 *   expression := e1
 *   e1  := e2  { "||" e2 }
 *   e2  := e3  { "&&" e3 }
 *   e3  := e4  { ("==" | "!=") e4 }
 *   e4  := e5  { ("<" | ">" | "<=" | ">=") e5 }
 *   e5  := e6  { "|" e6 }           bitwise operators bind tighter than
 *   e6  := e7  { "^" e7 }           comparisons, unlike C:
 *   e7  := e8  { "&" e8 }           `v & 1 == 1` is `(v & 1) == 1`
 *   e8  := e9  { ("<<" | ">>") e9 }
 *   e9  := e10 { ("+" | "-") e10 }  (parsed, refused by the checker)
 *   e10 := unary { ("*" | "/" | "%") unary }
 *   unary := ("+" | "-" | "!" | "~") unary | path | literal | "(" e1 ")"
 *   path := segment { ("." | "->") segment }
 *   segment := (IDENT | GLOBAL_IDENT) { "[" unary "]" }
 *
 * The parser is an operator-precedence one with explicit stacks, so that
 * no input, however nested, can exhaust the C stack. It refuses what
 * lttng's parser refuses for being nested too deeply: a bison parser whose
 * stack stops at 10000 states. Each pending binary operator holds two of
 * them (its left operand and itself), each unary operator and `(` one,
 * each `[` two (the path and itself); an operand, a closing `)` or `]` and
 * the name after `.` add their own while they are parsed.
 */

#include "filter-ast.h"
#include "filter-error.h"

/* States bison's stack can hold (YYMAXDEPTH 10000, the first one included). */
#define FILTER_MAX_PARSER_DEPTH 9999

/*
 * Parses expression into a tree allocated in arena. Returns 0 and the root,
 * -EINVAL with err filled for a syntax error, or -ENOMEM.
 */
int filter_parse(const char *expression, struct filter_arena *arena, struct filter_node **ret_root,
                 struct filter_error *err);

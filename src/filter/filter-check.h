/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * The checks lttng 2.13 applies to a parsed filter before generating its
 * bytecode, in its order, each reporting the first error met depth-first,
 * left to right (reference/ust-registration.md section 3):
 *
 *  1. types (lttng's IR generation): `+ - * / %` refused before their
 *     operands are looked at; a unary operator on a string literal; a
 *     string literal compared with a number; a string operand of `&&`,
 *     `||` or a bitwise operator, a floating point one of a bitwise
 *     operator; `$` names other than $ctx and $app, or without a name
 *     after them; an index that is not an integer literal (on the first
 *     `[...]` of each segment of a path that has one); then the whole
 *     expression may not be a string or a floating point value;
 *  2. escapes of every string literal: only `\*` and `\\`;
 *  3. globbing patterns: never compared with another literal that has a
 *     wildcard, and only with `==` and `!=`.
 * ringtrace adds one limit of its own, checked with the types: at most
 * FILTER_MAX_APP_CONTEXTS distinct `$app.` paths.
 *
 * On success every node has its value type, every string literal its glob
 * class, and globbing patterns have their runs of stars collapsed.
 */

#include "filter-ast.h"
#include "filter-error.h"

/* Returns 0, -EINVAL with err filled, or -ENOMEM. */
int filter_check(const char *expression, struct filter_node *root, struct filter_error *err);

/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Bytecode generation from a checked tree, byte for byte as lttng 2.13's
 * generator (reference/ust-registration.md section 2):
 *
 *  - operands in post-order, then the operator; the unary `+` emits
 *    nothing; RETURN last;
 *  - `&&` / `||`: left operand, AND/OR with the absolute code offset just
 *    past the right operand, then the right operand; each operand whose
 *    value is a field is followed by CAST_TO_S64, a floating point one by
 *    CAST_DOUBLE_TO_S64;
 *  - a path without index: one LOAD_FIELD_REF (GET_CONTEXT_REF for $ctx and
 *    $app) with an 0xFFFF operand and a relocation entry naming the
 *    segments joined by '.' ("a.b", "$ctx.vpid", "$app.prov:ctx");
 *  - a path with an index: GET_PAYLOAD_ROOT (GET_CONTEXT_ROOT,
 *    GET_APP_CONTEXT_ROOT), then per segment GET_SYMBOL (with its
 *    relocation entry) and GET_INDEX_U64 when it has an index, then
 *    LOAD_FIELD;
 *  - a globbing pattern is a LOAD_STAR_GLOB_STRING, any other string a
 *    LOAD_STRING, both with their raw text.
 */

#include "filter-ast.h"
#include "filter-bytecode.h"

/*
 * Returns 0 and a malloc'd bytecode, -E2BIG when it would exceed
 * FILTER_BYTECODE_MAX_LEN bytes, or -ENOMEM.
 */
int filter_codegen(struct filter_node *root, struct filter_bytecode **ret_bytecode);

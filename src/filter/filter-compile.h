/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * The control-side filter compiler: a `--filter` expression in, the
 * bytecode lttng 2.13's liblttng-ctl would send for it out, byte for byte,
 * or the reason it refuses it. Syntax and semantics:
 * reference/ust-registration.md sections 2 and 3, and filter-parser.h,
 * filter-check.h, filter-codegen.h.
 */

#include <stddef.h>

#include "filter-bytecode.h"
#include "filter-error.h"

/*
 * Compiles expression (NUL-terminated, at most FILTER_EXPRESSION_MAX_LEN
 * bytes). Returns 0 and a malloc'd bytecode in *ret_bytecode (free() it);
 * or -EINVAL for an expression lttng refuses, or -E2BIG for one whose text
 * or bytecode is too long, both with ret_error (may be NULL) filled; or
 * -ENOMEM.
 */
int filter_compile(const char *expression, struct filter_bytecode **ret_bytecode,
                   struct filter_error *ret_error);

/* Bytes of the whole container: the 48-byte header and the data. */
size_t filter_bytecode_size(const struct filter_bytecode *bytecode);

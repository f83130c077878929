/* SPDX-License-Identifier: MIT */
#include "filter-compile.h"

#include <errno.h>
#include <string.h>

#include "filter-ast.h"
#include "filter-check.h"
#include "filter-codegen.h"
#include "filter-parser.h"

int filter_compile(const char *expression, struct filter_bytecode **ret_bytecode,
                   struct filter_error *ret_error)
{
	struct filter_arena *arena;
	struct filter_node *root;
	size_t len;
	int r;

	if (!expression || !ret_bytecode)
		return -EINVAL;
	len = strnlen(expression, FILTER_EXPRESSION_MAX_LEN + 1);
	if (len > FILTER_EXPRESSION_MAX_LEN) {
		filter_error_set(ret_error, expression, 0,
		                 "filter expression too long: expected at most %u bytes",
		                 FILTER_EXPRESSION_MAX_LEN);
		return -E2BIG;
	}
	arena = filter_arena_new();
	if (!arena)
		return -ENOMEM;
	r = filter_parse(expression, arena, &root, ret_error);
	if (r >= 0)
		r = filter_check(expression, root, ret_error);
	if (r >= 0)
		r = filter_codegen(root, ret_bytecode);
	if (r == -E2BIG)
		filter_error_set(ret_error, expression, 0,
		                 "filter too complex: its bytecode exceeds %u bytes; expected a "
		                 "shorter expression",
		                 FILTER_BYTECODE_MAX_LEN);
	filter_arena_free(arena);
	return r;
}

size_t filter_bytecode_size(const struct filter_bytecode *bytecode)
{
	return sizeof(*bytecode) + bytecode->len;
}

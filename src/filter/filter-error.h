/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Why a filter expression was refused, and where: what the CLI shows the
 * user. Positions count bytes of the expression; a tab is one column.
 */

#include <stddef.h>

#define FILTER_ERROR_MESSAGE_MAX 256

struct filter_error {
	size_t offset;       /* 0-based byte offset; strlen(expression) for "at the end" */
	unsigned int line;   /* 1-based line of offset (the expression may span lines) */
	unsigned int column; /* 1-based column of offset on that line */
	char message[FILTER_ERROR_MESSAGE_MAX]; /* what was wrong, what was expected */
};

/*
 * Fills err (may be NULL) for the error at byte offset of expression and
 * returns -EINVAL, so that `return filter_error_set(...)` reports it.
 */
/* The 1-based line and column of byte offset of expression. */
void filter_error_locate(const char *expression, size_t offset, unsigned int *ret_line,
                         unsigned int *ret_column);

int filter_error_set(struct filter_error *err, const char *expression, size_t offset,
                     const char *fmt, ...) __attribute__((format(printf, 4, 5)));

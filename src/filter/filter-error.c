/* SPDX-License-Identifier: MIT */
#include "filter-error.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void filter_error_locate(const char *expression, size_t offset, unsigned int *ret_line,
                         unsigned int *ret_column)
{
	unsigned int line = 1, column = 1;

	for (size_t i = 0; i < offset && expression[i]; i++) {
		if (expression[i] == '\n') {
			line++;
			column = 1;
		} else {
			column++;
		}
	}
	*ret_line = line;
	*ret_column = column;
}

int filter_error_set(struct filter_error *err, const char *expression, size_t offset,
                     const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return -EINVAL;
	err->offset = offset;
	filter_error_locate(expression, offset, &err->line, &err->column);
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* SPDX-License-Identifier: MIT */
#include "glob.h"

#include <stddef.h>

/* The first unescaped '*' of pattern, or NULL. */
static const char *first_star(const char *p)
{
	for (; *p; p++) {
		if (*p == '\\') {
			if (!p[1])
				break;
			p++;
			continue;
		}
		if (*p == '*')
			return p;
	}
	return NULL;
}

bool glob_has_star(const char *pattern)
{
	return first_star(pattern) != NULL;
}

bool glob_star_at_end_only(const char *pattern)
{
	const char *star = first_star(pattern);

	return star && star[1] == '\0';
}

/* SPDX-License-Identifier: MIT */
#include "filter-string.h"

#include <stdbool.h>

size_t filter_string_bad_escape(const char *text)
{
	for (const char *p = text; *p; p++) {
		if (*p != '\\')
			continue;
		if (p[1] != '*' && p[1] != '\\')
			return (size_t)(p - text);
		p++;
	}
	return (size_t)-1;
}

enum filter_glob_class filter_string_glob_class(const char *text)
{
	for (const char *p = text; *p; p++) {
		if (*p == '\\' && p[1]) {
			p++;
			continue;
		}
		if (*p == '*')
			return p[1] == '\0' ? FILTER_GLOB_STAR_END : FILTER_GLOB_FULL;
	}
	return FILTER_GLOB_NONE;
}

void filter_string_collapse_stars(char *text)
{
	bool after_wildcard = false;
	char *out = text;

	for (const char *p = text; *p; p++) {
		if (*p == '\\' && p[1]) {
			*out++ = *p++;
			*out++ = *p;
			after_wildcard = false;
			continue;
		}
		if (*p == '*') {
			if (after_wildcard)
				continue;
			after_wildcard = true;
		} else {
			after_wildcard = false;
		}
		*out++ = *p;
	}
	*out = '\0';
}

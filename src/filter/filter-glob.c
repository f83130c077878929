/* SPDX-License-Identifier: MIT */
#include "filter/filter-glob.h"

/*
 * On a mismatch after a star, the star takes one more candidate character
 * and matching resumes after it.
 */
bool filter_glob_match(const char *pattern, const char *cand, size_t len)
{
	const char *retry_c = cand, *retry_p = pattern, *c, *p;
	bool star = false;

retry:
	c = retry_c;
	p = retry_p;
	while ((size_t)(c - cand) < len && *c != '\0') {
		if (*p == '*') {
			star = true;
			retry_c = c;
			retry_p = p + 1;
			if (*retry_p == '\0')
				return true;
			goto retry;
		}
		if (*p == '\\')
			p++;
		if (*p == '\0' || *c != *p) {
			if (!star)
				return false;
			retry_c++;
			goto retry;
		}
		c++;
		p++;
	}
	return *p == '\0' || (p[0] == '*' && p[1] == '\0');
}

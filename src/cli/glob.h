/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Event name patterns as lttng understands them: `*` is a wildcard unless
 * escaped with a backslash.
 */

#include <stdbool.h>

/* The pattern has at least one unescaped `*`. */
bool glob_has_star(const char *pattern);

/* Its only unescaped `*` is its last character ("prov:*", not "a*b"). */
bool glob_star_at_end_only(const char *pattern);

/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * String literals of a filter, as lttng 2.13 treats them. The text is kept
 * raw, escapes included: the tracer interprets them when it compares.
 *
 *  - The only escapes are `\*` (a literal star) and `\\` (a backslash).
 *  - An unescaped `*` is a wildcard. A literal whose first wildcard is its
 *    last character ("star at end") is a prefix match sent as a plain
 *    LOAD_STRING; any other wildcard makes it a globbing pattern, sent as
 *    LOAD_STAR_GLOB_STRING with runs of consecutive wildcards collapsed
 *    into one (escaped stars are not wildcards: "\**" is star at end).
 */

#include <stddef.h>

#include "filter-ast.h"

/*
 * Offset in text of the first backslash not followed by `*` or `\`, or
 * (size_t)-1 when every escape is valid.
 */
size_t filter_string_bad_escape(const char *text);

/* The wildcards of text, whose escapes are valid. */
enum filter_glob_class filter_string_glob_class(const char *text);

/* Collapses each run of unescaped `*` of text into one, in place. */
void filter_string_collapse_stars(char *text);

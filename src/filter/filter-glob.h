/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Star-glob matching of a filter's LOAD_STAR_GLOB_STRING literal, as
 * lttng-ust 2.13 matches one: '*' matches any run of characters (empty
 * included), '\' makes the next pattern character literal, and the
 * candidate ends at its NUL or after len bytes, whichever comes first.
 */

#include <stdbool.h>
#include <stddef.h>

/* Whether cand (len bytes at most, or up to its NUL) matches the NUL-terminated pattern. */
bool filter_glob_match(const char *pattern, const char *cand, size_t len);

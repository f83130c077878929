/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * INI daemon configuration files, as lttng's lttng.conf: "[section]" lines,
 * "key=value" lines (blanks around both trimmed, a value may be quoted with
 * '"'), comments starting with ';' or '#'. Only the keys of one section are
 * handed over; the others are skipped.
 */

#include <stdbool.h>

/* Called for each key of the section, in file order; a negative return stops the reading. */
typedef int (*ini_key_fn)(const char *key, const char *value, void *arg);

/*
 * Reads path and calls fn for each key of section. Returns 0, -errno when
 * the file cannot be read, -EINVAL for a line that is neither a section, a
 * key, a comment nor blank (*ret_line set), or what fn returned.
 */
int ini_read(const char *path, const char *section, ini_key_fn fn, void *arg, int *ret_line);

/* An INI switch value: true/yes/on, false/no/off (any case). -EINVAL otherwise. */
int ini_parse_bool(const char *value, bool *ret);

/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * User space log levels (lttng-ust's TRACE_EMERG = 0 ... TRACE_DEBUG = 14).
 */

/*
 * A level by name as lttng accepts it: case-insensitive, with or without the
 * TRACE_ prefix, or a debug level's short alias (SYSTEM, PROGRAM, PROCESS,
 * MODULE, UNIT, FUNCTION, LINE) without it. Returns 0 or -1.
 */
int loglevel_parse(const char *str, int *ret_level);

/* "TRACE_WARNING" for 4, "UNKNOWN" out of range. */
const char *loglevel_name(int level);

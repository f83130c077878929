/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * User space log levels (lttng-ust's TRACE_EMERG = 0 ... TRACE_DEBUG = 14).
 */

/*
 * A level by name, case-insensitive, with or without the TRACE_ prefix, the
 * short debug aliases (SYSTEM, PROGRAM, PROCESS, MODULE, UNIT, FUNCTION,
 * LINE) as lttng, or by number 0-14. Returns 0 or -1.
 */
int loglevel_parse(const char *str, int *ret_level);

/* "TRACE_WARNING" for 4, "UNKNOWN" out of range. */
const char *loglevel_name(int level);

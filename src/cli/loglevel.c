/* SPDX-License-Identifier: MIT */
#include "loglevel.h"

#include <stdbool.h>
#include <string.h>
#include <strings.h>

#define LOGLEVEL_MAX 14

static const char *const level_names[LOGLEVEL_MAX + 1] = {
    "TRACE_EMERG",          "TRACE_ALERT",         "TRACE_CRIT",         "TRACE_ERR",
    "TRACE_WARNING",        "TRACE_NOTICE",        "TRACE_INFO",         "TRACE_DEBUG_SYSTEM",
    "TRACE_DEBUG_PROGRAM",  "TRACE_DEBUG_PROCESS", "TRACE_DEBUG_MODULE", "TRACE_DEBUG_UNIT",
    "TRACE_DEBUG_FUNCTION", "TRACE_DEBUG_LINE",    "TRACE_DEBUG",
};

#define TRACE_PREFIX "TRACE_"
#define DEBUG_PREFIX "DEBUG_"

/*
 * lttng's spellings, case-insensitive: TRACE_ERR or ERR; for the debug
 * levels also their last word alone (LINE for TRACE_DEBUG_LINE), but not
 * TRACE_LINE. Numbers are not log levels for lttng.
 */
int loglevel_parse(const char *str, int *ret_level)
{
	bool prefixed;
	const char *name;

	if (!str)
		return -1;
	prefixed = strncasecmp(str, TRACE_PREFIX, strlen(TRACE_PREFIX)) == 0;
	name = prefixed ? str + strlen(TRACE_PREFIX) : str;
	for (int level = 0; level <= LOGLEVEL_MAX; level++) {
		const char *known = level_names[level] + strlen(TRACE_PREFIX);

		if (strcasecmp(name, known) == 0 ||
		    (!prefixed && strncmp(known, DEBUG_PREFIX, strlen(DEBUG_PREFIX)) == 0 &&
		     strcasecmp(name, known + strlen(DEBUG_PREFIX)) == 0)) {
			*ret_level = level;
			return 0;
		}
	}
	return -1;
}

const char *loglevel_name(int level)
{
	if (level < 0 || level > LOGLEVEL_MAX)
		return "UNKNOWN";
	return level_names[level];
}

/* SPDX-License-Identifier: MIT */
#include "loglevel.h"

#include <ctype.h>
#include <stdlib.h>
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

int loglevel_parse(const char *str, int *ret_level)
{
	const char *name = str;
	char *end;

	if (!str || !*str)
		return -1;
	if (isdigit((unsigned char)str[0])) {
		long v = strtol(str, &end, 10);

		if (*end != '\0' || v < 0 || v > LOGLEVEL_MAX)
			return -1;
		*ret_level = (int)v;
		return 0;
	}
	if (strncasecmp(name, TRACE_PREFIX, strlen(TRACE_PREFIX)) == 0)
		name += strlen(TRACE_PREFIX);
	for (int level = 0; level <= LOGLEVEL_MAX; level++) {
		const char *known = level_names[level] + strlen(TRACE_PREFIX);

		/* DEBUG_LINE is also LINE, and so on for the other debug levels. */
		if (strcasecmp(name, known) == 0 ||
		    (strncmp(known, DEBUG_PREFIX, strlen(DEBUG_PREFIX)) == 0 &&
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

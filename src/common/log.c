/* SPDX-License-Identifier: MIT */
#include "log.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static const char *log_program = "ringtrace";
static int log_verbosity;

void log_setup(const char *program_name, int verbosity)
{
	log_program = program_name;
	log_verbosity = verbosity;
}

int log_get_verbosity(void)
{
	return log_verbosity;
}

void log_message(enum log_level level, const char *fmt, ...)
{
	static const char *const names[_LOG_LEVEL_MAX] = {
		[LOG_LEVEL_ERROR] = "Error",
		[LOG_LEVEL_WARN] = "Warning",
		[LOG_LEVEL_INFO] = "Info",
		[LOG_LEVEL_DEBUG] = "Debug",
	};
	char line[1024];
	va_list ap;
	int n;

	if ((int)level > LOG_LEVEL_WARN + log_verbosity)
		return;
	n = snprintf(line, sizeof(line), "%s: %s: ", log_program, names[level]);
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	va_end(ap);
	/* One write per message so lines from several threads do not interleave. */
	fprintf(stderr, "%s\n", line);
}

/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Logging for daemons and tools. Messages go to stderr prefixed with the
 * program name; daemons started with -d/-b keep stderr pointed at their log.
 * Verbosity: 0 = errors and warnings, 1 = info (-v), 2 = debug (-vv), 3 = trace.
 */

#include <stdarg.h>

enum log_level {
	LOG_LEVEL_ERROR,
	LOG_LEVEL_WARN,
	LOG_LEVEL_INFO,
	LOG_LEVEL_DEBUG,
	_LOG_LEVEL_MAX,
};

void log_setup(const char *program_name, int verbosity);
int log_get_verbosity(void);
void log_message(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_error(...) log_message(LOG_LEVEL_ERROR, __VA_ARGS__)
#define log_warn(...)  log_message(LOG_LEVEL_WARN, __VA_ARGS__)
#define log_info(...)  log_message(LOG_LEVEL_INFO, __VA_ARGS__)
#define log_debug(...) log_message(LOG_LEVEL_DEBUG, __VA_ARGS__)

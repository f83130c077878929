/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Paths under the relay's output directory. Every path a peer sends
 * (hostname, session name, base path, stream path, chunk name) is checked
 * here before use: nothing the relay creates may land outside the output
 * directory, so ".." components are refused everywhere and names that must
 * be one component may not contain '/'. Relative paths below are relative to
 * the output directory.
 */

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "common/comm/relayd-wire.h"
#include "common/paths.h"

/* A single file or directory name: non-empty, no '/', not "." or "..". */
bool path_is_component(const char *name);
/* Relative, no ".." component (empty and "." components are harmless). */
bool path_is_safe_relative(const char *path);

/*
 * The session directory lttng-relayd 2.13 would use for this CREATE_SESSION
 * (see "Output directory" in lttng-relayd(8)); -EINVAL when a name would
 * escape the output directory, -ENAMETOOLONG.
 */
int path_session_dir(const struct relayd_create_session *req, bool group_by_session,
                     char ret_path[PATH_MAX]);

/* <output dir>/<relative>. */
int path_absolute(const char *relative, char ret_path[PATH_MAX]);
/* snprintf into a PATH_MAX buffer; -ENAMETOOLONG when it does not fit. */
int path_format(char ret_path[PATH_MAX], const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* mkdir -p of <output dir>/<relative>, mode 0770 as lttng-relayd. */
int path_mkdirs(const char *relative);
/* YYYYmmddTHHMMSS+hhmm in local time, as trace chunk names use. */
void path_iso8601(uint64_t time_s, char ret[32]);

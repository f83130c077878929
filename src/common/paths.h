/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Where daemons live. A per-user session daemon keeps its sockets under
 * $RINGTRACE_HOME/.ringtrace (RINGTRACE_HOME defaults to HOME), mode 0700;
 * the root daemon under /run/ringtrace, reachable by root and the `tracing`
 * group. Traces default to $RINGTRACE_HOME/ringtrace-traces.
 */

#include <limits.h>
#include <stdbool.h>

#define RT_ROOT_RUNDIR       "/run/ringtrace"
#define RT_USER_RUNDIR_NAME  ".ringtrace"
#define RT_CLIENT_SOCK_NAME  "client-ringtrace-sock"
#define RT_APP_SOCK_NAME     "ust-ringtrace-sock"
#define RT_SESSIOND_PID_NAME "ringtrace-sessiond.pid"
#define RT_TRACES_DIR_NAME   "ringtrace-traces"
#define RT_TRACING_GROUP     "tracing"

/* $RINGTRACE_HOME, else $HOME; -ENOENT when neither is set. */
int rt_home_dir(char ret_path[PATH_MAX]);

/*
 * Run directory of the session daemon this process talks to: the root one
 * when root is true, else the per-user one.
 */
int rt_rundir(bool root, char ret_path[PATH_MAX]);

/* <rundir>/<name>. */
int rt_rundir_file(bool root, const char *name, char ret_path[PATH_MAX]);

/* snprintf into a PATH_MAX buffer; -ENAMETOOLONG when it does not fit. */
int rt_path_format(char ret_path[PATH_MAX], const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* mkdir -p with the given mode for each created component. */
int rt_mkdir_p(const char *path, unsigned mode);

/*
 * rm -r path: symbolic links are removed, never followed; a missing path is
 * fine. Each entry that cannot be removed is logged; returns 0 or the first
 * such failure (negative errno).
 */
int rt_remove_tree(const char *path);

/*
 * Finds program `name` beside the running program (both installed in one
 * bindir), or in the build tree where the running program's folder is a
 * sibling of `build_folder` (e.g. src/cli -> ../sessiond). true on success.
 */
bool rt_find_program_near_self(const char *name, const char *build_folder, char ret_path[PATH_MAX]);

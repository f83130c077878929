/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Loads the session configurations of path (--load), or with path NULL
 * those of the user's and the system's sessions/auto folders, through the
 * daemon's client socket, which must already listen. 0, or a negative
 * RINGTRACE_ERR_* once the failure is logged.
 */
int sessiond_load_sessions(const char *path);

/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * lttng create's auto-spawn: when no session daemon answers, start one
 * (--sessiond-path, $RINGTRACE_SESSIOND_PATH, next to this program, else
 * the installed one), announcing it with lttng's "Spawning a session
 * daemon". With -n/--no-sessiond nothing is spawned.
 *
 * notes_on_stderr: announce on stderr (record keeps stdout to the traced
 * command). Returns CMD_SUCCESS, or CMD_ERROR after lttng's messages.
 */

#include <stdbool.h>

int sessiond_launch(bool notes_on_stderr);

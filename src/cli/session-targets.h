/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * The sessions acted on by commands that take `[SESSION] [-a]` (destroy,
 * clear), with lttng's behaviour: with -a every existing session in turn
 * ("No session found, nothing to do." when there is none); otherwise the
 * named session or the current one, which must exist ("Session name X not
 * found").
 */

#include <stdbool.h>

/*
 * Acts on one session; prints its own messages. Returns CMD_SUCCESS, a
 * CMD_* code or a negative RINGTRACE_ERR_* code.
 */
typedef int (*session_target_fn)(const char *name, void *data);

/*
 * Once the command's options are parsed: takes the optional SESSION operand
 * (none with all), refuses any other, and runs fn on each target. Returns
 * fn's result for one session; with all, CMD_ERROR when fn failed for any.
 */
int session_targets_run(int argc, char **argv, bool all, session_target_fn fn, void *data);

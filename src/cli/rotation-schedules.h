/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * What enable-rotation and disable-rotation share: how lttng names each
 * schedule type in their messages, and the order in which they act on the
 * schedules a command line names.
 */

#include <ringtrace/ctl.h>
#include <stdbool.h>
#include <stdint.h>

extern const char *const rotation_schedule_names[];

/* Sets or unsets one schedule (value: its period or size); prints its own messages. */
typedef int (*rotation_schedule_fn)(const char *session, enum ringtrace_rotation_schedule_type type,
                                    uint64_t value);

/*
 * Once the options are parsed: resolves the session (session_opt, else the
 * current one), refuses a command line naming no schedule (none_message),
 * then runs fn on the periodic schedule (with period_us) when periodic, and
 * on the size-based one (with size_bytes) when size, each on its own as
 * lttng. Returns CMD_SUCCESS, or the first failure's exit code.
 */
int rotation_schedules_apply(const char *session_opt, bool periodic, uint64_t period_us, bool size,
                             uint64_t size_bytes, const char *none_message,
                             rotation_schedule_fn fn);

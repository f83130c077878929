/* SPDX-License-Identifier: MIT */
#pragma once

/* How lttng's enable-/disable-rotation name each schedule type in their messages. */

#include <ringtrace/ctl.h>

static const char *const rotation_schedule_names[] = {
    [RINGTRACE_ROTATION_SCHEDULE_SIZE_THRESHOLD] = "size-based",
    [RINGTRACE_ROTATION_SCHEDULE_PERIODIC] = "periodic",
};

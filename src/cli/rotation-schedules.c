/* SPDX-License-Identifier: MIT */
#include "rotation-schedules.h"

#include "cli.h"
#include "current-session.h"
#include "output.h"

const char *const rotation_schedule_names[] = {
    [RINGTRACE_ROTATION_SCHEDULE_SIZE_THRESHOLD] = "size-based",
    [RINGTRACE_ROTATION_SCHEDULE_PERIODIC] = "periodic",
};

int rotation_schedules_apply(const char *session_opt, bool periodic, uint64_t period_us, bool size,
                             uint64_t size_bytes, const char *none_message, rotation_schedule_fn fn)
{
	char name[RINGTRACE_NAME_MAX + 1];
	int r, r_size;

	r = current_session_resolve(session_opt, name);
	if (r != CMD_SUCCESS)
		return r;
	if (!periodic && !size) {
		cli_err("%s", none_message);
		return CMD_ERROR;
	}
	r = periodic ? fn(name, RINGTRACE_ROTATION_SCHEDULE_PERIODIC, period_us) : CMD_SUCCESS;
	if (size) {
		r_size = fn(name, RINGTRACE_ROTATION_SCHEDULE_SIZE_THRESHOLD, size_bytes);
		r = r != CMD_SUCCESS ? r : r_size;
	}
	return r;
}

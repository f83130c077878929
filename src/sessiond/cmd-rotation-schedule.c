/* SPDX-License-Identifier: MIT */
/*
 * ROTATION_SET_SCHEDULE and SESSION_LIST_ROTATION_SCHEDULES, with the
 * checks and errors of lttng-sessiond 2.13; the schedules themselves run
 * in rotation-schedule.c.
 */
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>

#include "clock.h"
#include "cmd.h"
#include "log.h"
#include "relay-output.h"
#include "rotation-schedule.h"

static int set_periodic(struct session *s, bool activate, uint64_t period_us)
{
	if (period_us >= UINT_MAX)
		return -RINGTRACE_ERR_INVALID;
	if (activate && s->rotate_timer_us)
		return -RINGTRACE_ERR_ROTATION_SCHEDULE_SET;
	if (!activate && (!s->rotate_timer_us || s->rotate_timer_us != period_us))
		return -RINGTRACE_ERR_ROTATION_SCHEDULE_NOT_SET;
	s->rotate_timer_us = activate ? period_us : 0;
	s->rotate_timer_deadline_ns = 0;
	if (activate && s->active)
		rotation_schedule_session_started(s);
	log_info("Session %s: periodic rotation %s (%" PRIu64 " us)", s->name,
	         activate ? "set" : "unset", period_us);
	return 0;
}

static int set_size(struct session *s, bool activate, uint64_t bytes)
{
	if (activate && s->rotate_size)
		return -RINGTRACE_ERR_ROTATION_SCHEDULE_SET;
	if (!activate && (!s->rotate_size || s->rotate_size != bytes))
		return -RINGTRACE_ERR_ROTATION_SCHEDULE_NOT_SET;
	s->rotate_size = activate ? bytes : 0;
	/* As lttng: the first threshold counts what the session wrote since its creation. */
	s->rotate_size_threshold = bytes;
	log_info("Session %s: size-based rotation %s (%" PRIu64 " bytes)", s->name,
	         activate ? "set" : "unset", bytes);
	return 0;
}

int cmd_rotation_set_schedule(const struct cmd_ctx *ctx, struct cmd_reply *reply)
{
	uint8_t activate = ctx->msg->u.rotation_set_schedule.activate;
	uint32_t type = ctx->msg->u.rotation_set_schedule.type;
	uint64_t value = ctx->msg->u.rotation_set_schedule.value;
	struct session *s;
	int r = cmd_lookup_session(ctx, &s);

	(void)reply;
	if (r < 0)
		return r;
	/* As lttng: local and network sessions, not snapshot, live or no-output ones. */
	if (s->snapshot_mode || (s->relay && s->relay->live_timer_us) ||
	    (!s->output_path[0] && !s->relay))
		return -RINGTRACE_ERR_ROTATION_NOT_AVAILABLE;
	if (activate > 1 || value == 0 || value == UINT64_MAX)
		return -RINGTRACE_ERR_INVALID;
	switch (type) {
	case RINGTRACE_ROTATION_SCHEDULE_PERIODIC:
		return set_periodic(s, activate, value);
	case RINGTRACE_ROTATION_SCHEDULE_SIZE_THRESHOLD:
		return set_size(s, activate, value);
	default:
		return -RINGTRACE_ERR_INVALID;
	}
}

int cmd_session_list_rotation_schedules(const struct cmd_ctx *ctx, struct cmd_reply *reply)
{
	struct ringtrace_rotation_schedules *schedules;
	struct session *s;
	int r = cmd_lookup_session(ctx, &s);

	if (r < 0)
		return r;
	schedules = calloc(1, sizeof(*schedules));
	if (!schedules)
		return -RINGTRACE_ERR_NOMEM;
	schedules->timer_period_us = s->rotate_timer_us;
	schedules->size_threshold_bytes = s->rotate_size;
	reply->payload = schedules;
	reply->len = sizeof(*schedules);
	return 0;
}

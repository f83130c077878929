/* SPDX-License-Identifier: MIT */
/*
 * Process attribute trackers: track, untrack and list the inclusion sets of
 * a session (user space domain). A change applies at once to the running
 * apps (ust_app_session_trackers_update()) and to those registering later.
 */
#include <errno.h>
#include <stdlib.h>

#include "cmd.h"
#include "ust-app.h"

/* The request's session and tracker, once both are checked. */
static int tracker_lookup(const struct cmd_ctx *ctx, struct session **ret_session,
                          struct session_tracker **ret_tracker)
{
	int32_t type = ctx->msg->u.tracker.tracker;
	struct session *s;
	int r;

	r = cmd_check_domain(&ctx->msg->domain);
	if (r < 0)
		return r;
	if (type < 0 || type >= _RINGTRACE_TRACKER_MAX || ctx->msg->u.tracker.all > 1)
		return -RINGTRACE_ERR_INVALID;
	r = cmd_lookup_session(ctx, &s);
	if (r < 0)
		return r;
	*ret_session = s;
	*ret_tracker = &s->trackers[type];
	return 0;
}

static int tracker_add_value(struct session_tracker *t, int32_t value)
{
	int r;

	if (value < 0)
		return -RINGTRACE_ERR_INVALID;
	r = session_tracker_add(t, value);
	if (r == -EEXIST)
		return -RINGTRACE_ERR_PROCESS_ATTR_EXISTS;
	return r < 0 ? -RINGTRACE_ERR_NOMEM : 0;
}

static int tracker_remove_value(struct session_tracker *t, int32_t value)
{
	return session_tracker_remove(t, value) < 0 ? -RINGTRACE_ERR_PROCESS_ATTR_MISSING : 0;
}

/*
 * TRACK_ID and UNTRACK_ID: "all" sets the tracker's policy to all_policy,
 * a value goes through change_value; the apps follow at once.
 */
static int tracker_change(const struct cmd_ctx *ctx, enum ringtrace_tracking_policy all_policy,
                          int (*change_value)(struct session_tracker *t, int32_t value))
{
	struct session_tracker *t;
	struct session *s;
	int r;

	r = tracker_lookup(ctx, &s, &t);
	if (r < 0)
		return r;
	/* As lttng, a tracker change makes the user space domain (listed from now on). */
	s->ust_domain = true;
	if (ctx->msg->u.tracker.all) {
		session_tracker_set_policy(t, all_policy);
	} else {
		r = change_value(t, ctx->msg->u.tracker.value);
		if (r < 0)
			return r;
	}
	return ust_app_session_trackers_update(s);
}

int cmd_track_id(const struct cmd_ctx *ctx, struct cmd_reply *reply)
{
	(void)reply;
	return tracker_change(ctx, RINGTRACE_TRACKING_INCLUDE_ALL, tracker_add_value);
}

int cmd_untrack_id(const struct cmd_ctx *ctx, struct cmd_reply *reply)
{
	(void)reply;
	return tracker_change(ctx, RINGTRACE_TRACKING_EXCLUDE_ALL, tracker_remove_value);
}

int cmd_list_tracker_ids(const struct cmd_ctx *ctx, struct cmd_reply *reply)
{
	struct session_tracker *t;
	struct session *s;
	int32_t *ids;
	int r;

	r = tracker_lookup(ctx, &s, &t);
	if (r < 0)
		return r;
	ids = malloc((t->count + 1) * sizeof(*ids));
	if (!ids)
		return -RINGTRACE_ERR_NOMEM;
	ids[0] = (int32_t)t->policy;
	for (uint32_t i = 0; i < t->count; i++)
		ids[i + 1] = t->values[i];
	return cmd_reply_array(reply, ids, t->count + 1, sizeof(*ids));
}

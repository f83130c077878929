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

int cmd_track_id(const struct cmd_ctx *ctx, struct cmd_reply *reply)
{
	struct session_tracker *t;
	struct session *s;
	int r;

	(void)reply;
	r = tracker_lookup(ctx, &s, &t);
	if (r < 0)
		return r;
	/* As lttng, a tracker change makes the user space domain (listed from now on). */
	s->ust_domain = true;
	if (ctx->msg->u.tracker.all) {
		session_tracker_set_policy(t, RINGTRACE_TRACKING_INCLUDE_ALL);
	} else {
		if (ctx->msg->u.tracker.value < 0)
			return -RINGTRACE_ERR_INVALID;
		r = session_tracker_add(t, ctx->msg->u.tracker.value);
		if (r == -EEXIST)
			return -RINGTRACE_ERR_PROCESS_ATTR_EXISTS;
		if (r < 0)
			return -RINGTRACE_ERR_NOMEM;
	}
	return ust_app_session_trackers_update(s);
}

int cmd_untrack_id(const struct cmd_ctx *ctx, struct cmd_reply *reply)
{
	struct session_tracker *t;
	struct session *s;
	int r;

	(void)reply;
	r = tracker_lookup(ctx, &s, &t);
	if (r < 0)
		return r;
	/* As lttng, a tracker change makes the user space domain (listed from now on). */
	s->ust_domain = true;
	if (ctx->msg->u.tracker.all) {
		session_tracker_set_policy(t, RINGTRACE_TRACKING_EXCLUDE_ALL);
	} else {
		r = session_tracker_remove(t, ctx->msg->u.tracker.value);
		if (r < 0)
			return -RINGTRACE_ERR_PROCESS_ATTR_MISSING;
	}
	return ust_app_session_trackers_update(s);
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

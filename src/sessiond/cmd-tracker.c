/* SPDX-License-Identifier: MIT */
/*
 * Process attribute trackers: track, untrack and list the inclusion sets of
 * a session (user space domain). A change applies at once to the running
 * apps (ust_app_session_trackers_update()) and to those registering later.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

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

/*
 * The request's value, checked: an id >= 0, or a name (NUL-terminated
 * within its field) of a user for vuid, of a group for vgid, that exists.
 */
static int tracker_request_value(const struct cmd_ctx *ctx,
                                 struct ringtrace_tracker_value *ret_value)
{
	int32_t type = ctx->msg->u.tracker.tracker;
	int32_t resolved;

	*ret_value = ctx->msg->u.tracker.value;
	if (!memchr(ret_value->name, '\0', sizeof(ret_value->name)))
		return -RINGTRACE_ERR_PROTOCOL;
	if (!ret_value->name[0])
		return ret_value->id < 0 ? -RINGTRACE_ERR_INVALID : 0;
	if (type == RINGTRACE_TRACKER_VPID)
		return -RINGTRACE_ERR_INVALID;
	ret_value->id = 0;
	if (session_tracker_resolve(type, ret_value->name, &resolved) < 0)
		return type == RINGTRACE_TRACKER_VUID ? -RINGTRACE_ERR_USER_NOT_FOUND
		                                      : -RINGTRACE_ERR_GROUP_NOT_FOUND;
	return 0;
}

static int tracker_add_value(struct session_tracker *t, const struct ringtrace_tracker_value *value)
{
	int r = session_tracker_add(t, value);

	if (r == -EEXIST)
		return -RINGTRACE_ERR_PROCESS_ATTR_EXISTS;
	return r < 0 ? -RINGTRACE_ERR_NOMEM : 0;
}

static int tracker_remove_value(struct session_tracker *t,
                                const struct ringtrace_tracker_value *value)
{
	return session_tracker_remove(t, value) < 0 ? -RINGTRACE_ERR_PROCESS_ATTR_MISSING : 0;
}

/*
 * TRACK_ID and UNTRACK_ID: "all" sets the tracker's policy to all_policy,
 * a value goes through change_value; the apps follow at once.
 */
static int tracker_change(const struct cmd_ctx *ctx, enum ringtrace_tracking_policy all_policy,
                          int (*change_value)(struct session_tracker *t,
                                              const struct ringtrace_tracker_value *value))
{
	struct ringtrace_tracker_value value;
	struct session_tracker *t;
	struct session *s;
	int r;

	r = tracker_lookup(ctx, &s, &t);
	if (r < 0)
		return r;
	if (!ctx->msg->u.tracker.all) {
		r = tracker_request_value(ctx, &value);
		if (r < 0)
			return r;
	}
	/* As lttng, a tracker change makes the user space domain (listed from now on). */
	s->ust_domain = true;
	if (ctx->msg->u.tracker.all) {
		session_tracker_set_policy(t, all_policy);
	} else {
		r = change_value(t, &value);
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
	struct ringtrace_tracker_value *values;
	int r;

	r = tracker_lookup(ctx, &s, &t);
	if (r < 0)
		return r;
	/* The policy first, in an entry of its own, then the set (client-msg.h). */
	values = calloc(t->count + 1, sizeof(*values));
	if (!values)
		return -RINGTRACE_ERR_NOMEM;
	values[0].id = (int32_t)t->policy;
	if (t->count)
		memcpy(&values[1], t->values, t->count * sizeof(*values));
	return cmd_reply_array(reply, values, t->count + 1, sizeof(*values));
}

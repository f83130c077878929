/* SPDX-License-Identifier: MIT */
/*
 * Process attribute trackers of a session (user space domain).
 */
#include <stdlib.h>
#include <string.h>

#include "ctl-internal.h"

static int tracker_request(enum client_command cmd, const struct ringtrace_handle *handle,
                           enum ringtrace_tracker_type tracker, bool all,
                           const struct ringtrace_tracker_value *value)
{
	struct client_msg msg;
	int r;

	if ((unsigned)tracker >= _RINGTRACE_TRACKER_MAX)
		return -RINGTRACE_ERR_INVALID;
	if (value && !memchr(value->name, '\0', sizeof(value->name)))
		return -RINGTRACE_ERR_NAME_TOO_LONG;
	r = ctl_handle_msg_init(&msg, handle, true);
	if (r < 0)
		return r;
	msg.u.tracker.tracker = (int32_t)tracker;
	msg.u.tracker.all = all;
	if (value)
		msg.u.tracker.value = *value;
	return ctl_request(cmd, &msg, NULL, 0, NULL, NULL);
}

int ringtrace_track_value(const struct ringtrace_handle *handle,
                          enum ringtrace_tracker_type tracker,
                          const struct ringtrace_tracker_value *value)
{
	if (!value)
		return -RINGTRACE_ERR_INVALID;
	return tracker_request(CLIENT_TRACK_ID, handle, tracker, false, value);
}

int ringtrace_untrack_value(const struct ringtrace_handle *handle,
                            enum ringtrace_tracker_type tracker,
                            const struct ringtrace_tracker_value *value)
{
	if (!value)
		return -RINGTRACE_ERR_INVALID;
	return tracker_request(CLIENT_UNTRACK_ID, handle, tracker, false, value);
}

int ringtrace_set_tracking_policy(const struct ringtrace_handle *handle,
                                  enum ringtrace_tracker_type tracker,
                                  enum ringtrace_tracking_policy policy)
{
	switch (policy) {
	case RINGTRACE_TRACKING_INCLUDE_ALL:
		return tracker_request(CLIENT_TRACK_ID, handle, tracker, true, NULL);
	case RINGTRACE_TRACKING_EXCLUDE_ALL:
		return tracker_request(CLIENT_UNTRACK_ID, handle, tracker, true, NULL);
	default:
		return -RINGTRACE_ERR_INVALID;
	}
}

int ringtrace_list_tracker_values(const struct ringtrace_handle *handle,
                                  enum ringtrace_tracker_type tracker,
                                  enum ringtrace_tracking_policy *ret_policy,
                                  struct ringtrace_tracker_value **ret_values)
{
	struct ringtrace_tracker_value *reply = NULL;
	struct client_msg msg;
	int r, n;

	if ((unsigned)tracker >= _RINGTRACE_TRACKER_MAX || !ret_policy || !ret_values)
		return -RINGTRACE_ERR_INVALID;
	r = ctl_handle_msg_init(&msg, handle, true);
	if (r < 0)
		return r;
	msg.u.tracker.tracker = (int32_t)tracker;
	n = ctl_request_array(CLIENT_LIST_TRACKER_IDS, &msg, sizeof(*reply), (void **)&reply);
	if (n < 0)
		return n;
	if (n < 1 || reply[0].id < 0 || reply[0].id >= _RINGTRACE_TRACKING_MAX)
		goto bad;
	for (int i = 1; i < n; i++) {
		if (!memchr(reply[i].name, '\0', sizeof(reply[i].name)))
			goto bad;
	}
	*ret_policy = (enum ringtrace_tracking_policy)reply[0].id;
	/* The values follow the policy entry: shifted down, the array is theirs. */
	memmove(reply, reply + 1, (size_t)(n - 1) * sizeof(*reply));
	if (n == 1) {
		free(reply);
		reply = NULL;
	}
	*ret_values = reply;
	return n - 1;
bad:
	free(reply);
	return -RINGTRACE_ERR_PROTOCOL;
}

/* SPDX-License-Identifier: MIT */
/*
 * Process attribute trackers of a session (user space domain).
 */
#include <stdlib.h>

#include "ctl-internal.h"

static int tracker_request(enum client_command cmd, const struct ringtrace_handle *handle,
                           enum ringtrace_tracker_type tracker, bool all, int32_t value)
{
	struct client_msg msg;
	int r;

	if ((unsigned)tracker >= _RINGTRACE_TRACKER_MAX)
		return -RINGTRACE_ERR_INVALID;
	r = ctl_handle_msg_init(&msg, handle, true);
	if (r < 0)
		return r;
	msg.u.tracker.tracker = (int32_t)tracker;
	msg.u.tracker.all = all;
	msg.u.tracker.value = value;
	return ctl_request(cmd, &msg, NULL, 0, NULL, NULL);
}

int ringtrace_track_id(const struct ringtrace_handle *handle, enum ringtrace_tracker_type tracker,
                       int32_t value)
{
	return tracker_request(CLIENT_TRACK_ID, handle, tracker, false, value);
}

int ringtrace_untrack_id(const struct ringtrace_handle *handle, enum ringtrace_tracker_type tracker,
                         int32_t value)
{
	return tracker_request(CLIENT_UNTRACK_ID, handle, tracker, false, value);
}

int ringtrace_set_tracking_policy(const struct ringtrace_handle *handle,
                                  enum ringtrace_tracker_type tracker,
                                  enum ringtrace_tracking_policy policy)
{
	switch (policy) {
	case RINGTRACE_TRACKING_INCLUDE_ALL:
		return tracker_request(CLIENT_TRACK_ID, handle, tracker, true, 0);
	case RINGTRACE_TRACKING_EXCLUDE_ALL:
		return tracker_request(CLIENT_UNTRACK_ID, handle, tracker, true, 0);
	default:
		return -RINGTRACE_ERR_INVALID;
	}
}

int ringtrace_list_tracker_ids(const struct ringtrace_handle *handle,
                               enum ringtrace_tracker_type tracker,
                               enum ringtrace_tracking_policy *ret_policy, int32_t **ret_values)
{
	int32_t *reply = NULL, *values = NULL;
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
	if (n < 1 || reply[0] < 0 || reply[0] >= _RINGTRACE_TRACKING_MAX) {
		free(reply);
		return -RINGTRACE_ERR_PROTOCOL;
	}
	if (n > 1) {
		values = malloc((size_t)(n - 1) * sizeof(*values));
		if (!values) {
			free(reply);
			return -RINGTRACE_ERR_NOMEM;
		}
		for (int i = 1; i < n; i++)
			values[i - 1] = reply[i];
	}
	*ret_policy = (enum ringtrace_tracking_policy)reply[0];
	free(reply);
	*ret_values = values;
	return n - 1;
}

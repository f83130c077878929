/* SPDX-License-Identifier: MIT */
/*
 * Trace chunks: rotation, its state and schedules, and clear (client-msg.h
 * CLIENT_ROTATE_SESSION, CLIENT_ROTATION_GET_INFO, CLIENT_ROTATION_SET_SCHEDULE,
 * CLIENT_SESSION_LIST_ROTATION_SCHEDULES, CLIENT_CLEAR_SESSION).
 */
#include <stdlib.h>
#include <string.h>

#include "ctl-internal.h"

int ringtrace_rotate_session(const char *session_name, char ret_archive[RINGTRACE_PATH_MAX])
{
	struct client_msg msg;
	void *reply = NULL;
	size_t len = 0;
	int r;

	if (!session_name || !*session_name || !ret_archive)
		return -RINGTRACE_ERR_INVALID;
	r = ctl_msg_init(&msg, session_name, NULL);
	if (r < 0)
		return r;
	r = ctl_request(CLIENT_ROTATE_SESSION, &msg, NULL, 0, &reply, &len);
	if (r < 0)
		return r;
	if (len != RINGTRACE_PATH_MAX || !memchr(reply, '\0', len)) {
		free(reply);
		return -RINGTRACE_ERR_PROTOCOL;
	}
	memcpy(ret_archive, reply, len);
	free(reply);
	return 0;
}

int ringtrace_clear_session(const char *session_name)
{
	struct client_msg msg;
	int r;

	if (!session_name || !*session_name)
		return -RINGTRACE_ERR_INVALID;
	r = ctl_msg_init(&msg, session_name, NULL);
	if (r < 0)
		return r;
	return ctl_request(CLIENT_CLEAR_SESSION, &msg, NULL, 0, NULL, NULL);
}

int ringtrace_rotation_get_info(const char *session_name, uint64_t rotation_id, int32_t *ret_state,
                                char ret_archive[RINGTRACE_PATH_MAX])
{
	struct client_rotation_info info;
	struct client_msg msg;
	void *reply = NULL;
	size_t len = 0;
	int r;

	if (!session_name || !*session_name || !ret_state || !ret_archive)
		return -RINGTRACE_ERR_INVALID;
	r = ctl_msg_init(&msg, session_name, NULL);
	if (r < 0)
		return r;
	msg.u.rotation_get_info.rotation_id = rotation_id;
	r = ctl_request(CLIENT_ROTATION_GET_INFO, &msg, NULL, 0, &reply, &len);
	if (r < 0)
		return r;
	if (len != sizeof(info)) {
		free(reply);
		return -RINGTRACE_ERR_PROTOCOL;
	}
	memcpy(&info, reply, sizeof(info));
	free(reply);
	if (!memchr(info.archive, '\0', sizeof(info.archive)))
		return -RINGTRACE_ERR_PROTOCOL;
	*ret_state = info.state;
	memcpy(ret_archive, info.archive, sizeof(info.archive));
	return 0;
}

int ringtrace_rotation_set_schedule(const char *session_name, int activate,
                                    enum ringtrace_rotation_schedule_type type, uint64_t value)
{
	struct client_msg msg;
	int r;

	if (!session_name || !*session_name)
		return -RINGTRACE_ERR_INVALID;
	r = ctl_msg_init(&msg, session_name, NULL);
	if (r < 0)
		return r;
	msg.u.rotation_set_schedule.activate = activate != 0;
	msg.u.rotation_set_schedule.type = (uint32_t)type;
	msg.u.rotation_set_schedule.value = value;
	return ctl_request(CLIENT_ROTATION_SET_SCHEDULE, &msg, NULL, 0, NULL, NULL);
}

int ringtrace_list_rotation_schedules(const char *session_name,
                                      struct ringtrace_rotation_schedules *ret_schedules)
{
	struct client_msg msg;
	void *reply = NULL;
	size_t len = 0;
	int r;

	if (!session_name || !*session_name || !ret_schedules)
		return -RINGTRACE_ERR_INVALID;
	r = ctl_msg_init(&msg, session_name, NULL);
	if (r < 0)
		return r;
	r = ctl_request(CLIENT_SESSION_LIST_ROTATION_SCHEDULES, &msg, NULL, 0, &reply, &len);
	if (r < 0)
		return r;
	if (len != sizeof(*ret_schedules)) {
		free(reply);
		return -RINGTRACE_ERR_PROTOCOL;
	}
	memcpy(ret_schedules, reply, len);
	free(reply);
	return 0;
}

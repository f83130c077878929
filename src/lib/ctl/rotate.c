/* SPDX-License-Identifier: MIT */
/*
 * Trace chunks: rotation, its state and schedules, and clear (client-msg.h
 * CLIENT_ROTATE_SESSION, CLIENT_ROTATION_GET_INFO, CLIENT_ROTATION_SET_SCHEDULE,
 * CLIENT_SESSION_LIST_ROTATION_SCHEDULES, CLIENT_CLEAR_SESSION).
 */
#include <stdlib.h>
#include <string.h>

#include "ctl-internal.h"

/* Sends cmd; its reply must be exactly len bytes, copied to ret. */
static int request_fixed_reply(enum client_command cmd, const struct client_msg *msg, void *ret,
                               size_t len)
{
	void *reply = NULL;
	size_t got = 0;
	int r = ctl_request(cmd, msg, NULL, 0, &reply, &got);

	if (r < 0)
		return r;
	if (got != len) {
		free(reply);
		return -RINGTRACE_ERR_PROTOCOL;
	}
	memcpy(ret, reply, len);
	free(reply);
	return 0;
}

int ringtrace_rotate_session(const char *session_name, char ret_archive[RINGTRACE_PATH_MAX])
{
	char archive[RINGTRACE_PATH_MAX];
	struct client_msg msg;
	int r = ctl_session_msg_init(&msg, session_name);

	if (r == 0 && !ret_archive)
		r = -RINGTRACE_ERR_INVALID;
	if (r == 0)
		r = request_fixed_reply(CLIENT_ROTATE_SESSION, &msg, archive, sizeof(archive));
	if (r < 0)
		return r;
	if (!memchr(archive, '\0', sizeof(archive)))
		return -RINGTRACE_ERR_PROTOCOL;
	memcpy(ret_archive, archive, sizeof(archive));
	return 0;
}

int ringtrace_clear_session(const char *session_name)
{
	struct client_msg msg;
	int r = ctl_session_msg_init(&msg, session_name);

	return r < 0 ? r : ctl_request(CLIENT_CLEAR_SESSION, &msg, NULL, 0, NULL, NULL);
}

int ringtrace_rotation_get_info(const char *session_name, uint64_t rotation_id, int32_t *ret_state,
                                char ret_archive[RINGTRACE_PATH_MAX])
{
	struct client_rotation_info info;
	struct client_msg msg;
	int r = ctl_session_msg_init(&msg, session_name);

	if (r == 0 && (!ret_state || !ret_archive))
		r = -RINGTRACE_ERR_INVALID;
	if (r < 0)
		return r;
	msg.u.rotation_get_info.rotation_id = rotation_id;
	r = request_fixed_reply(CLIENT_ROTATION_GET_INFO, &msg, &info, sizeof(info));
	if (r < 0)
		return r;
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
	int r = ctl_session_msg_init(&msg, session_name);

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
	int r = ctl_session_msg_init(&msg, session_name);

	if (r == 0 && !ret_schedules)
		r = -RINGTRACE_ERR_INVALID;
	return r < 0 ? r
	             : request_fixed_reply(CLIENT_SESSION_LIST_ROTATION_SCHEDULES, &msg,
	                                   ret_schedules, sizeof(*ret_schedules));
}

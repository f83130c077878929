/* SPDX-License-Identifier: MIT */
/* Trace chunks: rotation and clear (client-msg.h CLIENT_ROTATE_SESSION, CLIENT_CLEAR_SESSION). */
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

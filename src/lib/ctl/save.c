/* SPDX-License-Identifier: MIT */
/*
 * Saving sessions: the session daemon writes the files (it knows the
 * sessions); the client only names them and the directory.
 */
#include "ctl-internal.h"

int ringtrace_save_session(const struct ringtrace_save_attr *attr)
{
	struct client_msg msg;
	int r;

	if (!attr)
		return -RINGTRACE_ERR_INVALID;
	r = ctl_msg_init(&msg, attr->session_name, NULL);
	if (r < 0)
		return r;
	if (attr->output_dir && attr->output_dir[0]) {
		r = ctl_absolute_path(attr->output_dir, msg.u.save.output_dir);
		if (r < 0)
			return -RINGTRACE_ERR_INVALID;
	}
	msg.u.save.force = attr->overwrite != 0;
	return ctl_request(CLIENT_SAVE_SESSION, &msg, NULL, 0, NULL, NULL);
}

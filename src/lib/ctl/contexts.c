/* SPDX-License-Identifier: MIT */
/*
 * Contexts of a session's channels (add-context).
 */
#include "ctl-internal.h"

int ringtrace_add_context(const struct ringtrace_handle *handle,
                          const struct ringtrace_event_context *ctx, const char *channel_name)
{
	struct client_msg msg;
	int r;

	if (!ctx)
		return -RINGTRACE_ERR_INVALID;
	r = ctl_handle_msg_init(&msg, handle, true);
	if (r < 0)
		return r;
	r = ctl_copy_name(msg.u.add_context.channel_name, sizeof(msg.u.add_context.channel_name),
	                  channel_name);
	if (r < 0)
		return r;
	msg.u.add_context.ctx = *ctx;
	return ctl_request(CLIENT_ADD_CONTEXT, &msg, NULL, 0, NULL, NULL);
}

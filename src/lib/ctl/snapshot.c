/* SPDX-License-Identifier: MIT */
/* Snapshot outputs and snapshot record (client-msg.h CLIENT_SNAPSHOT_*). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ctl-internal.h"

/* The output travels as the request's variable data. */
static int snapshot_request(enum client_command cmd, const char *session_name,
                            const struct ringtrace_snapshot_output *output, void **ret_payload,
                            size_t *ret_len)
{
	struct client_msg msg;
	int r;

	if (!session_name || !*session_name || !output ||
	    !memchr(output->name, '\0', sizeof(output->name)) ||
	    !memchr(output->url, '\0', sizeof(output->url)))
		return -RINGTRACE_ERR_INVALID;
	r = ctl_msg_init(&msg, session_name, NULL);
	if (r < 0)
		return r;
	return ctl_request(cmd, &msg, output, sizeof(*output), ret_payload, ret_len);
}

int ringtrace_snapshot_add_output(const char *session_name,
                                  struct ringtrace_snapshot_output *output)
{
	void *reply = NULL;
	size_t len = 0;
	int r = snapshot_request(CLIENT_SNAPSHOT_ADD_OUTPUT, session_name, output, &reply, &len);

	if (r < 0)
		return r;
	if (len != sizeof(output->id)) {
		free(reply);
		return -RINGTRACE_ERR_PROTOCOL;
	}
	memcpy(&output->id, reply, sizeof(output->id));
	free(reply);
	return 0;
}

int ringtrace_snapshot_del_output(const char *session_name,
                                  const struct ringtrace_snapshot_output *output)
{
	return snapshot_request(CLIENT_SNAPSHOT_DEL_OUTPUT, session_name, output, NULL, NULL);
}

int ringtrace_snapshot_record(const char *session_name,
                              const struct ringtrace_snapshot_output *output)
{
	return snapshot_request(CLIENT_SNAPSHOT_RECORD, session_name, output, NULL, NULL);
}

int ringtrace_snapshot_list_output(const char *session_name,
                                   struct ringtrace_snapshot_output **ret_outputs)
{
	struct client_msg msg;
	int r;

	if (!session_name || !*session_name || !ret_outputs)
		return -RINGTRACE_ERR_INVALID;
	r = ctl_msg_init(&msg, session_name, NULL);
	if (r < 0)
		return r;
	return ctl_request_array(CLIENT_SNAPSHOT_LIST_OUTPUT, &msg, sizeof(**ret_outputs),
	                         (void **)ret_outputs);
}

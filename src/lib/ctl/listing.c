/* SPDX-License-Identifier: MIT */
/*
 * What the registered applications offer: their tracepoints and the fields
 * of each (no session involved).
 */
#include <string.h>

#include "ctl-internal.h"

/* A handle is optional here: without one, the user space domain. */
static int tracepoints_msg_init(struct client_msg *msg, const struct ringtrace_handle *handle)
{
	static const struct ringtrace_domain ust = {.type = RINGTRACE_DOMAIN_UST};

	if (!handle)
		return ctl_msg_init(msg, NULL, &ust);
	return ctl_handle_msg_init(msg, handle, false);
}

int ringtrace_list_tracepoints(const struct ringtrace_handle *handle,
                               struct ringtrace_event **ret_events)
{
	struct client_msg msg;
	int r;

	if (!ret_events)
		return -RINGTRACE_ERR_INVALID;
	r = tracepoints_msg_init(&msg, handle);
	if (r < 0)
		return r;
	return ctl_request_events(CLIENT_LIST_TRACEPOINTS, &msg, ret_events);
}

int ringtrace_list_tracepoint_fields(const struct ringtrace_handle *handle,
                                     struct ringtrace_event_field **ret_fields)
{
	struct ringtrace_event_field *fields = NULL;
	struct client_msg msg;
	int r, n;

	if (!ret_fields)
		return -RINGTRACE_ERR_INVALID;
	r = tracepoints_msg_init(&msg, handle);
	if (r < 0)
		return r;
	n = ctl_request_array(CLIENT_LIST_TRACEPOINT_FIELDS, &msg, sizeof(*fields),
	                      (void **)&fields);
	if (n < 0)
		return n;
	for (int i = 0; i < n; i++) {
		fields[i].field_name[sizeof(fields[i].field_name) - 1] = '\0';
		fields[i].event.name[sizeof(fields[i].event.name) - 1] = '\0';
	}
	*ret_fields = fields;
	return n;
}

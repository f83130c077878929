/* SPDX-License-Identifier: MIT */
/*
 * Channels and domains of a session.
 */
#include <stdlib.h>
#include <string.h>

#include "ctl-internal.h"

void ringtrace_channel_set_default_attr(const struct ringtrace_domain *domain,
                                        struct ringtrace_channel_attr *attr)
{
	if (!attr)
		return;
	memset(attr, 0, sizeof(*attr));
	/* -1: the daemon picks (overwrite for snapshot sessions, else discard). */
	attr->overwrite = -1;
	attr->subbuf_size = RINGTRACE_DEFAULT_UST_SUBBUF_SIZE;
	attr->num_subbuf = RINGTRACE_DEFAULT_UST_NUM_SUBBUF;
	attr->switch_timer_interval = RINGTRACE_DEFAULT_SWITCH_TIMER;
	attr->read_timer_interval = RINGTRACE_DEFAULT_READ_TIMER;
	attr->output = RINGTRACE_EVENT_MMAP;
	attr->monitor_timer_interval = RINGTRACE_DEFAULT_MONITOR_TIMER;
	attr->blocking_timeout = 0;
	if (domain && domain->type == RINGTRACE_DOMAIN_UST &&
	    domain->buf_type == RINGTRACE_BUFFER_PER_PID)
		attr->subbuf_size = RINGTRACE_DEFAULT_UST_PID_SUBBUF_SIZE;
}

int ringtrace_enable_channel(const struct ringtrace_handle *handle, struct ringtrace_channel *chan)
{
	struct client_msg msg;
	int r;

	if (!chan || !chan->name[0] || !memchr(chan->name, '\0', sizeof(chan->name)))
		return -RINGTRACE_ERR_INVALID;
	r = ctl_handle_msg_init(&msg, handle, true);
	if (r < 0)
		return r;
	msg.u.channel.chan = *chan;
	return ctl_request(CLIENT_ENABLE_CHANNEL, &msg, NULL, 0, NULL, NULL);
}

int ringtrace_disable_channel(const struct ringtrace_handle *handle, const char *name)
{
	struct client_msg msg;
	int r;

	if (!name || !*name)
		return -RINGTRACE_ERR_INVALID;
	r = ctl_handle_msg_init(&msg, handle, true);
	if (r < 0)
		return r;
	r = ctl_copy_name(msg.u.disable_channel.channel_name,
	                  sizeof(msg.u.disable_channel.channel_name), name);
	if (r < 0)
		return r;
	return ctl_request(CLIENT_DISABLE_CHANNEL, &msg, NULL, 0, NULL, NULL);
}

int ringtrace_list_channels(const struct ringtrace_handle *handle,
                            struct ringtrace_channel **ret_channels)
{
	struct ringtrace_channel *channels = NULL;
	struct client_msg msg;
	int r, n;

	if (!ret_channels)
		return -RINGTRACE_ERR_INVALID;
	r = ctl_handle_msg_init(&msg, handle, true);
	if (r < 0)
		return r;
	n = ctl_request_array(CLIENT_LIST_CHANNELS, &msg, sizeof(*channels), (void **)&channels);
	if (n < 0)
		return n;
	for (int i = 0; i < n; i++)
		channels[i].name[sizeof(channels[i].name) - 1] = '\0';
	*ret_channels = channels;
	return n;
}

int ringtrace_list_domains(const char *session_name, struct ringtrace_domain **ret_domains)
{
	struct client_msg msg;
	int r;

	if (!ret_domains || !session_name || !*session_name)
		return -RINGTRACE_ERR_INVALID;
	r = ctl_msg_init(&msg, session_name, NULL);
	if (r < 0)
		return r;
	return ctl_request_array(CLIENT_LIST_DOMAINS, &msg, sizeof(**ret_domains),
	                         (void **)ret_domains);
}

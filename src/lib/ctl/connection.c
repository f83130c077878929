/* SPDX-License-Identifier: MIT */
/*
 * Reaching the session daemon. As liblttng-ctl, a connection is opened for
 * each command and closed after its reply: the library keeps no state that
 * a daemon restart (or a fork of the caller) could make stale.
 *
 * Which daemon: with RINGTRACE_HOME set, always the per-user one under it
 * (tests and CI isolate themselves this way, also as root); else root talks
 * to the root daemon in /run/ringtrace; other users to their own daemon,
 * members of the tracing group trying the root daemon first (lttng's rule).
 */
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/comm/frame.h"
#include "common/macros.h"
#include "common/paths.h"
#include "common/unix-sock.h"
#include "ctl-internal.h"

static char tracing_group[64] = RT_TRACING_GROUP;

void ringtrace_set_tracing_group(const char *name)
{
	if (name && *name)
		snprintf(tracing_group, sizeof(tracing_group), "%s", name);
}

int ctl_copy_name(char *dst, size_t size, const char *src)
{
	size_t len = src ? strlen(src) : 0;

	if (len >= size)
		return -RINGTRACE_ERR_NAME_TOO_LONG;
	memcpy(dst, src ? src : "", len);
	dst[len] = '\0';
	return 0;
}

int ctl_msg_init(struct client_msg *msg, const char *session_name,
                 const struct ringtrace_domain *domain)
{
	memset(msg, 0, sizeof(*msg));
	if (domain)
		msg->domain = *domain;
	return ctl_copy_name(msg->session_name, sizeof(msg->session_name), session_name);
}

int ctl_session_msg_init(struct client_msg *msg, const char *session_name)
{
	if (!session_name || !*session_name)
		return -RINGTRACE_ERR_INVALID;
	return ctl_msg_init(msg, session_name, NULL);
}

int ctl_handle_msg_init(struct client_msg *msg, const struct ringtrace_handle *handle,
                        bool need_session)
{
	if (!handle || !memchr(handle->session_name, '\0', sizeof(handle->session_name)))
		return -RINGTRACE_ERR_INVALID;
	if (need_session && !handle->session_name[0])
		return -RINGTRACE_ERR_INVALID;
	return ctl_msg_init(msg, handle->session_name, &handle->domain);
}

static bool in_tracing_group(void)
{
	struct group grp, *result = NULL;
	char buf[4096];
	gid_t *groups;
	int n;
	bool found = false;

	if (getgrnam_r(tracing_group, &grp, buf, sizeof(buf), &result) != 0 || !result)
		return false;
	if (getegid() == grp.gr_gid)
		return true;
	n = getgroups(0, NULL);
	if (n <= 0)
		return false;
	groups = calloc((size_t)n, sizeof(*groups));
	if (!groups)
		return false;
	n = getgroups(n, groups);
	for (int i = 0; i < n && !found; i++)
		found = groups[i] == grp.gr_gid;
	free(groups);
	return found;
}

/* Daemons to try, in order: fills root[] and returns how many. */
static int daemon_candidates(bool root[2])
{
	const char *home = getenv("RINGTRACE_HOME");

	if (home && *home) {
		root[0] = false;
		return 1;
	}
	if (geteuid() == 0) {
		root[0] = true;
		return 1;
	}
	if (in_tracing_group()) {
		root[0] = true;
		root[1] = false;
		return 2;
	}
	root[0] = false;
	return 1;
}

int ctl_connect(void)
{
	bool root[2];
	int n = daemon_candidates(root);
	int r = -ENOENT;

	for (int i = 0; i < n; i++) {
		char path[PATH_MAX];

		r = rt_rundir_file(root[i], RT_CLIENT_SOCK_NAME, path);
		if (r < 0)
			continue;
		r = unix_sock_connect(path);
		if (r >= 0)
			return r;
	}
	return r == -EACCES || r == -EPERM ? -RINGTRACE_ERR_EPERM : -RINGTRACE_ERR_NO_SESSIOND;
}

int ringtrace_session_daemon_alive(void)
{
	int fd = ctl_connect();

	if (fd < 0)
		return 0;
	close(fd);
	return 1;
}

/* A failed send/receive as a library error code. */
static int transport_error(int r)
{
	switch (r) {
	case -ENOMEM:
		return -RINGTRACE_ERR_NOMEM;
	case -EMSGSIZE:
	case -EPROTO:
		return -RINGTRACE_ERR_PROTOCOL;
	default:
		/* The daemon closed the connection or died during the command. */
		return -RINGTRACE_ERR_NO_SESSIOND;
	}
}

static __thread char error_detail[RINGTRACE_ERROR_DETAIL_MAX];

const char *ringtrace_error_detail(void)
{
	return error_detail;
}

/* The text an error reply carries, if it is one (client-msg.h). */
static void keep_error_detail(const char *payload, uint32_t len)
{
	if (len == 0 || len > sizeof(error_detail) || payload[len - 1] != '\0')
		return;
	memcpy(error_detail, payload, len);
}

int ctl_request(enum client_command cmd, const struct client_msg *msg, const void *extra,
                size_t extra_len, void **ret_payload, size_t *ret_len)
{
	_cleanup_close_ int fd = -1;
	_cleanup_free_ char *request = NULL;
	_cleanup_free_ void *reply = NULL;
	size_t len = sizeof(*msg) + extra_len;
	struct comm_frame frame;
	int r;

	error_detail[0] = '\0';
	if (len > CLIENT_MSG_MAX_PAYLOAD)
		return -RINGTRACE_ERR_INVALID;
	request = malloc(len);
	if (!request)
		return -RINGTRACE_ERR_NOMEM;
	memcpy(request, msg, sizeof(*msg));
	if (extra_len > 0)
		memcpy(request + sizeof(*msg), extra, extra_len);

	fd = ctl_connect();
	if (fd < 0)
		return fd;
	r = comm_send(fd, cmd, 0, request, (uint32_t)len, NULL, 0);
	if (r < 0)
		return transport_error(r);
	r = comm_recv(fd, &frame, &reply, CTL_MAX_REPLY_BYTES, NULL, 0);
	if (r < 0)
		return transport_error(r);
	if (frame.type != (uint32_t)cmd)
		return -RINGTRACE_ERR_PROTOCOL;
	if (frame.status < 0) {
		keep_error_detail(reply, frame.payload_len);
		return frame.status;
	}
	/* RINGTRACE_OK is accepted as success too, as lttng's LTTNG_OK. */
	if (frame.status != 0 && frame.status != RINGTRACE_OK)
		return -RINGTRACE_ERR_PROTOCOL;
	if (ret_len)
		*ret_len = frame.payload_len;
	if (ret_payload)
		*ret_payload = TAKE_PTR(reply);
	return 0;
}

int ctl_request_array(enum client_command cmd, const struct client_msg *msg, size_t elem_size,
                      void **ret_array)
{
	void *reply = NULL;
	size_t len = 0;
	int r;

	r = ctl_request(cmd, msg, NULL, 0, &reply, &len);
	if (r < 0)
		return r;
	if (len % elem_size != 0 || len / elem_size > INT32_MAX) {
		free(reply);
		return -RINGTRACE_ERR_PROTOCOL;
	}
	*ret_array = reply;
	return (int)(len / elem_size);
}

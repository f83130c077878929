/* SPDX-License-Identifier: MIT */
/*
 * Sessions: create, destroy, list, start, stop, data pending.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/macros.h"
#include "common/net-url.h"
#include "ctl-internal.h"

int ctl_absolute_path(const char *path, char ret_path[RINGTRACE_PATH_MAX])
{
	char buf[RINGTRACE_PATH_MAX * 2];
	char *save = NULL;
	size_t len = 0;

	if (path[0] == '/') {
		if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
			return -RINGTRACE_ERR_OUTPUT_PATH;
	} else {
		char cwd[RINGTRACE_PATH_MAX];

		if (!getcwd(cwd, sizeof(cwd)))
			return -RINGTRACE_ERR_OUTPUT_PATH;
		if (snprintf(buf, sizeof(buf), "%s/%s", cwd, path) >= (int)sizeof(buf))
			return -RINGTRACE_ERR_OUTPUT_PATH;
	}
	ret_path[0] = '\0';
	for (char *c = strtok_r(buf, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
		size_t clen = strlen(c);

		if (strcmp(c, ".") == 0)
			continue;
		if (strcmp(c, "..") == 0) {
			char *slash = strrchr(ret_path, '/');

			if (slash) {
				*slash = '\0';
				len = (size_t)(slash - ret_path);
			}
			continue;
		}
		if (len + 1 + clen >= RINGTRACE_PATH_MAX)
			return -RINGTRACE_ERR_OUTPUT_PATH;
		ret_path[len++] = '/';
		memcpy(ret_path + len, c, clen + 1);
		len += clen;
	}
	if (len == 0)
		strcpy(ret_path, "/");
	return 0;
}

/*
 * Output of a session: "" (default), a path or file://PATH (made absolute),
 * or a network URL, checked here and resolved by the session daemon.
 */
static int output_url_to_path(const char *url, char ret_path[RINGTRACE_PATH_MAX])
{
	static const char file_scheme[] = "file://";

	if (!url || !*url) {
		ret_path[0] = '\0';
		return 0;
	}
	if (strncmp(url, file_scheme, strlen(file_scheme)) == 0) {
		url += strlen(file_scheme);
	} else if (rt_net_url_is_network(url)) {
		struct rt_net_url parsed;
		char err[256];

		if (rt_net_url_parse(url, &parsed, err, sizeof(err)) < 0 ||
		    strlen(url) >= RINGTRACE_PATH_MAX)
			return -RINGTRACE_ERR_INVALID;
		strcpy(ret_path, url);
		return 0;
	} else if (strstr(url, "://")) {
		return -RINGTRACE_ERR_INVALID;
	}
	if (!*url)
		return -RINGTRACE_ERR_OUTPUT_PATH;
	return ctl_absolute_path(url, ret_path);
}

/* "auto-YYYYmmdd-HHMMSS", then "auto1-...", "auto2-..." as lttng does when taken. */
static int auto_session_name(unsigned attempt, char ret_name[RINGTRACE_NAME_MAX + 1])
{
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;

	if (!localtime_r(&now, &tm) || strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm) == 0)
		return -RINGTRACE_ERR_FATAL;
	if (attempt == 0)
		snprintf(ret_name, RINGTRACE_NAME_MAX + 1, "auto-%s", stamp);
	else
		snprintf(ret_name, RINGTRACE_NAME_MAX + 1, "auto%u-%s", attempt, stamp);
	return 0;
}

static int create_named_session(const char *name, const char *output_path, const char *data_url,
                                unsigned flags, unsigned live_timer_us)
{
	struct client_msg msg;
	int r;

	if (strchr(name, '/'))
		return -RINGTRACE_ERR_SESSION_INVALID_CHAR;
	r = ctl_msg_init(&msg, name, NULL);
	if (r < 0)
		return r;
	if (data_url) {
		/* Both checked by the caller. */
		strcpy(msg.u.create.output_path, output_path);
		strcpy(msg.u.create.data_url, data_url);
	} else if (!(flags & RINGTRACE_CREATE_NO_OUTPUT)) {
		r = output_url_to_path(output_path, msg.u.create.output_path);
		if (r < 0)
			return r;
	}
	msg.u.create.no_output = !!(flags & RINGTRACE_CREATE_NO_OUTPUT);
	msg.u.create.snapshot = !!(flags & RINGTRACE_CREATE_SNAPSHOT);
	msg.u.create.auto_name = !!(flags & RINGTRACE_CREATE_AUTO_NAME);
	msg.u.create.live_timer_us = live_timer_us;
	return ctl_request(CLIENT_CREATE_SESSION_EXT, &msg, NULL, 0, NULL, NULL);
}

#define AUTO_NAME_ATTEMPTS 100

static int create_session(const char *name, const char *output_path, const char *data_url,
                          unsigned flags, unsigned live_timer_us,
                          char ret_name[RINGTRACE_NAME_MAX + 1])
{
	char session_name[RINGTRACE_NAME_MAX + 1];
	int r;

	if (name && *name) {
		r = ctl_copy_name(session_name, sizeof(session_name), name);
		if (r == 0)
			r = create_named_session(session_name, output_path, data_url, flags,
			                         live_timer_us);
	} else {
		r = -RINGTRACE_ERR_EXIST_SESS;
		for (unsigned i = 0; i < AUTO_NAME_ATTEMPTS && r == -RINGTRACE_ERR_EXIST_SESS;
		     i++) {
			r = auto_session_name(i, session_name);
			if (r == 0)
				r = create_named_session(session_name, output_path, data_url,
				                         flags | RINGTRACE_CREATE_AUTO_NAME,
				                         live_timer_us);
		}
	}
	if (r < 0)
		return r;
	if (ret_name)
		memcpy(ret_name, session_name, sizeof(session_name));
	return 0;
}

int ringtrace_create_session_ext(const char *name, const char *output_path, unsigned flags,
                                 unsigned live_timer_us, char ret_name[RINGTRACE_NAME_MAX + 1])
{
	return create_session(name, output_path, NULL, flags, live_timer_us, ret_name);
}

int ringtrace_create_session_net(const char *name, const char *ctrl_url, const char *data_url,
                                 unsigned flags, unsigned live_timer_us,
                                 char ret_name[RINGTRACE_NAME_MAX + 1])
{
	struct rt_net_url parsed;
	char err[256];

	if (!ctrl_url || !data_url || (flags & RINGTRACE_CREATE_NO_OUTPUT) ||
	    strlen(ctrl_url) >= RINGTRACE_PATH_MAX || strlen(data_url) >= RINGTRACE_PATH_MAX ||
	    rt_net_url_parse_pair(ctrl_url, data_url, &parsed, err, sizeof(err)) < 0)
		return -RINGTRACE_ERR_INVALID;
	return create_session(name, ctrl_url, data_url, flags, live_timer_us, ret_name);
}

int ringtrace_create_session(const char *name, const char *url)
{
	return ringtrace_create_session_ext(name, url, 0, 0, NULL);
}

int ringtrace_create_session_snapshot(const char *name, const char *snapshot_url)
{
	return ringtrace_create_session_ext(name, snapshot_url, RINGTRACE_CREATE_SNAPSHOT, 0, NULL);
}

int ringtrace_create_session_live(const char *name, const char *url, unsigned timer_interval_us)
{
	if (timer_interval_us == 0)
		return -RINGTRACE_ERR_INVALID;
	return ringtrace_create_session_ext(name, url, 0, timer_interval_us, NULL);
}

/* A command whose request is just a session name and whose reply is empty. */
static int session_command(enum client_command cmd, const char *session_name)
{
	struct client_msg msg;
	int r;

	r = ctl_session_msg_init(&msg, session_name);
	if (r < 0)
		return r;
	return ctl_request(cmd, &msg, NULL, 0, NULL, NULL);
}

int ringtrace_regenerate_metadata(const char *session_name)
{
	return session_command(CLIENT_REGENERATE_METADATA, session_name);
}

int ringtrace_regenerate_statedump(const char *session_name)
{
	return session_command(CLIENT_REGENERATE_STATEDUMP, session_name);
}

int ringtrace_destroy_session(const char *name)
{
	return session_command(CLIENT_DESTROY_SESSION, name);
}

int ringtrace_destroy_session_archive(const char *name, char ret_archive[RINGTRACE_PATH_MAX])
{
	_cleanup_free_ char *reply = NULL;
	struct client_msg msg;
	size_t len = 0;
	int r;

	if (!name || !*name || !ret_archive)
		return -RINGTRACE_ERR_INVALID;
	r = ctl_msg_init(&msg, name, NULL);
	if (r == 0)
		r = ctl_request(CLIENT_DESTROY_SESSION, &msg, NULL, 0, (void **)&reply, &len);
	if (r < 0)
		return r;
	ret_archive[0] = '\0';
	/* No payload: no chunk was archived by the destruction. */
	if (len == 0)
		return 0;
	if (len != RINGTRACE_PATH_MAX || !memchr(reply, '\0', len))
		return -RINGTRACE_ERR_PROTOCOL;
	memcpy(ret_archive, reply, len);
	return 0;
}

int ringtrace_list_sessions(struct ringtrace_session **ret_sessions)
{
	struct ringtrace_session *sessions = NULL;
	struct client_msg msg;
	int n;

	if (!ret_sessions)
		return -RINGTRACE_ERR_INVALID;
	ctl_msg_init(&msg, NULL, NULL);
	n = ctl_request_array(CLIENT_LIST_SESSIONS, &msg, sizeof(*sessions), (void **)&sessions);
	if (n < 0)
		return n;
	/* The daemon is trusted, but a string without its NUL must not run off. */
	for (int i = 0; i < n; i++) {
		sessions[i].name[sizeof(sessions[i].name) - 1] = '\0';
		sessions[i].path[sizeof(sessions[i].path) - 1] = '\0';
	}
	*ret_sessions = sessions;
	return n;
}

int ringtrace_start_tracing(const char *session_name)
{
	return session_command(CLIENT_START_TRACE, session_name);
}

int ringtrace_stop_tracing_no_wait(const char *session_name)
{
	return session_command(CLIENT_STOP_TRACE, session_name);
}

int ringtrace_stop_tracing(const char *session_name)
{
	int r;

	r = ringtrace_stop_tracing_no_wait(session_name);
	if (r < 0)
		return r;
	while ((r = ringtrace_data_pending(session_name)) == 1)
		usleep(RINGTRACE_DATA_AVAILABILITY_WAIT_US);
	return r;
}

int ringtrace_data_pending(const char *session_name)
{
	_cleanup_free_ uint8_t *reply = NULL;
	struct client_msg msg;
	size_t len = 0;
	int r;

	r = ctl_session_msg_init(&msg, session_name);
	if (r < 0)
		return r;
	r = ctl_request(CLIENT_DATA_PENDING, &msg, NULL, 0, (void **)&reply, &len);
	if (r < 0)
		return r;
	if (len != sizeof(uint8_t))
		return -RINGTRACE_ERR_PROTOCOL;
	return reply[0] ? 1 : 0;
}

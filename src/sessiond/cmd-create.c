/* SPDX-License-Identifier: MIT */
/*
 * CREATE_SESSION_EXT: a named session with a local output directory. The
 * directory itself is created when tracing starts; here we only make sure it
 * could be, so that a bad path fails at `create`, not later.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "access.h"
#include "cmd.h"
#include "log.h"
#include "paths.h"
#include "relay-output.h"

static int session_name_check(const char *name)
{
	if (!name[0])
		return -RINGTRACE_ERR_INVALID;
	if (strchr(name, '/'))
		return -RINGTRACE_ERR_SESSION_INVALID_CHAR;
	return 0;
}

/* <home>/ringtrace-traces/<name>-<YYYYMMDD-HHMMSS>, or .../<name> for an auto-named session. */
static int default_output_path(uid_t uid, const char *name, bool auto_named, time_t creation,
                               char ret_path[PATH_MAX])
{
	char home[PATH_MAX], stamp[32];
	struct tm tm;
	int n, r;

	r = cmd_client_home_dir(uid, home);
	if (r < 0)
		return r;
	if (auto_named) {
		n = snprintf(ret_path, PATH_MAX, "%s/%s/%s", home, RT_TRACES_DIR_NAME, name);
	} else {
		if (!localtime_r(&creation, &tm))
			return -EINVAL;
		strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
		n = snprintf(ret_path, PATH_MAX, "%s/%s/%s-%s", home, RT_TRACES_DIR_NAME, name,
		             stamp);
	}
	return n >= PATH_MAX ? -ENAMETOOLONG : 0;
}

/*
 * Whether path (a PATH_MAX buffer, modified) can become the trace
 * directory: it is a writable directory, or its nearest existing ancestor
 * lets us create the first missing component (tried for real and removed,
 * which also catches read-only and pseudo file systems where permission
 * bits say nothing). Async-signal-safe: it may run in access_run_as()'s child.
 */
static int output_path_check(void *arg)
{
	char *buf = arg, missing[PATH_MAX] = "";
	struct stat st;

	for (;;) {
		char *slash;

		if (stat(buf, &st) == 0)
			break;
		if (errno != ENOENT)
			return -errno;
		strcpy(missing, buf);
		slash = strrchr(buf, '/');
		if (slash == buf)
			slash[1] = '\0';
		else
			*slash = '\0';
	}
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	if (!missing[0])
		return access(buf, W_OK | X_OK) < 0 ? -errno : 0;
	if (mkdir(missing, 0700) < 0)
		return errno == EEXIST ? 0 : -errno;
	(void)rmdir(missing);
	return 0;
}

/*
 * A session streamed to a relay daemon; live ones default to net://127.0.0.1.
 * A snapshot session only gets that relay as its snapshot output.
 */
static int create_network_session(const struct cmd_ctx *ctx, struct cmd_reply *reply, time_t now)
{
	const struct client_msg *msg = ctx->msg;
	const char *url =
	    msg->u.create.output_path[0] ? msg->u.create.output_path : "net://127.0.0.1";
	struct ringtrace_session *info;
	struct session *s;
	int r;

	if (msg->u.create.snapshot && msg->u.create.live_timer_us) {
		log_warn("Session %s: a snapshot session cannot be live", msg->session_name);
		return -RINGTRACE_ERR_INVALID;
	}
	if (!rt_net_url_is_network(url)) {
		log_warn("Session %s: a live session needs a network output, not %s",
		         msg->session_name, url);
		return -RINGTRACE_ERR_INVALID;
	}
	info = malloc(sizeof(*info));
	if (!info)
		return -RINGTRACE_ERR_NOMEM;
	r = session_create(msg->session_name, "", msg->u.create.auto_name, ctx->cred.uid,
	                   ctx->cred.gid, now, &s);
	if (r < 0) {
		free(info);
		return r == -ENOMEM ? -RINGTRACE_ERR_NOMEM : -RINGTRACE_ERR_SESSION_FAIL;
	}
	r = msg->u.create.snapshot
	        ? cmd_snapshot_session_init(s, url, msg->u.create.data_url)
	        : session_relay_attach(s, url, msg->u.create.data_url, msg->u.create.live_timer_us);
	if (r < 0) {
		free(info);
		session_free(s);
		return r;
	}
	cmd_session_info(s, info);
	log_info("Session %s created for uid %u, output %s", s->name, (unsigned)s->uid, info->path);
	reply->payload = info;
	reply->len = sizeof(*info);
	return 0;
}

int cmd_create_session(const struct cmd_ctx *ctx, struct cmd_reply *reply)
{
	const struct client_msg *msg = ctx->msg;
	struct ringtrace_session *info;
	char path[PATH_MAX], probe[PATH_MAX];
	struct session *s;
	time_t now = time(NULL);
	int r;

	if (!CMD_STRING_OK(msg->session_name) || !CMD_STRING_OK(msg->u.create.output_path) ||
	    !CMD_STRING_OK(msg->u.create.data_url))
		return -RINGTRACE_ERR_PROTOCOL;
	r = session_name_check(msg->session_name);
	if (r < 0)
		return r;
	if (msg->u.create.no_output) {
		log_warn("Session %s: no-output sessions are not supported yet", msg->session_name);
		return -RINGTRACE_ERR_NOT_SUPPORTED;
	}
	if (session_find_by_name(msg->session_name))
		return -RINGTRACE_ERR_EXIST_SESS;
	if (rt_net_url_is_network(msg->u.create.output_path) || msg->u.create.live_timer_us ||
	    msg->u.create.data_url[0])
		return create_network_session(ctx, reply, now);

	if (msg->u.create.output_path[0]) {
		if (msg->u.create.output_path[0] != '/') {
			log_warn("Session %s: output path \"%s\" is not absolute",
			         msg->session_name, msg->u.create.output_path);
			return -RINGTRACE_ERR_OUTPUT_PATH;
		}
		snprintf(path, sizeof(path), "%s", msg->u.create.output_path);
	} else {
		r = default_output_path(ctx->cred.uid, msg->session_name, msg->u.create.auto_name,
		                        now, path);
		if (r < 0) {
			log_warn("Session %s: no default output path: %s", msg->session_name,
			         strerror(-r));
			return -RINGTRACE_ERR_OUTPUT_PATH;
		}
	}
	memcpy(probe, path, sizeof(probe));
	r = access_run_as(ctx->cred.uid, ctx->cred.gid, output_path_check, probe);
	if (r < 0) {
		log_warn("Session %s: cannot create output directory %s: %s", msg->session_name,
		         path, strerror(-r));
		return -RINGTRACE_ERR_OUTPUT_PATH;
	}

	info = malloc(sizeof(*info));
	if (!info)
		return -RINGTRACE_ERR_NOMEM;
	/* A snapshot session writes only into its snapshot output (lttng's first one: id 1). */
	r = session_create(msg->session_name, msg->u.create.snapshot ? "" : path,
	                   msg->u.create.auto_name, ctx->cred.uid, ctx->cred.gid, now, &s);
	if (r < 0) {
		free(info);
		return r == -ENOMEM ? -RINGTRACE_ERR_NOMEM : -RINGTRACE_ERR_SESSION_FAIL;
	}
	if (msg->u.create.snapshot)
		(void)cmd_snapshot_session_init(s, path, ""); /* an absolute path: cannot fail */
	log_info("Session %s created for uid %u, %s %s", s->name, (unsigned)s->uid,
	         s->snapshot_mode ? "snapshot output" : "output", path);
	cmd_session_info(s, info);
	reply->payload = info;
	reply->len = sizeof(*info);
	return 0;
}

/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access.h"
#include "cmd.h"
#include "consumer.h"
#include "log.h"
#include "paths.h"
#include "relay-output.h"

int cmd_lookup_session(const struct cmd_ctx *ctx, struct session **ret_session)
{
	struct session *s;

	if (!CMD_STRING_OK(ctx->msg->session_name))
		return -RINGTRACE_ERR_PROTOCOL;
	s = session_find_by_name(ctx->msg->session_name);
	if (!s)
		return -RINGTRACE_ERR_SESS_NOT_FOUND;
	if (!access_session_allowed(s, ctx->cred.uid))
		return -RINGTRACE_ERR_EPERM;
	*ret_session = s;
	return 0;
}

int cmd_check_domain(const struct ringtrace_domain *domain)
{
	switch (domain->type) {
	case RINGTRACE_DOMAIN_UST:
		return 0;
	case RINGTRACE_DOMAIN_KERNEL:
		log_warn("Client asked for the kernel domain: ringtrace traces user space "
		         "applications only (use -u)");
		return -RINGTRACE_ERR_NOT_SUPPORTED;
	default:
		return -RINGTRACE_ERR_UNKNOWN_DOMAIN;
	}
}

int cmd_lookup_session_domain(const struct cmd_ctx *ctx, struct session **ret_session)
{
	int r = cmd_lookup_session(ctx, ret_session);

	if (r < 0)
		return r;
	return cmd_check_domain(&ctx->msg->domain);
}

int cmd_check_buffer_type(const struct ringtrace_domain *domain)
{
	switch (domain->buf_type) {
	case RINGTRACE_BUFFER_PER_UID:
	case RINGTRACE_BUFFER_PER_PID:
		return 0;
	default:
		log_warn("Client asked for buffer type %u, which user space tracing does not "
		         "have: use per-user (--buffers-uid) or per-process (--buffers-pid) "
		         "buffers",
		         (unsigned)domain->buf_type);
		return -RINGTRACE_ERR_NOT_SUPPORTED;
	}
}

int cmd_error_from_consumer(int r)
{
	switch (r) {
	case -ENOMEM:
	case -CONSUMERD_ENOMEM:
		return -RINGTRACE_ERR_NOMEM;
	case -CONSUMERD_OUTFD_ERROR:
		return -RINGTRACE_ERR_CREATE_DIR_FAIL;
	case -CONSUMERD_INVALID_PARAMETERS:
		return -RINGTRACE_ERR_INVALID;
	case -CONSUMERD_RELAYD_FAIL:
		return -RINGTRACE_ERR_RELAYD_LOST;
	case -EPIPE:
		return -RINGTRACE_ERR_CONSUMERD_DIED;
	default:
		/* consumer.h: errnos stay below the consumer codes, which start at 100. */
		return -r >= CONSUMERD_COMMAND_SOCK_READY ? -RINGTRACE_ERR_FATAL
		                                          : -RINGTRACE_ERR_NO_USTCONSUMERD;
	}
}

int cmd_reply_array(struct cmd_reply *reply, void *array, size_t count, size_t elem_size)
{
	if (count == 0) {
		free(array);
		*reply = (struct cmd_reply){0};
		return 0;
	}
	if (count > UINT32_MAX / elem_size) {
		free(array);
		return -RINGTRACE_ERR_NOMEM;
	}
	reply->payload = array;
	reply->len = (uint32_t)(count * elem_size);
	return 0;
}

void cmd_session_info(const struct session *s, struct ringtrace_session *ret)
{
	memset(ret, 0, sizeof(*ret));
	snprintf(ret->name, sizeof(ret->name), "%s", s->name);
	if (s->relay) {
		session_relay_describe(s, ret->path, sizeof(ret->path));
		ret->live_timer_interval = s->relay->live_timer_us;
	} else {
		snprintf(ret->path, sizeof(ret->path), "%s", s->output_path);
	}
	ret->enabled = s->active;
	ret->snapshot_mode = s->snapshot_mode;
	ret->consumer_lost = s->consumer_lost;
}

/*
 * Home of the client's traces: the daemon's own (RINGTRACE_HOME, else HOME)
 * unless the root daemon serves another user, whose home it then is.
 */
int cmd_client_home_dir(uid_t uid, char ret_path[PATH_MAX])
{
	struct passwd pw, *found = NULL;
	char buf[4096];

	if (!access_is_root_daemon() || uid == 0)
		return rt_home_dir(ret_path);
	if (getpwuid_r(uid, &pw, buf, sizeof(buf), &found) != 0 || !found || !found->pw_dir)
		return -ENOENT;
	if (snprintf(ret_path, PATH_MAX, "%s", found->pw_dir) >= PATH_MAX)
		return -ENAMETOOLONG;
	return 0;
}

static __thread char error_detail[RINGTRACE_ERROR_DETAIL_MAX];

void cmd_set_error_detail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(error_detail, sizeof(error_detail), fmt, ap);
	va_end(ap);
}

const char *cmd_error_detail(void)
{
	return error_detail;
}

void cmd_reset_error_detail(void)
{
	error_detail[0] = '\0';
}

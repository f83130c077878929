/* SPDX-License-Identifier: MIT */

/*
 * Commands to an app over its command socket: one request frame, one reply
 * frame of the same type. The socket has send/receive timeouts (set at
 * registration), so a stuck app costs at most one timeout; an app that does
 * not answer properly is dropped, which touches no other app.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <urcu/system.h>

#include "comm/frame.h"
#include "log.h"
#include "macros.h"
#include "ust-app-internal.h"

/* Largest error a reply status may carry (as negative errnos). */
#define MAX_ERRNO 4095

static const char *const command_names[_UST_CMD_MAX] = {
    [UST_CMD_REGISTER_DONE] = "REGISTER_DONE",
    [UST_CMD_CREATE_SESSION] = "CREATE_SESSION",
    [UST_CMD_CREATE_CHANNEL] = "CREATE_CHANNEL",
    [UST_CMD_ADD_STREAM] = "ADD_STREAM",
    [UST_CMD_CREATE_ENABLER] = "CREATE_ENABLER",
    [UST_CMD_ENABLE] = "ENABLE",
    [UST_CMD_DISABLE] = "DISABLE",
    [UST_CMD_SESSION_START] = "SESSION_START",
    [UST_CMD_SESSION_STOP] = "SESSION_STOP",
    [UST_CMD_RELEASE] = "RELEASE",
    [UST_CMD_TRACEPOINT_LIST] = "TRACEPOINT_LIST",
    [UST_CMD_FIELD_LIST] = "FIELD_LIST",
    [UST_CMD_ADD_CONTEXT] = "ADD_CONTEXT",
    [UST_CMD_SET_FILTER] = "SET_FILTER",
    [UST_CMD_SESSION_STATEDUMP] = "SESSION_STATEDUMP",
};

/* Drops the app for a failed exchange and returns the error to report. */
static int app_cmd_failed(struct ust_app *app, uint32_t cmd, const char *what, int r)
{
	char reason[128];

	snprintf(reason, sizeof(reason), "%s %s: %s", command_names[cmd], what,
	         r == -EAGAIN ? "timed out" : strerror(-r));
	ust_app_drop(app, reason);
	return r == -EAGAIN ? -ETIMEDOUT : r;
}

/*
 * Sends cmd and waits for its reply. On success (status 0) the reply payload
 * is returned in *ret_payload (malloc'd, NULL when empty) and its length in
 * *ret_len; a reply longer than reply_max drops the app.
 */
static int app_cmd(struct ust_app *app, uint32_t cmd, const void *payload, uint32_t len,
                   const int *fds, unsigned nr_fds, uint32_t reply_max, void **ret_payload,
                   uint32_t *ret_len)
{
	_cleanup_free_ void *reply = NULL;
	struct comm_frame frame;
	int r;

	if (CMM_LOAD_SHARED(app->dead))
		return -EPIPE;
	r = comm_send(app->cmd_fd, cmd, 0, payload, len, fds, nr_fds);
	if (r < 0)
		return app_cmd_failed(app, cmd, "not sent", r);
	r = comm_recv(app->cmd_fd, &frame, &reply, reply_max, NULL, 0);
	if (r < 0)
		return app_cmd_failed(app, cmd, "reply not received", r);
	if (frame.type != cmd || frame.status > 0 || frame.status < -MAX_ERRNO)
		return app_cmd_failed(app, cmd, "reply malformed", -EPROTO);
	if (frame.status < 0) {
		log_debug("App %d (%s): %s failed: %s", (int)app->pid, app->name,
		          command_names[cmd], strerror(-frame.status));
		return frame.status;
	}
	if (ret_payload)
		*ret_payload = TAKE_PTR(reply);
	if (ret_len)
		*ret_len = frame.payload_len;
	return 0;
}

static int app_cmd_simple(struct ust_app *app, uint32_t cmd, const void *payload, uint32_t len)
{
	return app_cmd(app, cmd, payload, len, NULL, 0, 0, NULL, NULL);
}

static int app_cmd_handle(struct ust_app *app, uint32_t cmd, uint32_t handle)
{
	struct ust_cmd_handle msg = {.handle = handle};

	return app_cmd_simple(app, cmd, &msg, sizeof(msg));
}

int ust_app_cmd_register_done(struct ust_app *app)
{
	return app_cmd_simple(app, UST_CMD_REGISTER_DONE, NULL, 0);
}

int ust_app_cmd_create_session(struct ust_app *app, uint32_t session_handle)
{
	struct ust_cmd_session msg = {.session_handle = session_handle};

	return app_cmd_simple(app, UST_CMD_CREATE_SESSION, &msg, sizeof(msg));
}

int ust_app_cmd_create_channel(struct ust_app *app, const struct ust_cmd_channel *chan)
{
	return app_cmd_simple(app, UST_CMD_CREATE_CHANNEL, chan, sizeof(*chan));
}

int ust_app_cmd_add_context(struct ust_app *app, uint32_t channel_handle,
                            const struct session_context *ctx)
{
	struct ust_cmd_context msg = {
	    .channel_handle = channel_handle,
	    .kind = ctx->type == RINGTRACE_EVENT_CONTEXT_PERF_THREAD_COUNTER
	                ? UST_CONTEXT_PERF_THREAD
	            : ctx->type == RINGTRACE_EVENT_CONTEXT_APP_CONTEXT ? UST_CONTEXT_APP
	                                                               : UST_CONTEXT_BUILTIN,
	    .perf_type = ctx->perf_type,
	    .perf_config = ctx->perf_config,
	};

	snprintf(msg.name, sizeof(msg.name), "%s", ctx->name);
	return app_cmd_simple(app, UST_CMD_ADD_CONTEXT, &msg, sizeof(msg));
}

int ust_app_cmd_add_stream(struct ust_app *app, uint32_t channel_handle, uint32_t cpu, int shm_fd,
                           int wakeup_fd)
{
	struct ust_cmd_stream msg = {.channel_handle = channel_handle, .cpu = cpu};
	/* SCM_RIGHTS gives the app its own duplicates; ours stay open for the next app. */
	const int fds[2] = {shm_fd, wakeup_fd};

	return app_cmd(app, UST_CMD_ADD_STREAM, &msg, sizeof(msg), fds, 2, 0, NULL, NULL);
}

int ust_app_cmd_create_enabler(struct ust_app *app, const struct ust_cmd_enabler *enabler,
                               const char (*exclusions)[RINGTRACE_SYM_NAME_LEN],
                               uint32_t exclusion_count)
{
	struct ust_cmd_enabler_exclusions head = {.count = exclusion_count};
	size_t names_len = (size_t)exclusion_count * RINGTRACE_SYM_NAME_LEN;
	_cleanup_free_ uint8_t *msg = NULL;
	size_t len = sizeof(*enabler) + sizeof(head) + names_len;

	if (exclusion_count == 0)
		return app_cmd_simple(app, UST_CMD_CREATE_ENABLER, enabler, sizeof(*enabler));
	if (exclusion_count > UST_MAX_EXCLUSIONS)
		return -EINVAL;
	msg = malloc(len);
	if (!msg)
		return -ENOMEM;
	memcpy(msg, enabler, sizeof(*enabler));
	memcpy(msg + sizeof(*enabler), &head, sizeof(head));
	memcpy(msg + sizeof(*enabler) + sizeof(head), exclusions, names_len);
	return app_cmd_simple(app, UST_CMD_CREATE_ENABLER, msg, (uint32_t)len);
}

int ust_app_cmd_set_filter(struct ust_app *app, uint32_t enabler_handle, const void *bytecode,
                           uint32_t bytecode_len)
{
	struct ust_cmd_filter head = {.enabler_handle = enabler_handle};
	_cleanup_free_ uint8_t *msg = NULL;
	size_t len = sizeof(head) + bytecode_len;

	if (bytecode_len > UST_FILTER_MAX_CONTAINER)
		return -EINVAL;
	msg = malloc(len);
	if (!msg)
		return -ENOMEM;
	memcpy(msg, &head, sizeof(head));
	memcpy(msg + sizeof(head), bytecode, bytecode_len);
	return app_cmd_simple(app, UST_CMD_SET_FILTER, msg, (uint32_t)len);
}

int ust_app_cmd_enable(struct ust_app *app, uint32_t handle, bool enable)
{
	return app_cmd_handle(app, enable ? UST_CMD_ENABLE : UST_CMD_DISABLE, handle);
}

int ust_app_cmd_session_start(struct ust_app *app, uint32_t session_handle)
{
	return app_cmd_handle(app, UST_CMD_SESSION_START, session_handle);
}

int ust_app_cmd_session_stop(struct ust_app *app, uint32_t session_handle)
{
	return app_cmd_handle(app, UST_CMD_SESSION_STOP, session_handle);
}

int ust_app_cmd_session_statedump(struct ust_app *app, uint32_t session_handle)
{
	return app_cmd_handle(app, UST_CMD_SESSION_STATEDUMP, session_handle);
}

int ust_app_cmd_release(struct ust_app *app, uint32_t handle)
{
	return app_cmd_handle(app, UST_CMD_RELEASE, handle);
}

/* A list reply: whole elements of elem_size bytes, up to UST_MSG_MAX_PAYLOAD. */
static int app_cmd_list(struct ust_app *app, uint32_t cmd, size_t elem_size, void **ret)
{
	void *reply = NULL;
	uint32_t len = 0;
	int r;

	r = app_cmd(app, cmd, NULL, 0, NULL, 0, UST_MSG_MAX_PAYLOAD, &reply, &len);
	if (r < 0)
		return r;
	if (len % elem_size != 0) {
		free(reply);
		return app_cmd_failed(app, cmd, "reply malformed", -EPROTO);
	}
	*ret = reply;
	return (int)(len / elem_size);
}

int ust_app_cmd_tracepoint_list(struct ust_app *app, struct ust_tracepoint_info **ret)
{
	void *list = NULL;
	int n;

	n = app_cmd_list(app, UST_CMD_TRACEPOINT_LIST, sizeof(**ret), &list);
	if (n < 0)
		return n;
	*ret = list;
	return n;
}

int ust_app_cmd_field_list(struct ust_app *app, struct ust_field_info **ret)
{
	void *list = NULL;
	int n;

	n = app_cmd_list(app, UST_CMD_FIELD_LIST, sizeof(**ret), &list);
	if (n < 0)
		return n;
	*ret = list;
	return n;
}

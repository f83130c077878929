/* SPDX-License-Identifier: MIT */
/*
 * REGENERATE_METADATA and REGENERATE_STATEDUMP, as lttng 2.13's: only for a
 * started session. A state dump is asked of every app of the session, each
 * recording it once the command is answered (so a later command to the app,
 * such as stop, comes after it). Metadata regeneration is for per-user buffers only (a
 * per-PID session gets PER_PID_SESSION, as lttng): each buffer's registry
 * writes its text again with a fresh clock offset, under a new metadata
 * version, and the consumer starts the metadata file over with it.
 */
#include <string.h>

#include "buffer.h"
#include "cmd.h"
#include "log.h"
#include "registry.h"
#include "ust-app.h"

static int regenerate_buffer(struct buffer *buf, void *arg)
{
	const struct session *s = arg;
	int r = ust_registry_regenerate_metadata(buf->registry);

	if (r < 0)
		log_warn("Session %s: cannot regenerate the metadata of uid %u: %s", s->name,
		         (unsigned)buf->uid, strerror(-r));
	return r;
}

/* The session of the request, which must be started. */
static int started_session(const struct cmd_ctx *ctx, struct session **ret_session)
{
	int r = cmd_lookup_session(ctx, ret_session);

	if (r < 0)
		return r;
	return (*ret_session)->active ? 0 : -RINGTRACE_ERR_SESSION_NOT_STARTED;
}

int cmd_regenerate_metadata(const struct cmd_ctx *ctx, struct cmd_reply *reply)
{
	struct session_channel *chan;
	struct session *s;
	int r;

	(void)reply;
	r = started_session(ctx, &s);
	if (r < 0)
		return r;
	cds_list_for_each_entry (chan, &s->channels, node) {
		if (chan->buffer_type == RINGTRACE_BUFFER_PER_PID)
			return -RINGTRACE_ERR_PER_PID_SESSION;
	}
	r = buffer_for_each(s, regenerate_buffer, s);
	if (r < 0)
		return cmd_error_from_consumer(r);
	log_info("Session %s: metadata regenerated", s->name);
	return 0;
}

int cmd_regenerate_statedump(const struct cmd_ctx *ctx, struct cmd_reply *reply)
{
	struct session *s;
	int r;

	(void)reply;
	r = started_session(ctx, &s);
	if (r < 0)
		return r;
	r = ust_app_session_regenerate_statedump(s);
	if (r < 0)
		return r;
	log_info("Session %s: state dump regenerated", s->name);
	return 0;
}

/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "consumer-loss.h"
#include "log.h"
#include "macros.h"
#include "relay-output.h"
#include "ust-app.h"

/*
 * A session that lost its consumer (consumer-loss.h) is destroyed all the
 * same, its last chunk left where it is (no consumer can close it), and
 * the loss is the reply.
 */
int cmd_session_destroy(struct session *s, char ret_location[PATH_MAX])
{
	char location[PATH_MAX] = "";
	bool consumer_lost = consumer_loss_check(s);
	int r, relay_r;

	if (s->active) {
		r = cmd_session_stop(s);
		if (r < 0 && !consumer_lost)
			log_warn("Session %s: stopping before destruction failed (error %d)",
			         s->name, -r);
	}
	if (consumer_lost || !cmd_session_archive_last_chunk(s, location))
		location[0] = '\0';
	ust_app_session_destroy(s);
	relay_r = session_relay_release(s);
	if (ret_location)
		memcpy(ret_location, location, sizeof(location));
	log_info("Session %s destroyed", s->name);
	session_free(s);
	return consumer_lost ? -RINGTRACE_ERR_CONSUMER_LOST : relay_r;
}

/* The reply names the archive of the last chunk (RINGTRACE_PATH_MAX bytes), if one was made. */
int cmd_destroy_session(const struct cmd_ctx *ctx, struct cmd_reply *reply)
{
	_cleanup_free_ char *location = NULL;
	struct session *s;
	int r;

	r = cmd_lookup_session(ctx, &s);
	if (r < 0)
		return r;
	location = calloc(1, RINGTRACE_PATH_MAX);
	if (!location)
		return -RINGTRACE_ERR_NOMEM;
	r = cmd_session_destroy(s, location);
	if (location[0]) {
		reply->payload = TAKE_PTR(location);
		reply->len = RINGTRACE_PATH_MAX;
	}
	return r;
}

static int destroy_one(struct session *s, void *arg)
{
	cmd_session_destroy(s, NULL);
	return 0;
}

void cmd_destroy_all_sessions(void)
{
	session_list_lock();
	(void)session_for_each(destroy_one, NULL);
	session_list_unlock();
}

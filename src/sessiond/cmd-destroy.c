/* SPDX-License-Identifier: MIT */
#include "cmd.h"
#include "log.h"
#include "relay-output.h"
#include "ust-app.h"

int cmd_session_destroy(struct session *s)
{
	int r, relay_r;

	if (s->active) {
		r = cmd_session_stop(s);
		if (r < 0)
			log_warn("Session %s: stopping before destruction failed (error %d)",
			         s->name, -r);
	}
	ust_app_session_destroy(s);
	relay_r = session_relay_release(s);
	cmd_session_archive_last_chunk(s);
	log_info("Session %s destroyed", s->name);
	session_free(s);
	return relay_r;
}

int cmd_destroy_session(const struct cmd_ctx *ctx, struct cmd_reply *reply)
{
	struct session *s;
	int r;

	r = cmd_lookup_session(ctx, &s);
	if (r < 0)
		return r;
	return cmd_session_destroy(s);
}

static int destroy_one(struct session *s, void *arg)
{
	cmd_session_destroy(s);
	return 0;
}

void cmd_destroy_all_sessions(void)
{
	session_list_lock();
	(void)session_for_each(destroy_one, NULL);
	session_list_unlock();
}

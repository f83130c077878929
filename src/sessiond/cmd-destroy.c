/* SPDX-License-Identifier: MIT */
#include "cmd.h"
#include "log.h"
#include "ust-app.h"

void cmd_session_destroy(struct session *s)
{
	int r;

	if (s->active) {
		r = cmd_session_stop(s);
		if (r < 0)
			log_warn("Session %s: stopping before destruction failed (error %d)",
			         s->name, -r);
	}
	ust_app_session_destroy(s);
	cmd_session_archive_last_chunk(s);
	log_info("Session %s destroyed", s->name);
	session_free(s);
}

int cmd_destroy_session(const struct cmd_ctx *ctx, struct cmd_reply *reply)
{
	struct session *s;
	int r;

	r = cmd_lookup_session(ctx, &s);
	if (r < 0)
		return r;
	cmd_session_destroy(s);
	return 0;
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

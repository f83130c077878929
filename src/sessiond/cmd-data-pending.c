/* SPDX-License-Identifier: MIT */
#include <stdlib.h>

#include "cmd.h"
#include "consumer.h"

/*
 * Whether the consumer still has data of the session to write. As lttng, it
 * is only asked of a stopped session; a session never started has none.
 */
int cmd_data_pending(const struct cmd_ctx *ctx, struct cmd_reply *reply)
{
	struct session *s;
	uint8_t *pending;
	int r;

	r = cmd_lookup_session(ctx, &s);
	if (r < 0)
		return r;
	if (s->active)
		return -RINGTRACE_ERR_SESSION_STARTED;
	if (s->has_been_started) {
		r = consumer_data_pending(s->id);
		if (r < 0)
			return cmd_error_from_consumer(r);
	}
	pending = malloc(sizeof(*pending));
	if (!pending)
		return -RINGTRACE_ERR_NOMEM;
	*pending = r > 0;
	reply->payload = pending;
	reply->len = sizeof(*pending);
	return 0;
}

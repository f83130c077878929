/* SPDX-License-Identifier: MIT */
/*
 * CLEAR_SESSION of a snapshot session, as lttng 2.13's: only the ring
 * buffers are cleared, nothing is written or deleted anywhere (a snapshot
 * session has no trace chunk, and nothing goes to a relay daemon, whatever
 * its snapshot output). Every data channel of the session, per-UID and
 * per-PID, gets CLEAR_CHANNEL (consumer-msg.h); the metadata is kept, since
 * the next snapshot needs all of it. A later `snapshot record` holds only
 * the events recorded after the clear. Active and stopped sessions alike;
 * after a stop, the first clear does it and the next ones have nothing to
 * do until the session starts again (lttng's cleared_after_last_stop).
 */
#include <inttypes.h>

#include "buffer.h"
#include "cmd.h"
#include "consumer.h"
#include "log.h"

struct clear_walk {
	struct session *s;
	int error;
};

static int clear_channel(struct clear_walk *w, uint64_t key)
{
	int r = consumer_clear_channel(key);

	if (r < 0) {
		log_error("Session %s: clear of consumer channel %" PRIu64 " failed (%d)",
		          w->s->name, key, r);
		w->error = cmd_error_from_consumer(r);
		return 1;
	}
	return 0;
}

static int clear_buffer(struct buffer *buf, void *arg)
{
	const struct buffer_channel *chan;

	cds_list_for_each_entry (chan, &buf->channels, node) {
		if (clear_channel(arg, chan->key))
			return 1;
	}
	return 0;
}

int cmd_snapshot_session_clear(struct session *s)
{
	struct clear_walk w = {.s = s};

	if (s->cleared_after_last_stop)
		return 0;
	if (buffer_for_each(s, clear_buffer, &w))
		return w.error;
	if (!s->active)
		s->cleared_after_last_stop = true;
	log_info("Session %s: ring buffers cleared", s->name);
	return 0;
}

/* SPDX-License-Identifier: MIT */
#include "consumer-loss.h"

#include <ringtrace/ctl.h>
#include <stdio.h>

#include "buffer.h"
#include "comm/client-msg.h"
#include "consumer.h"
#include "log.h"
#include "macros.h"
#include "relay-output.h"

/*
 * Client commands that need the session's consumer: refused once it died.
 * Stop and destroy are not here: they still do their part (cmd-start-stop.c,
 * cmd-destroy.c); neither are the listings and the changes of settings that
 * leave the consumer alone (disable-*, track, save...).
 */
static const bool needs_consumer[_CLIENT_COMMAND_MAX] = {
    [CLIENT_START_TRACE] = true,          [CLIENT_ENABLE_CHANNEL] = true,
    [CLIENT_ENABLE_EVENT] = true,         [CLIENT_ADD_CONTEXT] = true,
    [CLIENT_SNAPSHOT_RECORD] = true,      [CLIENT_ROTATE_SESSION] = true,
    [CLIENT_CLEAR_SESSION] = true,        [CLIENT_REGENERATE_METADATA] = true,
    [CLIENT_REGENERATE_STATEDUMP] = true,
};

static int buffer_lost(struct buffer *buf, void *arg)
{
	struct buffer_channel *chan;

	if (buf->metadata_key && consumer_channel_lost(buf->metadata_key))
		return 1;
	cds_list_for_each_entry (chan, &buf->channels, node) {
		if (consumer_channel_lost(chan->key))
			return 1;
	}
	return 0;
}

bool consumer_loss_check(struct session *s)
{
	if (s->consumer_lost)
		return true;
	if (buffer_for_each(s, buffer_lost, NULL) == 0 &&
	    !(s->relay && consumer_relayd_lost(s->id)))
		return false;
	s->consumer_lost = true;
	consumer_last_death(s->consumer_death, sizeof(s->consumer_death));
	log_error("Session %s lost its consumer daemon (%s): trace data not written by then is "
	          "lost, and the session records nothing more; destroy it",
	          s->name, s->consumer_death);
	return true;
}

static int check_one(struct session *s, void *arg)
{
	(void)consumer_loss_check(s);
	return 0;
}

/* Consumer deaths whose sessions were all checked. Under session_list_lock(). */
static uint64_t deaths_checked;

/*
 * Checks every session once after each death. A death seen by a request
 * in flight is reaped there, before the SIGCHLD sweep can tell it; the
 * next client command catches up with it (consumer_loss_guard).
 */
static void catch_up(void)
{
	uint64_t deaths = consumer_death_count();

	if (deaths == deaths_checked)
		return;
	deaths_checked = deaths;
	(void)session_for_each(check_one, NULL);
}

void consumer_loss_sweep(void)
{
	session_list_lock();
	catch_up();
	session_list_unlock();
}

int consumer_loss_refuse(struct session *s)
{
	if (!consumer_loss_check(s))
		return 0;
	cmd_set_error_detail("Session %s lost its consumer daemon (%s)", s->name,
	                     s->consumer_death);
	return -RINGTRACE_ERR_CONSUMER_LOST;
}

int consumer_loss_guard(uint32_t command, const struct cmd_ctx *ctx)
{
	struct session *s;

	catch_up();
	if (command >= ARRAY_SIZE(needs_consumer) || !needs_consumer[command])
		return 0;
	if (cmd_lookup_session(ctx, &s) < 0)
		return 0;
	return consumer_loss_refuse(s);
}

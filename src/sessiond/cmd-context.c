/* SPDX-License-Identifier: MIT */
/*
 * ADD_CONTEXT: a context recorded with every event of a channel, with
 * lttng 2.13's rules:
 *  - refused once the session has been started (TRACE_ALREADY_STARTED): the
 *    apps declare a channel's event context when the channel reaches them,
 *    which happens at start, and it never changes afterwards;
 *  - a channel name targets that channel (UST_CHAN_NOT_FOUND when missing);
 *    none targets every channel of the domain, and creates "channel0" with
 *    the defaults when there is none yet;
 *  - a channel that already has the context: UST_CONTEXT_EXIST. For "every
 *    channel" nothing is added unless every channel can take it.
 */
#include <errno.h>
#include <string.h>

#include "cmd.h"
#include "log.h"

static int context_add_checked(struct session_channel *chan, const struct session_context *ctx)
{
	int r = session_channel_add_context(chan, ctx);

	if (r == -EEXIST)
		return -RINGTRACE_ERR_UST_CONTEXT_EXIST;
	return r < 0 ? -RINGTRACE_ERR_NOMEM : 0;
}

static bool channel_has_context(const struct session_channel *chan, const char *name)
{
	for (uint32_t i = 0; i < chan->nr_contexts; i++)
		if (strcmp(chan->contexts[i].name, name) == 0)
			return true;
	return false;
}

static int context_add_to_all(struct session *s, const struct ringtrace_domain *domain,
                              const struct session_context *ctx)
{
	struct ringtrace_channel_attr attr;
	struct session_channel *chan;
	int r;

	if (cds_list_empty(&s->channels)) {
		cmd_channel_default_attr(&attr);
		r = cmd_channel_create(s, RINGTRACE_DEFAULT_CHANNEL_NAME, &attr, domain, &chan);
		if (r < 0)
			return r;
	}
	cds_list_for_each_entry (chan, &s->channels, node) {
		if (channel_has_context(chan, ctx->name))
			return -RINGTRACE_ERR_UST_CONTEXT_EXIST;
	}
	cds_list_for_each_entry (chan, &s->channels, node) {
		r = context_add_checked(chan, ctx);
		if (r < 0)
			return r;
	}
	return 0;
}

int cmd_add_context(const struct cmd_ctx *ctx, struct cmd_reply *reply)
{
	const struct client_msg *msg = ctx->msg;
	const char *chan_name = msg->u.add_context.channel_name;
	struct ringtrace_domain domain = msg->domain;
	struct session_context context;
	struct session_channel *chan = NULL;
	struct session *s;
	int r;

	(void)reply;
	r = cmd_lookup_session(ctx, &s);
	if (r < 0)
		return r;
	r = cmd_check_domain(&domain);
	if (r < 0)
		return r;
	if (!CMD_STRING_OK(msg->u.add_context.channel_name) ||
	    !CMD_STRING_OK(msg->u.add_context.ctx.perf_counter.name))
		return -RINGTRACE_ERR_PROTOCOL;
	if (s->has_been_started)
		return -RINGTRACE_ERR_TRACE_ALREADY_STARTED;
	if (chan_name[0]) {
		chan = session_find_channel(s, chan_name);
		if (!chan)
			return -RINGTRACE_ERR_UST_CHAN_NOT_FOUND;
	}
	r = ust_context_from_request(&msg->u.add_context.ctx, &context);
	if (r < 0)
		return r;
	r = chan ? context_add_checked(chan, &context) : context_add_to_all(s, &domain, &context);
	if (r < 0)
		return r;
	log_info("Session %s: context %s added to %s%s", s->name, context.name,
	         chan ? "channel " : "every channel", chan ? chan->name : "");
	return 0;
}

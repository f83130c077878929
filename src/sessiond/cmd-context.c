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
 *  - a channel that already has the context: UST_CONTEXT_EXIST (also for an
 *    application context that would declare the same TSDL field as one the
 *    channel has). For "every channel" nothing is added unless every
 *    channel can take it.
 */
#include <errno.h>
#include <string.h>

#include "cmd.h"
#include "comm/ust-msg.h"
#include "ctf/tsdl.h"
#include "log.h"
#include "relay-output.h"

/*
 * Whether two contexts would declare the same TSDL field: application
 * contexts whose names differ only in characters TSDL identifiers do not
 * have ("$app.a.b:c", "$app.a_b:c") would.
 */
static bool same_field(const struct session_context *a, const struct session_context *b)
{
	char fa[2 * RINGTRACE_SYMBOL_NAME_LEN], fb[2 * RINGTRACE_SYMBOL_NAME_LEN];

	if (strcmp(a->name, b->name) == 0)
		return true;
	if (a->type != RINGTRACE_EVENT_CONTEXT_APP_CONTEXT ||
	    b->type != RINGTRACE_EVENT_CONTEXT_APP_CONTEXT)
		return false;
	return tsdl_dynamic_field_name(a->name, fa, sizeof(fa)) == 0 &&
	       tsdl_dynamic_field_name(b->name, fb, sizeof(fb)) == 0 && strcmp(fa, fb) == 0;
}

/* Whether chan can take ctx: UST_CONTEXT_EXIST, INVALID (full), or 0. */
static int context_addable(const struct session_channel *chan, const struct session_context *ctx)
{
	for (uint32_t i = 0; i < chan->nr_contexts; i++)
		if (same_field(&chan->contexts[i], ctx))
			return -RINGTRACE_ERR_UST_CONTEXT_EXIST;
	if (chan->nr_contexts >= UST_MAX_CONTEXTS) {
		log_warn("Channel %s: context %s refused: a channel has at most %u contexts",
		         chan->name, ctx->name, UST_MAX_CONTEXTS);
		return -RINGTRACE_ERR_INVALID;
	}
	return 0;
}

static int context_add(struct session_channel *chan, const struct session_context *ctx)
{
	return session_channel_add_context(chan, ctx) < 0 ? -RINGTRACE_ERR_NOMEM : 0;
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
	/* Every channel checked first: nothing is added unless all take it. */
	cds_list_for_each_entry (chan, &s->channels, node) {
		r = context_addable(chan, ctx);
		if (r < 0)
			return r;
	}
	cds_list_for_each_entry (chan, &s->channels, node) {
		r = context_add(chan, ctx);
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
	r = cmd_lookup_session_domain(ctx, &s);
	if (r < 0)
		return r;
	if (!CMD_STRING_OK(msg->u.add_context.channel_name) ||
	    !CMD_STRING_OK(msg->u.add_context.ctx.perf_counter.name))
		return -RINGTRACE_ERR_PROTOCOL;
	if (s->has_been_started)
		return -RINGTRACE_ERR_TRACE_ALREADY_STARTED;
	r = session_relay_connect(s);
	if (r < 0)
		return r;
	if (chan_name[0]) {
		chan = session_find_channel(s, chan_name);
		if (!chan)
			return -RINGTRACE_ERR_UST_CHAN_NOT_FOUND;
	}
	r = ust_context_from_request(&msg->u.add_context.ctx, &context);
	if (r < 0)
		return r;
	if (chan) {
		r = context_addable(chan, &context);
		if (r == 0)
			r = context_add(chan, &context);
	} else {
		r = context_add_to_all(s, &domain, &context);
	}
	if (r < 0)
		return r;
	log_info("Session %s: context %s added to %s%s", s->name, context.name,
	         chan ? "channel " : "every channel", chan ? chan->name : "");
	return 0;
}

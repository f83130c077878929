/* SPDX-License-Identifier: MIT */
/*
 * ENABLE_EVENT / DISABLE_EVENT: event rules (a name pattern and a log level
 * condition) in a channel, with lttng 2.13's rules:
 *  - no channel name means "channel0", created with the defaults when
 *    missing, but is refused once the session has any other channel;
 *  - a rule identical to an existing one re-enables it, or is refused when
 *    that one is enabled (UST_EVENT_ENABLED);
 *  - a rule is its pattern, log level condition, set of exclusions and
 *    filter: the same pattern with other exclusions or another filter is
 *    another rule;
 *  - exclusions need a pattern with a `*` (the CLI says so before asking);
 *  - disabling by name disables every rule of that pattern, "*" all rules.
 * A filter travels as its expression and the bytecode the client compiled
 * (filter-bytecode.h); the bytecode is validated here too, so that a bad one
 * is refused with a clear error before any app sees it (apps validate it
 * again: they trust no daemon).
 */
#include <errno.h>
#include <string.h>

#include "cmd.h"
#include "comm/ust-msg.h"
#include "filter/filter-validate.h"
#include "log.h"
#include "relay-output.h"
#include "ust-app.h"

#define ALL_EVENTS_PATTERN "*"
/* What the payload bound leaves for exclusion names. */
#define MAX_EXCLUSIONS (RINGTRACE_FILTER_MAX_LEN / RINGTRACE_SYMBOL_NAME_LEN)

_Static_assert(MAX_EXCLUSIONS <= UST_MAX_EXCLUSIONS, "every accepted rule fits CREATE_ENABLER");
_Static_assert(RINGTRACE_SYMBOL_NAME_LEN == RINGTRACE_SYM_NAME_LEN, "exclusion names as the apps'");

/*
 * The channel an event command targets: its own name, or channel0 when none
 * is given and the session has no other channel.
 */
static int event_channel_name(struct session *s, const char *requested, const char **ret_name)
{
	struct session_channel *chan;

	if (requested[0]) {
		*ret_name = requested;
		return 0;
	}
	cds_list_for_each_entry (chan, &s->channels, node) {
		if (strcmp(chan->name, RINGTRACE_DEFAULT_CHANNEL_NAME) != 0)
			return -RINGTRACE_ERR_NEED_CHANNEL_NAME;
	}
	*ret_name = RINGTRACE_DEFAULT_CHANNEL_NAME;
	return 0;
}

/* Checks the variable part: exclusion names, filter expression, bytecode. */
static int event_variable_part_check(const struct cmd_ctx *ctx, uint32_t expression_len,
                                     uint32_t bytecode_len, uint32_t exclusion_count)
{
	uint64_t expected;

	if (exclusion_count > MAX_EXCLUSIONS || expression_len > RINGTRACE_FILTER_MAX_LEN ||
	    bytecode_len > RINGTRACE_FILTER_MAX_LEN)
		return -RINGTRACE_ERR_PROTOCOL;
	expected =
	    (uint64_t)exclusion_count * RINGTRACE_SYMBOL_NAME_LEN + expression_len + bytecode_len;
	if (expected != ctx->var_len)
		return -RINGTRACE_ERR_PROTOCOL;
	for (uint32_t i = 0; i < exclusion_count; i++) {
		const char *name = (const char *)ctx->var + (size_t)i * RINGTRACE_SYMBOL_NAME_LEN;

		if (!cmd_string_ok(name, RINGTRACE_SYMBOL_NAME_LEN))
			return -RINGTRACE_ERR_PROTOCOL;
	}
	if (expression_len > 0) {
		const uint8_t *expression =
		    ctx->var + (size_t)exclusion_count * RINGTRACE_SYMBOL_NAME_LEN;

		if (expression[expression_len - 1] != '\0')
			return -RINGTRACE_ERR_PROTOCOL;
	}
	/* A filter is its expression and its bytecode, never one without the other. */
	if ((expression_len == 0) != (bytecode_len == 0))
		return -RINGTRACE_ERR_INVALID;
	return 0;
}

/* The filter of the request, bytecode validated; filter->bytecode NULL when none. */
static int event_filter(const struct cmd_ctx *ctx, const char *event_name,
                        struct session_filter *filter)
{
	const struct client_msg *msg = ctx->msg;
	uint32_t expression_len = msg->u.enable_event.expression_len;
	size_t offset = (size_t)msg->u.enable_event.exclusion_count * RINGTRACE_SYMBOL_NAME_LEN;
	const char *reason = NULL;

	*filter = (struct session_filter){0};
	if (expression_len == 0)
		return 0;
	filter->expression = (const char *)ctx->var + offset;
	filter->bytecode = ctx->var + offset + expression_len;
	filter->bytecode_len = msg->u.enable_event.bytecode_len;
	if (filter_validate(filter->bytecode, filter->bytecode_len, NULL, &reason) < 0) {
		log_warn("Event %s: filter \"%s\" refused: %s", event_name, filter->expression,
		         reason ? reason : "out of memory");
		return -RINGTRACE_ERR_FILTER_INVAL;
	}
	return 0;
}

static int event_fields_check(const struct ringtrace_event *ev)
{
	if (!CMD_STRING_OK(ev->name))
		return -RINGTRACE_ERR_PROTOCOL;
	if (!ev->name[0])
		return -RINGTRACE_ERR_INVALID;
	if (ev->type != RINGTRACE_EVENT_TRACEPOINT && ev->type != RINGTRACE_EVENT_ALL) {
		log_warn("Event %s: only tracepoint events are supported", ev->name);
		return -RINGTRACE_ERR_NOT_SUPPORTED;
	}
	switch (ev->loglevel_type) {
	case RINGTRACE_EVENT_LOGLEVEL_ALL:
	case RINGTRACE_EVENT_LOGLEVEL_RANGE:
	case RINGTRACE_EVENT_LOGLEVEL_SINGLE:
		return 0;
	default:
		return -RINGTRACE_ERR_INVALID;
	}
}

/* The target channel, created with the defaults when missing. */
static int event_channel(struct session *s, const char *name, const struct ringtrace_domain *domain,
                         struct session_channel **ret_chan)
{
	struct ringtrace_channel_attr attr;

	*ret_chan = session_find_channel(s, name);
	if (*ret_chan)
		return 0;
	cmd_channel_default_attr(&attr);
	return cmd_channel_create(s, name, &attr, domain, ret_chan);
}

int cmd_enable_event(const struct cmd_ctx *ctx, struct cmd_reply *reply)
{
	const struct client_msg *msg = ctx->msg;
	struct ringtrace_domain domain = msg->domain;
	struct ringtrace_event ev = msg->u.enable_event.event;
	struct session_exclusions exclusions = {0};
	struct session_filter filter;
	struct session_event_rule *rule;
	struct session_channel *chan;
	const char *chan_name;
	struct session *s;
	int r;

	r = event_variable_part_check(ctx, msg->u.enable_event.expression_len,
	                              msg->u.enable_event.bytecode_len,
	                              msg->u.enable_event.exclusion_count);
	if (r < 0)
		return r;
	if (!CMD_STRING_OK(msg->u.enable_event.channel_name))
		return -RINGTRACE_ERR_PROTOCOL;
	r = event_fields_check(&ev);
	if (r < 0)
		return r;
	r = cmd_lookup_session_domain(ctx, &s);
	if (r < 0)
		return r;
	r = event_filter(ctx, ev.name, &filter);
	if (r < 0)
		return r;
	r = session_relay_connect(s);
	if (r < 0)
		return r;
	exclusions.count = msg->u.enable_event.exclusion_count;
	if (exclusions.count > 0) {
		if (!strchr(ev.name, '*'))
			return -RINGTRACE_ERR_INVALID;
		exclusions.names = (const void *)ctx->var;
	}
	r = event_channel_name(s, msg->u.enable_event.channel_name, &chan_name);
	if (r < 0)
		return r;
	r = event_channel(s, chan_name, &domain, &chan);
	if (r < 0)
		return r;

	rule =
	    session_find_rule(chan, ev.name, ev.loglevel_type, ev.loglevel, &exclusions, &filter);
	if (rule) {
		if (rule->enabled)
			return -RINGTRACE_ERR_UST_EVENT_ENABLED;
		rule->enabled = true;
		log_info("Session %s: event rule %s re-enabled in channel %s", s->name, ev.name,
		         chan->name);
		return ust_app_session_update(s);
	}
	r = session_add_rule(chan, ev.name, ev.loglevel_type, ev.loglevel, &exclusions, &filter,
	                     &rule);
	if (r < 0)
		return r == -ENOMEM ? -RINGTRACE_ERR_NOMEM : -RINGTRACE_ERR_INVALID;
	r = ust_app_session_update(s);
	if (r < 0) {
		/* As lttng: a rule the apps refused at creation is not kept. */
		session_remove_rule(rule);
		return r;
	}
	log_info("Session %s: event rule %s enabled in channel %s", s->name, ev.name, chan->name);
	return 0;
}

int cmd_disable_event(const struct cmd_ctx *ctx, struct cmd_reply *reply)
{
	const struct client_msg *msg = ctx->msg;
	const char *pattern = msg->u.disable_event.event_name;
	struct session_event_rule *rule;
	struct session_channel *chan;
	const char *chan_name;
	struct session *s;
	bool all, found = false, changed = false;
	int r;

	if (!CMD_STRING_OK(msg->u.disable_event.channel_name) ||
	    !CMD_STRING_OK(msg->u.disable_event.event_name))
		return -RINGTRACE_ERR_PROTOCOL;
	if (!pattern[0])
		return -RINGTRACE_ERR_INVALID;
	r = cmd_lookup_session_domain(ctx, &s);
	if (r < 0)
		return r;
	r = event_channel_name(s, msg->u.disable_event.channel_name, &chan_name);
	if (r < 0)
		return r;
	chan = session_find_channel(s, chan_name);
	if (!chan)
		return -RINGTRACE_ERR_UST_CHAN_NOT_FOUND;

	all = strcmp(pattern, ALL_EVENTS_PATTERN) == 0;
	cds_list_for_each_entry (rule, &chan->rules, node) {
		if (!all && strcmp(rule->pattern, pattern) != 0)
			continue;
		found = true;
		changed |= rule->enabled;
		rule->enabled = false;
	}
	if (!found && !all)
		return -RINGTRACE_ERR_UST_EVENT_NOT_FOUND;
	log_info("Session %s: event rule%s %s disabled in channel %s", s->name, all ? "s" : "",
	         pattern, chan->name);
	return changed ? ust_app_session_update(s) : 0;
}

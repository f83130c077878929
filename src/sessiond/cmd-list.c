/* SPDX-License-Identifier: MIT */
/*
 * The LIST_* commands. Replies are arrays of the public structures of
 * ctl.h, as liblttng-ctl's listings: sessions the client may see, channels
 * with their discarded/lost counters, the event rules of one channel (or of
 * every channel, in channel order, when none is named; with their exclusion
 * names when the client asks, client-msg.h), the domains, and the
 * tracepoints and fields of the registered applications.
 */
#include <stdlib.h>
#include <string.h>

#include "access.h"
#include "cmd.h"
#include "log.h"
#include "ust-app.h"

struct session_listing {
	uid_t uid;
	struct ringtrace_session *items;
	size_t count;
	size_t capacity;
};

static int list_one_session(struct session *s, void *arg)
{
	struct session_listing *listing = arg;

	if (!access_session_allowed(s, listing->uid))
		return 0;
	if (listing->count == listing->capacity) {
		size_t capacity = listing->capacity ? listing->capacity * 2 : 8;
		struct ringtrace_session *items =
		    reallocarray(listing->items, capacity, sizeof(*items));

		if (!items)
			return -RINGTRACE_ERR_NOMEM;
		listing->items = items;
		listing->capacity = capacity;
	}
	cmd_session_info(s, &listing->items[listing->count++]);
	return 0;
}

int cmd_list_sessions(const struct cmd_ctx *ctx, struct cmd_reply *reply)
{
	struct session_listing listing = {.uid = ctx->cred.uid};
	int r;

	r = session_for_each(list_one_session, &listing);
	if (r < 0) {
		free(listing.items);
		return r;
	}
	return cmd_reply_array(reply, listing.items, listing.count, sizeof(*listing.items));
}

static size_t channel_count(const struct session *s)
{
	const struct session_channel *chan;
	size_t count = 0;

	cds_list_for_each_entry (chan, &s->channels, node)
		count++;
	return count;
}

int cmd_list_channels(const struct cmd_ctx *ctx, struct cmd_reply *reply)
{
	struct ringtrace_channel *items;
	struct session_channel *chan;
	struct session *s;
	size_t i = 0;
	int r;

	r = cmd_lookup_session_domain(ctx, &s);
	if (r < 0)
		return r;
	items = calloc(channel_count(s) + 1, sizeof(*items));
	if (!items)
		return -RINGTRACE_ERR_NOMEM;
	cds_list_for_each_entry (chan, &s->channels, node) {
		struct ringtrace_channel *item = &items[i++];
		uint64_t discarded = 0, lost = 0;

		strcpy(item->name, chan->name);
		item->enabled = chan->enabled;
		item->attr = chan->attr;
		r = ust_app_channel_counters(s, chan, &discarded, &lost);
		if (r < 0)
			log_debug("Session %s, channel %s: counters unavailable (error %d)",
			          s->name, chan->name, -r);
		item->discarded_events = discarded;
		item->lost_packets = lost;
	}
	return cmd_reply_array(reply, items, i, sizeof(*items));
}

static size_t rule_count(const struct session_channel *chan)
{
	const struct session_event_rule *rule;
	size_t count = 0;

	cds_list_for_each_entry (rule, &chan->rules, node)
		count++;
	return count;
}

static size_t rule_exclusion_count(const struct session_channel *chan)
{
	const struct session_event_rule *rule;
	size_t count = 0;

	cds_list_for_each_entry (rule, &chan->rules, node)
		count += rule->exclusion_count;
	return count;
}

static size_t list_rules(const struct session_channel *chan, struct ringtrace_event *items)
{
	const struct session_event_rule *rule;
	size_t i = 0;

	cds_list_for_each_entry (rule, &chan->rules, node) {
		struct ringtrace_event *item = &items[i++];

		item->type = RINGTRACE_EVENT_TRACEPOINT;
		strcpy(item->name, rule->pattern);
		item->loglevel_type = rule->loglevel_type;
		item->loglevel = rule->loglevel;
		item->enabled = rule->enabled;
		item->exclusion = rule->exclusion_count > 0;
		item->filter = rule->filter_expression != NULL;
	}
	return i;
}

/*
 * The exclusion counts and names of chan's rules, in rule order, at the
 * ends of the two parts of the extended reply (client-msg.h).
 */
static void list_rule_exclusions(const struct session_channel *chan, uint8_t **counts,
                                 uint8_t **names)
{
	const struct session_event_rule *rule;

	cds_list_for_each_entry (rule, &chan->rules, node) {
		size_t names_len = (size_t)rule->exclusion_count * RINGTRACE_SYMBOL_NAME_LEN;

		memcpy(*counts, &rule->exclusion_count, sizeof(rule->exclusion_count));
		*counts += sizeof(rule->exclusion_count);
		memcpy(*names, rule->exclusions, names_len);
		*names += names_len;
	}
}

/* Bytes of the filter expressions of chan's rules, NULs included. */
static size_t rule_filters_len(const struct session_channel *chan)
{
	const struct session_event_rule *rule;
	size_t len = 0;

	cds_list_for_each_entry (rule, &chan->rules, node) {
		if (rule->filter_expression)
			len += strlen(rule->filter_expression) + 1;
	}
	return len;
}

/* The filter lengths and expressions of chan's rules (client-msg.h, extended reply 2). */
static void list_rule_filters(const struct session_channel *chan, uint8_t **lens, uint8_t **text)
{
	const struct session_event_rule *rule;

	cds_list_for_each_entry (rule, &chan->rules, node) {
		uint32_t len =
		    rule->filter_expression ? (uint32_t)strlen(rule->filter_expression) + 1 : 0;

		memcpy(*lens, &len, sizeof(len));
		*lens += sizeof(len);
		if (len) /* memcpy() from NULL is undefined even for 0 bytes */
			memcpy(*text, rule->filter_expression, len);
		*text += len;
	}
}

/*
 * The extended replies: count, events, exclusion counts, exclusion names,
 * and with_filters, the filter lengths and expressions.
 */
static int list_events_extended(struct session *s, struct session_channel *only, size_t total,
                                bool with_filters, struct cmd_reply *reply)
{
	struct session_channel *chan;
	size_t total_names = 0, total_filters = 0, len;
	uint8_t *buf, *counts, *names, *lens, *text;
	uint32_t n = (uint32_t)total;
	struct ringtrace_event *items;
	size_t i = 0;

	cds_list_for_each_entry (chan, &s->channels, node) {
		if (only && chan != only)
			continue;
		total_names += rule_exclusion_count(chan);
		total_filters += rule_filters_len(chan);
	}
	len = sizeof(n) + total * (sizeof(*items) + sizeof(uint32_t)) +
	      total_names * RINGTRACE_SYMBOL_NAME_LEN;
	if (with_filters)
		len += total * sizeof(uint32_t) + total_filters;
	if (len > UINT32_MAX)
		return -RINGTRACE_ERR_NOMEM;
	buf = calloc(1, len);
	if (!buf)
		return -RINGTRACE_ERR_NOMEM;
	memcpy(buf, &n, sizeof(n));
	items = (struct ringtrace_event *)(buf + sizeof(n));
	counts = buf + sizeof(n) + total * sizeof(*items);
	names = counts + total * sizeof(uint32_t);
	lens = names + total_names * RINGTRACE_SYMBOL_NAME_LEN;
	text = lens + total * sizeof(uint32_t);
	cds_list_for_each_entry (chan, &s->channels, node) {
		if (only && chan != only)
			continue;
		i += list_rules(chan, items + i);
		list_rule_exclusions(chan, &counts, &names);
		if (with_filters)
			list_rule_filters(chan, &lens, &text);
	}
	reply->payload = buf;
	reply->len = (uint32_t)len;
	return 0;
}

int cmd_list_events(const struct cmd_ctx *ctx, struct cmd_reply *reply)
{
	const char *chan_name = ctx->msg->u.list_events.channel_name;
	struct ringtrace_event *items;
	struct session_channel *chan, *only = NULL;
	struct session *s;
	size_t total = 0, i = 0;
	int r;

	if (!CMD_STRING_OK(ctx->msg->u.list_events.channel_name) ||
	    ctx->msg->u.list_events.with_exclusions > 2)
		return -RINGTRACE_ERR_PROTOCOL;
	r = cmd_lookup_session_domain(ctx, &s);
	if (r < 0)
		return r;
	if (chan_name[0]) {
		only = session_find_channel(s, chan_name);
		if (!only)
			return -RINGTRACE_ERR_UST_CHAN_NOT_FOUND;
		total = rule_count(only);
	} else {
		cds_list_for_each_entry (chan, &s->channels, node)
			total += rule_count(chan);
	}
	if (ctx->msg->u.list_events.with_exclusions)
		return list_events_extended(s, only, total,
		                            ctx->msg->u.list_events.with_exclusions == 2, reply);
	items = calloc(total + 1, sizeof(*items));
	if (!items)
		return -RINGTRACE_ERR_NOMEM;
	if (only) {
		i = list_rules(only, items);
	} else {
		cds_list_for_each_entry (chan, &s->channels, node)
			i += list_rules(chan, items + i);
	}
	return cmd_reply_array(reply, items, i, sizeof(*items));
}

int cmd_list_domains(const struct cmd_ctx *ctx, struct cmd_reply *reply)
{
	struct ringtrace_domain *domain;
	struct session *s;
	int r;

	r = cmd_lookup_session(ctx, &s);
	if (r < 0)
		return r;
	if (cds_list_empty(&s->channels) && !s->ust_domain)
		return 0;
	domain = calloc(1, sizeof(*domain));
	if (!domain)
		return -RINGTRACE_ERR_NOMEM;
	domain->type = RINGTRACE_DOMAIN_UST;
	/* As lttng, a domain made by a tracker change alone has the default per-UID buffers. */
	domain->buf_type =
	    cds_list_empty(&s->channels)
	        ? RINGTRACE_BUFFER_PER_UID
	        : cds_list_entry(s->channels.next, struct session_channel, node)->buffer_type;
	return cmd_reply_array(reply, domain, 1, sizeof(*domain));
}

int cmd_list_tracepoints(const struct cmd_ctx *ctx, struct cmd_reply *reply)
{
	struct ringtrace_domain domain = ctx->msg->domain;
	struct ringtrace_event *items = NULL;
	int r;

	r = cmd_check_domain(&domain);
	if (r < 0)
		return r;
	r = ust_app_list_tracepoints(&items);
	if (r < 0)
		return r;
	return cmd_reply_array(reply, items, (size_t)r, sizeof(*items));
}

int cmd_list_tracepoint_fields(const struct cmd_ctx *ctx, struct cmd_reply *reply)
{
	struct ringtrace_domain domain = ctx->msg->domain;
	struct ringtrace_event_field *items = NULL;
	int r;

	r = cmd_check_domain(&domain);
	if (r < 0)
		return r;
	r = ust_app_list_tracepoint_fields(&items);
	if (r < 0)
		return r;
	return cmd_reply_array(reply, items, (size_t)r, sizeof(*items));
}

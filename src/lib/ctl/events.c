/* SPDX-License-Identifier: MIT */
/*
 * Event rules of a channel: enable (with filter expression and exclusions),
 * disable, list (with or without the exclusion names).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/macros.h"
#include "ctl-internal.h"
#include "filter/filter-compile.h"

/*
 * Compiles a filter here, as liblttng-ctl does: a refused expression never
 * reaches the daemon. The daemon takes the whole container, header
 * included, at most RINGTRACE_FILTER_MAX_LEN bytes (lttng's sessiond
 * refuses a longer one as an invalid filter).
 */
static int compile_filter(const char *expression, struct filter_bytecode **ret_bytecode)
{
	struct filter_bytecode *bytecode = NULL;
	int r;

	/* An empty expression is an invalid parameter, as for liblttng-ctl. */
	if (!*expression)
		return -RINGTRACE_ERR_INVALID;
	if (strlen(expression) + 1 > RINGTRACE_FILTER_MAX_LEN)
		return -RINGTRACE_ERR_FILTER_INVAL;
	r = filter_compile(expression, &bytecode, NULL);
	if (r == -ENOMEM)
		return -RINGTRACE_ERR_FILTER_NOMEM;
	if (r < 0)
		return -RINGTRACE_ERR_FILTER_INVAL;
	if (filter_bytecode_size(bytecode) > RINGTRACE_FILTER_MAX_LEN) {
		free(bytecode);
		return -RINGTRACE_ERR_FILTER_INVAL;
	}
	*ret_bytecode = bytecode;
	return 0;
}

int ringtrace_enable_event_with_exclusions(const struct ringtrace_handle *handle,
                                           struct ringtrace_event *ev, const char *channel_name,
                                           const char *filter_expression, int nr_exclusions,
                                           char **exclusion_names)
{
	_cleanup_free_ struct filter_bytecode *bytecode = NULL;
	_cleanup_free_ char *extra = NULL;
	size_t expression_len = 0, bytecode_len = 0, exclusions_len, extra_len;
	struct client_msg msg;
	int r;

	if (!ev || !ev->name[0] || !memchr(ev->name, '\0', sizeof(ev->name)) || nr_exclusions < 0 ||
	    (nr_exclusions > 0 && !exclusion_names))
		return -RINGTRACE_ERR_INVALID;
	if (filter_expression) {
		r = compile_filter(filter_expression, &bytecode);
		if (r < 0)
			return r;
		expression_len = strlen(filter_expression) + 1;
		bytecode_len = filter_bytecode_size(bytecode);
	}
	r = ctl_handle_msg_init(&msg, handle, true);
	if (r < 0)
		return r;
	/* "" selects the default channel: the daemon tells "channel0" from it. */
	r = ctl_copy_name(msg.u.enable_event.channel_name, sizeof(msg.u.enable_event.channel_name),
	                  channel_name);
	if (r < 0)
		return r;
	msg.u.enable_event.event = *ev;
	msg.u.enable_event.event.filter = expression_len > 0;
	msg.u.enable_event.event.exclusion = nr_exclusions > 0;
	msg.u.enable_event.expression_len = (uint32_t)expression_len;
	msg.u.enable_event.bytecode_len = (uint32_t)bytecode_len;
	msg.u.enable_event.exclusion_count = (uint32_t)nr_exclusions;

	/* Variable part: the exclusion names, the expression, then its bytecode. */
	exclusions_len = (size_t)nr_exclusions * RINGTRACE_SYMBOL_NAME_LEN;
	extra_len = exclusions_len + expression_len + bytecode_len;
	if (extra_len > CLIENT_MSG_MAX_PAYLOAD)
		return -RINGTRACE_ERR_INVALID;
	if (extra_len > 0) {
		extra = calloc(1, extra_len);
		if (!extra)
			return -RINGTRACE_ERR_NOMEM;
	}
	for (int i = 0; i < nr_exclusions; i++) {
		r = ctl_copy_name(extra + (size_t)i * RINGTRACE_SYMBOL_NAME_LEN,
		                  RINGTRACE_SYMBOL_NAME_LEN, exclusion_names[i]);
		if (r < 0)
			return -RINGTRACE_ERR_INVALID;
	}
	if (expression_len > 0) {
		memcpy(extra + exclusions_len, filter_expression, expression_len);
		memcpy(extra + exclusions_len + expression_len, bytecode, bytecode_len);
	}
	return ctl_request(CLIENT_ENABLE_EVENT, &msg, extra, extra_len, NULL, NULL);
}

int ringtrace_enable_event(const struct ringtrace_handle *handle, struct ringtrace_event *ev,
                           const char *channel_name)
{
	return ringtrace_enable_event_with_exclusions(handle, ev, channel_name, NULL, 0, NULL);
}

int ringtrace_disable_event(const struct ringtrace_handle *handle, const char *name,
                            const char *channel_name)
{
	struct client_msg msg;
	int r;

	r = ctl_handle_msg_init(&msg, handle, true);
	if (r < 0)
		return r;
	r = ctl_copy_name(msg.u.disable_event.channel_name,
	                  sizeof(msg.u.disable_event.channel_name), channel_name);
	if (r < 0)
		return r;
	/* No name: every event rule of the channel, as `disable-event -a`. */
	r = ctl_copy_name(msg.u.disable_event.event_name, sizeof(msg.u.disable_event.event_name),
	                  name && *name ? name : "*");
	if (r < 0)
		return r;
	return ctl_request(CLIENT_DISABLE_EVENT, &msg, NULL, 0, NULL, NULL);
}

int ctl_request_events(enum client_command cmd, const struct client_msg *msg,
                       struct ringtrace_event **ret_events)
{
	struct ringtrace_event *events = NULL;
	int n;

	n = ctl_request_array(cmd, msg, sizeof(*events), (void **)&events);
	if (n < 0)
		return n;
	for (int i = 0; i < n; i++)
		events[i].name[sizeof(events[i].name) - 1] = '\0';
	*ret_events = events;
	return n;
}

/* A LIST_EVENTS request of the handle's session, for one channel. */
static int list_events_msg_init(struct client_msg *msg, const struct ringtrace_handle *handle,
                                const char *channel_name)
{
	int r = ctl_handle_msg_init(msg, handle, true);

	if (r < 0)
		return r;
	return ctl_copy_name(msg->u.list_events.channel_name,
	                     sizeof(msg->u.list_events.channel_name), channel_name);
}

int ringtrace_list_events(const struct ringtrace_handle *handle, const char *channel_name,
                          struct ringtrace_event **ret_events)
{
	struct client_msg msg;
	int r;

	if (!ret_events)
		return -RINGTRACE_ERR_INVALID;
	r = list_events_msg_init(&msg, handle, channel_name);
	if (r < 0)
		return r;
	return ctl_request_events(CLIENT_LIST_EVENTS, &msg, ret_events);
}

/* Sizes of the parts of an extended LIST_EVENTS reply 2 (client-msg.h), checked. */
struct extended_reply {
	uint32_t n;
	const uint8_t *counts, *names, *filter_lens, *filters;
	size_t names_total, filters_total;
};

static int extended_reply_parse(const uint8_t *reply, size_t len, struct extended_reply *ret)
{
	size_t per_event = sizeof(struct ringtrace_event) + 2 * sizeof(uint32_t), rest;
	uint32_t n;

	if (len < sizeof(n))
		return -RINGTRACE_ERR_PROTOCOL;
	memcpy(&n, reply, sizeof(n));
	if (n > INT32_MAX || (len - sizeof(n)) / per_event < n)
		return -RINGTRACE_ERR_PROTOCOL;
	*ret = (struct extended_reply){.n = n};
	ret->counts = reply + sizeof(n) + (size_t)n * sizeof(struct ringtrace_event);
	ret->names = ret->counts + (size_t)n * sizeof(uint32_t);
	rest = len - sizeof(n) - (size_t)n * per_event;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t count;

		memcpy(&count, ret->counts + (size_t)i * sizeof(count), sizeof(count));
		ret->names_total += count;
		if (ret->names_total > rest / RINGTRACE_SYMBOL_NAME_LEN)
			return -RINGTRACE_ERR_PROTOCOL;
	}
	rest -= ret->names_total * RINGTRACE_SYMBOL_NAME_LEN;
	ret->filter_lens = ret->names + ret->names_total * RINGTRACE_SYMBOL_NAME_LEN;
	ret->filters = ret->filter_lens + (size_t)n * sizeof(uint32_t);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t flen;

		memcpy(&flen, ret->filter_lens + (size_t)i * sizeof(flen), sizeof(flen));
		if (flen > rest - ret->filters_total)
			return -RINGTRACE_ERR_PROTOCOL;
		if (flen > 0 && ret->filters[ret->filters_total + flen - 1] != '\0')
			return -RINGTRACE_ERR_PROTOCOL;
		ret->filters_total += flen;
	}
	return rest == ret->filters_total ? 0 : -RINGTRACE_ERR_PROTOCOL;
}

int ringtrace_list_events_with_exclusions(const struct ringtrace_handle *handle,
                                          const char *channel_name,
                                          struct ringtrace_event **ret_events,
                                          struct ringtrace_event_exclusions **ret_exclusions)
{
	_cleanup_free_ uint8_t *reply = NULL;
	_cleanup_free_ struct ringtrace_event *events = NULL;
	struct ringtrace_event_exclusions *exclusions;
	char(*names)[RINGTRACE_SYMBOL_NAME_LEN];
	struct extended_reply x;
	size_t len = 0, next = 0, next_filter = 0;
	struct client_msg msg;
	char *filters;
	uint32_t n;
	int r;

	if (!ret_events || !ret_exclusions)
		return -RINGTRACE_ERR_INVALID;
	r = list_events_msg_init(&msg, handle, channel_name);
	if (r < 0)
		return r;
	msg.u.list_events.with_exclusions = 2;
	r = ctl_request(CLIENT_LIST_EVENTS, &msg, NULL, 0, (void **)&reply, &len);
	if (r < 0)
		return r;
	r = extended_reply_parse(reply, len, &x);
	if (r < 0)
		return r;
	n = x.n;
	events = calloc((size_t)n + 1, sizeof(*events));
	exclusions = calloc(1, ((size_t)n + 1) * sizeof(*exclusions) +
	                           x.names_total * RINGTRACE_SYMBOL_NAME_LEN + x.filters_total);
	if (!events || !exclusions) {
		free(exclusions);
		return -RINGTRACE_ERR_NOMEM;
	}
	memcpy(events, reply + sizeof(n), (size_t)n * sizeof(*events));
	names = (void *)(exclusions + n + 1);
	memcpy(names, x.names, x.names_total * RINGTRACE_SYMBOL_NAME_LEN);
	filters = (char *)(names + x.names_total);
	memcpy(filters, x.filters, x.filters_total);
	for (size_t i = 0; i < x.names_total; i++)
		names[i][RINGTRACE_SYMBOL_NAME_LEN - 1] = '\0';
	for (uint32_t i = 0; i < n; i++) {
		uint32_t flen;

		events[i].name[sizeof(events[i].name) - 1] = '\0';
		memcpy(&exclusions[i].count, x.counts + (size_t)i * sizeof(uint32_t),
		       sizeof(uint32_t));
		exclusions[i].names = exclusions[i].count ? names + next : NULL;
		next += exclusions[i].count;
		memcpy(&flen, x.filter_lens + (size_t)i * sizeof(flen), sizeof(flen));
		exclusions[i].filter_expression = flen ? filters + next_filter : NULL;
		next_filter += flen;
	}
	*ret_events = TAKE_PTR(events);
	*ret_exclusions = exclusions;
	return (int)n;
}

/* SPDX-License-Identifier: MIT */
/*
 * The session list: every tracing session of the daemon, in creation order,
 * behind one mutex. Sessions are few and commands rare, so lookups are linear
 * scans; what matters is that every reader and writer (client command
 * handlers, app registration) sees a consistent list.
 */
#include "session.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>

#include "macros.h"

static pthread_mutex_t session_list_mutex = PTHREAD_MUTEX_INITIALIZER;
static CDS_LIST_HEAD(session_list);
/* Both under session_list_mutex. */
static uint64_t session_next_id = 1;
static uint32_t rule_next_id = 1;

void session_list_lock(void)
{
	pthread_mutex_lock(&session_list_mutex);
}

void session_list_unlock(void)
{
	pthread_mutex_unlock(&session_list_mutex);
}

struct session *session_find_by_name(const char *name)
{
	struct session *s;

	cds_list_for_each_entry (s, &session_list, node) {
		if (strcmp(s->name, name) == 0)
			return s;
	}
	return NULL;
}

struct session *session_find_by_id(uint64_t id)
{
	struct session *s;

	cds_list_for_each_entry (s, &session_list, node) {
		if (s->id == id)
			return s;
	}
	return NULL;
}

int session_for_each(int (*fn)(struct session *s, void *arg), void *arg)
{
	struct session *s, *tmp;

	/* The safe walk lets fn free the session it is given. */
	cds_list_for_each_entry_safe (s, tmp, &session_list, node) {
		int r = fn(s, arg);

		if (r)
			return r;
	}
	return 0;
}

struct session_channel *session_find_channel(struct session *s, const char *name)
{
	struct session_channel *chan;

	cds_list_for_each_entry (chan, &s->channels, node) {
		if (strcmp(chan->name, name) == 0)
			return chan;
	}
	return NULL;
}

int session_create(const char *name, const char *output_path, bool auto_named, uid_t uid, gid_t gid,
                   time_t creation_time, struct session **ret_session)
{
	struct session *s;

	if (strlen(name) > RINGTRACE_NAME_MAX || strlen(output_path) >= PATH_MAX)
		return -ENAMETOOLONG;
	if (session_find_by_name(name))
		return -EEXIST;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	strcpy(s->name, name);
	strcpy(s->output_path, output_path);
	s->id = session_next_id++;
	s->auto_named = auto_named;
	s->creation_time = creation_time;
	s->uid = uid;
	s->gid = gid;
	CDS_INIT_LIST_HEAD(&s->channels);
	cds_list_add_tail(&s->node, &session_list);
	*ret_session = s;
	return 0;
}

static void session_channel_free(struct session_channel *chan)
{
	struct session_event_rule *rule, *tmp;

	cds_list_for_each_entry_safe (rule, tmp, &chan->rules, node)
		session_remove_rule(rule);
	cds_list_del(&chan->node);
	free(chan->contexts);
	free(chan);
}

void session_free(struct session *s)
{
	struct session_channel *chan, *tmp;

	cds_list_for_each_entry_safe (chan, tmp, &s->channels, node)
		session_channel_free(chan);
	for (unsigned i = 0; i < ARRAY_SIZE(s->trackers); i++)
		free(s->trackers[i].values);
	cds_list_del(&s->node);
	free(s->relay);
	free(s->pending_archives);
	free(s);
}

int session_add_channel(struct session *s, const char *name,
                        const struct ringtrace_channel_attr *attr,
                        enum ringtrace_buffer_type buffer_type, struct session_channel **ret_chan)
{
	struct session_channel *chan, *last;
	uint32_t id = 0;

	if (strlen(name) >= RINGTRACE_SYMBOL_NAME_LEN)
		return -ENAMETOOLONG;
	if (session_find_channel(s, name))
		return -EEXIST;
	if (!cds_list_empty(&s->channels)) {
		last = cds_list_entry(s->channels.prev, struct session_channel, node);
		id = last->id + 1;
	}
	chan = calloc(1, sizeof(*chan));
	if (!chan)
		return -ENOMEM;
	strcpy(chan->name, name);
	chan->attr = *attr;
	chan->buffer_type = buffer_type;
	chan->enabled = true;
	chan->id = id;
	CDS_INIT_LIST_HEAD(&chan->rules);
	cds_list_add_tail(&chan->node, &s->channels);
	*ret_chan = chan;
	return 0;
}

static const struct session_exclusions no_exclusions;

static bool name_in(const char *name, const char (*names)[RINGTRACE_SYMBOL_NAME_LEN],
                    uint32_t count)
{
	for (uint32_t i = 0; i < count; i++) {
		if (strcmp(names[i], name) == 0)
			return true;
	}
	return false;
}

/* The same set of names, whatever their order. */
static bool exclusions_equal(const struct session_event_rule *rule,
                             const struct session_exclusions *exclusions)
{
	if (rule->exclusion_count != exclusions->count)
		return false;
	for (uint32_t i = 0; i < exclusions->count; i++) {
		if (!name_in(exclusions->names[i], rule->exclusions, rule->exclusion_count) ||
		    !name_in(rule->exclusions[i], exclusions->names, exclusions->count))
			return false;
	}
	return true;
}

/* The same filter bytecode, or no filter on either side. */
static bool filter_equal(const struct session_event_rule *rule, const struct session_filter *filter)
{
	if (!filter || !filter->bytecode)
		return !rule->filter_bytecode;
	return rule->filter_bytecode && rule->filter_bytecode_len == filter->bytecode_len &&
	       memcmp(rule->filter_bytecode, filter->bytecode, filter->bytecode_len) == 0;
}

static bool rule_matches(const struct session_event_rule *rule, const char *pattern,
                         int32_t loglevel_type, int32_t loglevel,
                         const struct session_exclusions *exclusions,
                         const struct session_filter *filter)
{
	if (strcmp(rule->pattern, pattern) != 0 || rule->loglevel_type != loglevel_type ||
	    !exclusions_equal(rule, exclusions) || !filter_equal(rule, filter))
		return false;
	/* "Any log level" rules have no level to compare. */
	return loglevel_type == RINGTRACE_EVENT_LOGLEVEL_ALL || rule->loglevel == loglevel;
}

struct session_event_rule *session_find_rule(struct session_channel *chan, const char *pattern,
                                             int32_t loglevel_type, int32_t loglevel,
                                             const struct session_exclusions *exclusions,
                                             const struct session_filter *filter)
{
	struct session_event_rule *rule;

	if (!exclusions)
		exclusions = &no_exclusions;
	cds_list_for_each_entry (rule, &chan->rules, node) {
		if (rule_matches(rule, pattern, loglevel_type, loglevel, exclusions, filter))
			return rule;
	}
	return NULL;
}

static void rule_free(struct session_event_rule *rule)
{
	free(rule->filter_expression);
	free(rule->filter_bytecode);
	free(rule);
}

static int rule_set_filter(struct session_event_rule *rule, const struct session_filter *filter)
{
	if (!filter || !filter->bytecode)
		return 0;
	rule->filter_expression = strdup(filter->expression);
	rule->filter_bytecode = malloc(filter->bytecode_len);
	if (!rule->filter_expression || !rule->filter_bytecode)
		return -ENOMEM;
	memcpy(rule->filter_bytecode, filter->bytecode, filter->bytecode_len);
	rule->filter_bytecode_len = filter->bytecode_len;
	return 0;
}

int session_add_rule(struct session_channel *chan, const char *pattern, int32_t loglevel_type,
                     int32_t loglevel, const struct session_exclusions *exclusions,
                     const struct session_filter *filter, struct session_event_rule **ret_rule)
{
	struct session_event_rule *rule;
	size_t exclusions_size;

	if (!exclusions)
		exclusions = &no_exclusions;
	if (strlen(pattern) >= RINGTRACE_SYMBOL_NAME_LEN)
		return -ENAMETOOLONG;
	if (session_find_rule(chan, pattern, loglevel_type, loglevel, exclusions, filter))
		return -EEXIST;
	exclusions_size = (size_t)exclusions->count * RINGTRACE_SYMBOL_NAME_LEN;
	rule = calloc(1, sizeof(*rule) + exclusions_size);
	if (!rule)
		return -ENOMEM;
	if (rule_set_filter(rule, filter) < 0) {
		rule_free(rule);
		return -ENOMEM;
	}
	if (exclusions->count > 0)
		memcpy(rule->exclusions, exclusions->names, exclusions_size);
	rule->exclusion_count = exclusions->count;
	strcpy(rule->pattern, pattern);
	rule->loglevel_type = loglevel_type;
	rule->loglevel = loglevel_type == RINGTRACE_EVENT_LOGLEVEL_ALL ? -1 : loglevel;
	rule->enabled = true;
	rule->id = rule_next_id++;
	cds_list_add_tail(&rule->node, &chan->rules);
	*ret_rule = rule;
	return 0;
}

void session_remove_rule(struct session_event_rule *rule)
{
	cds_list_del(&rule->node);
	rule_free(rule);
}

int session_channel_add_context(struct session_channel *chan, const struct session_context *ctx)
{
	struct session_context *grown;

	for (uint32_t i = 0; i < chan->nr_contexts; i++)
		if (strcmp(chan->contexts[i].name, ctx->name) == 0)
			return -EEXIST;
	grown = reallocarray(chan->contexts, chan->nr_contexts + 1, sizeof(*grown));
	if (!grown)
		return -ENOMEM;
	grown[chan->nr_contexts++] = *ctx;
	chan->contexts = grown;
	return 0;
}

/* SPDX-License-Identifier: MIT */
/*
 * Writing a session as session XML with libxml2's text writer. Each part of
 * the document has its own function, so that a new part of a session
 * (filters, contexts) is one more function called from its parent.
 */
#include "session-xml.h"

#include <errno.h>
#include <inttypes.h>
#include <libxml/xmlwriter.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "macros.h"
#include "relay-output.h"
#include "session-xml/names.h"

/* libxml2's writer calls return a byte count or -1. */
#define CHECK(call)                                                                                \
	do {                                                                                       \
		if ((call) < 0)                                                                    \
			return -EIO;                                                               \
	} while (0)

static const xmlChar *X(const char *s)
{
	return (const xmlChar *)s;
}

static int start(xmlTextWriterPtr w, const char *element)
{
	return xmlTextWriterStartElement(w, X(element)) < 0 ? -EIO : 0;
}

static int end(xmlTextWriterPtr w)
{
	return xmlTextWriterEndElement(w) < 0 ? -EIO : 0;
}

static int write_string(xmlTextWriterPtr w, const char *element, const char *value)
{
	return xmlTextWriterWriteElement(w, X(element), X(value)) < 0 ? -EIO : 0;
}

static int write_u64(xmlTextWriterPtr w, const char *element, uint64_t value)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%" PRIu64, value);
	return write_string(w, element, buf);
}

static int write_i64(xmlTextWriterPtr w, const char *element, int64_t value)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%" PRId64, value);
	return write_string(w, element, buf);
}

static int write_bool(xmlTextWriterPtr w, const char *element, bool value)
{
	return write_string(w, element, value ? "true" : "false");
}

/* An element with no content, written <name/> as lttng writes empty lists. */
static int write_empty(xmlTextWriterPtr w, const char *element)
{
	int r = start(w, element);

	return r < 0 ? r : end(w);
}

static int write_exclusions(xmlTextWriterPtr w, const struct session_event_rule *rule)
{
	int r;

	if (rule->exclusion_count == 0)
		return 0;
	r = start(w, "exclusions");
	for (uint32_t i = 0; r == 0 && i < rule->exclusion_count; i++)
		r = write_string(w, "exclusion", rule->exclusions[i]);
	return r < 0 ? r : end(w);
}

static int write_event(xmlTextWriterPtr w, const struct session_event_rule *rule)
{
	int r;

	if ((unsigned)rule->loglevel_type >= ARRAY_SIZE(session_xml_loglevel_types))
		return -EINVAL;
	r = start(w, "event");
	if (r == 0)
		r = write_string(w, "name", rule->pattern);
	if (r == 0)
		r = write_bool(w, "enabled", rule->enabled);
	if (r == 0)
		r = write_string(w, "type", "TRACEPOINT");
	if (r == 0)
		r = write_string(w, "loglevel_type",
		                 session_xml_loglevel_types[rule->loglevel_type]);
	if (r == 0 && rule->loglevel_type != RINGTRACE_EVENT_LOGLEVEL_ALL)
		r = write_i64(w, "loglevel", rule->loglevel);
	/* The expression as given; the bytecode is compiled again on load. */
	if (r == 0 && rule->filter_expression)
		r = write_string(w, "filter", rule->filter_expression);
	if (r == 0)
		r = write_exclusions(w, rule);
	return r < 0 ? r : end(w);
}

static int write_events(xmlTextWriterPtr w, const struct session_channel *chan)
{
	const struct session_event_rule *rule;
	int r;

	r = start(w, "events");
	/* In creation order, which the loader keeps. */
	cds_list_for_each_entry (rule, &chan->rules, node) {
		if (r == 0)
			r = write_event(w, rule);
	}
	return r < 0 ? r : end(w);
}

/* "$app.PROVIDER:CTX" as <app> (provider_name, ctx_name), split at its first ':'. */
static int write_app_context(xmlTextWriterPtr w, const struct session_context *ctx)
{
	const char *provider = ctx->name + strlen("$app."), *colon = strchr(provider, ':');
	char provider_name[RINGTRACE_SYMBOL_NAME_LEN];
	int r;

	if (!colon)
		return -EINVAL;
	snprintf(provider_name, sizeof(provider_name), "%.*s", (int)(colon - provider), provider);
	r = start(w, "app");
	if (r == 0)
		r = write_string(w, "provider_name", provider_name);
	if (r == 0)
		r = write_string(w, "ctx_name", colon + 1);
	return r < 0 ? r : end(w);
}

/*
 * A perf counter as <perf> (type, config, field name), an application
 * context as <app>, the others as <type>.
 */
static int write_context(xmlTextWriterPtr w, const struct session_context *ctx)
{
	int r = start(w, "context");

	if (r == 0 && ctx->type == RINGTRACE_EVENT_CONTEXT_APP_CONTEXT) {
		r = write_app_context(w, ctx);
	} else if (r == 0 && ctx->type == RINGTRACE_EVENT_CONTEXT_PERF_THREAD_COUNTER) {
		r = start(w, "perf");
		if (r == 0)
			r = write_u64(w, "type", ctx->perf_type);
		if (r == 0)
			r = write_u64(w, "config", ctx->perf_config);
		if (r == 0)
			r = write_string(w, "name", ctx->name);
		if (r == 0)
			r = end(w);
	} else if (r == 0) {
		if (ctx->type >= ARRAY_SIZE(session_xml_context_types) ||
		    !session_xml_context_types[ctx->type])
			return -EINVAL;
		r = write_string(w, "type", session_xml_context_types[ctx->type]);
	}
	return r < 0 ? r : end(w);
}

static int write_contexts(xmlTextWriterPtr w, const struct session_channel *chan)
{
	int r = start(w, "contexts");

	for (uint32_t i = 0; r == 0 && i < chan->nr_contexts; i++)
		r = write_context(w, &chan->contexts[i]);
	return r < 0 ? r : end(w);
}

static int write_channel(xmlTextWriterPtr w, const struct session_channel *chan)
{
	const struct ringtrace_channel_attr *a = &chan->attr;
	int r;

	if (a->overwrite < 0 || a->overwrite > 1 ||
	    a->output >= ARRAY_SIZE(session_xml_output_types))
		return -EINVAL;
	r = start(w, "channel");
	if (r == 0)
		r = write_string(w, "name", chan->name);
	if (r == 0)
		r = write_bool(w, "enabled", chan->enabled);
	if (r == 0)
		r = write_string(w, "overwrite_mode", session_xml_overwrite_modes[a->overwrite]);
	if (r == 0)
		r = write_u64(w, "subbuffer_size", a->subbuf_size);
	if (r == 0)
		r = write_u64(w, "subbuffer_count", a->num_subbuf);
	if (r == 0)
		r = write_u64(w, "switch_timer_interval", a->switch_timer_interval);
	if (r == 0)
		r = write_u64(w, "read_timer_interval", a->read_timer_interval);
	if (r == 0)
		r = write_string(w, "output_type", session_xml_output_types[a->output]);
	if (r == 0)
		r = write_i64(w, "blocking_timeout", a->blocking_timeout);
	if (r == 0)
		r = write_u64(w, "monitor_timer_interval", a->monitor_timer_interval);
	if (r == 0)
		r = write_u64(w, "tracefile_size", a->tracefile_size);
	if (r == 0)
		r = write_u64(w, "tracefile_count", a->tracefile_count);
	if (r == 0)
		r = write_u64(w, "live_timer_interval", a->live_timer_interval);
	if (r == 0)
		r = write_events(w, chan);
	if (r == 0)
		r = write_contexts(w, chan);
	return r < 0 ? r : end(w);
}

/*
 * A tracker is written only when it restricts: INCLUDE_SET with its values,
 * EXCLUDE_ALL as an empty inclusion set (which the loader turns back into
 * EXCLUDE_ALL), as lttng does.
 */
static int write_tracker(xmlTextWriterPtr w, enum ringtrace_tracker_type type,
                         const struct session_tracker *t)
{
	const char *kind = session_xml_tracker_names[type];
	char element[64];
	int r;

	if (t->policy == RINGTRACE_TRACKING_INCLUDE_ALL)
		return 0;
	snprintf(element, sizeof(element), "%s_process_attr_tracker", kind);
	r = start(w, element);
	if (r == 0)
		r = start(w, "process_attr_values");
	for (uint32_t i = 0; r == 0 && t->policy == RINGTRACE_TRACKING_INCLUDE_SET && i < t->count;
	     i++) {
		const struct ringtrace_tracker_value *v = &t->values[i];

		r = start(w, kind);
		/* A name is saved as a name (<name>), as lttng does. */
		if (r == 0)
			r = v->name[0] ? write_string(w, "name", v->name)
			               : write_i64(w, "id", v->id);
		if (r == 0)
			r = end(w);
	}
	if (r == 0)
		r = end(w);
	return r < 0 ? r : end(w);
}

static int write_trackers(xmlTextWriterPtr w, const struct session *s)
{
	int r = start(w, "process_attr_trackers");

	for (int i = 0; r == 0 && i < _RINGTRACE_TRACKER_MAX; i++)
		r = write_tracker(w, (enum ringtrace_tracker_type)i, &s->trackers[i]);
	return r < 0 ? r : end(w);
}

static int write_domain(xmlTextWriterPtr w, const char *type, const char *buffer_type,
                        const struct session *ust_session)
{
	const struct session_channel *chan;
	int r;

	r = start(w, "domain");
	if (r == 0)
		r = write_string(w, "type", type);
	if (r == 0)
		r = write_string(w, "buffer_type", buffer_type);
	if (r == 0 && !ust_session)
		r = write_empty(w, "channels");
	if (r == 0 && ust_session) {
		r = start(w, "channels");
		cds_list_for_each_entry (chan, &ust_session->channels, node) {
			if (r == 0)
				r = write_channel(w, chan);
		}
		if (r == 0)
			r = end(w);
		if (r == 0)
			r = write_trackers(w, ust_session);
	}
	return r < 0 ? r : end(w);
}

static bool has_channels(const struct session *s)
{
	return s->channels.next != &s->channels;
}

/* The user space domain and, as lttng writes them, the empty agent domains. */
static int write_domains(xmlTextWriterPtr w, const struct session *s)
{
	static const char *const agent_domains[] = {"JUL", "LOG4J", "PYTHON"};
	enum ringtrace_buffer_type type = RINGTRACE_BUFFER_PER_UID;
	const char *buffer_type;
	int r;

	if (!has_channels(s) && !s->ust_domain)
		return 0;
	if (has_channels(s))
		type =
		    cds_list_first_entry(&s->channels, struct session_channel, node)->buffer_type;
	if ((unsigned)type >= ARRAY_SIZE(session_xml_buffer_types))
		return -EINVAL;
	buffer_type = session_xml_buffer_types[type];
	r = start(w, "domains");
	if (r == 0)
		r = write_domain(w, "UST", buffer_type, s);
	for (size_t i = 0; r == 0 && i < ARRAY_SIZE(agent_domains); i++)
		r = write_domain(w, agent_domains[i], buffer_type, NULL);
	return r < 0 ? r : end(w);
}

/*
 * A relay daemon's endpoints as lttng writes them: <net_output> with
 * <control_uri> tcp4://HOST:PORT/TRACEDIR and <data_uri> tcp4://HOST:PORT/.
 */
static int write_net_output(xmlTextWriterPtr w, const struct rt_net_url *url)
{
	char uri[PATH_MAX + RT_NET_HOST_MAX + 32];
	int r = start(w, "net_output");

	if (r == 0)
		r = rt_net_endpoint_format(&url->ctrl, url->path, uri, sizeof(uri));
	if (r == 0)
		r = write_string(w, "control_uri", uri);
	if (r == 0)
		r = rt_net_endpoint_format(&url->data, "", uri, sizeof(uri));
	if (r == 0)
		r = write_string(w, "data_uri", uri);
	return r < 0 ? r : end(w);
}

/* <consumer_output> of a local directory (path) or of a relay daemon (url). */
static int write_consumer_output(xmlTextWriterPtr w, const char *path, const struct rt_net_url *url)
{
	int r = start(w, "consumer_output");

	if (r == 0)
		r = write_bool(w, "enabled", true);
	if (r == 0)
		r = start(w, "destination");
	if (r == 0)
		r = url ? write_net_output(w, url) : write_string(w, "path", path);
	for (int i = 0; r == 0 && i < 2; i++)
		r = end(w);
	return r;
}

/* The snapshot output (a session has one at most) as lttng lists its outputs. */
static int write_snapshot_outputs(xmlTextWriterPtr w, const struct session *s)
{
	const struct session_snapshot_output *o = &s->snapshot_output;
	int r = start(w, "snapshot_outputs");

	if (r == 0 && o->id != 0) {
		r = start(w, "output");
		if (r == 0)
			r = write_string(w, "name", o->name);
		if (r == 0)
			r = write_u64(w, "max_size", o->max_size);
		if (r == 0)
			r = write_consumer_output(w, o->path, NULL);
		if (r == 0)
			r = end(w);
	}
	return r < 0 ? r : end(w);
}

static int write_output(xmlTextWriterPtr w, const struct session *s)
{
	int r = start(w, "output");

	if (r == 0)
		r = s->snapshot_mode ? write_snapshot_outputs(w, s)
		                     : write_consumer_output(w, s->output_path,
		                                             s->relay ? &s->relay->url : NULL);
	return r < 0 ? r : end(w);
}

/* One <periodic>/<time_us> or <size_threshold>/<bytes>, as lttng writes them. */
static int write_rotation_schedule(xmlTextWriterPtr w, const char *name, const char *value_name,
                                   uint64_t value)
{
	int r = start(w, name);

	if (r == 0)
		r = write_u64(w, value_name, value);
	return r < 0 ? r : end(w);
}

static int write_attributes(xmlTextWriterPtr w, const struct session *s)
{
	uint32_t live_timer_us = s->relay ? s->relay->live_timer_us : 0;
	int r;

	if (!s->snapshot_mode && !live_timer_us && !s->rotate_timer_us && !s->rotate_size)
		return 0;
	r = start(w, "attributes");
	if (r == 0 && s->snapshot_mode)
		r = write_bool(w, "snapshot_mode", true);
	if (r == 0 && live_timer_us)
		r = write_u64(w, "live_timer_interval", live_timer_us);
	if (r == 0 && (s->rotate_timer_us || s->rotate_size))
		r = start(w, "rotation_schedules");
	if (r == 0 && s->rotate_timer_us)
		r = write_rotation_schedule(w, "periodic", "time_us", s->rotate_timer_us);
	if (r == 0 && s->rotate_size)
		r = write_rotation_schedule(w, "size_threshold", "bytes", s->rotate_size);
	if (r == 0 && (s->rotate_timer_us || s->rotate_size))
		r = end(w);
	return r < 0 ? r : end(w);
}

static int write_session(xmlTextWriterPtr w, const struct session *s)
{
	int r = start(w, "session");

	if (r == 0)
		r = write_string(w, "name", s->name);
	if (r == 0)
		r = write_domains(w, s);
	if (r == 0)
		r = write_bool(w, "started", s->active);
	if (r == 0)
		r = write_attributes(w, s);
	if (r == 0)
		r = write_output(w, s);
	return r < 0 ? r : end(w);
}

DEFINE_POINTER_CLEANUP(xmlTextWriterPtr, xmlFreeTextWriter)
DEFINE_POINTER_CLEANUP(xmlBufferPtr, xmlBufferFree)

int session_xml_serialize(const struct session *s, char **ret_doc, size_t *ret_len)
{
	_cleanup_(xmlBufferFreep) xmlBufferPtr buf = xmlBufferCreate();
	_cleanup_(xmlFreeTextWriterp) xmlTextWriterPtr w = NULL;
	char *doc;
	int r;

	if (!buf)
		return -ENOMEM;
	w = xmlNewTextWriterMemory(buf, 0);
	if (!w)
		return -ENOMEM;
	CHECK(xmlTextWriterSetIndent(w, 1));
	CHECK(xmlTextWriterSetIndentString(w, X("\t")));
	CHECK(xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL));
	r = start(w, "sessions");
	if (r == 0)
		r = write_session(w, s);
	if (r < 0)
		return r;
	CHECK(xmlTextWriterEndDocument(w));
	CHECK(xmlTextWriterFlush(w));
	/* The file ends with a newline, as lttng's. */
	if (xmlBufferLength(buf) > 0 && xmlBufferContent(buf)[xmlBufferLength(buf) - 1] != '\n')
		CHECK(xmlBufferAdd(buf, X("\n"), 1));
	doc = malloc((size_t)xmlBufferLength(buf));
	if (!doc)
		return -ENOMEM;
	memcpy(doc, xmlBufferContent(buf), (size_t)xmlBufferLength(buf));
	*ret_doc = doc;
	*ret_len = (size_t)xmlBufferLength(buf);
	return 0;
}

/* SPDX-License-Identifier: MIT */
/*
 * Session XML -> struct config_session (session-config.h). The document is
 * first validated against the embedded schema, so the walk below can rely
 * on the element tree (which children exist, which are numbers, booleans or
 * enumerations); it checks what the schema cannot: ranges of the control
 * API, names resolved on this system, and whether ringtrace can do what an
 * element asks for.
 */
#include <errno.h>
#include <inttypes.h>
#include <libxml/parser.h>
#include <libxml/xmlschemas.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/macros.h"
#include "common/net-url.h"
#include "common/session-xml/names.h"
#include "session-config.h"

struct parse_ctx {
	const char *file;
	struct config_error *err;
};

static int fail(const struct parse_ctx *p, int code, const xmlNode *node, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Records "FILE:LINE: <element>: message" and returns code. */
static int fail(const struct parse_ctx *p, int code, const xmlNode *node, const char *fmt, ...)
{
	size_t n;
	va_list ap;

	n = (size_t)snprintf(p->err->text, sizeof(p->err->text), "%s:%ld: <%s>: ", p->file,
	                     node ? xmlGetLineNo(node) : 0L,
	                     node ? (const char *)node->name : "sessions");
	if (n < sizeof(p->err->text)) {
		va_start(ap, fmt);
		vsnprintf(p->err->text + n, sizeof(p->err->text) - n, fmt, ap);
		va_end(ap);
	}
	return code;
}

#define NOT_SUPPORTED(p, node, ...) fail((p), -RINGTRACE_ERR_NOT_SUPPORTED, (node), __VA_ARGS__)
#define INVALID(p, node, ...)       fail((p), -RINGTRACE_ERR_LOAD_INVALID_CONFIG, (node), __VA_ARGS__)

static bool is_element(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE &&
	       (!name || xmlStrcmp(n->name, (const xmlChar *)name) == 0);
}

/* First element child of node named name, or NULL. */
static xmlNode *child(const xmlNode *node, const char *name)
{
	for (xmlNode *c = node ? node->children : NULL; c; c = c->next) {
		if (is_element(c, name))
			return c;
	}
	return NULL;
}

#define for_each_element(c, parent)                                                                \
	for (xmlNode *c = (parent) ? (parent)->children : NULL; c; c = c->next)                    \
		if (c->type == XML_ELEMENT_NODE)

static void xml_freep(xmlChar **s)
{
	if (*s)
		xmlFree(*s);
}
#define _cleanup_xml_ _cleanup_(xml_freep)

/* Text of an element (the schema made sure it is a simple one). */
static int text_of(const struct parse_ctx *p, const xmlNode *node, xmlChar **ret)
{
	*ret = xmlNodeGetContent(node);
	return *ret ? 0 : fail(p, -RINGTRACE_ERR_NOMEM, node, "out of memory");
}

/* Copies the text of node into dst[size]; too long is an invalid configuration. */
static int copy_text(const struct parse_ctx *p, const xmlNode *node, char *dst, size_t size)
{
	_cleanup_xml_ xmlChar *s = NULL;
	int r = text_of(p, node, &s);

	if (r < 0)
		return r;
	if (strlen((const char *)s) >= size)
		return INVALID(p, node, "\"%s\" is longer than %zu bytes", (const char *)s,
		               size - 1);
	strcpy(dst, (const char *)s);
	return 0;
}

static int dup_text(const struct parse_ctx *p, const xmlNode *node, char **ret)
{
	_cleanup_xml_ xmlChar *s = NULL;
	int r = text_of(p, node, &s);

	if (r < 0)
		return r;
	*ret = strdup((const char *)s);
	return *ret ? 0 : fail(p, -RINGTRACE_ERR_NOMEM, node, "out of memory");
}

static int parse_int(const struct parse_ctx *p, const xmlNode *node, int64_t min, int64_t max,
                     int64_t *ret)
{
	_cleanup_xml_ xmlChar *s = NULL;
	char *end;
	long long v;
	int r = text_of(p, node, &s);

	if (r < 0)
		return r;
	errno = 0;
	v = strtoll((const char *)s, &end, 10);
	if (errno || end == (const char *)s || *end || v < min || v > max)
		return INVALID(p, node, "%s is not a number from %" PRId64 " to %" PRId64,
		               (const char *)s, min, max);
	*ret = v;
	return 0;
}

static int parse_uint(const struct parse_ctx *p, const xmlNode *node, uint64_t max, uint64_t *ret)
{
	_cleanup_xml_ xmlChar *s = NULL;
	char *end;
	unsigned long long v;
	int r = text_of(p, node, &s);

	if (r < 0)
		return r;
	errno = 0;
	v = strtoull((const char *)s, &end, 10);
	if (errno || end == (const char *)s || *end || s[0] == '-' || v > max)
		return INVALID(p, node, "%s is not a number from 0 to %" PRIu64, (const char *)s,
		               max);
	*ret = v;
	return 0;
}

/* An optional unsigned child: *ret unchanged when absent. */
static int opt_uint(const struct parse_ctx *p, const xmlNode *parent, const char *name,
                    uint64_t max, uint64_t *ret)
{
	const xmlNode *n = child(parent, name);

	return n ? parse_uint(p, n, max, ret) : 0;
}

static int opt_u32(const struct parse_ctx *p, const xmlNode *parent, const char *name,
                   uint32_t *ret)
{
	uint64_t v = *ret;
	int r = opt_uint(p, parent, name, UINT32_MAX, &v);

	*ret = (uint32_t)v;
	return r;
}

/* xs:boolean: true, false, 1, 0 (the schema allows nothing else). */
static int opt_bool(const struct parse_ctx *p, const xmlNode *parent, const char *name, bool *ret)
{
	_cleanup_xml_ xmlChar *s = NULL;
	const xmlNode *n = child(parent, name);
	int r;

	if (!n)
		return 0;
	r = text_of(p, n, &s);
	if (r < 0)
		return r;
	if (xmlStrcmp(s, (const xmlChar *)"true") == 0 || xmlStrcmp(s, (const xmlChar *)"1") == 0)
		*ret = true;
	else if (xmlStrcmp(s, (const xmlChar *)"false") == 0 ||
	         xmlStrcmp(s, (const xmlChar *)"0") == 0)
		*ret = false;
	else
		return INVALID(p, n, "\"%s\" is not a boolean", (const char *)s);
	return 0;
}

/* An optional enumerated child, looked up in table: *ret unchanged when absent. */
static int opt_enum(const struct parse_ctx *p, const xmlNode *parent, const char *name,
                    const char *const *table, size_t count, int *ret)
{
	_cleanup_xml_ xmlChar *s = NULL;
	const xmlNode *n = child(parent, name);
	int r, v;

	if (!n)
		return 0;
	r = text_of(p, n, &s);
	if (r < 0)
		return r;
	v = session_xml_lookup(table, count, (const char *)s);
	if (v < 0)
		return INVALID(p, n, "unknown value \"%s\"", (const char *)s);
	*ret = v;
	return 0;
}
#define OPT_ENUM(p, parent, name, table, ret)                                                      \
	opt_enum((p), (parent), (name), (table), ARRAY_SIZE(table), (ret))

static size_t count_elements(const xmlNode *parent, const char *name)
{
	size_t n = 0;

	for_each_element(c, parent)
	{
		if (is_element(c, name))
			n++;
	}
	return n;
}

static int parse_exclusions(const struct parse_ctx *p, const xmlNode *list, struct config_event *ev)
{
	size_t n = count_elements(list, "exclusion");
	int r;

	if (n == 0)
		return 0;
	ev->exclusions = calloc(n, sizeof(*ev->exclusions));
	if (!ev->exclusions)
		return fail(p, -RINGTRACE_ERR_NOMEM, list, "out of memory");
	for_each_element(c, list)
	{
		r = dup_text(p, c, &ev->exclusions[ev->exclusion_count]);
		if (r < 0)
			return r;
		ev->exclusion_count++;
		if (strlen(ev->exclusions[ev->exclusion_count - 1]) >= RINGTRACE_SYMBOL_NAME_LEN)
			return INVALID(p, c, "exclusion longer than %d bytes",
			               RINGTRACE_SYMBOL_NAME_LEN - 1);
	}
	return 0;
}

static int parse_event(const struct parse_ctx *p, const xmlNode *node, struct config_event *ev)
{
	static const char *const event_types[] = {"ALL", "TRACEPOINT"};
	_cleanup_xml_ xmlChar *type = NULL;
	const xmlNode *n;
	int loglevel_type = RINGTRACE_EVENT_LOGLEVEL_ALL;
	int64_t loglevel = -1;
	int r;

	ev->line = (int)xmlGetLineNo(node);
	ev->enabled = true;
	ev->event.type = RINGTRACE_EVENT_TRACEPOINT;
	n = child(node, "name");
	if (!n)
		return INVALID(p, node, "an event rule needs a <name>");
	r = copy_text(p, n, ev->event.name, sizeof(ev->event.name));
	if (r < 0)
		return r;
	n = child(node, "type");
	if (n) {
		r = text_of(p, n, &type);
		if (r < 0)
			return r;
		if (SESSION_XML_LOOKUP(event_types, (const char *)type) < 0)
			return NOT_SUPPORTED(p, n,
			                     "event rule %s: %s events are not supported: "
			                     "ringtrace records user space tracepoints only",
			                     ev->event.name, (const char *)type);
	}
	if ((n = child(node, "attributes")))
		return NOT_SUPPORTED(p, n, "event rule %s: probe attributes are not supported",
		                     ev->event.name);
	r = opt_bool(p, node, "enabled", &ev->enabled);
	if (r == 0)
		r = OPT_ENUM(p, node, "loglevel_type", session_xml_loglevel_types, &loglevel_type);
	if (r < 0)
		return r;
	ev->event.loglevel_type = loglevel_type;
	n = child(node, "loglevel");
	if (n) {
		r = parse_int(p, n, INT32_MIN, INT32_MAX, &loglevel);
		if (r < 0)
			return r;
	} else if (loglevel_type != RINGTRACE_EVENT_LOGLEVEL_ALL) {
		return INVALID(p, node, "event rule %s: a log level condition needs a <loglevel>",
		               ev->event.name);
	}
	ev->event.loglevel = (int32_t)loglevel;
	if ((n = child(node, "filter"))) {
		r = dup_text(p, n, &ev->filter);
		if (r < 0)
			return r;
	}
	return parse_exclusions(p, child(node, "exclusions"), ev);
}

/* <perf>: a perf counter, which user space records per thread. */
static int parse_perf_context(const struct parse_ctx *p, const xmlNode *perf,
                              struct config_context *c)
{
	struct ringtrace_event_perf_counter_ctx *counter = &c->ctx.perf_counter;
	uint64_t type = 0, config = 0;
	int r;

	r = parse_uint(p, child(perf, "type"), UINT32_MAX, &type);
	if (r == 0)
		r = parse_uint(p, child(perf, "config"), UINT64_MAX, &config);
	if (r == 0)
		r = copy_text(p, child(perf, "name"), counter->name, sizeof(counter->name));
	if (r < 0)
		return r;
	c->ctx.ctx = RINGTRACE_EVENT_CONTEXT_PERF_THREAD_COUNTER;
	counter->type = (uint32_t)type;
	counter->config = config;
	snprintf(c->symbol, sizeof(c->symbol), "<perf> %s", counter->name);
	return 0;
}

static int parse_context(const struct parse_ctx *p, const xmlNode *node,
                         const struct config_channel *ch, struct config_context *c)
{
	char word[32];
	const xmlNode *n;
	int type, r;

	c->line = (int)xmlGetLineNo(node);
	if ((n = child(node, "perf")))
		return parse_perf_context(p, n, c);
	if ((n = child(node, "app"))) {
		struct ringtrace_event_app_ctx *app = &c->ctx.app_ctx;

		r = copy_text(p, child(n, "provider_name"), app->provider_name,
		              sizeof(app->provider_name));
		if (r == 0)
			r = copy_text(p, child(n, "ctx_name"), app->ctx_name,
			              sizeof(app->ctx_name));
		if (r < 0)
			return r;
		c->ctx.ctx = RINGTRACE_EVENT_CONTEXT_APP_CONTEXT;
		snprintf(c->symbol, sizeof(c->symbol), "$app.%s:%s", app->provider_name,
		         app->ctx_name);
		return 0;
	}
	n = child(node, "type");
	r = copy_text(p, n, word, sizeof(word));
	if (r < 0)
		return r;
	type = SESSION_XML_LOOKUP(session_xml_context_types, word);
	if (type < 0)
		return NOT_SUPPORTED(p, n, "channel %s: context %s is not supported", ch->chan.name,
		                     word);
	c->ctx.ctx = (uint32_t)type;
	snprintf(c->symbol, sizeof(c->symbol), "<type>%s", word);
	return 0;
}

static int parse_contexts(const struct parse_ctx *p, const xmlNode *list, struct config_channel *ch)
{
	int r;

	ch->contexts = calloc(count_elements(list, "context") + 1, sizeof(*ch->contexts));
	if (!ch->contexts)
		return fail(p, -RINGTRACE_ERR_NOMEM, list, "out of memory");
	for_each_element(c, list)
	{
		r = parse_context(p, c, ch, &ch->contexts[ch->context_count]);
		if (r < 0)
			return r;
		ch->context_count++;
	}
	return 0;
}

/* Attributes absent from the file keep the defaults already in *a. */
static int parse_channel_attr(const struct parse_ctx *p, const xmlNode *node,
                              struct ringtrace_channel_attr *a)
{
	uint64_t subbuf_size = a->subbuf_size, num_subbuf = a->num_subbuf;
	uint64_t tracefile_size = a->tracefile_size, tracefile_count = a->tracefile_count;
	uint64_t monitor = a->monitor_timer_interval;
	uint32_t switch_timer = a->switch_timer_interval, read_timer = a->read_timer_interval;
	uint32_t live_timer = a->live_timer_interval;
	int64_t blocking = a->blocking_timeout;
	int overwrite = a->overwrite, output = (int)a->output;
	const xmlNode *n;
	int r;

	r = OPT_ENUM(p, node, "overwrite_mode", session_xml_overwrite_modes, &overwrite);
	if (r == 0)
		r = opt_uint(p, node, "subbuffer_size", UINT64_MAX, &subbuf_size);
	if (r == 0)
		r = opt_uint(p, node, "subbuffer_count", UINT64_MAX, &num_subbuf);
	if (r == 0)
		r = opt_u32(p, node, "switch_timer_interval", &switch_timer);
	if (r == 0)
		r = opt_u32(p, node, "read_timer_interval", &read_timer);
	if (r == 0)
		r = OPT_ENUM(p, node, "output_type", session_xml_output_types, &output);
	if (r == 0)
		r = opt_uint(p, node, "tracefile_size", UINT64_MAX, &tracefile_size);
	if (r == 0)
		r = opt_uint(p, node, "tracefile_count", UINT64_MAX, &tracefile_count);
	if (r == 0)
		r = opt_u32(p, node, "live_timer_interval", &live_timer);
	if (r == 0)
		r = opt_uint(p, node, "monitor_timer_interval", UINT64_MAX, &monitor);
	if (r == 0 && (n = child(node, "blocking_timeout")))
		r = parse_int(p, n, -1, INT64_MAX, &blocking);
	if (r < 0)
		return r;
	a->overwrite = overwrite;
	a->subbuf_size = subbuf_size;
	a->num_subbuf = num_subbuf;
	a->switch_timer_interval = switch_timer;
	a->read_timer_interval = read_timer;
	a->output = (uint32_t)output;
	a->tracefile_size = tracefile_size;
	a->tracefile_count = tracefile_count;
	a->live_timer_interval = live_timer;
	a->monitor_timer_interval = monitor;
	a->blocking_timeout = blocking;
	return 0;
}

static int parse_channel(const struct parse_ctx *p, const xmlNode *node,
                         enum ringtrace_buffer_type buffer_type, struct config_channel *ch)
{
	const struct ringtrace_domain domain = {.type = RINGTRACE_DOMAIN_UST,
	                                        .buf_type = buffer_type};
	const xmlNode *events;
	int r;

	ch->line = (int)xmlGetLineNo(node);
	ch->enabled = true;
	r = copy_text(p, child(node, "name"), ch->chan.name, sizeof(ch->chan.name));
	if (r < 0)
		return r;
	ringtrace_channel_set_default_attr(&domain, &ch->chan.attr);
	r = opt_bool(p, node, "enabled", &ch->enabled);
	if (r == 0)
		r = parse_channel_attr(p, node, &ch->chan.attr);
	if (r == 0)
		r = parse_contexts(p, child(node, "contexts"), ch);
	if (r < 0)
		return r;
	events = child(node, "events");
	ch->events = calloc(count_elements(events, "event") + 1, sizeof(*ch->events));
	if (!ch->events)
		return fail(p, -RINGTRACE_ERR_NOMEM, node, "out of memory");
	for_each_element(c, events)
	{
		r = parse_event(p, c, &ch->events[ch->event_count++]);
		if (r < 0)
			return r;
	}
	return 0;
}

/*
 * A user or group name of a tracker value, kept as a name: sessiond
 * resolves it (and refuses one unknown on this system) when it is tracked.
 */
static int name_value(const struct parse_ctx *p, const xmlNode *node,
                      enum ringtrace_tracker_type type, struct ringtrace_tracker_value *ret)
{
	_cleanup_xml_ xmlChar *name = NULL;
	int r;

	if (type == RINGTRACE_TRACKER_VPID)
		return INVALID(p, node, "a process ID cannot be given by name");
	r = text_of(p, node, &name);
	if (r < 0)
		return r;
	if (!name[0])
		return INVALID(p, node, "the %s name is empty",
		               type == RINGTRACE_TRACKER_VUID ? "user" : "group");
	if (strlen((const char *)name) >= sizeof(ret->name))
		return INVALID(p, node, "the name is longer than %d bytes",
		               RINGTRACE_TRACKER_NAME_LEN - 1);
	strcpy(ret->name, (const char *)name);
	return 0;
}

static int id_value(const struct parse_ctx *p, const xmlNode *node,
                    struct ringtrace_tracker_value *ret)
{
	int64_t v = 0;
	int r = parse_int(p, node, INT32_MIN, INT32_MAX, &v);

	ret->id = (int32_t)v;
	return r;
}

static int add_tracker_value(const struct parse_ctx *p, const xmlNode *node,
                             struct config_tracker *t, const struct ringtrace_tracker_value *v)
{
	struct ringtrace_tracker_value *values;

	values = realloc(t->values, (t->count + 1) * sizeof(*values));
	if (!values)
		return fail(p, -RINGTRACE_ERR_NOMEM, node, "out of memory");
	t->values = values;
	t->values[t->count++] = *v;
	return 0;
}

/* <vpid_process_attr_tracker> and its kin: an inclusion set of values. */
static int parse_tracker(const struct parse_ctx *p, const xmlNode *node,
                         enum ringtrace_tracker_type type, struct config_tracker *t)
{
	if (t->present)
		return INVALID(p, node, "this tracker is given twice");
	t->present = true;
	t->line = (int)xmlGetLineNo(node);
	for_each_element(value, child(node, "process_attr_values"))
	{
		const xmlNode *id = child(value, "id"), *name = child(value, "name");
		struct ringtrace_tracker_value v = {0};
		int r;

		if (id)
			r = id_value(p, id, &v);
		else if (name)
			r = name_value(p, name, type, &v);
		else
			r = INVALID(p, value, "a tracked value needs an <id> or a <name>");
		if (r == 0)
			r = add_tracker_value(p, value, t, &v);
		if (r < 0)
			return r;
	}
	return 0;
}

static int parse_trackers(const struct parse_ctx *p, const xmlNode *list, struct config_session *s)
{
	for_each_element(c, list)
	{
		char name[64];
		int type = -1;

		for (int i = 0; i < _RINGTRACE_TRACKER_MAX; i++) {
			snprintf(name, sizeof(name), "%s_process_attr_tracker",
			         session_xml_tracker_names[i]);
			if (is_element(c, name))
				type = i;
		}
		if (type < 0)
			return NOT_SUPPORTED(
			    p, c,
			    "process ID, user ID and group ID trackers apply to the "
			    "kernel domain: user space tracks vpid, vuid and vgid");
		int r = parse_tracker(p, c, (enum ringtrace_tracker_type)type, &s->trackers[type]);
		if (r < 0)
			return r;
	}
	return 0;
}

/* The PID tracker of older configurations: user space's is the vpid tracker. */
static int parse_legacy_trackers(const struct parse_ctx *p, const xmlNode *list,
                                 struct config_session *s)
{
	struct config_tracker *t = &s->trackers[RINGTRACE_TRACKER_VPID];
	const xmlNode *tracker = child(list, "pid_tracker");

	if (!tracker)
		return 0;
	if (t->present)
		return INVALID(p, tracker, "the vpid tracker is given twice");
	t->present = true;
	t->line = (int)xmlGetLineNo(tracker);
	for_each_element(target, child(tracker, "targets"))
	{
		struct ringtrace_tracker_value v = {0};
		int r = id_value(p, child(target, "pid"), &v);

		if (r == 0)
			r = add_tracker_value(p, target, t, &v);
		if (r < 0)
			return r;
	}
	return 0;
}

static int parse_ust_domain(const struct parse_ctx *p, const xmlNode *node,
                            struct config_session *s)
{
	int buffer_type = RINGTRACE_BUFFER_PER_UID, r;
	const xmlNode *channels = child(node, "channels");

	if (s->has_ust_domain)
		return INVALID(p, node, "the user space domain is given twice");
	s->has_ust_domain = true;
	r = OPT_ENUM(p, node, "buffer_type", session_xml_buffer_types, &buffer_type);
	if (r < 0)
		return r;
	if (buffer_type == RINGTRACE_BUFFER_GLOBAL)
		return NOT_SUPPORTED(p, child(node, "buffer_type"),
		                     "global buffers exist in the kernel domain only");
	s->buffer_type = (enum ringtrace_buffer_type)buffer_type;
	s->channels = calloc(count_elements(channels, "channel") + 1, sizeof(*s->channels));
	if (!s->channels)
		return fail(p, -RINGTRACE_ERR_NOMEM, node, "out of memory");
	for_each_element(c, channels)
	{
		r = parse_channel(p, c, s->buffer_type, &s->channels[s->channel_count++]);
		if (r < 0)
			return r;
	}
	r = parse_trackers(p, child(node, "process_attr_trackers"), s);
	if (r == 0)
		r = parse_legacy_trackers(p, child(node, "trackers"), s);
	return r;
}

static int parse_domain(const struct parse_ctx *p, const xmlNode *node, struct config_session *s)
{
	_cleanup_xml_ xmlChar *type = NULL;
	int r = text_of(p, child(node, "type"), &type);

	if (r < 0)
		return r;
	if (xmlStrcmp(type, (const xmlChar *)"UST") == 0)
		return parse_ust_domain(p, node, s);
	if (xmlStrcmp(type, (const xmlChar *)"KERNEL") == 0)
		return NOT_SUPPORTED(p, node,
		                     "session %s: the kernel domain is not supported: ringtrace "
		                     "traces user space applications only",
		                     s->name);
	/* lttng writes the agent domains (JUL, LOG4J, PYTHON) even when unused. */
	if (count_elements(child(node, "channels"), "channel") ||
	    child(child(node, "process_attr_trackers"), NULL))
		return NOT_SUPPORTED(p, node, "session %s: the %s domain is not supported", s->name,
		                     (const char *)type);
	return 0;
}

/* <rotation_schedules>: one periodic and one size threshold at most, as a session has. */
static int parse_rotation_schedules(const struct parse_ctx *p, const xmlNode *list,
                                    struct config_session *s)
{
	for_each_element(n, list)
	{
		bool periodic = is_element(n, "periodic");
		const char *value_name = periodic ? "time_us" : "bytes";
		uint64_t *value = periodic ? &s->rotation_timer_us : &s->rotation_size_bytes;
		uint64_t v = 0;
		int r;

		if (*value)
			return INVALID(p, n, "session %s: a second %s rotation schedule", s->name,
			               periodic ? "periodic" : "size-based");
		r = opt_uint(p, n, value_name, UINT64_MAX, &v);
		if (r < 0)
			return r;
		if (v == 0)
			return INVALID(p, n, "session %s: %s rotation schedule without a %s",
			               s->name, periodic ? "periodic" : "size-based", value_name);
		*value = v;
		s->rotation_line = (int)xmlGetLineNo(n);
	}
	return 0;
}

static int parse_attributes(const struct parse_ctx *p, const xmlNode *node,
                            struct config_session *s)
{
	int r;

	if (!node)
		return 0;
	r = opt_bool(p, node, "snapshot_mode", &s->snapshot_mode);
	if (r == 0)
		r = opt_u32(p, node, "live_timer_interval", &s->live_timer_us);
	if (r < 0)
		return r;
	return parse_rotation_schedules(p, child(node, "rotation_schedules"), s);
}

/*
 * A <net_output>: its <control_uri> and <data_uri>, which must parse as the
 * two endpoints of a relay daemon (tcp4://HOST:PORT/TRACEDIR as lttng
 * writes them).
 */
static int parse_net_output(const struct parse_ctx *p, const xmlNode *net, struct config_session *s)
{
	const xmlNode *ctrl = child(net, "control_uri"), *data = child(net, "data_uri");
	struct rt_net_url url;
	char err[256];
	int r;

	if (!ctrl || !data)
		return INVALID(p, net,
		               "session %s: <net_output> needs a <control_uri> and a <data_uri>",
		               s->name);
	r = dup_text(p, ctrl, &s->control_uri);
	if (r == 0)
		r = dup_text(p, data, &s->data_uri);
	if (r < 0)
		return r;
	if (rt_net_url_parse_pair(s->control_uri, s->data_uri, &url, err, sizeof(err)) < 0)
		return INVALID(p, net, "session %s: relay daemon URLs %s and %s: %s", s->name,
		               s->control_uri, s->data_uri, err[0] ? err : "not network URLs");
	return 0;
}

/*
 * A <consumer_output>: its local directory in *ret_path (NULL when it names
 * none) or its relay daemon (s->control_uri, s->data_uri; not in snapshot
 * mode).
 */
static int parse_consumer_output(const struct parse_ctx *p, const xmlNode *consumer,
                                 struct config_session *s, char **ret_path)
{
	const xmlNode *dest;
	bool enabled = true;
	int r;

	r = opt_bool(p, consumer, "enabled", &enabled);
	if (r < 0)
		return r;
	if (!enabled)
		return NOT_SUPPORTED(p, consumer,
		                     "session %s: sessions without output are not supported yet",
		                     s->name);
	dest = child(child(consumer, "destination"), NULL);
	if (dest && is_element(dest, "net_output") && s->snapshot_mode)
		return NOT_SUPPORTED(
		    p, dest,
		    "session %s: network snapshot outputs (relay daemon) are not supported yet",
		    s->name);
	if (dest && is_element(dest, "net_output"))
		return parse_net_output(p, dest, s);
	return dest ? dup_text(p, dest, ret_path) : 0;
}

static int parse_snapshot_outputs(const struct parse_ctx *p, const xmlNode *list,
                                  struct config_session *s)
{
	struct config_snapshot_output *o = &s->snapshot;
	uint64_t max_size = 0;
	int r;

	if (!s->snapshot_mode)
		return INVALID(p, list,
		               "session %s: snapshot outputs in a session without "
		               "<snapshot_mode>true",
		               s->name);
	for_each_element(n, list)
	{
		if (o->present)
			return NOT_SUPPORTED(
			    p, n, "session %s: a session has one snapshot output at most", s->name);
		o->present = true;
		o->line = (int)xmlGetLineNo(n);
		r = copy_text(p, child(n, "name"), o->name, sizeof(o->name));
		if (r == 0)
			r = opt_uint(p, n, "max_size", UINT64_MAX, &max_size);
		if (r == 0)
			r = parse_consumer_output(p, child(n, "consumer_output"), s, &o->path);
		if (r < 0)
			return r;
		o->max_size = max_size;
	}
	return 0;
}

static int parse_output(const struct parse_ctx *p, const xmlNode *node, struct config_session *s)
{
	const xmlNode *n = child(node, NULL);

	if (!n)
		return 0;
	if (is_element(n, "snapshot_outputs"))
		return parse_snapshot_outputs(p, n, s);
	return parse_consumer_output(p, n, s, &s->output_path);
}

static int parse_session(const struct parse_ctx *p, const xmlNode *node, struct config_session *s)
{
	const xmlNode *n;
	int r;

	s->line = (int)xmlGetLineNo(node);
	snprintf(s->file, sizeof(s->file), "%s", p->file);
	s->buffer_type = RINGTRACE_BUFFER_PER_UID;
	r = copy_text(p, child(node, "name"), s->name, sizeof(s->name));
	if (r < 0)
		return r;
	if ((n = child(node, "shared_memory_path")))
		return NOT_SUPPORTED(p, n, "session %s: a shared memory path cannot be chosen",
		                     s->name);
	for_each_element(d, child(node, "domains"))
	{
		r = parse_domain(p, d, s);
		if (r < 0)
			return r;
	}
	r = opt_bool(p, node, "started", &s->started);
	if (r == 0)
		r = parse_attributes(p, child(node, "attributes"), s);
	if (r == 0)
		r = parse_output(p, child(node, "output"), s);
	return r;
}

static void first_error(void *arg, xmlErrorPtr e)
{
	const struct parse_ctx *p = arg;
	size_t len;

	if (p->err->text[0] || !e)
		return;
	snprintf(p->err->text, sizeof(p->err->text), "%s:%d: %s", p->file, e->line,
	         e->message ? e->message : "invalid");
	len = strlen(p->err->text);
	if (len > 0 && p->err->text[len - 1] == '\n')
		p->err->text[len - 1] = '\0';
}

static void ignore_error(void *arg, xmlErrorPtr e)
{
}

DEFINE_POINTER_CLEANUP(xmlSchemaPtr, xmlSchemaFree)
DEFINE_POINTER_CLEANUP(xmlSchemaParserCtxtPtr, xmlSchemaFreeParserCtxt)
DEFINE_POINTER_CLEANUP(xmlSchemaValidCtxtPtr, xmlSchemaFreeValidCtxt)
DEFINE_POINTER_CLEANUP(xmlDocPtr, xmlFreeDoc)
DEFINE_POINTER_CLEANUP(xmlParserCtxtPtr, xmlFreeParserCtxt)

static int validate(const struct parse_ctx *p, xmlDocPtr doc)
{
	_cleanup_(xmlSchemaFreeParserCtxtp) xmlSchemaParserCtxtPtr pctx = NULL;
	_cleanup_(xmlSchemaFreeValidCtxtp) xmlSchemaValidCtxtPtr vctx = NULL;
	_cleanup_(xmlSchemaFreep) xmlSchemaPtr schema = NULL;

	pctx = xmlSchemaNewMemParserCtxt((const char *)session_xsd_data, (int)session_xsd_size);
	if (!pctx)
		return fail(p, -RINGTRACE_ERR_NOMEM, NULL, "out of memory");
	xmlSchemaSetParserStructuredErrors(pctx, ignore_error, NULL);
	schema = xmlSchemaParse(pctx);
	if (!schema)
		return fail(p, -RINGTRACE_ERR_FATAL, NULL, "the embedded schema does not parse");
	vctx = xmlSchemaNewValidCtxt(schema);
	if (!vctx)
		return fail(p, -RINGTRACE_ERR_NOMEM, NULL, "out of memory");
	xmlSchemaSetValidStructuredErrors(vctx, first_error, (void *)p);
	if (xmlSchemaValidateDoc(vctx, doc) != 0) {
		if (!p->err->text[0])
			fail(p, 0, NULL, "not a valid session configuration");
		return -RINGTRACE_ERR_LOAD_INVALID_CONFIG;
	}
	return 0;
}

int session_config_parse(const char *file, const void *data, size_t size,
                         struct config_document *ret_doc, struct config_error *err)
{
	const struct parse_ctx p = {.file = file, .err = err};
	_cleanup_(xmlFreeParserCtxtp) xmlParserCtxtPtr ctxt = NULL;
	_cleanup_(xmlFreeDocp) xmlDocPtr doc = NULL;
	struct config_document result = {0};
	const xmlNode *root;
	int r;

	err->text[0] = '\0';
	if (size > INT32_MAX)
		return fail(&p, -RINGTRACE_ERR_LOAD_IO_FAIL, NULL, "file too large");
	ctxt = xmlNewParserCtxt();
	if (!ctxt)
		return fail(&p, -RINGTRACE_ERR_NOMEM, NULL, "out of memory");
	doc = xmlCtxtReadMemory(ctxt, data, (int)size, file, NULL,
	                        XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (!doc) {
		xmlErrorPtr e = xmlCtxtGetLastError(ctxt);

		first_error((void *)&p, e);
		if (!err->text[0])
			fail(&p, 0, NULL, "not an XML document");
		return -RINGTRACE_ERR_LOAD_IO_FAIL;
	}
	r = validate(&p, doc);
	if (r < 0)
		return r;
	root = xmlDocGetRootElement(doc);
	result.sessions = calloc(count_elements(root, "session") + 1, sizeof(*result.sessions));
	if (!result.sessions)
		return fail(&p, -RINGTRACE_ERR_NOMEM, root, "out of memory");
	for_each_element(s, root)
	{
		r = parse_session(&p, s, &result.sessions[result.count++]);
		if (r < 0) {
			session_config_document_free(&result);
			return r;
		}
	}
	*ret_doc = result;
	return 0;
}

static void channel_free(struct config_channel *ch)
{
	for (size_t i = 0; i < ch->event_count; i++) {
		struct config_event *ev = &ch->events[i];

		for (uint32_t j = 0; j < ev->exclusion_count; j++)
			free(ev->exclusions[j]);
		free(ev->exclusions);
		free(ev->filter);
	}
	free(ch->events);
	free(ch->contexts);
}

void session_config_document_free(struct config_document *doc)
{
	for (size_t i = 0; i < doc->count; i++) {
		struct config_session *s = &doc->sessions[i];

		for (size_t j = 0; j < s->channel_count; j++)
			channel_free(&s->channels[j]);
		free(s->channels);
		for (int t = 0; t < _RINGTRACE_TRACKER_MAX; t++)
			free(s->trackers[t].values);
		free(s->output_path);
		free(s->control_uri);
		free(s->data_uri);
		free(s->snapshot.path);
	}
	free(doc->sessions);
	*doc = (struct config_document){0};
}

/* SPDX-License-Identifier: MIT */
/*
 * struct config_session -> the control commands that recreate it, in the
 * order lttng's loader issues them: create, trackers, channels with their
 * contexts and event rules (disabled ones enabled, then disabled), disabled channels,
 * then start when the session was started. A failure destroys what was
 * created and names the element whose command failed.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/net-url.h"
#include "common/session-xml/names.h"
#include "session-config.h"

struct apply_ctx {
	const struct config_session *s;
	const char *name;               /* the session's name, in messages */
	struct ringtrace_handle handle; /* the session the commands go to */
	/*
	 * A scratch session for session_config_check(): never started, and
	 * written locally, so that no relay daemon sees it.
	 */
	bool check;
	struct config_error *err;
};

static int fail(const struct apply_ctx *a, int code, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* "FILE:LINE: session NAME: what" and returns code (the caller names the error). */
static int fail(const struct apply_ctx *a, int code, int line, const char *fmt, ...)
{
	size_t n;
	va_list ap;

	n = (size_t)snprintf(a->err->text, sizeof(a->err->text), "%s:%d: session %s: ", a->s->file,
	                     line, a->name);
	if (n < sizeof(a->err->text)) {
		va_start(ap, fmt);
		vsnprintf(a->err->text + n, sizeof(a->err->text) - n, fmt, ap);
		va_end(ap);
	}
	return code;
}

static int apply_tracker(const struct apply_ctx *a, enum ringtrace_tracker_type type,
                         const struct config_tracker *t)
{
	const char *kind = session_xml_tracker_names[type];
	int r;

	if (!t->present)
		return 0;
	/* An empty inclusion set is what lttng saves for "nothing tracked". */
	if (t->count == 0) {
		r = ringtrace_set_tracking_policy(&a->handle, type, RINGTRACE_TRACKING_EXCLUDE_ALL);
		return r < 0 ? fail(a, r, t->line, "<%s_process_attr_tracker>", kind) : 0;
	}
	for (uint32_t i = 0; i < t->count; i++) {
		const struct ringtrace_tracker_value *v = &t->values[i];

		r = ringtrace_track_value(&a->handle, type, v);
		/* lttng's files may list a value twice; the set holds it once. */
		if (r < 0 && r != -RINGTRACE_ERR_PROCESS_ATTR_EXISTS && v->name[0])
			return fail(a, r, t->line, "<%s_process_attr_tracker> name \"%s\"", kind,
			            v->name);
		if (r < 0 && r != -RINGTRACE_ERR_PROCESS_ATTR_EXISTS)
			return fail(a, r, t->line, "<%s_process_attr_tracker> value %" PRId32, kind,
			            v->id);
	}
	return 0;
}

static int apply_event(const struct apply_ctx *a, const struct config_channel *ch,
                       const struct config_event *ev)
{
	struct ringtrace_event event = ev->event;
	int r;

	r = ringtrace_enable_event_with_exclusions(&a->handle, &event, ch->chan.name, ev->filter,
	                                           (int)ev->exclusion_count, ev->exclusions);
	if (r < 0)
		return fail(a, r, ev->line, "channel %s: event rule %s%s%s%s", ch->chan.name,
		            ev->event.name, ev->filter ? " (<filter>" : "",
		            ev->filter ? ev->filter : "", ev->filter ? ")" : "");
	if (ev->enabled)
		return 0;
	r = ringtrace_disable_event(&a->handle, ev->event.name, ch->chan.name);
	return r < 0 ? fail(a, r, ev->line, "channel %s: disabling event rule %s", ch->chan.name,
	                    ev->event.name)
	             : 0;
}

/*
 * The attributes of a channel the session daemon refused with error r, as
 * the file gives them: the sizes it found wrong, or, when it does not
 * support something, every attribute it may not support that the file asks
 * for.
 */
static void describe_refused_attr(int r, const struct ringtrace_channel_attr *at, char *buf,
                                  size_t size)
{
	size_t n = 0;

	buf[0] = '\0';
#define ADD(...)                                                                                   \
	do {                                                                                       \
		if (n < size)                                                                      \
			n += (size_t)snprintf(buf + n, size - n, __VA_ARGS__);                     \
	} while (0)
	if (r == -RINGTRACE_ERR_SUBBUF_SIZE)
		ADD(" <subbuffer_size>%" PRIu64, at->subbuf_size);
	if (r == -RINGTRACE_ERR_NUM_SUBBUF)
		ADD(" <subbuffer_count>%" PRIu64, at->num_subbuf);
	if (r != -RINGTRACE_ERR_NOT_SUPPORTED)
		return;
	if (at->overwrite == 1)
		ADD(" <overwrite_mode>OVERWRITE");
	if (at->output == RINGTRACE_EVENT_SPLICE)
		ADD(" <output_type>SPLICE");
	if (at->blocking_timeout != 0)
		ADD(" <blocking_timeout>%" PRId64, at->blocking_timeout);
	if (at->tracefile_size != 0)
		ADD(" <tracefile_size>%" PRIu64, at->tracefile_size);
	if (at->tracefile_count != 0)
		ADD(" <tracefile_count>%" PRIu64, at->tracefile_count);
	if (at->live_timer_interval != 0)
		ADD(" <live_timer_interval>%" PRIu32, at->live_timer_interval);
#undef ADD
}

static int apply_context(const struct apply_ctx *a, const struct config_channel *ch,
                         const struct config_context *c)
{
	int r = ringtrace_add_context(&a->handle, &c->ctx, ch->chan.name);

	return r < 0 ? fail(a, r, c->line, "channel %s: context %s", ch->chan.name, c->symbol) : 0;
}

static int apply_channel(const struct apply_ctx *a, const struct config_channel *ch)
{
	struct ringtrace_channel chan = ch->chan;
	char refused[512];
	int r;

	if (a->check)
		chan.attr.live_timer_interval = 0; /* the scratch session is not live */
	r = ringtrace_enable_channel(&a->handle, &chan);
	if (r < 0) {
		describe_refused_attr(r, &ch->chan.attr, refused, sizeof(refused));
		return fail(a, r, ch->line, "<channel> %s%s%s", ch->chan.name,
		            refused[0] ? " with" : "", refused);
	}
	for (size_t i = 0; i < ch->context_count; i++) {
		r = apply_context(a, ch, &ch->contexts[i]);
		if (r < 0)
			return r;
	}
	for (size_t i = 0; i < ch->event_count; i++) {
		r = apply_event(a, ch, &ch->events[i]);
		if (r < 0)
			return r;
	}
	return 0;
}

static int apply_rotation_schedules(const struct apply_ctx *a)
{
	const struct config_session *s = a->s;
	int r = 0;

	if (s->rotation_timer_us)
		r = ringtrace_rotation_set_schedule(a->handle.session_name, 1,
		                                    RINGTRACE_ROTATION_SCHEDULE_PERIODIC,
		                                    s->rotation_timer_us);
	if (r == 0 && s->rotation_size_bytes)
		r = ringtrace_rotation_set_schedule(a->handle.session_name, 1,
		                                    RINGTRACE_ROTATION_SCHEDULE_SIZE_THRESHOLD,
		                                    s->rotation_size_bytes);
	return r < 0 ? fail(a, r, s->rotation_line, "setting its rotation schedules") : 0;
}

static int apply_all(const struct apply_ctx *a)
{
	const struct config_session *s = a->s;
	int r;

	for (int t = 0; t < _RINGTRACE_TRACKER_MAX; t++) {
		r = apply_tracker(a, (enum ringtrace_tracker_type)t, &s->trackers[t]);
		if (r < 0)
			return r;
	}
	for (size_t i = 0; i < s->channel_count; i++) {
		r = apply_channel(a, &s->channels[i]);
		if (r < 0)
			return r;
	}
	for (size_t i = 0; i < s->channel_count; i++) {
		const struct config_channel *ch = &s->channels[i];

		if (ch->enabled)
			continue;
		r = ringtrace_disable_channel(&a->handle, ch->chan.name);
		if (r < 0)
			return fail(a, r, ch->line, "disabling channel %s", ch->chan.name);
	}
	r = apply_rotation_schedules(a);
	if (r < 0)
		return r;
	if (s->started && !a->check) {
		r = ringtrace_start_tracing(a->handle.session_name);
		if (r < 0)
			return fail(a, r, s->line, "starting it (<started>true)");
	}
	return 0;
}

/*
 * A snapshot session is created with its output as the first one (id 1,
 * "snapshot-1", no size limit), which is then replaced when the file names
 * it otherwise, or deleted when the file has none.
 */
static int apply_snapshot_output(const struct apply_ctx *a, const char *url)
{
	const struct config_snapshot_output *o = &a->s->snapshot;
	struct ringtrace_snapshot_output out = {.id = 1};
	int r;

	if (o->present && o->max_size == 0 && strcmp(o->name, "snapshot-1") == 0)
		return 0;
	r = ringtrace_snapshot_del_output(a->handle.session_name, &out);
	if (r < 0)
		return fail(a, r, a->s->line, "removing its default snapshot output");
	if (!o->present)
		return 0;
	out = (struct ringtrace_snapshot_output){.max_size = o->max_size};
	snprintf(out.name, sizeof(out.name), "%s", o->name);
	if (url && (size_t)snprintf(out.url, sizeof(out.url), "%s", url) >= sizeof(out.url))
		return fail(a, -RINGTRACE_ERR_INVALID, o->line, "snapshot output %s: path too long",
		            url);
	r = ringtrace_snapshot_add_output(a->handle.session_name, &out);
	return r < 0 ? fail(a, r, o->line, "adding snapshot output %s", o->name) : 0;
}

static int create(const struct apply_ctx *a, const char *output_url)
{
	const struct config_session *s = a->s;
	const char *url = output_url ? output_url : s->output_path;
	int r;

	if (s->snapshot_mode) {
		url = output_url ? output_url : s->snapshot.path;
		r = ringtrace_create_session_snapshot(a->handle.session_name, url);
		if (r == 0) {
			r = apply_snapshot_output(a, url);
			if (r < 0)
				(void)ringtrace_destroy_session(a->handle.session_name);
		}
	} else if (a->check &&
	           (output_url ? rt_net_url_is_network(output_url) : s->control_uri != NULL)) {
		url = NULL;
		r = ringtrace_create_session(a->handle.session_name, NULL);
	} else if (!output_url && s->control_uri) {
		url = s->control_uri;
		r = ringtrace_create_session_net(a->handle.session_name, s->control_uri,
		                                 s->data_uri, 0, s->live_timer_us, NULL);
	} else {
		r = ringtrace_create_session_ext(a->handle.session_name, url, 0, s->live_timer_us,
		                                 NULL);
	}
	if (r < 0 && !a->err->text[0])
		return fail(a, r, s->line, "creating it%s%s%s%s%s",
		            s->snapshot_mode ? " in snapshot mode" : "",
		            s->live_timer_us ? " in live mode" : "", url ? " with output " : "",
		            url ? url : "", url && url == s->control_uri ? " (control)" : "");
	return r;
}

static int apply(struct apply_ctx *a, const char *output_url)
{
	int r;

	a->err->text[0] = '\0';
	r = create(a, output_url);
	if (r < 0)
		return r;
	a->handle.domain.type = RINGTRACE_DOMAIN_UST;
	a->handle.domain.buf_type = a->s->buffer_type;
	r = apply_all(a);
	if (r < 0)
		(void)ringtrace_destroy_session(a->handle.session_name);
	return r;
}

int session_config_apply(const struct config_session *s, const char *name, const char *output_url,
                         struct config_error *err)
{
	struct apply_ctx a = {.s = s, .name = name ? name : s->name, .err = err};

	snprintf(a.handle.session_name, sizeof(a.handle.session_name), "%s", a.name);
	return apply(&a, output_url);
}

int session_config_check(const struct config_session *s, const char *name, const char *output_url,
                         struct config_error *err)
{
	struct apply_ctx a = {.s = s, .name = name ? name : s->name, .check = true, .err = err};
	int r;

	snprintf(a.handle.session_name, sizeof(a.handle.session_name), "%.200s.load-check-%d",
	         a.name, (int)getpid());
	r = apply(&a, output_url);
	if (r == 0)
		(void)ringtrace_destroy_session(a.handle.session_name);
	return r;
}

/* SPDX-License-Identifier: MIT */
/*
 * ENABLE_CHANNEL / DISABLE_CHANNEL, following lttng 2.13: a channel can only
 * be added before the session is first started (the tracer cannot add one to
 * a running trace); enabling an existing channel re-enables it, its
 * attributes unchanged; disabling a disabled channel is not an error. The
 * buffering scheme belongs to the session: its first channel sets it, and a
 * channel of the other type is refused (MIXED_BUFFER_TYPE).
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "log.h"
#include "relay-output.h"
#include "ust-app.h"

#define MIN_SUBBUF_SIZE 4096

void cmd_channel_default_attr(struct ringtrace_channel_attr *ret_attr)
{
	*ret_attr = (struct ringtrace_channel_attr){
	    .overwrite = -1, /* the session's default: overwrite in snapshot sessions */
	    .subbuf_size = RINGTRACE_DEFAULT_UST_SUBBUF_SIZE,
	    .num_subbuf = RINGTRACE_DEFAULT_UST_NUM_SUBBUF,
	    .switch_timer_interval = RINGTRACE_DEFAULT_SWITCH_TIMER,
	    .read_timer_interval = RINGTRACE_DEFAULT_READ_TIMER,
	    .output = RINGTRACE_EVENT_MMAP,
	    .monitor_timer_interval = RINGTRACE_DEFAULT_MONITOR_TIMER,
	};
}

static bool is_power_of_two(uint64_t v)
{
	return v && !(v & (v - 1));
}

/* Channel names become file names: no '/', no leading '.' (as lttng). */
static bool channel_name_valid(const char *name)
{
	return name[0] && name[0] != '.' && !strchr(name, '/');
}

/* Checks attr and normalizes its defaults (overwrite -1: as lttng, on in snapshot sessions). */
static int channel_attr_check(const struct session *s, const char *name,
                              struct ringtrace_channel_attr *attr)
{
	long page_size = sysconf(_SC_PAGESIZE);
	uint64_t min_subbuf = page_size > MIN_SUBBUF_SIZE ? (uint64_t)page_size : MIN_SUBBUF_SIZE;

	if (attr->overwrite == -1)
		attr->overwrite = s->snapshot_mode ? 1 : 0;
	if (attr->overwrite != 0 && attr->overwrite != 1)
		return -RINGTRACE_ERR_INVALID;
	if (!is_power_of_two(attr->subbuf_size) || attr->subbuf_size < min_subbuf) {
		log_warn("Channel %s: sub-buffer size %" PRIu64
		         " is not a power of two of at least %" PRIu64 " bytes",
		         name, attr->subbuf_size, min_subbuf);
		return -RINGTRACE_ERR_SUBBUF_SIZE;
	}
	if (!is_power_of_two(attr->num_subbuf) || attr->num_subbuf < 2) {
		log_warn("Channel %s: sub-buffer count %" PRIu64
		         " is not a power of two of at least 2",
		         name, attr->num_subbuf);
		return -RINGTRACE_ERR_NUM_SUBBUF;
	}
	if (attr->num_subbuf > UINT64_MAX / attr->subbuf_size)
		return -RINGTRACE_ERR_INVALID;
	if (attr->output == RINGTRACE_EVENT_SPLICE) {
		log_warn("Channel %s: user space channels only support mmap output", name);
		return -RINGTRACE_ERR_NOT_SUPPORTED;
	}
	if (attr->output != RINGTRACE_EVENT_MMAP)
		return -RINGTRACE_ERR_INVALID;
	/* As lttng: a live session's channels flush on its live timer, not a switch timer. */
	if (attr->live_timer_interval && !(s->relay && s->relay->live_timer_us)) {
		log_warn("Channel %s: a live timer needs a live session (create --live)", name);
		return -RINGTRACE_ERR_NOT_SUPPORTED;
	}
	attr->live_timer_interval = s->relay ? s->relay->live_timer_us : 0;
	if (attr->live_timer_interval)
		attr->switch_timer_interval = 0;
	if (attr->blocking_timeout < -1)
		return -RINGTRACE_ERR_INVALID;
	if (attr->overwrite > 0 && attr->blocking_timeout != 0) {
		log_warn("Channel %s: a blocking timeout cannot be used in overwrite mode", name);
		return -RINGTRACE_ERR_INVALID;
	}
	if (attr->tracefile_count != 0 && attr->tracefile_size == 0) {
		log_warn("Channel %s: a tracefile count needs a tracefile size", name);
		return -RINGTRACE_ERR_INVALID;
	}
	if (attr->tracefile_count > UINT32_MAX) {
		log_warn("Channel %s: tracefile count %" PRIu64 " is too large", name,
		         attr->tracefile_count);
		return -RINGTRACE_ERR_INVALID;
	}
	if (attr->tracefile_size != 0 && attr->tracefile_size < attr->subbuf_size) {
		log_warn("Channel %s: tracefile size %" PRIu64
		         " is smaller than the sub-buffer size %" PRIu64,
		         name, attr->tracefile_size, attr->subbuf_size);
		return -RINGTRACE_ERR_INVALID;
	}
	return 0;
}

int cmd_channel_create(struct session *s, const char *name,
                       const struct ringtrace_channel_attr *attr,
                       const struct ringtrace_domain *domain, struct session_channel **ret_chan)
{
	struct ringtrace_channel_attr checked = *attr;
	int r;

	if (!channel_name_valid(name))
		return -RINGTRACE_ERR_INVALID;
	if (s->has_been_started) {
		log_warn("Session %s: channel %s cannot be added: tracing has already been "
		         "started once",
		         s->name, name);
		return -RINGTRACE_ERR_TRACE_ALREADY_STARTED;
	}
	r = cmd_check_buffer_type(domain);
	if (r < 0)
		return r;
	r = channel_attr_check(s, name, &checked);
	if (r < 0)
		return r;
	if (!cds_list_empty(&s->channels)) {
		const struct session_channel *first =
		    cds_list_first_entry(&s->channels, struct session_channel, node);

		if (first->buffer_type != (enum ringtrace_buffer_type)domain->buf_type) {
			log_warn("Session %s: channel %s refused: the session uses %s buffers",
			         s->name, name,
			         first->buffer_type == RINGTRACE_BUFFER_PER_PID ? "per-process"
			                                                        : "per-user");
			return -RINGTRACE_ERR_MIXED_BUFFER_TYPE;
		}
	}
	/*
	 * A session never started has nothing on the app side yet: the
	 * channel reaches the apps when tracing starts.
	 */
	r = session_add_channel(s, name, &checked, (enum ringtrace_buffer_type)domain->buf_type,
	                        ret_chan);
	if (r < 0)
		return r == -ENOMEM ? -RINGTRACE_ERR_NOMEM : -RINGTRACE_ERR_INVALID;
	log_info("Session %s: channel %s created", s->name, name);
	return 0;
}

int cmd_enable_channel(const struct cmd_ctx *ctx, struct cmd_reply *reply)
{
	const struct client_msg *msg = ctx->msg;
	struct ringtrace_domain domain = msg->domain;
	struct ringtrace_channel chan = msg->u.channel.chan;
	struct session_channel *existing;
	struct session *s;
	int r;

	r = cmd_lookup_session_domain(ctx, &s);
	if (r < 0)
		return r;
	if (!CMD_STRING_OK(chan.name))
		return -RINGTRACE_ERR_PROTOCOL;
	r = session_relay_connect(s);
	if (r < 0)
		return r;
	existing = session_find_channel(s, chan.name);
	if (!existing)
		return cmd_channel_create(s, chan.name, &chan.attr, &domain, &existing);
	if (existing->enabled)
		return -RINGTRACE_ERR_UST_CHAN_EXIST;
	existing->enabled = true;
	log_info("Session %s: channel %s enabled", s->name, existing->name);
	return ust_app_session_update(s);
}

int cmd_disable_channel(const struct cmd_ctx *ctx, struct cmd_reply *reply)
{
	const struct client_msg *msg = ctx->msg;
	struct session_channel *chan;
	struct session *s;
	int r;

	r = cmd_lookup_session_domain(ctx, &s);
	if (r < 0)
		return r;
	if (!CMD_STRING_OK(msg->u.disable_channel.channel_name))
		return -RINGTRACE_ERR_PROTOCOL;
	chan = session_find_channel(s, msg->u.disable_channel.channel_name);
	if (!chan)
		return -RINGTRACE_ERR_UST_CHAN_NOT_FOUND;
	if (!chan->enabled)
		return 0;
	chan->enabled = false;
	log_info("Session %s: channel %s disabled", s->name, chan->name);
	return ust_app_session_update(s);
}

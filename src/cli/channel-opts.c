/* SPDX-License-Identifier: MIT */
#include "channel-opts.h"

#include <inttypes.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "output.h"
#include "units.h"

void channel_opts_init(struct channel_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->overwrite = -1;
}

/* Smallest power of two >= v, or 0 when it does not fit in 64 bits. */
static uint64_t round_up_pow2(uint64_t v)
{
	uint64_t p = 1;

	while (p < v) {
		if (p > UINT64_MAX / 2)
			return 0;
		p <<= 1;
	}
	return p;
}

static int parse_subbuf_size(struct channel_opts *o, const char *arg)
{
	uint64_t size, rounded;

	if (parse_size(arg, &size) < 0 || size == 0) {
		cli_err("Wrong value in --subbuf-size parameter: %s", arg);
		return CMD_ERROR;
	}
	rounded = round_up_pow2(size);
	if (rounded == 0) {
		cli_err("The subbuf size (%" PRIu64 ") is rounded and overflows!", size);
		return CMD_ERROR;
	}
	if (rounded != size)
		cli_warn("The subbuf size (%" PRIu64 ") is rounded to the next power of 2 (%" PRIu64
		         ")",
		         size, rounded);
	o->subbuf_size = rounded;
	return CMD_SUCCESS;
}

static int parse_num_subbuf(struct channel_opts *o, const char *arg)
{
	uint64_t num, rounded;

	if (parse_count(arg, &num) < 0 || num == 0) {
		cli_err("Wrong value in --num-subbuf parameter: %s", arg);
		return CMD_ERROR;
	}
	rounded = round_up_pow2(num);
	if (rounded == 0) {
		cli_err("The number of subbuffers (%" PRIu64 ") is rounded and overflows!", num);
		return CMD_ERROR;
	}
	if (rounded != num)
		cli_warn("The number of subbuffers (%" PRIu64
		         ") is rounded to the next power of 2 (%" PRIu64 ")",
		         num, rounded);
	o->num_subbuf = rounded;
	return CMD_SUCCESS;
}

/* --switch-timer and --read-timer: microseconds fitting in 32 bits. */
static int parse_timer32(const char *name, const char *arg, uint32_t *ret_us)
{
	uint64_t v;

	if (parse_time_us(arg, &v) < 0) {
		cli_err("Wrong value for --%s parameter: %s", name, arg);
		return CMD_ERROR;
	}
	if (v > UINT32_MAX) {
		cli_err("32-bit overflow in --%s parameter: %s", name, arg);
		return CMD_ERROR;
	}
	*ret_us = (uint32_t)v;
	return CMD_SUCCESS;
}

static int parse_blocking_timeout(struct channel_opts *o, const char *arg)
{
	uint64_t v;

	if (strcmp(arg, "inf") == 0) {
		o->blocking_timeout_us = -1;
		return CMD_SUCCESS;
	}
	if (parse_time_us(arg, &v) < 0) {
		cli_err("Wrong value for --blocking-timeout parameter: %s", arg);
		return CMD_ERROR;
	}
	/* The tracer takes milliseconds in a signed 32-bit integer. */
	if (v / 1000 > INT32_MAX) {
		cli_err("32-bit milliseconds overflow in --blocking-timeout parameter: %s", arg);
		return CMD_ERROR;
	}
	o->blocking_timeout_us = (int64_t)v;
	return CMD_SUCCESS;
}

static int parse_tracefile_count(struct channel_opts *o, const char *arg)
{
	uint64_t v;

	if (parse_count(arg, &v) < 0) {
		cli_err("Wrong value in --tracefile-count parameter: %s", arg);
		return CMD_ERROR;
	}
	if (v > UINT32_MAX) {
		cli_err("32-bit overflow in --tracefile-count parameter: %s", arg);
		return CMD_ERROR;
	}
	o->tracefile_count = v;
	return CMD_SUCCESS;
}

int channel_opts_parse(struct channel_opts *o, int opt, const char *arg, bool *ret_consumed)
{
	int r = CMD_SUCCESS;

	*ret_consumed = true;
	switch (opt) {
	case OPT_CHAN_DISCARD:
		o->overwrite = 0;
		break;
	case OPT_CHAN_OVERWRITE:
		o->overwrite = 1;
		break;
	case OPT_CHAN_SUBBUF_SIZE:
		r = parse_subbuf_size(o, arg);
		break;
	case OPT_CHAN_NUM_SUBBUF:
		r = parse_num_subbuf(o, arg);
		break;
	case OPT_CHAN_SWITCH_TIMER:
		r = parse_timer32("switch-timer", arg, &o->switch_timer_us);
		o->switch_timer_set = true;
		break;
	case OPT_CHAN_READ_TIMER:
		r = parse_timer32("read-timer", arg, &o->read_timer_us);
		o->read_timer_set = true;
		break;
	case OPT_CHAN_MONITOR_TIMER:
		if (parse_time_us(arg, &o->monitor_timer_us) < 0) {
			cli_err("Wrong value for --monitor-timer parameter: %s", arg);
			r = CMD_ERROR;
		}
		o->monitor_timer_set = true;
		break;
	case OPT_CHAN_BLOCKING_TIMEOUT:
		r = parse_blocking_timeout(o, arg);
		o->blocking_timeout_set = true;
		break;
	case OPT_CHAN_OUTPUT:
		o->output = arg;
		break;
	case OPT_CHAN_BUFFERS_UID:
		break; /* the default */
	case OPT_CHAN_BUFFERS_PID:
		o->buffers_pid = true;
		break;
	case OPT_CHAN_BUFFERS_GLOBAL:
		o->buffers_global = true;
		break;
	case 'C':
		if (parse_size(arg, &o->tracefile_size) < 0) {
			cli_err("Wrong value in --tracefile-size parameter: %s", arg);
			r = CMD_ERROR;
		}
		break;
	case 'W':
		r = parse_tracefile_count(o, arg);
		break;
	default:
		*ret_consumed = false;
		return CMD_SUCCESS;
	}
	o->any = true;
	return r;
}

int channel_opts_check(const struct channel_opts *o)
{
	if (o->overwrite == 1 && o->blocking_timeout_set && o->blocking_timeout_us != 0) {
		cli_err("You cannot specify --overwrite and --blocking-timeout=N, where N is "
		        "different than 0");
		return CMD_ERROR;
	}
	return CMD_SUCCESS;
}

int channel_opts_to_attr(const struct channel_opts *o, struct ringtrace_domain *ret_domain,
                         struct ringtrace_channel_attr *ret_attr)
{
	struct ringtrace_domain domain = {.type = RINGTRACE_DOMAIN_UST};
	struct ringtrace_channel_attr attr;

	if (o->buffers_pid) {
		domain.buf_type = RINGTRACE_BUFFER_PER_PID;
	} else if (o->buffers_global) {
		cli_err("Buffer type not supported for domain -u");
		return CMD_ERROR;
	} else {
		domain.buf_type = RINGTRACE_BUFFER_PER_UID;
	}
	ringtrace_channel_set_default_attr(&domain, &attr);
	if (o->overwrite != -1)
		attr.overwrite = o->overwrite;
	if (o->subbuf_size)
		attr.subbuf_size = o->subbuf_size;
	if (o->num_subbuf)
		attr.num_subbuf = o->num_subbuf;
	if (o->switch_timer_set)
		attr.switch_timer_interval = o->switch_timer_us;
	if (o->read_timer_set)
		attr.read_timer_interval = o->read_timer_us;
	if (o->monitor_timer_set)
		attr.monitor_timer_interval = o->monitor_timer_us;
	if (o->blocking_timeout_set)
		attr.blocking_timeout = o->blocking_timeout_us;
	attr.tracefile_size = o->tracefile_size;
	attr.tracefile_count = o->tracefile_count;

	if (attr.tracefile_size == 0 && attr.tracefile_count) {
		cli_err("Missing option --tracefile-size. A file count without a size won't do "
		        "anything.");
		return CMD_ERROR;
	}
	if (attr.tracefile_size > 0 && attr.tracefile_size < attr.subbuf_size) {
		cli_warn("Tracefile size rounded up from (%" PRIu64 ") to subbuffer size (%" PRIu64
		         ")",
		         attr.tracefile_size, attr.subbuf_size);
		attr.tracefile_size = attr.subbuf_size;
	}
	if (o->output) {
		if (strcmp(o->output, "mmap") == 0) {
			attr.output = RINGTRACE_EVENT_MMAP;
		} else if (strcmp(o->output, "splice") == 0) {
			attr.output = RINGTRACE_EVENT_SPLICE;
		} else {
			/* lttng's message ends with an extra newline. */
			cli_err("Unknown output type %s. Possible values are: mmap, splice\n",
			        o->output);
			return CMD_ERROR;
		}
	}
	*ret_domain = domain;
	*ret_attr = attr;
	return CMD_SUCCESS;
}

int channel_attr_check_ust(const struct ringtrace_channel_attr *attr)
{
	long page_size = sysconf(_SC_PAGESIZE);

	if (attr->subbuf_size < (uint64_t)(page_size > 0 ? page_size : 4096))
		return -RINGTRACE_ERR_INVALID;
	if (attr->output != RINGTRACE_EVENT_MMAP)
		return -RINGTRACE_ERR_NOT_SUPPORTED;
	return 0;
}

/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Channel options, shared by `enable-channel` and `record`: parsed and
 * checked with lttng's rules and messages, then turned into the attributes
 * sent to the session daemon.
 */

#include <getopt.h>
#include <ringtrace/ctl.h>
#include <stdbool.h>
#include <stdint.h>

enum channel_opt {
	OPT_CHAN_DISCARD = 0x140,
	OPT_CHAN_OVERWRITE,
	OPT_CHAN_SUBBUF_SIZE,
	OPT_CHAN_NUM_SUBBUF,
	OPT_CHAN_SWITCH_TIMER,
	OPT_CHAN_READ_TIMER,
	OPT_CHAN_MONITOR_TIMER,
	OPT_CHAN_BLOCKING_TIMEOUT,
	OPT_CHAN_OUTPUT,
	OPT_CHAN_BUFFERS_UID,
	OPT_CHAN_BUFFERS_PID,
	OPT_CHAN_BUFFERS_GLOBAL,
};

#define CHANNEL_SHORT_OPTIONS "C:W:"

/* clang-format off */
#define CHANNEL_LONG_OPTIONS \
	{"discard", no_argument, NULL, OPT_CHAN_DISCARD}, \
	{"overwrite", no_argument, NULL, OPT_CHAN_OVERWRITE}, \
	{"subbuf-size", required_argument, NULL, OPT_CHAN_SUBBUF_SIZE}, \
	{"num-subbuf", required_argument, NULL, OPT_CHAN_NUM_SUBBUF}, \
	{"switch-timer", required_argument, NULL, OPT_CHAN_SWITCH_TIMER}, \
	{"read-timer", required_argument, NULL, OPT_CHAN_READ_TIMER}, \
	{"monitor-timer", required_argument, NULL, OPT_CHAN_MONITOR_TIMER}, \
	{"blocking-timeout", required_argument, NULL, OPT_CHAN_BLOCKING_TIMEOUT}, \
	{"output", required_argument, NULL, OPT_CHAN_OUTPUT}, \
	{"buffers-uid", no_argument, NULL, OPT_CHAN_BUFFERS_UID}, \
	{"buffers-pid", no_argument, NULL, OPT_CHAN_BUFFERS_PID}, \
	{"buffers-global", no_argument, NULL, OPT_CHAN_BUFFERS_GLOBAL}, \
	{"tracefile-size", required_argument, NULL, 'C'}, \
	{"tracefile-count", required_argument, NULL, 'W'}
/* clang-format on */

struct channel_opts {
	bool any;             /* some channel option was given */
	int overwrite;        /* -1 unset, 0 discard, 1 overwrite */
	uint64_t subbuf_size; /* bytes, 0 = unset */
	uint64_t num_subbuf;  /* 0 = unset */
	bool switch_timer_set, read_timer_set, monitor_timer_set, blocking_timeout_set;
	uint32_t switch_timer_us;
	uint32_t read_timer_us;
	uint64_t monitor_timer_us;
	int64_t blocking_timeout_us; /* -1 = inf */
	uint64_t tracefile_size;
	uint64_t tracefile_count;
	bool buffers_pid, buffers_global;
	const char *output; /* "mmap" or "splice" */
};

void channel_opts_init(struct channel_opts *o);

/*
 * Takes opt when it is a channel option (*ret_consumed set). Returns
 * CMD_ERROR after lttng's message for a bad value, else CMD_SUCCESS.
 */
int channel_opts_parse(struct channel_opts *o, int opt, const char *arg, bool *ret_consumed);

/* Checks between options, made by lttng once all are parsed. */
int channel_opts_check(const struct channel_opts *o);

/*
 * The user space domain (buffer type) and the channel attributes: the
 * given options over the domain's defaults, with lttng's checks and
 * warnings. Returns CMD_SUCCESS or CMD_ERROR.
 */
int channel_opts_to_attr(const struct channel_opts *o, struct ringtrace_domain *ret_domain,
                         struct ringtrace_channel_attr *ret_attr);

/*
 * What the session daemon refuses in a user space channel (lttng-sessiond
 * does these checks): 0, -RINGTRACE_ERR_INVALID (sub-buffer smaller than a
 * page) or -RINGTRACE_ERR_NOT_SUPPORTED (splice output).
 */
int channel_attr_check_ust(const struct ringtrace_channel_attr *attr);

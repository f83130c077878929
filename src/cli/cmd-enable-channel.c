/* SPDX-License-Identifier: MIT */
/*
 * ringtrace enable-channel -u CHANNEL[,CHANNEL...] [-s SESSION] [CHANNEL OPTIONS]
 */
#include <ringtrace/ctl.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "channel-opts.h"
#include "cli.h"
#include "common/macros.h"
#include "domain.h"
#include "output.h"

static const char usage[] =
    "Usage: ringtrace [GENERAL OPTIONS] enable-channel -u [-s SESSION] [OPTIONS]\n"
    "                 CHANNEL[,CHANNEL...]\n"
    "\n"
    "Create user space channels in a session (default: the current one), or enable\n"
    "disabled ones.\n"
    "\n"
    "Options:\n"
    "  -u, --userspace             User space domain (the only one ringtrace traces)\n"
    "  -s, --session=SESSION       Session instead of the current one\n"
    "      --discard               Discard new events when the buffer is full (default)\n"
    "      --overwrite             Overwrite the oldest packets (flight recorder)\n"
    "      --subbuf-size=SIZE      Sub-buffer size in bytes (k, M, G suffixes), power of 2\n"
    "      --num-subbuf=COUNT      Number of sub-buffers, power of 2\n"
    "      --switch-timer=PERIOD   Flush period (us; ms, s, m, h suffixes), 0 = off\n"
    "      --read-timer=PERIOD     Read period, 0 = off\n"
    "      --monitor-timer=PERIOD  Buffer usage sampling period\n"
    "      --blocking-timeout=TIMEOUT  How long a full buffer may block the app (inf)\n"
    "      --buffers-uid           One buffer set per user (default)\n"
    "      --buffers-pid           One buffer set per process\n"
    "      --output=mmap           Output mode (mmap only for user space)\n"
    "  -C, --tracefile-size=SIZE   Maximum size of each trace file\n"
    "  -W, --tracefile-count=COUNT Maximum number of trace files per stream\n"
    "  -h, --help                  Show this help\n";

static const struct option long_options[] = {
    CLI_COMMON_LONG_OPTIONS,
    {"session", required_argument, NULL, 's'},
    {"kernel", no_argument, NULL, 'k'},
    {"userspace", no_argument, NULL, 'u'},
    CHANNEL_LONG_OPTIONS,
    {NULL, 0, NULL, 0},
};

/* One channel; sets *warn or *error as lttng counts them. */
static void enable_one(const struct ringtrace_handle *handle,
                       const struct ringtrace_channel_attr *attr, const char *name, bool *warn,
                       bool *error)
{
	struct ringtrace_channel chan;
	int r;

	if (strlen(name) >= sizeof(chan.name)) {
		cli_err("Channel name is too long (max. %zu characters)", sizeof(chan.name) - 1);
		*error = true;
		return;
	}
	memset(&chan, 0, sizeof(chan));
	strcpy(chan.name, name);
	chan.enabled = 1;
	chan.attr = *attr;
	/* lttng-sessiond's own checks, so that they hold whatever the daemon checks. */
	r = channel_attr_check_ust(attr);
	if (r == 0)
		r = ringtrace_enable_channel(handle, &chan);
	switch (-r) {
	case 0:
		cli_msg("ust channel %s enabled for session %s", name, handle->session_name);
		break;
	case RINGTRACE_ERR_UST_CHAN_EXIST:
	case RINGTRACE_ERR_UST_CHAN_ENABLED:
		cli_warn("Channel %s: %s (session %s)", name, ringtrace_strerror(r),
		         handle->session_name);
		*warn = true;
		break;
	default:
		cli_err("Channel %s: %s (session %s)", name, ringtrace_strerror(r),
		        handle->session_name);
		*error = true;
		break;
	}
}

int cmd_enable_channel(int argc, char **argv)
{
	struct ringtrace_handle handle = {.session_name = ""};
	struct ringtrace_channel_attr attr;
	struct domain_opts domains = {0};
	struct channel_opts chan_opts;
	const char *session_opt = NULL, *list;
	bool warn = false, error = false;
	_cleanup_free_ char *names = NULL;
	char *save = NULL;
	int opt, r;

	channel_opts_init(&chan_opts);
	struct cli_args args = {
	    .usage = usage, .shortopts = "hs:ku" CHANNEL_SHORT_OPTIONS, .longopts = long_options};

	while ((opt = domain_args_next(&args, argc, argv, &domains, &session_opt)) > 0) {
		bool consumed;

		r = channel_opts_parse(&chan_opts, opt, optarg, &consumed);
		if (r != CMD_SUCCESS)
			return r;
	}
	if (opt == 0)
		return args.result;
	r = domain_opts_check(&domains, false);
	if (r == CMD_SUCCESS)
		r = channel_opts_check(&chan_opts);
	if (r != CMD_SUCCESS)
		return r;
	list = cli_args_pop(argc, argv);
	if (!list) {
		cli_err("Missing channel name.");
		return CMD_ERROR;
	}
	r = domain_command_target(argc, argv, &domains, session_opt, handle.session_name);
	if (r == CMD_SUCCESS)
		r = channel_opts_to_attr(&chan_opts, &handle.domain, &attr);
	if (r != CMD_SUCCESS)
		return r;

	names = strdup(list);
	if (!names)
		return -RINGTRACE_ERR_NOMEM;
	for (char *name = strtok_r(names, ",", &save); name; name = strtok_r(NULL, ",", &save))
		enable_one(&handle, &attr, name, &warn, &error);
	return error ? CMD_ERROR : warn ? CMD_WARNING : CMD_SUCCESS;
}

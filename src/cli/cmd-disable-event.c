/* SPDX-License-Identifier: MIT */
/*
 * ringtrace disable-event -u (-a | NAME[,NAME...]) [-c CHANNEL] [-s SESSION]
 */
#include <ringtrace/ctl.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "cli.h"
#include "common/macros.h"
#include "domain.h"
#include "output.h"

static const char usage[] =
    "Usage: ringtrace [GENERAL OPTIONS] disable-event -u [-s SESSION] [-c CHANNEL]\n"
    "                 (-a | NAME[,NAME...])\n"
    "\n"
    "Disable recording event rules of a channel (default channel0) of a session\n"
    "(default: the current one). NAME is the pattern given to enable-event.\n"
    "\n"
    "Options:\n"
    "  -u, --userspace         User space domain\n"
    "  -a, --all-events        All the event rules of the channel\n"
    "  -c, --channel=CHANNEL   Channel instead of channel0\n"
    "  -s, --session=SESSION   Session instead of the current one\n"
    "  -h, --help              Show this help\n";

enum {
	OPT_TYPE_SYSCALL = OPT_COMMAND_FIRST,
	OPT_TYPE_TRACEPOINT,
	OPT_TYPE_PROBE,
	OPT_TYPE_FUNCTION,
	OPT_TYPE_ALL,
};

static const struct option long_options[] = {
    CLI_COMMON_LONG_OPTIONS,
    {"session", required_argument, NULL, 's'},
    {"all-events", no_argument, NULL, 'a'},
    {"channel", required_argument, NULL, 'c'},
    {"jul", no_argument, NULL, 'j'},
    {"log4j", no_argument, NULL, 'l'},
    {"python", no_argument, NULL, 'p'},
    {"kernel", no_argument, NULL, 'k'},
    {"userspace", no_argument, NULL, 'u'},
    {"syscall", no_argument, NULL, OPT_TYPE_SYSCALL},
    {"probe", no_argument, NULL, OPT_TYPE_PROBE},
    {"tracepoint", no_argument, NULL, OPT_TYPE_TRACEPOINT},
    {"function", no_argument, NULL, OPT_TYPE_FUNCTION},
    {"all", no_argument, NULL, OPT_TYPE_ALL},
    {NULL, 0, NULL, 0},
};

static const char *channel_print_name(const char *channel, int error)
{
	if (channel)
		return channel;
	return error == -RINGTRACE_ERR_NEED_CHANNEL_NAME ? "<default>"
	                                                 : RINGTRACE_DEFAULT_CHANNEL_NAME;
}

/* Returns lttng's exit result: the last command's error, else CMD_WARNING/CMD_SUCCESS. */
static int disable_events(const struct ringtrace_handle *handle, const char *channel,
                          const char *list)
{
	bool warn = false;
	_cleanup_free_ char *names = NULL;
	char *save = NULL;
	int r = 0;

	names = strdup(list);
	if (!names)
		return -RINGTRACE_ERR_NOMEM;
	for (char *name = strtok_r(names, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
		r = ringtrace_disable_event(handle, name, channel);
		if (r < 0) {
			cli_err("%s of type any : %s (channel %s, session %s)", name,
			        ringtrace_strerror(r), channel_print_name(channel, r),
			        handle->session_name);
			warn = true;
		} else {
			cli_msg("ust %s of type any disabled in channel %s for session %s", name,
			        channel_print_name(channel, 0), handle->session_name);
		}
	}
	if (r < 0)
		return r;
	return warn ? CMD_WARNING : CMD_SUCCESS;
}

int cmd_disable_event(int argc, char **argv)
{
	struct ringtrace_handle handle = {.domain = {.type = RINGTRACE_DOMAIN_UST}};
	struct domain_opts domains = {0};
	const char *session_opt = NULL, *channel = NULL, *list;
	bool all = false, by_type = false;
	int opt, r;
	struct cli_args args = {
	    .usage = usage, .shortopts = "hs:ac:jlpku", .longopts = long_options};

	while ((opt = domain_args_next(&args, argc, argv, &domains, &session_opt)) > 0) {
		switch (opt) {
		case 'a':
			all = true;
			break;
		case 'c':
			channel = optarg;
			break;
		case OPT_TYPE_SYSCALL:
		case OPT_TYPE_TRACEPOINT:
		case OPT_TYPE_PROBE:
		case OPT_TYPE_FUNCTION:
			by_type = true;
			break;
		case OPT_TYPE_ALL:
			by_type = false;
			break;
		}
	}
	if (opt == 0)
		return args.result;
	r = domain_opts_check(&domains, true);
	if (r != CMD_SUCCESS)
		return r;
	if (!domains.kernel && by_type) {
		/* lttng's message ends with an extra newline. */
		cli_err("Disabling userspace and agent (-j | -l | -p) event(s) based on "
		        "instrumentation type is not supported.\n");
		return CMD_ERROR;
	}
	list = cli_args_pop(argc, argv);
	if (!list && !all) {
		cli_err("Missing event name(s).\n");
		return CMD_ERROR;
	}
	r = domain_command_target(argc, argv, &domains, session_opt, handle.session_name);
	if (r != CMD_SUCCESS)
		return r;
	if (channel && strlen(channel) >= RINGTRACE_SYMBOL_NAME_LEN) {
		cli_err("Channel name is too long (max. %d characters)",
		        RINGTRACE_SYMBOL_NAME_LEN - 1);
		return CMD_ERROR;
	}

	if (!all)
		return disable_events(&handle, channel, list);
	r = ringtrace_disable_event(&handle, NULL, channel);
	if (r < 0) {
		cli_err("%s", ringtrace_strerror(r));
		return r;
	}
	cli_msg("All ust events of type any are disabled in channel %s",
	        channel_print_name(channel, 0));
	return CMD_SUCCESS;
}

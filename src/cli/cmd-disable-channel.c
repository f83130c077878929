/* SPDX-License-Identifier: MIT */
/*
 * ringtrace disable-channel -u CHANNEL[,CHANNEL...] [-s SESSION]
 */
#include <ringtrace/ctl.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "cli.h"
#include "common/macros.h"
#include "domain.h"
#include "output.h"

static const char usage[] = "Usage: ringtrace [GENERAL OPTIONS] disable-channel -u [-s SESSION]\n"
                            "                 CHANNEL[,CHANNEL...]\n"
                            "\n"
                            "Disable user space channels of a session (default: the current one).\n"
                            "\n"
                            "Options:\n"
                            "  -u, --userspace         User space domain\n"
                            "  -s, --session=SESSION   Session instead of the current one\n"
                            "  -h, --help              Show this help\n";

static const struct option long_options[] = {
    CLI_COMMON_LONG_OPTIONS,
    {"session", required_argument, NULL, 's'},
    {"kernel", no_argument, NULL, 'k'},
    {"userspace", no_argument, NULL, 'u'},
    {NULL, 0, NULL, 0},
};

int cmd_disable_channel(int argc, char **argv)
{
	struct ringtrace_handle handle = {.domain = {.type = RINGTRACE_DOMAIN_UST}};
	struct domain_opts domains = {0};
	const char *session_opt = NULL, *list;
	_cleanup_free_ char *names = NULL;
	char *save = NULL;
	bool warn = false;
	int opt, r;
	struct cli_args args = {.usage = usage, .shortopts = "hs:ku", .longopts = long_options};

	while ((opt = domain_args_next(&args, argc, argv, &domains, &session_opt)) > 0)
		continue; /* no option of its own */
	if (opt == 0)
		return args.result;
	r = domain_opts_check(&domains, false);
	if (r != CMD_SUCCESS)
		return r;
	list = cli_args_pop(argc, argv);
	if (!list) {
		cli_err("Missing channel name(s).");
		return CMD_ERROR;
	}
	r = domain_command_target(argc, argv, &domains, session_opt, handle.session_name);
	if (r != CMD_SUCCESS)
		return r;

	names = strdup(list);
	if (!names)
		return -RINGTRACE_ERR_NOMEM;
	for (char *name = strtok_r(names, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
		r = ringtrace_disable_channel(&handle, name);
		if (r < 0) {
			/* As lttng, a channel that cannot be disabled is a warning. */
			cli_err("Channel %s: %s (session %s)", name, ringtrace_strerror(r),
			        handle.session_name);
			warn = true;
		} else {
			cli_msg("ust channel %s disabled for session %s", name,
			        handle.session_name);
		}
	}
	return warn ? CMD_WARNING : CMD_SUCCESS;
}

/* SPDX-License-Identifier: MIT */
/*
 * ringtrace status: `list` of the current session, as lttng.
 */
#include <ringtrace/ctl.h>

#include "args.h"
#include "cli.h"
#include "current-session.h"
#include "output.h"

static const char usage[] =
    "Usage: ringtrace [GENERAL OPTIONS] status\n"
    "\n"
    "Show the status of the current recording session (as `ringtrace list SESSION`).\n"
    "\n"
    "Options:\n"
    "  -h, --help   Show this help\n";

int cmd_status(int argc, char **argv)
{
	char name[RINGTRACE_NAME_MAX + 1];
	char list_cmd[] = "list";
	char *list_argv[] = {list_cmd, name, NULL};
	int r;

	if (!cli_args_common_only(argc, argv, usage, &r))
		return r;
	if (optind < argc) {
		/* lttng's message ends with an extra newline. */
		cli_err("This command does not accept positional arguments.\n");
		return CMD_UNDEFINED;
	}
	r = current_session_get(name);
	if (r != CMD_SUCCESS)
		return r;
	return cmd_list(2, list_argv);
}

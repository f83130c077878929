/* SPDX-License-Identifier: MIT */
/*
 * ringtrace start [SESSION]
 */
#include <ringtrace/ctl.h>

#include "args.h"
#include "cli.h"
#include "current-session.h"
#include "output.h"

static const char usage[] = "Usage: ringtrace [GENERAL OPTIONS] start [SESSION]\n"
                            "\n"
                            "Start recording events in a session (default: the current one).\n"
                            "\n"
                            "Options:\n"
                            "  -h, --help   Show this help\n";

int cmd_start(int argc, char **argv)
{
	char name[RINGTRACE_NAME_MAX + 1];
	int r;

	if (!cli_args_common_only(argc, argv, usage, &r))
		return r;
	r = current_session_from_args(argc, argv, name);
	if (r != CMD_SUCCESS)
		return r;

	r = ringtrace_start_tracing(name);
	if (r == -RINGTRACE_ERR_TRACE_ALREADY_STARTED) {
		cli_warn("Tracing already started for session %s", name);
		return r;
	}
	if (r < 0) {
		cli_err("%s", ringtrace_strerror(r));
		return r;
	}
	cli_msg("Tracing started for session %s", name);
	return CMD_SUCCESS;
}

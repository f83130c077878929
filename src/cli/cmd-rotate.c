/* SPDX-License-Identifier: MIT */
/*
 * ringtrace rotate [--no-wait] [SESSION]
 *
 * As lttng 2.13: archives the current trace chunk and prints where it is
 * readable; --no-wait prints that the rotation is ongoing instead. The
 * session daemon replies once the archive is complete, so the wait line
 * (printed, as lttng's, only once the rotation was accepted) has no dots.
 */
#include <ringtrace/ctl.h>
#include <stdbool.h>

#include "args.h"
#include "cli.h"
#include "current-session.h"
#include "output.h"

static const char usage[] =
    "Usage: ringtrace [GENERAL OPTIONS] rotate [--no-wait] [SESSION]\n"
    "\n"
    "Archive the current trace chunk of a session (default: the current one).\n"
    "\n"
    "Options:\n"
    "  -n, --no-wait   Do not wait for the archive to be complete\n"
    "  -h, --help      Show this help\n";

int cmd_rotate(int argc, char **argv)
{
	char name[RINGTRACE_NAME_MAX + 1], archive[RINGTRACE_PATH_MAX];
	bool no_wait = false;
	int r;

	if (!current_session_parse_no_wait(argc, argv, usage, &no_wait, name, &r))
		return r;

	r = ringtrace_rotate_session(name, archive);
	if (r < 0) {
		cli_err_code(r);
		return CMD_ERROR; /* lttng's rotate exits 1 whatever the error */
	}
	if (no_wait)
		cli_msg("Rotation ongoing for session %s", name);
	else
		/* A relay's archive is "tcp://HOST/PATH [control port N, data port M]". */
		cli_msg("Waiting for rotation to complete\n"
		        "Trace chunk archive for session %s is now readable %s %s",
		        name, archive[0] == '/' ? "at" : "on relay", archive);
	return CMD_SUCCESS;
}

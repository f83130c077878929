/* SPDX-License-Identifier: MIT */
/*
 * ringtrace stop [SESSION] [--no-wait]
 *
 * As lttng: stop, then unless --no-wait print "Waiting for data
 * availability" and a dot per 200 ms until every buffer is written.
 */
#include <ringtrace/ctl.h>
#include <stdlib.h>

#include "args.h"
#include "cli.h"
#include "common/macros.h"
#include "current-session.h"
#include "output.h"
#include "session-wait.h"

static const char usage[] =
    "Usage: ringtrace [GENERAL OPTIONS] stop [SESSION] [--no-wait]\n"
    "\n"
    "Stop recording events in a session (default: the current one) and wait until\n"
    "its data is written.\n"
    "\n"
    "Options:\n"
    "  -n, --no-wait   Do not wait for the data to be written\n"
    "  -h, --help      Show this help\n";

int cmd_stop(int argc, char **argv)
{
	char name[RINGTRACE_NAME_MAX + 1];
	bool no_wait = false;
	_cleanup_free_ char *stats = NULL;
	int r;

	if (!current_session_parse_no_wait(argc, argv, usage, &no_wait, name, &r))
		return r;

	r = ringtrace_stop_tracing_no_wait(name);
	if (r == -RINGTRACE_ERR_TRACE_ALREADY_STOPPED) {
		cli_warn("Tracing already stopped for session %s", name);
		return r;
	}
	if (r < 0) {
		cli_err("%s", ringtrace_strerror(r));
		return r;
	}
	if (!no_wait) {
		struct data_wait wait = {
		    .header = "Waiting for data availability",
		    .header_always = true,
		};

		r = data_wait(name, &wait);
		if (r < 0) {
			cli_err("%s", ringtrace_strerror(r));
			return r;
		}
	}
	stats = session_stats_warning(name);
	if (stats)
		cli_msg("%s", stats);
	cli_msg("Tracing stopped for session %s", name);
	return CMD_SUCCESS;
}

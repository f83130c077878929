/* SPDX-License-Identifier: MIT */
#include "sessiond-launch.h"

#include <ringtrace/ctl.h>
#include <stdio.h>
#include <unistd.h>

#include "cli.h"
#include "output.h"

int sessiond_launch(bool notes_on_stderr)
{
	char path[RINGTRACE_PATH_MAX];

	if (cli_opts.no_sessiond || ringtrace_session_daemon_alive())
		return CMD_SUCCESS;
	if (ringtrace_find_session_daemon(cli_opts.sessiond_path, path) < 0) {
		cli_err("Session daemon path too long: %s", cli_opts.sessiond_path);
		return CMD_ERROR;
	}
	cli_debug("Session daemon binary path: %s", path);
	if (access(path, F_OK | X_OK) < 0) {
		cli_err("No such file or access denied: %s", path);
		cli_err("Problem occurred while launching session daemon (%s)", path);
		return CMD_ERROR;
	}
	if (notes_on_stderr)
		cli_note("Spawning a session daemon");
	else
		cli_msg("Spawning a session daemon");
	fflush(stdout); /* the child must not inherit unwritten output */
	fflush(stderr);
	if (ringtrace_spawn_session_daemon(path) < 0) {
		cli_err("Problem occurred while launching session daemon (%s)", path);
		return CMD_ERROR;
	}
	return CMD_SUCCESS;
}

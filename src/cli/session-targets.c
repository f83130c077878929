/* SPDX-License-Identifier: MIT */
#include "session-targets.h"

#include <ringtrace/ctl.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "cli.h"
#include "common/macros.h"
#include "current-session.h"
#include "output.h"

static int run_all(const struct ringtrace_session *sessions, int count, session_target_fn fn,
                   void *data)
{
	bool failed = false;

	if (count == 0)
		cli_msg("No session found, nothing to do.");
	for (int i = 0; i < count; i++) {
		if (fn(sessions[i].name, data) != CMD_SUCCESS)
			failed = true;
	}
	return failed ? CMD_ERROR : CMD_SUCCESS;
}

int session_targets_run(int argc, char **argv, bool all, session_target_fn fn, void *data)
{
	char name[RINGTRACE_NAME_MAX + 1];
	_cleanup_free_ struct ringtrace_session *sessions = NULL;
	const char *arg;
	int n, r;

	/* Unlike lttng, a stray argument is refused before anything is done. */
	r = cli_args_optional_operand(argc, argv, all, &arg);
	if (r != CMD_SUCCESS)
		return r;
	n = ringtrace_list_sessions(&sessions);
	if (n < 0) {
		cli_err("%s", ringtrace_strerror(n));
		return CMD_ERROR;
	}
	if (all)
		return run_all(sessions, n, fn, data);
	r = current_session_resolve(arg, name);
	if (r != CMD_SUCCESS)
		return r;
	for (int i = 0; i < n; i++) {
		if (strcmp(sessions[i].name, name) == 0)
			return fn(name, data);
	}
	cli_err("Session name %s not found", name);
	return -RINGTRACE_ERR_SESS_NOT_FOUND; /* lttng exits with its number here */
}

/* SPDX-License-Identifier: MIT */
/*
 * ringtrace clear [SESSION] [-a]
 *
 * As lttng 2.13: deletes what a session (or every session) recorded so far,
 * tracing goes on. The session daemon replies once the clear is done, so
 * the "Waiting for clear" line lttng prints for a slow clear never shows.
 */
#include <ringtrace/ctl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "cli.h"
#include "common/macros.h"
#include "current-session.h"
#include "output.h"

static const char usage[] = "Usage: ringtrace [GENERAL OPTIONS] clear [SESSION] [-a]\n"
                            "\n"
                            "Delete the recorded data of a session (default: the current one).\n"
                            "\n"
                            "Options:\n"
                            "  -a, --all    Clear every session\n"
                            "  -h, --help   Show this help\n";

static const struct option long_options[] = {
    CLI_COMMON_LONG_OPTIONS,
    {"all", no_argument, NULL, 'a'},
    {NULL, 0, NULL, 0},
};

static int clear_one(const char *name)
{
	int r = ringtrace_clear_session(name);

	if (r < 0) {
		cli_err("%s", ringtrace_strerror(r));
		return CMD_ERROR;
	}
	cli_msg("Session \"%s\" cleared", name);
	return CMD_SUCCESS;
}

int cmd_clear(int argc, char **argv)
{
	char name[RINGTRACE_NAME_MAX + 1];
	_cleanup_free_ struct ringtrace_session *sessions = NULL;
	bool all = false, found = false;
	const char *arg;
	int opt, n, r = CMD_SUCCESS;
	struct cli_args args = {.usage = usage, .shortopts = "ha", .longopts = long_options};

	while ((opt = cli_args_next(&args, argc, argv)) > 0) {
		switch (opt) {
		case 'a':
			all = true;
			break;
		}
	}
	if (opt == 0)
		return args.result;
	arg = all ? NULL : cli_args_pop(argc, argv);
	r = cli_args_no_leftover(argc, argv);
	if (r != CMD_SUCCESS)
		return r;
	n = ringtrace_list_sessions(&sessions);
	if (n < 0) {
		cli_err("%s", ringtrace_strerror(n));
		return CMD_ERROR;
	}
	if (all) {
		if (n == 0)
			cli_msg("No session found, nothing to do.");
		for (int i = 0; i < n; i++) {
			if (clear_one(sessions[i].name) != CMD_SUCCESS)
				r = CMD_ERROR;
		}
		return r;
	}
	r = current_session_resolve(arg, name);
	if (r != CMD_SUCCESS)
		return r;
	for (int i = 0; i < n && !found; i++)
		found = strcmp(sessions[i].name, name) == 0;
	if (!found) {
		cli_err("Session name %s not found", name);
		return -RINGTRACE_ERR_SESS_NOT_FOUND; /* lttng exits with its number here */
	}
	return clear_one(name);
}

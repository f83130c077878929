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
#include "output.h"
#include "session-targets.h"

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

static int clear_one(const char *name, void *data)
{
	int r = ringtrace_clear_session(name);

	(void)data;
	/* As lttng: the exit status is the error's number. */
	if (r < 0) {
		cli_err("%s", ringtrace_strerror(r));
		return r;
	}
	cli_msg("Session \"%s\" cleared", name);
	return CMD_SUCCESS;
}

int cmd_clear(int argc, char **argv)
{
	bool all = false;
	int opt;
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
	return session_targets_run(argc, argv, all, clear_one, NULL);
}

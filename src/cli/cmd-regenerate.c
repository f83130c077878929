/* SPDX-License-Identifier: MIT */
/*
 * ringtrace regenerate (metadata | statedump) [-s SESSION]
 *
 * lttng 2.13's messages and exit codes: no object exits 1, an unknown one
 * (or an extra argument) 2, an error of the session daemon its LTTNG_ERR_*
 * number (118: session not started, 120: per-PID session).
 */
#include <ringtrace/ctl.h>
#include <string.h>

#include "args.h"
#include "cli.h"
#include "common/macros.h"
#include "current-session.h"
#include "output.h"

static const char usage[] =
    "Usage: ringtrace [GENERAL OPTIONS] regenerate (metadata | statedump)\n"
    "                 [--session=SESSION]\n"
    "\n"
    "Regenerate specific data of a recording session (default: the current one):\n"
    "  metadata    Sample the clock offset again and write the metadata from its\n"
    "              start (started sessions with per-user buffers only)\n"
    "  statedump   Record the state dump events again\n"
    "\n"
    "Options:\n"
    "  -s, --session=SESSION   Recording session\n"
    "  -h, --help              Show this help\n";

static const struct option long_options[] = {
    CLI_COMMON_LONG_OPTIONS,
    {"session", required_argument, NULL, 's'},
    {NULL, 0, NULL, 0},
};

static const struct regenerate_object {
	const char *name;
	int (*run)(const char *session_name);
	const char *done; /* "<done> for session <name>" */
} objects[] = {
    {"metadata", ringtrace_regenerate_metadata, "Metadata successfully regenerated"},
    {"statedump", ringtrace_regenerate_statedump, "State dump successfully regenerated"},
};

int cmd_regenerate(int argc, char **argv)
{
	char name[RINGTRACE_NAME_MAX + 1];
	const char *session = NULL, *arg;
	int opt, r;
	struct cli_args args = {.usage = usage, .shortopts = "hs:", .longopts = long_options};

	while ((opt = cli_args_next(&args, argc, argv)) > 0) {
		switch (opt) {
		case 's':
			session = optarg;
			break;
		}
	}
	if (opt == 0)
		return args.result;
	arg = cli_args_pop(argc, argv);
	if (!arg) {
		cli_err("No object specified for regenerate command.");
		return CMD_ERROR;
	}
	if (cli_args_pop(argc, argv))
		return CMD_UNDEFINED;
	for (size_t i = 0; i < ARRAY_SIZE(objects); i++) {
		if (strcmp(arg, objects[i].name) != 0)
			continue;
		r = current_session_resolve(session, name);
		if (r != CMD_SUCCESS)
			return r;
		r = objects[i].run(name);
		if (r < 0) {
			cli_err("%s", ringtrace_strerror(r));
			return r;
		}
		cli_msg("%s for session %s", objects[i].done, name);
		return CMD_SUCCESS;
	}
	return CMD_UNDEFINED;
}

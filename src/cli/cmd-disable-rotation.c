/* SPDX-License-Identifier: MIT */
/*
 * ringtrace disable-rotation [-s SESSION] (--timer | --size | both)
 *
 * lttng 2.13's messages and exit codes: the session's schedules are listed
 * first (an unknown session fails there), then each one named is unset on
 * its own line; the command exits 1 when any of them failed.
 */
#include <ringtrace/ctl.h>
#include <stdbool.h>

#include "args.h"
#include "cli.h"
#include "output.h"
#include "rotation-schedules.h"

enum { OPT_TIMER = OPT_COMMAND_FIRST, OPT_SIZE };

static const char usage[] =
    "Usage: ringtrace [GENERAL OPTIONS] disable-rotation [--session=SESSION]\n"
    "                 (--timer | --size | --timer --size)\n"
    "\n"
    "Unset a rotation schedule of a recording session (default: the current one).\n"
    "\n"
    "Options:\n"
    "  -s, --session=SESSION   Recording session\n"
    "      --timer             Unset the periodic rotation schedule\n"
    "      --size              Unset the size-based rotation schedule\n"
    "  -h, --help              Show this help\n";

static const struct option long_options[] = {
    CLI_COMMON_LONG_OPTIONS,
    {"session", required_argument, NULL, 's'},
    {"timer", no_argument, NULL, OPT_TIMER},
    {"size", no_argument, NULL, OPT_SIZE},
    {NULL, 0, NULL, 0},
};

/* value: unused, the schedule of that type is unset whatever its value. */
static int remove_schedule(const char *session, enum ringtrace_rotation_schedule_type type,
                           uint64_t value_unused)
{
	const char *type_name = rotation_schedule_names[type];
	struct ringtrace_rotation_schedules set;
	uint64_t value;
	int r;

	r = ringtrace_list_rotation_schedules(session, &set);
	if (r < 0) {
		cli_err("Failed to list rotation schedules of session %s", session);
		return CMD_ERROR;
	}
	value = type == RINGTRACE_ROTATION_SCHEDULE_PERIODIC ? set.timer_period_us
	                                                     : set.size_threshold_bytes;
	if (value == 0) {
		cli_err("No %s rotation schedule active on session %s", type_name, session);
		return CMD_ERROR;
	}
	r = ringtrace_rotation_set_schedule(session, 0, type, value);
	if (r == -RINGTRACE_ERR_ROTATION_SCHEDULE_NOT_SET) {
		cli_err("No %s rotation schedule set on session %s", type_name, session);
		return CMD_ERROR;
	}
	if (r < 0) {
		cli_err("Failed to disable %s rotation schedule on session %s", type_name, session);
		return CMD_ERROR;
	}
	cli_msg("Disabled %s rotation on session %s", type_name, session);
	return CMD_SUCCESS;
}

int cmd_disable_rotation(int argc, char **argv)
{
	const char *session = NULL;
	bool periodic = false, size = false;
	int opt;

	struct cli_args args = {.usage = usage, .shortopts = "hs:", .longopts = long_options};

	while ((opt = cli_args_next(&args, argc, argv)) > 0) {
		switch (opt) {
		case 's':
			session = optarg;
			break;
		case OPT_TIMER:
			periodic = true;
			break;
		case OPT_SIZE:
			size = true;
			break;
		}
	}
	if (opt == 0)
		return args.result;
	return rotation_schedules_apply(session, periodic, 0, size, 0,
	                                "No session rotation schedule type provided.",
	                                remove_schedule);
}

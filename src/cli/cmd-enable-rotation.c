/* SPDX-License-Identifier: MIT */
/*
 * ringtrace enable-rotation [-s SESSION] (--timer=PERIOD | --size=SIZE | both)
 *
 * lttng 2.13's syntax, messages and exit codes: each schedule is set on its
 * own (the periodic one first) and reported on its own line; the command
 * exits 1 when any of them failed.
 */
#include <ctype.h>
#include <inttypes.h>
#include <ringtrace/ctl.h>
#include <stdbool.h>

#include "args.h"
#include "cli.h"
#include "output.h"
#include "rotation-schedules.h"
#include "units.h"

enum { OPT_TIMER = OPT_COMMAND_FIRST, OPT_SIZE };

static const char usage[] =
    "Usage: ringtrace [GENERAL OPTIONS] enable-rotation [--session=SESSION]\n"
    "                 (--timer=PERIOD | --size=SIZE | --timer=PERIOD --size=SIZE)\n"
    "\n"
    "Set a rotation schedule of a recording session (default: the current one).\n"
    "\n"
    "Options:\n"
    "  -s, --session=SESSION   Recording session\n"
    "      --timer=PERIOD      Rotate every PERIOD (us by default; suffixes us, ms,\n"
    "                          s, m, h)\n"
    "      --size=SIZE         Rotate each time SIZE more bytes were written\n"
    "                          (suffixes k, M, G)\n"
    "  -h, --help              Show this help\n";

static const struct option long_options[] = {
    CLI_COMMON_LONG_OPTIONS,
    {"session", required_argument, NULL, 's'},
    {"timer", required_argument, NULL, OPT_TIMER},
    {"size", required_argument, NULL, OPT_SIZE},
    {NULL, 0, NULL, 0},
};

static int add_schedule(const char *session, enum ringtrace_rotation_schedule_type type,
                        uint64_t value)
{
	const char *type_name = rotation_schedule_names[type];
	int r;

	/* lttng's client library refuses these before asking the daemon. */
	if (value == 0) {
		cli_err("Invalid value for %s option", type_name);
		return CMD_ERROR;
	}
	r = ringtrace_rotation_set_schedule(session, 1, type, value);
	if (r == -RINGTRACE_ERR_ROTATION_SCHEDULE_SET) {
		cli_err("A %s rotation schedule is already set on session %s", type_name, session);
		return CMD_ERROR;
	}
	if (r < 0) {
		cli_err("Failed to enable %s rotation schedule on session %s", type_name, session);
		return CMD_ERROR;
	}
	if (type == RINGTRACE_ROTATION_SCHEDULE_PERIODIC)
		cli_msg("Enabled %s rotations every %" PRIu64 " us on session %s", type_name, value,
		        session);
	else
		cli_msg("Enabled %s rotations every %" PRIu64 " bytes written on session %s",
		        type_name, value, session);
	return CMD_SUCCESS;
}

int cmd_enable_rotation(int argc, char **argv)
{
	const char *session = NULL;
	bool periodic = false, size = false;
	uint64_t timer_us = 0, size_bytes = 0;
	int opt;

	struct cli_args args = {.usage = usage, .shortopts = "hs:", .longopts = long_options};

	while ((opt = cli_args_next(&args, argc, argv)) > 0) {
		switch (opt) {
		case 's':
			session = optarg;
			break;
		case OPT_TIMER:
			if (!isdigit((unsigned char)optarg[0]) ||
			    parse_time_us(optarg, &timer_us) < 0) {
				cli_err("Invalid value for --timer option: %s", optarg);
				return CMD_ERROR;
			}
			if (periodic) {
				cli_err(
				    "Only one periodic rotation schedule may be set on a session.");
				return CMD_ERROR;
			}
			periodic = true;
			break;
		case OPT_SIZE:
			if (parse_size(optarg, &size_bytes) < 0) {
				cli_err("Invalid value for --size option: %s", optarg);
				return CMD_ERROR;
			}
			if (size) {
				cli_err("Only one size-based rotation schedule may be set on a "
				        "session.");
				return CMD_ERROR;
			}
			size = true;
			break;
		}
	}
	if (opt == 0)
		return args.result;
	return rotation_schedules_apply(session, periodic, timer_us, size, size_bytes,
	                                "No session rotation schedule parameter provided.",
	                                add_schedule);
}

/* SPDX-License-Identifier: MIT */
/*
 * ringtrace version
 */
#include "args.h"
#include "cli.h"
#include "config.h"
#include "output.h"

static const char usage[] = "Usage: ringtrace [GENERAL OPTIONS] version\n"
                            "\n"
                            "Show ringtrace version information.\n"
                            "\n"
                            "Options:\n"
                            "  -h, --help   Show this help\n";

static const struct option long_options[] = {
    CLI_COMMON_LONG_OPTIONS,
    {NULL, 0, NULL, 0},
};

int cmd_version(int argc, char **argv)
{

	struct cli_args args = {.usage = usage, .shortopts = "h", .longopts = long_options};

	if (cli_args_next(&args, argc, argv) == 0)
		return args.result;
	cli_msg("ringtrace version " RINGTRACE_VERSION);
	cli_msg("\nA userspace tracer for Linux following LTTng 2.13: lttng's commands,\n"
	        "lttng-ust's instrumentation, CTF 1.8 traces read by babeltrace2.\n");
	cli_msg("ringtrace is free software under the MIT license");
	return CMD_SUCCESS;
}

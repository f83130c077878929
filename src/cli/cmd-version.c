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

int cmd_version(int argc, char **argv)
{
	int r;

	if (!cli_args_common_only(argc, argv, usage, &r))
		return r;
	cli_msg("ringtrace version " RINGTRACE_VERSION);
	cli_msg("\nA userspace tracer for Linux following LTTng 2.13: lttng's commands,\n"
	        "lttng-ust's instrumentation, CTF 1.8 traces read by babeltrace2.\n");
	cli_msg("ringtrace is free software under the MIT license");
	return CMD_SUCCESS;
}

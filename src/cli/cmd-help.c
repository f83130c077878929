/* SPDX-License-Identifier: MIT */
/*
 * ringtrace help [COMMAND]
 */
#include <stdio.h>

#include "args.h"
#include "cli.h"
#include "output.h"

static const char usage[] = "Usage: ringtrace [GENERAL OPTIONS] help [COMMAND]\n"
                            "\n"
                            "Show the help of COMMAND, or of ringtrace itself.\n"
                            "\n"
                            "Options:\n"
                            "  -h, --help   Show this help\n";

static const struct option long_options[] = {
    CLI_COMMON_LONG_OPTIONS,
    {NULL, 0, NULL, 0},
};

int cmd_help(int argc, char **argv)
{
	const struct cli_command *cmd;
	const char *name;
	char help_opt[] = "--help";
	char cmd_name[32];
	char *cmd_argv[3] = {cmd_name, help_opt, NULL};

	struct cli_args args = {.usage = usage, .shortopts = "h", .longopts = long_options};

	if (cli_args_next(&args, argc, argv) == 0)
		return args.result;
	name = cli_args_pop(argc, argv);
	if (!name) {
		cli_print_main_help();
		return CMD_SUCCESS;
	}
	cmd = cli_find_command(name);
	if (!cmd) {
		cli_err("Unknown command \"%s\"", name);
		return CMD_ERROR;
	}
	snprintf(cmd_name, sizeof(cmd_name), "%s", cmd->name);
	return cmd->run(2, cmd_argv);
}

/* SPDX-License-Identifier: MIT */
/*
 * ringtrace help [COMMAND]
 *
 * As lttng's help: the manual page of COMMAND (ringtrace-COMMAND(1)), or of
 * ringtrace itself (ringtrace(1)), through man(1). Where the page or the
 * manual pager is missing, the short help of `COMMAND --help` (or of
 * `ringtrace --help`) instead of lttng's error.
 */
#include <stdio.h>

#include "args.h"
#include "cli.h"
#include "man-page.h"
#include "output.h"

static const char usage[] = "Usage: ringtrace [GENERAL OPTIONS] help [COMMAND]\n"
                            "\n"
                            "Show the manual page of COMMAND, or of ringtrace itself; the short\n"
                            "help of `ringtrace COMMAND --help` where the manual page is not\n"
                            "installed or man(1) is missing.\n"
                            "\n"
                            "Options:\n"
                            "  -h, --help   Show this help\n";

int cmd_help(int argc, char **argv)
{
	const struct cli_command *cmd;
	const char *name;
	char help_opt[] = "--help";
	char cmd_name[32], page[64];
	char *cmd_argv[3] = {cmd_name, help_opt, NULL};
	int r;

	if (!cli_args_common_only(argc, argv, usage, &r))
		return r;
	r = cli_args_optional_operand(argc, argv, false, &name);
	if (r != CMD_SUCCESS)
		return r;
	if (!name) {
		man_page_show("ringtrace", 1);
		cli_print_main_help();
		return CMD_SUCCESS;
	}
	cmd = cli_find_command(name);
	if (!cmd) {
		cli_err("Unknown command \"%s\"", name);
		return CMD_ERROR;
	}
	snprintf(page, sizeof(page), "ringtrace-%s", cmd->name);
	man_page_show(page, 1);
	snprintf(cmd_name, sizeof(cmd_name), "%s", cmd->name);
	cli_opts.command = cmd->name;
	return cmd->run(2, cmd_argv);
}

/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Option parsing of a command's argv (argv[0] is the command name), with
 * getopt_long and lttng's (popt's) conventions: options and positional
 * arguments may be mixed; an unknown option or a missing option argument
 * makes the command return CMD_UNDEFINED, for which main() prints
 * "Unrecognized argument used with 'COMMAND' command". Every command also
 * takes -h/--help and --list-options.
 */

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>

/* Value of --list-options in every command's option table. */
#define OPT_LIST_OPTIONS 0x100
/* First value free for a command's own long-only options. */
#define OPT_COMMAND_FIRST 0x101

/* clang-format off */
#define CLI_COMMON_LONG_OPTIONS \
	{"help", no_argument, NULL, 'h'}, \
	{"list-options", no_argument, NULL, OPT_LIST_OPTIONS}
/* clang-format on */

/*
 * The option parse of one command. cli_args_next() handles what every
 * command takes the same way: -h/--help prints usage and where the manual
 * page of the command is, --list-options lists longopts, an unknown option
 * or a missing argument is CMD_UNDEFINED.
 */
struct cli_args {
	const char *usage;
	const char *shortopts; /* getopt's; "h" included */
	const struct option *longopts;
	int result;   /* what the command returns when cli_args_next() gave 0 */
	bool started; /* getopt's state is global: reset on the first call */
};

/*
 * The command's next option (> 0), -1 after the last one, or 0 when the
 * command must return args->result at once (help shown, options listed,
 * bad option).
 */
int cli_args_next(struct cli_args *args, int argc, char **argv);

/* Next positional argument or NULL. */
const char *cli_args_pop(int argc, char **argv);

/*
 * Reports the first extra positional argument as lttng does ("Unknown
 * argument: X") and returns CMD_ERROR; CMD_SUCCESS when there is none.
 */
int cli_args_no_leftover(int argc, char **argv);

/*
 * The whole option parse of a command taking only the options every command
 * takes: true when the command goes on to its operands; false when it must
 * return *ret_result at once (as cli_args_next() giving 0).
 */
bool cli_args_common_only(int argc, char **argv, const char *usage, int *ret_result);

/*
 * Once the options are parsed, for `[OPERAND]` commands: *ret_operand is the
 * operand (NULL without one, or when none: an option such as --all stands for
 * it), and any other operand is refused as cli_args_no_leftover().
 */
int cli_args_optional_operand(int argc, char **argv, bool none, const char **ret_operand);

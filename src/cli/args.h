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

/* Starts parsing a new argv (getopt's state is global). */
void cli_args_begin(void);

/* getopt_long; '?' for an unknown option or a missing argument, without a message. */
int cli_args_next(int argc, char **argv, const char *shortopts, const struct option *longopts);

/*
 * --help: the command's usage text on stdout, then where its manual page is.
 * Returns CMD_SUCCESS.
 */
int cli_show_help(const char *usage);

/* --list-options: one option per line (--long, then -s), for shell completion. */
int cli_list_options(const struct option *longopts);

/* Next positional argument or NULL. */
const char *cli_args_pop(int argc, char **argv);

/*
 * Reports the first extra positional argument as lttng does ("Unknown
 * argument: X") and returns CMD_ERROR; CMD_SUCCESS when there is none.
 */
int cli_args_no_leftover(int argc, char **argv);

/* SPDX-License-Identifier: MIT */
/*
 * ringtrace: the command-line front end, with lttng 2.13's syntax. Global
 * options come first, then a command found in the table below; each command
 * lives in its own cmd-*.c file and parses its own options.
 */
#include <getopt.h>
#include <ringtrace/ctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "config.h"
#include "exit-code.h"
#include "output.h"

struct cli_options cli_opts = {.progname = "ringtrace"};

#define SECTION_SESSIONS "Recording sessions"
#define SECTION_CHANNELS "Channels"
#define SECTION_RULES    "Recording event rules"
#define SECTION_TRACKING "Process attribute tracking"
#define SECTION_STATUS   "Status"
#define SECTION_CONTROL  "Control"
#define SECTION_SAVE     "Recording session configurations"
#define SECTION_SNAPSHOT "Recording session snapshots"
#define SECTION_ROTATION "Recording session rotation"
#define SECTION_MISC     "Miscellaneous"

const struct cli_command cli_commands[] = {
    {"create", cmd_create, "Create a recording session", SECTION_SESSIONS},
    {"destroy", cmd_destroy, "Destroy recording sessions", SECTION_SESSIONS},
    {"add-context", cmd_add_context, "Add context fields to a channel", SECTION_CHANNELS},
    {"disable-channel", cmd_disable_channel, "Disable channels", SECTION_CHANNELS},
    {"enable-channel", cmd_enable_channel, "Create or enable a channel", SECTION_CHANNELS},
    {"disable-event", cmd_disable_event, "Disable recording event rules", SECTION_RULES},
    {"enable-event", cmd_enable_event, "Create or enable recording event rules", SECTION_RULES},
    {"track", cmd_track, "Allow specific processes to record events", SECTION_TRACKING},
    {"untrack", cmd_untrack, "Disallow specific processes to record events", SECTION_TRACKING},
    {"list", cmd_list, "List recording sessions and instrumentation points", SECTION_STATUS},
    {"status", cmd_status, "Show the status of the current recording session", SECTION_STATUS},
    {"record", cmd_record, "Record a command in an ephemeral recording session", SECTION_CONTROL},
    {"start", cmd_start, "Start a recording session", SECTION_CONTROL},
    {"stop", cmd_stop, "Stop a recording session", SECTION_CONTROL},
    {"snapshot", cmd_snapshot, "Take a recording session snapshot", SECTION_SNAPSHOT},
    {"regenerate", cmd_regenerate, "Regenerate specific recording session data", SECTION_SESSIONS},
    {"clear", cmd_clear, "Clear a recording session", SECTION_ROTATION},
    {"rotate", cmd_rotate, "Archive the current trace chunk of a recording session",
     SECTION_ROTATION},
    {"enable-rotation", cmd_enable_rotation, "Set a recording session rotation schedule",
     SECTION_ROTATION},
    {"disable-rotation", cmd_disable_rotation, "Unset a recording session rotation schedule",
     SECTION_ROTATION},
    {"load", cmd_load, "Load recording session configurations", SECTION_SAVE},
    {"save", cmd_save, "Save recording session configurations", SECTION_SAVE},
    {"help", cmd_help, "Show the help of a command", SECTION_MISC},
    {"version", cmd_version, "Show ringtrace version information", SECTION_MISC},
    {"view", cmd_view, "Launch a trace reader", SECTION_MISC},
    {NULL, NULL, NULL, NULL},
};

enum {
	OPT_SESSIOND_PATH = 0x100,
	OPT_LIST_OPTIONS_GLOBAL,
	OPT_LIST_COMMANDS,
};

static const struct option global_options[] = {
    {"version", no_argument, NULL, 'V'},
    {"help", no_argument, NULL, 'h'},
    {"group", required_argument, NULL, 'g'},
    {"verbose", no_argument, NULL, 'v'},
    {"quiet", no_argument, NULL, 'q'},
    {"mi", required_argument, NULL, 'm'},
    {"no-sessiond", no_argument, NULL, 'n'},
    {"sessiond-path", required_argument, NULL, OPT_SESSIOND_PATH},
    {"list-options", no_argument, NULL, OPT_LIST_OPTIONS_GLOBAL},
    {"list-commands", no_argument, NULL, OPT_LIST_COMMANDS},
    {NULL, 0, NULL, 0},
};

const struct cli_command *cli_find_command(const char *name)
{
	for (const struct cli_command *c = cli_commands; c->name; c++) {
		if (strcmp(c->name, name) == 0)
			return c;
	}
	return NULL;
}

static void print_basic_help(void)
{
	const char *section = NULL;

	puts("Usage: ringtrace [--group=GROUP] [--no-sessiond | --sessiond-path=PATH]");
	puts("                 [--quiet | -v | -vv | -vvv] COMMAND [COMMAND OPTIONS]");
	puts("");
	puts("Available commands:");
	for (const struct cli_command *c = cli_commands; c->name; c++) {
		if (!section || strcmp(section, c->section) != 0) {
			section = c->section;
			printf("\n%s:\n", section);
		}
		printf("  %-17s %s\n", c->name, c->summary);
	}
	puts("");
	puts("Run `ringtrace help COMMAND` or `ringtrace COMMAND --help` to get help with");
	puts("command COMMAND.");
}

void cli_print_main_help(void)
{
	print_basic_help();
	puts("");
	puts("Global options:");
	puts("  -h, --help                 Show this help");
	puts("  -V, --version              Show version");
	puts("  -v, --verbose              Increase verbosity (up to -vvv)");
	puts("  -q, --quiet                Suppress all messages, including errors");
	puts("  -g, --group=GROUP          Tracing group of the root session daemon (default: "
	     "tracing)");
	puts("  -n, --no-sessiond          Do not spawn a session daemon (create, record)");
	puts("      --sessiond-path=PATH   Session daemon binary to spawn");
	puts("                             (also $RINGTRACE_SESSIOND_PATH)");
	puts("");
	puts("Environment:");
	puts(
	    "  RINGTRACE_HOME             Directory of the per-user session daemon (.ringtrace/),");
	puts("                             of the current session file (.ringtracerc) and of the");
	puts("                             default traces (ringtrace-traces/); default: $HOME");
}

static void list_commands(void)
{
	for (const struct cli_command *c = cli_commands; c->name; c++)
		puts(c->name);
}

static void list_global_options(void)
{
	for (const struct option *o = global_options; o->name; o++) {
		printf("--%s\n", o->name);
		if (o->val < 0x100)
			printf("-%c\n", o->val);
	}
}

/* Runs argv[0] with its arguments; what lttng prints for an undefined one. */
static int run_command(int argc, char **argv)
{
	const struct cli_command *cmd = cli_find_command(argv[0]);
	int r;

	if (!cmd) {
		cli_msg("ringtrace: %s is not a ringtrace command. See 'ringtrace --help'.",
		        argv[0]);
		return CMD_UNDEFINED;
	}
	cli_opts.command = cmd->name;
	r = cmd->run(argc, argv);
	if (r == CMD_UNDEFINED)
		cli_err("Unrecognized argument used with '%s' command", argv[0]);
	return r;
}

int main(int argc, char **argv)
{
	int opt;

	if (argv[0])
		cli_opts.progname = argv[0];
	if (argc < 2) {
		print_basic_help();
		return EXIT_FAILURE;
	}
	/* '+': stop at the command name; its options are its own. */
	while ((opt = getopt_long(argc, argv, "+Vhnvqg:m:", global_options, NULL)) != -1) {
		switch (opt) {
		case 'V':
			printf("%s (ringtrace Trace Control) " RINGTRACE_VERSION "\n",
			       cli_opts.progname);
			return EXIT_SUCCESS;
		case 'h':
			cli_print_main_help();
			return EXIT_SUCCESS;
		case 'v':
			if (cli_opts.verbose < 3)
				cli_opts.verbose++;
			break;
		case 'q':
			cli_opts.quiet = true;
			break;
		case 'm':
			cli_err(
			    "MI output format not supported: ringtrace has no machine interface "
			    "output");
			return CMD_ERROR;
		case 'g':
			ringtrace_set_tracing_group(optarg);
			break;
		case 'n':
			cli_opts.no_sessiond = true;
			break;
		case OPT_SESSIOND_PATH:
			cli_opts.sessiond_path = optarg;
			break;
		case OPT_LIST_OPTIONS_GLOBAL:
			list_global_options();
			return EXIT_SUCCESS;
		case OPT_LIST_COMMANDS:
			list_commands();
			return EXIT_SUCCESS;
		default:
			return EXIT_FAILURE; /* getopt printed the reason, as lttng */
		}
	}
	/* As lttng: with both, quiet wins. */
	if (cli_opts.quiet)
		cli_opts.verbose = 0;
	/* Global options but no command: lttng exits 1 without a message. */
	if (optind >= argc)
		return EXIT_FAILURE;
	return cli_exit_code(run_command(argc - optind, argv + optind));
}

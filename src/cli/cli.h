/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * The ringtrace command: global options, the command table and the result
 * codes of commands, as lttng 2.13's (command.h). A command returns a
 * CMD_* value or a negative RINGTRACE_ERR_* code; main() turns the latter
 * into the exit status lttng gives for the same error (exit-code.c).
 */

#include <stdbool.h>

enum cmd_result {
	CMD_SUCCESS = 0,
	CMD_ERROR,
	CMD_UNDEFINED, /* unknown command, option or missing option argument */
	CMD_FATAL,
	CMD_WARNING,
	CMD_UNSUPPORTED,
};

/*
 * A command that must exit with a given status (record: the traced
 * command's) returns CMD_EXIT_STATUS(status), passed through unchanged.
 */
#define CMD_EXIT_STATUS_BASE  0x10000
#define CMD_EXIT_STATUS(code) (CMD_EXIT_STATUS_BASE + ((code)&0xff))

struct cli_options {
	const char *progname;      /* argv[0], as lttng prints it in -V */
	int verbose;               /* -v, -vv, -vvv */
	bool quiet;                /* -q: no output at all */
	bool no_sessiond;          /* -n: never spawn a session daemon */
	const char *sessiond_path; /* --sessiond-path */
	const char *command;       /* name of the command running, for its help */
};

extern struct cli_options cli_opts;

typedef int (*cli_command_fn)(int argc, char **argv);

struct cli_command {
	const char *name;
	cli_command_fn run;
	const char *summary; /* one line, for the command list of --help */
	const char *section; /* heading it is listed under */
};

/* NULL-terminated, in help order (main.c). */
extern const struct cli_command cli_commands[];

const struct cli_command *cli_find_command(const char *name);

/* The full usage text of `ringtrace --help` and `ringtrace help`. */
void cli_print_main_help(void);

int cmd_create(int argc, char **argv);
int cmd_destroy(int argc, char **argv);
int cmd_enable_channel(int argc, char **argv);
int cmd_disable_channel(int argc, char **argv);
int cmd_enable_event(int argc, char **argv);
int cmd_disable_event(int argc, char **argv);
int cmd_start(int argc, char **argv);
int cmd_stop(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_version(int argc, char **argv);
int cmd_view(int argc, char **argv);
int cmd_record(int argc, char **argv);
int cmd_help(int argc, char **argv);
int cmd_track(int argc, char **argv);
int cmd_untrack(int argc, char **argv);
int cmd_save(int argc, char **argv);
int cmd_load(int argc, char **argv);
int cmd_add_context(int argc, char **argv);
int cmd_snapshot(int argc, char **argv);
int cmd_regenerate(int argc, char **argv);
int cmd_rotate(int argc, char **argv);
int cmd_enable_rotation(int argc, char **argv);
int cmd_disable_rotation(int argc, char **argv);
int cmd_clear(int argc, char **argv);

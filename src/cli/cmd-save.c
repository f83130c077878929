/* SPDX-License-Identifier: MIT */
/*
 * ringtrace save [SESSION | -a] [-f] [-o DIR]
 *
 * As lttng: without a session name (or with -a) every session is saved;
 * files go to DIR or to $RINGTRACE_HOME/.ringtrace/sessions, one
 * <session>.lttng each, written by the session daemon.
 */
#include <ringtrace/ctl.h>

#include "args.h"
#include "cli.h"
#include "output.h"

static const char usage[] =
    "Usage: ringtrace [GENERAL OPTIONS] save [SESSION | --all] [--force]\n"
    "                                      [--output-path=DIR]\n"
    "\n"
    "Save the configuration of a recording session (default: all of them) to\n"
    "DIR/SESSION.lttng (default DIR: $RINGTRACE_HOME/.ringtrace/sessions), in\n"
    "LTTng's session XML format, for `ringtrace load` or `lttng load`.\n"
    "\n"
    "Options:\n"
    "  -a, --all               Save all the sessions (the default)\n"
    "  -f, --force             Overwrite existing session files\n"
    "  -o, --output-path=DIR   Save the files in DIR\n"
    "  -h, --help              Show this help\n";

static const struct option long_options[] = {
    CLI_COMMON_LONG_OPTIONS,
    {"all", no_argument, NULL, 'a'},
    {"force", no_argument, NULL, 'f'},
    {"output-path", required_argument, NULL, 'o'},
    {NULL, 0, NULL, 0},
};

int cmd_save(int argc, char **argv)
{
	struct ringtrace_save_attr attr = {0};
	bool all = false;
	int opt, r;
	struct cli_args args = {.usage = usage, .shortopts = "hafo:", .longopts = long_options};

	while ((opt = cli_args_next(&args, argc, argv)) > 0) {
		switch (opt) {
		case 'a':
			all = true;
			break;
		case 'f':
			attr.overwrite = 1;
			break;
		case 'o':
			attr.output_dir = optarg;
			break;
		}
	}
	if (opt == 0)
		return args.result;
	r = cli_args_optional_operand(argc, argv, all, &attr.session_name);
	if (r != CMD_SUCCESS)
		return r;
	r = ringtrace_save_session(&attr);
	if (r < 0) {
		cli_err("%s", ringtrace_strerror(r));
		return r;
	}
	if (attr.session_name && attr.output_dir)
		cli_msg("Session %s saved successfully in %s.", attr.session_name, attr.output_dir);
	else if (attr.session_name)
		cli_msg("Session %s saved successfully.", attr.session_name);
	else if (attr.output_dir)
		cli_msg("All sessions have been saved successfully in %s.", attr.output_dir);
	else
		cli_msg("All sessions have been saved successfully.");
	return CMD_SUCCESS;
}

/* SPDX-License-Identifier: MIT */
/*
 * ringtrace load [SESSION | -a] [-f] [-i PATH] [--override-url URL]
 *                [--override-name NAME]
 *
 * As lttng: without a session name (or with -a) every session found is
 * loaded; from PATH (a file or a directory of *.lttng files) or from
 * $RINGTRACE_HOME/.ringtrace/sessions then the system directory. Every
 * failure exits 1, as lttng's load does, with what failed and where.
 */
#include <errno.h>
#include <ringtrace/ctl.h>
#include <string.h>
#include <sys/stat.h>

#include "args.h"
#include "cli.h"
#include "output.h"

static const char usage[] =
    "Usage: ringtrace [GENERAL OPTIONS] load [SESSION | --all] [--force]\n"
    "                 [--input-path=PATH] [--override-url=URL] [--override-name=NAME]\n"
    "\n"
    "Load recording session configurations saved by `ringtrace save` or `lttng save`\n"
    "(default: all the sessions found) from PATH, a session file or a directory of\n"
    "them, or else from $RINGTRACE_HOME/.ringtrace/sessions, then from the system\n"
    "directory.\n"
    "\n"
    "Options:\n"
    "  -a, --all                  Load all the sessions (the default)\n"
    "  -f, --force                Replace existing sessions of the same name\n"
    "  -i, --input-path=PATH      Load from the file or directory PATH\n"
    "      --override-url=URL     Output of the loaded sessions (a directory, file://DIR\n"
    "                             or net://HOST[:CTRL[:DATA]][/TRACEDIR])\n"
    "      --override-name=NAME   Name of the loaded session (with SESSION only)\n"
    "  -h, --help                 Show this help\n";

enum {
	OPT_OVERRIDE_URL = OPT_COMMAND_FIRST,
	OPT_OVERRIDE_NAME,
};

static const struct option long_options[] = {
    CLI_COMMON_LONG_OPTIONS,
    {"all", no_argument, NULL, 'a'},
    {"force", no_argument, NULL, 'f'},
    {"input-path", required_argument, NULL, 'i'},
    {"override-url", required_argument, NULL, OPT_OVERRIDE_URL},
    {"override-name", required_argument, NULL, OPT_OVERRIDE_NAME},
    {NULL, 0, NULL, 0},
};

int cmd_load(int argc, char **argv)
{
	char detail[RINGTRACE_LOAD_DETAIL_MAX];
	struct ringtrace_load_attr attr = {0};
	bool all = false;
	struct stat st;
	int opt, r;
	struct cli_args args = {.usage = usage, .shortopts = "hafi:", .longopts = long_options};

	while ((opt = cli_args_next(&args, argc, argv)) > 0) {
		switch (opt) {
		case 'a':
			all = true;
			break;
		case 'f':
			attr.overwrite = 1;
			break;
		case 'i':
			attr.input_path = optarg;
			break;
		case OPT_OVERRIDE_URL:
			attr.override_url = optarg;
			break;
		case OPT_OVERRIDE_NAME:
			attr.override_name = optarg;
			break;
		}
	}
	if (opt == 0)
		return args.result;
	r = cli_args_optional_operand(argc, argv, all, &attr.session_name);
	if (r != CMD_SUCCESS)
		return r;
	if (!attr.session_name && attr.override_name) {
		cli_err("Options --all and --override-name cannot be used simultaneously");
		return CMD_ERROR;
	}
	if (attr.input_path && stat(attr.input_path, &st) < 0) {
		cli_err("Invalid input path %s: %s", attr.input_path, strerror(errno));
		return CMD_ERROR;
	}
	r = ringtrace_load_session(&attr, detail);
	if (r < 0) {
		if (detail[0])
			cli_err("%s: %s", ringtrace_strerror(r), detail);
		else
			cli_err("%s", ringtrace_strerror(r));
		return CMD_ERROR;
	}
	if (attr.session_name)
		cli_msg("Session %s has been loaded successfully", attr.session_name);
	else
		cli_msg("All sessions have been loaded successfully");
	if (attr.override_name)
		cli_msg("Session name overridden with %s", attr.override_name);
	if (attr.override_url)
		cli_msg("Session output url overridden with %s", attr.override_url);
	return CMD_SUCCESS;
}

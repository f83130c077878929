/* SPDX-License-Identifier: MIT */
#include "current-session.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "cli.h"
#include "common/paths.h"
#include "output.h"

static int config_path(char ret_path[PATH_MAX], char ret_home[PATH_MAX])
{
	int r = rt_home_dir(ret_home);

	if (r < 0)
		return r;
	if (snprintf(ret_path, PATH_MAX, "%s/%s", ret_home, CURRENT_SESSION_FILE_NAME) >= PATH_MAX)
		return -ENAMETOOLONG;
	return 0;
}

/* Reads `session=NAME`: -ENOENT without the file, -ENODATA without the line. */
static int read_config(const char *path, char ret_name[RINGTRACE_NAME_MAX + 1])
{
	char line[RINGTRACE_NAME_MAX + 64];
	FILE *f = fopen(path, "re");
	int r = -ENODATA;

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		char *value = strchr(line, '=');

		if (!value)
			continue;
		*value++ = '\0';
		if (strcmp(line, "session") != 0)
			continue;
		value[strcspn(value, " \t\r\n")] = '\0';
		if (!*value || strlen(value) > RINGTRACE_NAME_MAX)
			continue;
		strcpy(ret_name, value);
		r = 0;
		break;
	}
	fclose(f);
	return r;
}

int current_session_get_quiet(char ret_name[RINGTRACE_NAME_MAX + 1])
{
	char path[PATH_MAX], home[PATH_MAX];
	int r = config_path(path, home);

	if (r < 0)
		return r;
	return read_config(path, ret_name);
}

int current_session_get(char ret_name[RINGTRACE_NAME_MAX + 1])
{
	char path[PATH_MAX], home[PATH_MAX];
	int r = config_path(path, home);

	if (r < 0) {
		cli_err(
		    "Can't find valid ringtrace config: neither RINGTRACE_HOME nor HOME is set");
		return CMD_ERROR;
	}
	r = read_config(path, ret_name);
	if (r == -ENODATA) {
		cli_err("Missing session=NAME in config file.");
		return CMD_ERROR;
	}
	if (r < 0) {
		cli_err("Can't find valid ringtrace config %s/%s", home, CURRENT_SESSION_FILE_NAME);
		cli_msg("Did you create a session? (ringtrace create <my_session>)");
		return CMD_ERROR;
	}
	return CMD_SUCCESS;
}

int current_session_resolve(const char *explicit_name, char ret_name[RINGTRACE_NAME_MAX + 1])
{
	if (!explicit_name)
		return current_session_get(ret_name);
	if (strlen(explicit_name) > RINGTRACE_NAME_MAX) {
		cli_err("Session name too long. Length must be lower or equal to %d",
		        RINGTRACE_NAME_MAX);
		return CMD_ERROR;
	}
	strcpy(ret_name, explicit_name);
	return CMD_SUCCESS;
}

int current_session_set(const char *name)
{
	char path[PATH_MAX], home[PATH_MAX];
	FILE *f;
	int r = config_path(path, home);

	if (r < 0) {
		cli_err("Unable to create config file: neither RINGTRACE_HOME nor HOME is set");
		return r;
	}
	f = fopen(path, "we");
	if (!f) {
		r = -errno;
		cli_err("Unable to create config file %s: %s", path, strerror(-r));
		return r;
	}
	fprintf(f, "session=%s\n", name);
	if (fclose(f) != 0) {
		r = -errno;
		cli_err("Unable to write config file %s: %s", path, strerror(-r));
		return r;
	}
	return 0;
}

void current_session_clear(void)
{
	char path[PATH_MAX], home[PATH_MAX];

	if (config_path(path, home) == 0 && unlink(path) < 0 && errno != ENOENT)
		cli_err("Unable to remove config file %s: %s", path, strerror(errno));
}

int current_session_from_args(int argc, char **argv, char ret_name[RINGTRACE_NAME_MAX + 1])
{
	const char *arg = cli_args_pop(argc, argv);
	int r = cli_args_no_leftover(argc, argv);

	if (r != CMD_SUCCESS)
		return r;
	return current_session_resolve(arg, ret_name);
}

bool current_session_parse_no_wait(int argc, char **argv, const char *usage, bool *ret_no_wait,
                                   char ret_name[RINGTRACE_NAME_MAX + 1], int *ret_result)
{
	static const struct option long_options[] = {
	    CLI_COMMON_LONG_OPTIONS,
	    {"no-wait", no_argument, NULL, 'n'},
	    {NULL, 0, NULL, 0},
	};
	struct cli_args args = {.usage = usage, .shortopts = "hn", .longopts = long_options};
	bool no_wait = false;
	int opt;

	while ((opt = cli_args_next(&args, argc, argv)) > 0) {
		if (opt == 'n')
			no_wait = true;
	}
	if (opt == 0) {
		*ret_result = args.result;
		return false;
	}
	*ret_result = current_session_from_args(argc, argv, ret_name);
	*ret_no_wait = no_wait;
	return *ret_result == CMD_SUCCESS;
}

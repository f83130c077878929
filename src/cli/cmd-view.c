/* SPDX-License-Identifier: MIT */
/*
 * ringtrace view [SESSION | -t PATH] [-e VIEWER]
 *
 * Replaces itself with a trace reader (babeltrace2 by default, babeltrace
 * as fallback) on the session's trace directory. As an extension, a
 * SESSION argument containing `/` is taken as a trace path (session names
 * cannot contain `/`), so `ringtrace view ./trace` works.
 */
#include <errno.h>
#include <ringtrace/ctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "cli.h"
#include "common/macros.h"
#include "current-session.h"
#include "output.h"

#define DEFAULT_VIEWER  "babeltrace2"
#define FALLBACK_VIEWER "babeltrace"
#define MAX_VIEWER_ARGS 64

static const char usage[] =
    "Usage: ringtrace [GENERAL OPTIONS] view [SESSION | PATH | -t PATH] [-e VIEWER]\n"
    "\n"
    "Read the trace of a session (default: the current one), or the trace in PATH,\n"
    "with babeltrace2. The session must be stopped.\n"
    "\n"
    "Options:\n"
    "  -t, --trace-path=PATH   Read the trace in PATH\n"
    "  -e, --viewer=CMD        Reader command line (the trace path is appended)\n"
    "  -h, --help              Show this help\n";

static const struct option long_options[] = {
    CLI_COMMON_LONG_OPTIONS,
    {"viewer", required_argument, NULL, 'e'},
    {"trace-path", required_argument, NULL, 't'},
    {NULL, 0, NULL, 0},
};

/* -e "prog --opt": split on spaces, then the trace path. Returns argc or -1. */
static int viewer_argv(char *viewer, const char *path, char *argv[MAX_VIEWER_ARGS + 2])
{
	char *save = NULL;
	int n = 0;

	for (char *w = strtok_r(viewer, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		if (n == MAX_VIEWER_ARGS)
			return -1;
		argv[n++] = w;
	}
	if (n == 0)
		return -1;
	argv[n++] = (char *)path;
	argv[n] = NULL;
	return n;
}

/* Only returns on failure, with CMD_ERROR. */
static int exec_viewer(char *user_viewer, const char *path, bool live)
{
	char *argv[MAX_VIEWER_ARGS + 2];
	char default_viewer[] = DEFAULT_VIEWER, fallback_viewer[] = FALLBACK_VIEWER;
	char live_opt[] = "-i", live_arg[] = "lttng-live";

	fflush(stdout);
	if (user_viewer) {
		if (viewer_argv(user_viewer, path, argv) < 0) {
			cli_err("Invalid viewer command: \"%s\"", user_viewer);
			return CMD_ERROR;
		}
		execvp(argv[0], argv);
		cli_err("Failed to launch \"%s\" viewer: %s", argv[0], strerror(errno));
		return CMD_ERROR;
	}
	argv[0] = default_viewer;
	if (live) {
		argv[1] = live_opt;
		argv[2] = live_arg;
		argv[3] = (char *)path;
		argv[4] = NULL;
	} else {
		argv[1] = (char *)path;
		argv[2] = NULL;
	}
	execvp(argv[0], argv);
	if (errno == ENOENT) {
		argv[0] = fallback_viewer;
		execvp(argv[0], argv);
	}
	if (errno == ENOENT)
		cli_err("Default viewer \"%s\" (and fallback \"%s\") not found on the system",
		        DEFAULT_VIEWER, FALLBACK_VIEWER);
	else
		cli_err("Failed to launch \"%s\" viewer: %s", argv[0], strerror(errno));
	return CMD_ERROR;
}

/* The trace directory of a session (live: its relay URL). Returns CMD_*. */
static int session_trace_path(const char *name, char ret_path[RINGTRACE_PATH_MAX], bool *ret_live)
{
	_cleanup_free_ struct ringtrace_session *sessions = NULL;
	const struct ringtrace_session *s = NULL;
	int n;

	n = ringtrace_list_sessions(&sessions);
	if (n < 0) {
		cli_err("Unable to list sessions. Session name %s not found.", name);
		cli_msg("Is there a session daemon running?");
		return CMD_ERROR;
	}
	for (int i = 0; i < n && !s; i++) {
		if (strcmp(sessions[i].name, name) == 0)
			s = &sessions[i];
	}
	if (!s) {
		cli_msg("Session name %s not found", name);
		return CMD_ERROR;
	}
	*ret_live = s->live_timer_interval != 0;
	if (s->enabled && !*ret_live) {
		cli_warn("Session %s is running. Please stop it before reading it.", name);
		return CMD_ERROR;
	}
	if (*ret_live) {
		char host[256];

		if (gethostname(host, sizeof(host)) < 0)
			return CMD_ERROR;
		host[sizeof(host) - 1] = '\0';
		snprintf(ret_path, RINGTRACE_PATH_MAX, "net://localhost/host/%s/%s", host, name);
	} else if (s->path[0] != '/') {
		cli_err("Session %s has no local trace directory to read%s", name,
		        s->path[0] ? "" : " (created with --no-output)");
		return CMD_ERROR;
	} else {
		snprintf(ret_path, RINGTRACE_PATH_MAX, "%s", s->path);
	}
	return CMD_SUCCESS;
}

int cmd_view(int argc, char **argv)
{
	char path[RINGTRACE_PATH_MAX], name[RINGTRACE_NAME_MAX + 1];
	char *viewer = NULL;
	const char *trace_path = NULL, *arg;
	bool live = false;
	int opt, r;
	struct cli_args args = {.usage = usage, .shortopts = "he:t:", .longopts = long_options};

	while ((opt = cli_args_next(&args, argc, argv)) > 0) {
		switch (opt) {
		case 'e':
			viewer = optarg;
			break;
		case 't':
			trace_path = optarg;
			break;
		}
	}
	if (opt == 0)
		return args.result;
	arg = cli_args_pop(argc, argv);
	r = cli_args_no_leftover(argc, argv);
	if (r != CMD_SUCCESS)
		return r;
	if (getuid() != 0 && (getuid() != geteuid() || getgid() != getegid())) {
		cli_err(getuid() != geteuid() ? "UID does not match effective UID."
		                              : "GID does not match effective GID.");
		return CMD_ERROR;
	}
	if (!trace_path && arg && strchr(arg, '/'))
		trace_path = arg;
	if (trace_path) {
		snprintf(path, sizeof(path), "%s", trace_path);
	} else {
		r = current_session_resolve(arg, name);
		if (r == CMD_SUCCESS)
			r = session_trace_path(name, path, &live);
		if (r != CMD_SUCCESS)
			return r;
	}
	cli_msg("Trace directory: %s\n", path);
	return exec_viewer(viewer, path, live);
}

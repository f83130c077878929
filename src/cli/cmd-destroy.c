/* SPDX-License-Identifier: MIT */
/*
 * ringtrace destroy [SESSION | --all] [--no-wait]
 *
 * As lttng: stop tracing (no wait), wait until every buffer is written
 * ("Destroying session NAME..." with a dot per 200 ms poll), destroy (a
 * rotated session's last chunk is archived, and where is said), and
 * forget the current session if it was this one.
 */
#include <ringtrace/ctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "cli.h"
#include "common/macros.h"
#include "current-session.h"
#include "output.h"
#include "session-targets.h"
#include "session-wait.h"

static const char usage[] =
    "Usage: ringtrace [GENERAL OPTIONS] destroy [SESSION | --all] [--no-wait]\n"
    "\n"
    "Destroy a recording session (default: the current one), after stopping it and\n"
    "waiting until all its data is written.\n"
    "\n"
    "Options:\n"
    "  -a, --all       Destroy all the sessions\n"
    "  -n, --no-wait   Do not wait for the data to be written\n"
    "  -h, --help      Show this help\n";

static const struct option long_options[] = {
    CLI_COMMON_LONG_OPTIONS,
    {"all", no_argument, NULL, 'a'},
    {"no-wait", no_argument, NULL, 'n'},
    {NULL, 0, NULL, 0},
};

/* Returns CMD_SUCCESS or a negative RINGTRACE_ERR_* (message left to the caller). */
static int destroy_session(const char *name, bool no_wait)
{
	char current[RINGTRACE_NAME_MAX + 1], archive[RINGTRACE_PATH_MAX] = "";
	struct data_wait wait = {.header = NULL};
	bool was_stopped;
	char header[RINGTRACE_NAME_MAX + 32];
	_cleanup_free_ char *stats = NULL;
	int r, lost = 0;

	r = ringtrace_stop_tracing_no_wait(name);
	/* A consumer loss is told once, by the destruction. */
	if (r < 0 && r != -RINGTRACE_ERR_TRACE_ALREADY_STOPPED && r != -RINGTRACE_ERR_CONSUMER_LOST)
		cli_err("%s", ringtrace_strerror(r));
	was_stopped = r == -RINGTRACE_ERR_TRACE_ALREADY_STOPPED;
	if (!no_wait) {
		snprintf(header, sizeof(header), "Destroying session %s", name);
		wait.header = header;
		r = data_wait(name, &wait);
		/* A lost relay will never have the data: destroy anyway, then say so. */
		if (r == -RINGTRACE_ERR_RELAYD_LOST)
			lost = r;
		else if (r < 0)
			goto end;
	}
	if (!was_stopped)
		stats = session_stats_warning(name);
	r = ringtrace_destroy_session_archive(name, archive);
	/* The session is gone all the same. */
	if (r == -RINGTRACE_ERR_RELAYD_LOST || r == -RINGTRACE_ERR_CONSUMER_LOST)
		lost = r;
	else if (r < 0)
		goto end;
	/* After the dots if any, then a blank line, as lttng's. */
	if (archive[0])
		cli_msg("Trace chunk archive for session %s is now readable %s %s", name,
		        archive[0] == '/' ? "at" : "on relay", archive);
	cli_msg("%sSession %s destroyed", wait.printed ? "\n" : "", name);
	wait.printed = false;
	if (stats)
		cli_msg("%s", stats);
	if (current_session_get_quiet(current) == 0 && strcmp(current, name) == 0)
		current_session_clear();
	r = lost ? lost : CMD_SUCCESS;
end:
	if (wait.printed)
		cli_msg("%s", "");
	return r;
}

/* session_target_fn: data points to the no_wait flag. */
static int destroy_target(const char *name, void *data)
{
	int r = destroy_session(name, *(const bool *)data);

	if (r == -RINGTRACE_ERR_CONSUMER_LOST)
		cli_err(
		    "Session %s had lost its consumer daemon: trace data not written by then is "
		    "lost",
		    name);
	else if (r < 0)
		cli_err("%s during the destruction of session \"%s\"", ringtrace_strerror(r), name);
	return r;
}

int cmd_destroy(int argc, char **argv)
{
	bool all = false, no_wait = false;
	int opt;
	struct cli_args args = {.usage = usage, .shortopts = "han", .longopts = long_options};

	while ((opt = cli_args_next(&args, argc, argv)) > 0) {
		switch (opt) {
		case 'a':
			all = true;
			break;
		case 'n':
			no_wait = true;
			break;
		}
	}
	if (opt == 0)
		return args.result;
	return session_targets_run(argc, argv, all, destroy_target, &no_wait);
}

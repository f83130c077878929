/* SPDX-License-Identifier: MIT */
/*
 * ringtrace snapshot [-s SESSION] [-n NAME] [-m SIZE] [-C URL -D URL] ACTION [URL|DIR]
 *   ACTION: add-output, del-output (ID | NAME), list-output, record
 * An output is a directory (DIR, file://DIR) or a relay daemon
 * (net://HOST[:CTRL[:DATA]][/DIR], or -C tcp://HOST:PORT -D tcp://HOST:PORT,
 * passed on to the session daemon as one net:// URL).
 * lttng 2.13's messages and exit codes: an error of the session daemon is
 * printed as "Error: <message>" and exits 1, an unknown action exits 2.
 */
#include <errno.h>
#include <inttypes.h>
#include <ringtrace/ctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "cli.h"
#include "common/macros.h"
#include "common/net-url.h"
#include "current-session.h"
#include "output.h"
#include "units.h"

#define INDENT4 "    "

static const char usage[] =
    "Usage: ringtrace [GENERAL OPTIONS] snapshot [OPTIONS] ACTION\n"
    "\n"
    "Take a snapshot of a snapshot session's buffers, or manage its snapshot output.\n"
    "\n"
    "Actions:\n"
    "  add-output [-n NAME] [-m SIZE] URL|DIR     Set the snapshot output (one)\n"
    "  del-output ID|NAME                         Remove it\n"
    "  list-output                                Show it\n"
    "  record [-n NAME] [-m SIZE] [URL|DIR]       Write a snapshot (to URL or DIR once,\n"
    "                                             instead of the output)\n"
    "\n"
    "URL: file://DIR, or a relay daemon: net[6]://HOST[:CTRLPORT[:DATAPORT]][/TRACEDIR]\n"
    "(ports 5342 and 5343 by default), or -C and -D instead.\n"
    "\n"
    "Options:\n"
    "  -s, --session=NAME    Session (default: the current one)\n"
    "  -n, --name=NAME       Output name (record: directory name prefix)\n"
    "  -m, --max-size=SIZE   Maximum total size of a snapshot (k, M, G suffixes)\n"
    "  -C, --ctrl-url=URL    Relay daemon control URL, tcp[6]://HOST[:PORT][/TRACEDIR]\n"
    "  -D, --data-url=URL    Relay daemon data URL, tcp[6]://HOST[:PORT] (with -C)\n"
    "  -h, --help            Show this help\n";

static const struct option long_options[] = {
    CLI_COMMON_LONG_OPTIONS,
    {"session", required_argument, NULL, 's'},
    {"ctrl-url", required_argument, NULL, 'C'},
    {"data-url", required_argument, NULL, 'D'},
    {"name", required_argument, NULL, 'n'},
    {"max-size", required_argument, NULL, 'm'},
    {NULL, 0, NULL, 0},
};

struct snapshot_opts {
	const char *session;
	const char *name;
	const char *ctrl_url;
	const char *data_url;
	uint64_t max_size; /* 0: not given */
	char session_name[RINGTRACE_NAME_MAX + 1];
	char pair_url[PATH_MAX]; /* -C and -D as one net:// URL, "" without them */
};

typedef int (*action_fn)(const struct snapshot_opts *o, const char *arg);

/* The daemon's error as lttng prints it. */
static int report(int r)
{
	cli_err_code(r);
	return CMD_ERROR;
}

/* The output an action names: -C/-D when given, else its argument. */
static const char *output_url(const struct snapshot_opts *o, const char *arg)
{
	return o->pair_url[0] ? o->pair_url : arg;
}

/* -C and -D into one net:// URL, with lttng's messages. */
static int pair_to_url(struct snapshot_opts *o)
{
	struct rt_net_url url;
	char err[256];

	if (rt_net_url_parse_pair(o->ctrl_url, o->data_url, &url, err, sizeof(err)) < 0) {
		if (err[0]) {
			cli_err("%s", err);
			cli_err("Unable to parse the URL %s", o->ctrl_url);
		}
		cli_err("Unrecognized URL format.");
		return CMD_ERROR;
	}
	if (rt_net_url_canonical(&url, o->pair_url, sizeof(o->pair_url)) < 0) {
		cli_err("URL too long: %s", o->ctrl_url);
		return CMD_ERROR;
	}
	return CMD_SUCCESS;
}

static int output_init(const struct snapshot_opts *o, const char *url,
                       struct ringtrace_snapshot_output *ret)
{
	*ret = (struct ringtrace_snapshot_output){.max_size = o->max_size};
	if (o->name && strlen(o->name) >= sizeof(ret->name)) {
		cli_err("%s", ringtrace_strerror(-RINGTRACE_ERR_INVALID));
		return CMD_ERROR;
	}
	if (url && strlen(url) >= sizeof(ret->url)) {
		cli_err("%s", ringtrace_strerror(-RINGTRACE_ERR_INVALID));
		return CMD_ERROR;
	}
	if (o->name)
		strcpy(ret->name, o->name);
	if (url)
		strcpy(ret->url, url);
	return CMD_SUCCESS;
}

static int action_add_output(const struct snapshot_opts *o, const char *arg)
{
	struct ringtrace_snapshot_output out;
	char name[RINGTRACE_NAME_MAX + 1];
	const char *url = output_url(o, arg), *shown = o->ctrl_url ? o->ctrl_url : arg;
	int r;

	if (!url) {
		cli_err("An output destination must be specified to add a snapshot output.");
		return CMD_ERROR;
	}
	r = output_init(o, url, &out);
	if (r != CMD_SUCCESS)
		return r;
	r = ringtrace_snapshot_add_output(o->session_name, &out);
	if (r < 0)
		return report(r);
	if (out.name[0])
		strcpy(name, out.name);
	else
		snprintf(name, sizeof(name), "snapshot-%" PRIu32, out.id);
	cli_msg("Snapshot output successfully added for session %s", o->session_name);
	if (o->max_size)
		cli_msg("  [%" PRIu32 "] %s: %s (max size: %" PRIu64 " bytes)", out.id, name, shown,
		        o->max_size);
	else
		cli_msg("  [%" PRIu32 "] %s: %s", out.id, name, shown);
	return CMD_SUCCESS;
}

static int action_del_output(const struct snapshot_opts *o, const char *arg)
{
	struct ringtrace_snapshot_output out = {0};
	char *end;
	long id;
	int r;

	if (!arg) {
		cli_err("A snapshot output name or id must be provided to delete a snapshot "
		        "output.");
		return CMD_ERROR;
	}
	/* As lttng: a number is an id, text not starting with one a name. */
	errno = 0;
	id = strtol(arg, &end, 10);
	if (id == 0 && (errno == 0 || errno == EINVAL)) {
		if (strlen(end) >= sizeof(out.name))
			return report(-RINGTRACE_ERR_INVALID);
		strcpy(out.name, end);
	} else if (errno == 0 && *end == '\0' && id > 0 && id <= UINT32_MAX) {
		out.id = (uint32_t)id;
	} else {
		cli_err("Argument %s not recognized", arg);
		cli_err("Unknown error code");
		return CMD_ERROR;
	}
	r = ringtrace_snapshot_del_output(o->session_name, &out);
	if (r < 0)
		return report(r);
	if (out.id)
		cli_msg("Snapshot output id %" PRIu32 " successfully deleted for session %s",
		        out.id, o->session_name);
	else
		cli_msg("Snapshot output %s successfully deleted for session %s", out.name,
		        o->session_name);
	return CMD_SUCCESS;
}

static int action_list_output(const struct snapshot_opts *o, const char *arg)
{
	_cleanup_free_ struct ringtrace_snapshot_output *outs = NULL;
	int n = ringtrace_snapshot_list_output(o->session_name, &outs);

	(void)arg;
	if (n < 0)
		return report(n);
	cli_msg("Snapshot output list for session %s", o->session_name);
	for (int i = 0; i < n; i++) {
		if (outs[i].max_size)
			cli_msg(INDENT4 "[%" PRIu32 "] %s: %s (max size: %" PRIu64 " bytes)",
			        outs[i].id, outs[i].name, outs[i].url, outs[i].max_size);
		else
			cli_msg(INDENT4 "[%" PRIu32 "] %s: %s", outs[i].id, outs[i].name,
			        outs[i].url);
	}
	if (n == 0)
		cli_msg(INDENT4 "None");
	return CMD_SUCCESS;
}

static int action_record(const struct snapshot_opts *o, const char *arg)
{
	struct ringtrace_snapshot_output out;
	const char *url = output_url(o, arg);
	int r = output_init(o, url, &out);

	if (r != CMD_SUCCESS)
		return r;
	/* -m not given: the output's own limit. */
	if (!o->max_size)
		out.max_size = UINT64_MAX;
	r = ringtrace_snapshot_record(o->session_name, &out);
	if (r == -RINGTRACE_ERR_MAX_SIZE_INVALID)
		cli_err("Invalid snapshot size. Cannot fit at least one packet per stream.");
	if (r < 0)
		return report(r);
	cli_msg("Snapshot recorded successfully for session %s", o->session_name);
	if (url)
		cli_msg("Snapshot written at: %s", url);
	return CMD_SUCCESS;
}

static const struct {
	const char *name;
	action_fn run;
} actions[] = {
    {"add-output", action_add_output},
    {"del-output", action_del_output},
    {"list-output", action_list_output},
    {"record", action_record},
};

static int parse_options(int argc, char **argv, struct snapshot_opts *o)
{
	int opt;
	struct cli_args args = {
	    .usage = usage, .shortopts = "hs:C:D:n:m:", .longopts = long_options};

	while ((opt = cli_args_next(&args, argc, argv)) > 0) {
		switch (opt) {
		case 's':
			o->session = optarg;
			break;
		case 'C':
			o->ctrl_url = optarg;
			break;
		case 'D':
			o->data_url = optarg;
			break;
		case 'n':
			o->name = optarg;
			break;
		case 'm':
			if (parse_size(optarg, &o->max_size) < 0) {
				cli_err("Unable to handle max-size value %s", optarg);
				return CMD_ERROR;
			}
			break;
		}
	}
	if (opt == 0)
		return args.result == CMD_SUCCESS ? -1 : args.result;
	return CMD_SUCCESS;
}

int cmd_snapshot(int argc, char **argv)
{
	struct snapshot_opts o = {0};
	const char *action, *arg;
	int r = parse_options(argc, argv, &o);

	if (r < 0)
		return CMD_SUCCESS; /* --help, --list-options */
	if (r != CMD_SUCCESS)
		return r;
	r = current_session_resolve(o.session, o.session_name);
	if (r != CMD_SUCCESS)
		return r;
	action = cli_args_pop(argc, argv);
	arg = cli_args_pop(argc, argv);
	if (!action) {
		cli_err("No action specified for snapshot command.");
		return CMD_ERROR;
	}
	if (!o.ctrl_url != !o.data_url) {
		cli_err("URLs must be specified for both data and control");
		return CMD_ERROR;
	}
	if (o.ctrl_url) {
		r = pair_to_url(&o);
		if (r != CMD_SUCCESS)
			return r;
	}
	for (size_t i = 0; i < ARRAY_SIZE(actions); i++) {
		if (strcmp(action, actions[i].name) == 0)
			return actions[i].run(&o, arg);
	}
	return CMD_UNDEFINED;
}

/* SPDX-License-Identifier: MIT */
/*
 * ringtrace create [SESSION] [--output=DIR | --no-output | --set-url=file://DIR]
 *                  [--snapshot | --live[=DELAYUS]]
 */
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
#include "sessiond-launch.h"
#include "units.h"

#define DEFAULT_LIVE_TIMER_US 1000000
#define AUTO_NAME             "auto"

static const char usage[] =
    "Usage: ringtrace [GENERAL OPTIONS] create [SESSION] [OPTIONS]\n"
    "\n"
    "Create a recording session and make it the current one. Without SESSION, the\n"
    "name is auto-YYYYmmdd-HHMMSS. A session daemon is spawned when none runs\n"
    "(unless --no-sessiond).\n"
    "\n"
    "Options:\n"
    "  -o, --output=DIR          Write the trace to DIR (default:\n"
    "                            $RINGTRACE_HOME/ringtrace-traces/SESSION-DATE-TIME)\n"
    "      --no-output           Do not write any trace data\n"
    "  -U, --set-url=URL         file://DIR (same as --output=DIR), or\n"
    "                            net[6]://HOST[:CTRLPORT[:DATAPORT]][/TRACEDIR]: stream\n"
    "                            the trace to a relay daemon (ports 5342 and 5343)\n"
    "  -C, --ctrl-url=URL        Relay control URL, tcp[6]://HOST[:PORT][/TRACEDIR]\n"
    "  -D, --data-url=URL        Relay data URL, tcp[6]://HOST[:PORT] (with --ctrl-url)\n"
    "      --snapshot            Snapshot mode: channels default to overwrite mode\n"
    "      --live[=DELAYUS]      Live mode, live timer period in us (default 1000000);\n"
    "                            streams to net://127.0.0.1 unless a URL is given\n"
    "  -h, --help                Show this help\n";

enum {
	OPT_NO_OUTPUT = OPT_COMMAND_FIRST,
	OPT_NO_CONSUMER,
	OPT_SNAPSHOT,
	OPT_LIVE,
	OPT_SHM_PATH,
};

static const struct option long_options[] = {
    CLI_COMMON_LONG_OPTIONS,
    {"output", required_argument, NULL, 'o'},
    {"set-url", required_argument, NULL, 'U'},
    {"ctrl-url", required_argument, NULL, 'C'},
    {"data-url", required_argument, NULL, 'D'},
    {"no-output", no_argument, NULL, OPT_NO_OUTPUT},
    {"no-consumer", no_argument, NULL, OPT_NO_CONSUMER},
    {"snapshot", no_argument, NULL, OPT_SNAPSHOT},
    {"live", optional_argument, NULL, OPT_LIVE},
    {"shm-path", required_argument, NULL, OPT_SHM_PATH},
    {NULL, 0, NULL, 0},
};

struct create_opts {
	const char *output;
	const char *url;
	const char *ctrl_url;
	const char *data_url;
	const char *shm_path;
	bool no_output;
	bool no_consumer;
	bool snapshot;
	uint32_t live_timer_us;
};

static int parse_live(const char *arg, uint32_t *ret_us)
{
	uint64_t v;

	if (!arg) {
		*ret_us = DEFAULT_LIVE_TIMER_US;
		return CMD_SUCCESS;
	}
	if (parse_time_us(arg, &v) < 0) {
		cli_err("Wrong value for --live parameter: %s", arg);
		return CMD_ERROR;
	}
	if (v > UINT32_MAX) {
		cli_err("32-bit overflow in --live parameter: %s", arg);
		return CMD_ERROR;
	}
	if (v == 0) {
		cli_err("Live timer interval must be greater than zero");
		return CMD_ERROR;
	}
	*ret_us = (uint32_t)v;
	return CMD_SUCCESS;
}

static int check_session_name(const char *name)
{
	if (!name)
		return CMD_SUCCESS;
	if (strlen(name) > RINGTRACE_NAME_MAX) {
		cli_err("Session name too long. Length must be lower or equal to %d",
		        RINGTRACE_NAME_MAX);
		return CMD_ERROR;
	}
	/* "auto" and "auto-*" are the names of sessions created without a name. */
	if (strcmp(name, AUTO_NAME) == 0 ||
	    strncmp(name, AUTO_NAME "-", strlen(AUTO_NAME) + 1) == 0) {
		cli_err("%s is a reserved keyword for default session(s)", AUTO_NAME);
		return CMD_ERROR;
	}
	return CMD_SUCCESS;
}

/*
 * A network output: the URL(s) checked with lttng's messages, then passed
 * on, --set-url in the canonical net:// form, --ctrl-url and --data-url as
 * given (the session daemon resolves and connects). Unlike lttng, control
 * and data may be on different hosts: two addresses of one relay daemon.
 */
static int check_network_output(const struct create_opts *o, char canonical[PATH_MAX])
{
	struct rt_net_url url;
	char err[256];
	const char *shown = o->url;
	int r;

	if (o->ctrl_url) {
		shown = o->ctrl_url;
		r = rt_net_url_parse_pair(o->ctrl_url, o->data_url, &url, err, sizeof(err));
	} else {
		r = rt_net_url_parse(o->url ? o->url : "net://127.0.0.1", &url, err, sizeof(err));
	}
	if (r < 0) {
		if (err[0]) {
			cli_err("%s", err);
			cli_err("Unable to parse the URL %s", shown);
		}
		cli_err("Unrecognized URL format.");
		return CMD_ERROR;
	}
	if (rt_net_url_resolve(&url, err, sizeof(err)) < 0) {
		cli_err("%s", err);
		return CMD_ERROR;
	}
	if (o->ctrl_url) {
		canonical[0] = '\0';
		return CMD_SUCCESS;
	}
	if (rt_net_url_canonical(&url, canonical, PATH_MAX) < 0) {
		cli_err("URL too long: %s", shown);
		return CMD_ERROR;
	}
	return CMD_SUCCESS;
}

/* lttng's checks between options, then what ringtrace cannot do yet. */
static int check_options(const struct create_opts *o, char output[PATH_MAX])
{
	static const char file_scheme[] = "file://";

	if (!!o->url + !!o->output + !!(o->ctrl_url || o->data_url) > 1) {
		cli_err("Only one of the --set-url, --ctrl-url/data-url, or --output options may "
		        "be used at once.");
		return CMD_ERROR;
	}
	if (o->snapshot && o->live_timer_us) {
		cli_err("Snapshot and live modes are mutually exclusive.");
		return CMD_ERROR;
	}
	if (!o->ctrl_url != !o->data_url) {
		cli_err("Both control and data URLs must be specified.");
		return CMD_ERROR;
	}
	if (o->live_timer_us && (o->output || (o->url && !rt_net_url_is_network(o->url)))) {
		cli_err("Unsupported output type specified for live session.");
		return CMD_ERROR;
	}
	if (o->shm_path) {
		cli_err("--shm-path is not supported yet: ring buffers always live in anonymous "
		        "shared memory");
		return CMD_ERROR;
	}
	if (o->ctrl_url || o->live_timer_us ||
	    (o->url && strncmp(o->url, file_scheme, strlen(file_scheme)) != 0))
		return check_network_output(o, output);
	output[0] = '\0';
	if (o->output || o->url)
		snprintf(output, PATH_MAX, "%s", o->output ? o->output : o->url);
	return CMD_SUCCESS;
}

static void print_created(const struct create_opts *o, const struct ringtrace_session *s)
{
	if (o->snapshot)
		cli_msg("Snapshot session %s created.", s->name);
	else if (o->live_timer_us)
		cli_msg("Live session %s created.", s->name);
	else
		cli_msg("Session %s created.", s->name);

	if (o->snapshot) {
		_cleanup_free_ struct ringtrace_snapshot_output *outs = NULL;

		/* A snapshot session has no trace output, its snapshot output is listed. */
		if (ringtrace_snapshot_list_output(s->name, &outs) > 0)
			cli_msg("Default snapshot output set to %s", outs[0].url);
		cli_msg("Every channel enabled for this session will be set to mmap output and "
		        "default to overwrite mode.");
	} else if (s->path[0]) {
		cli_msg("Traces will be output to %s", s->path);
		if (o->live_timer_us)
			cli_msg("Live timer interval set to %u us", o->live_timer_us);
	}
}

static int create_session(const struct create_opts *o, const char *name, const char *output)
{
	char created[RINGTRACE_NAME_MAX + 1];
	_cleanup_free_ struct ringtrace_session *sessions = NULL;
	unsigned flags = (o->no_output ? RINGTRACE_CREATE_NO_OUTPUT : 0) |
	                 (o->snapshot ? RINGTRACE_CREATE_SNAPSHOT : 0);
	int r, n;

	if (o->ctrl_url)
		r = ringtrace_create_session_net(name, o->ctrl_url, o->data_url, flags,
		                                 o->live_timer_us, created);
	else
		r = ringtrace_create_session_ext(name, output, flags, o->live_timer_us, created);
	if (r == -RINGTRACE_ERR_NOT_SUPPORTED && o->no_output) {
		cli_err("No-output sessions are not supported yet (%s)", ringtrace_strerror(r));
		return CMD_ERROR;
	}
	if (r < 0) {
		cli_err("%s", ringtrace_strerror(r));
		return CMD_ERROR;
	}
	n = ringtrace_list_sessions(&sessions);
	if (n < 0) {
		cli_err("Failed to fetch properties of created session: %s", ringtrace_strerror(n));
		return CMD_ERROR;
	}
	r = CMD_ERROR;
	for (int i = 0; i < n; i++) {
		if (strcmp(sessions[i].name, created) == 0) {
			print_created(o, &sessions[i]);
			r = CMD_SUCCESS;
			break;
		}
	}
	if (r != CMD_SUCCESS) {
		cli_err("Failed to fetch properties of created session");
		return r;
	}
	return current_session_set(created) < 0 ? CMD_ERROR : CMD_SUCCESS;
}

int cmd_create(int argc, char **argv)
{
	struct create_opts o = {0};
	const char *name;
	char output[PATH_MAX];
	int opt, r;
	struct cli_args args = {.usage = usage, .shortopts = "ho:U:C:D:", .longopts = long_options};

	while ((opt = cli_args_next(&args, argc, argv)) > 0) {
		switch (opt) {
		case 'o':
			o.output = optarg;
			break;
		case 'U':
			o.url = optarg;
			break;
		case 'C':
			o.ctrl_url = optarg;
			break;
		case 'D':
			o.data_url = optarg;
			break;
		case OPT_NO_OUTPUT:
			o.no_output = true;
			break;
		case OPT_NO_CONSUMER:
			o.no_consumer = true;
			break;
		case OPT_SNAPSHOT:
			o.snapshot = true;
			break;
		case OPT_LIVE:
			/* As popt: `--live 2000000` takes the next word unless it is an option. */
			if (!optarg && optind < argc && argv[optind][0] != '-')
				optarg = argv[optind++];
			r = parse_live(optarg, &o.live_timer_us);
			if (r != CMD_SUCCESS)
				return r;
			break;
		case OPT_SHM_PATH:
			o.shm_path = optarg;
			break;
		}
	}
	if (opt == 0)
		return args.result;
	if (o.no_consumer) {
		cli_msg("The option --no-consumer is obsolete. Use --no-output now.");
		return CMD_WARNING;
	}
	name = cli_args_pop(argc, argv);
	r = cli_args_no_leftover(argc, argv);
	if (r == CMD_SUCCESS)
		r = check_session_name(name);
	if (r == CMD_SUCCESS)
		r = check_options(&o, output);
	if (r == CMD_SUCCESS)
		r = sessiond_launch(false);
	if (r != CMD_SUCCESS)
		return r;
	return create_session(&o, name, output[0] ? output : NULL);
}

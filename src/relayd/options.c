/* SPDX-License-Identifier: MIT */
#include "options.h"

#include <getopt.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "relayd.h"

#define DEFAULT_CONTROL_URL "tcp://0.0.0.0:5342"
#define DEFAULT_DATA_URL    "tcp://0.0.0.0:5343"
#define DEFAULT_LIVE_URL    "tcp://localhost:5344"

static void usage(FILE *out)
{
	fprintf(out,
	        "Usage: " RELAYD_PROGRAM_NAME " [OPTION]...\n"
	        "\n"
	        "Relay daemon of ringtrace: receives traces streamed by LTTng 2.13-compatible\n"
	        "session and consumer daemons (lttng create --set-url=net://HOST) and writes\n"
	        "them under the output directory; serves live viewers (babeltrace2 -i\n"
	        "lttng-live net://HOST/host/HOSTNAME/SESSION) on the live port.\n"
	        "\n"
	        "Output: OUTPUT/HOSTNAME/SESSION-DATETIME, or OUTPUT/HOSTNAME/TRACEDIR for a\n"
	        "URL with a trace directory (net://HOST/TRACEDIR); with\n"
	        "--group-output-by-session: OUTPUT/SESSION/HOSTNAME-DATETIME[/TRACEDIR].\n"
	        "\n"
	        "  -d, --daemonize              run as a daemon, stdin/stdout/stderr closed\n"
	        "  -b, --background             run as a daemon, keep stdout/stderr\n"
	        "                               (both return once the ports listen)\n"
	        "  -C, --control-port=URL       control port URL (default " DEFAULT_CONTROL_URL
	        ")\n"
	        "  -D, --data-port=URL          data port URL (default " DEFAULT_DATA_URL ")\n"
	        "  -L, --live-port=URL          live viewer URL (default " DEFAULT_LIVE_URL ")\n"
	        "                               URL: tcp://HOST:PORT or tcp://[IPV6]:PORT\n"
	        "  -o, --output=DIR             output directory (default\n"
	        "                               $RINGTRACE_HOME/ringtrace-traces,\n"
	        "                               RINGTRACE_HOME defaulting to HOME)\n"
	        "  -p, --group-output-by-host   group trace directories by hostname (default)\n"
	        "  -s, --group-output-by-session  group trace directories by session name\n"
	        "  -x, --disallow-clear         refuse clear operations (lttng clear)\n"
	        "  -g, --group=GROUP            tracing group (default \"tracing\"); checked\n"
	        "                               only: this daemon has no health socket\n"
	        "  -v, --verbose                more messages (-vv: debug)\n"
	        "  -h, --help                   this help\n"
	        "  -V, --version                show the version\n"
	        "\n"
	        "Exit status: 0 on success, 1 on error.\n");
}

int relayd_parse_options(int argc, char **argv, struct relayd_options *ret_opts)
{
	static const struct option long_options[] = {
	    {"daemonize", no_argument, NULL, 'd'},
	    {"background", no_argument, NULL, 'b'},
	    {"control-port", required_argument, NULL, 'C'},
	    {"data-port", required_argument, NULL, 'D'},
	    {"live-port", required_argument, NULL, 'L'},
	    {"output", required_argument, NULL, 'o'},
	    {"group", required_argument, NULL, 'g'},
	    {"group-output-by-host", no_argument, NULL, 'p'},
	    {"group-output-by-session", no_argument, NULL, 's'},
	    {"disallow-clear", no_argument, NULL, 'x'},
	    {"verbose", no_argument, NULL, 'v'},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},
	    {0},
	};
	int c;

	*ret_opts = (struct relayd_options){
	    .control_url = DEFAULT_CONTROL_URL,
	    .data_url = DEFAULT_DATA_URL,
	    .live_url = DEFAULT_LIVE_URL,
	    .group = "tracing",
	    .disallow_clear = getenv("LTTNG_RELAYD_DISALLOW_CLEAR") &&
	                      !strcmp(getenv("LTTNG_RELAYD_DISALLOW_CLEAR"), "1"),
	};
	while ((c = getopt_long(argc, argv, "dbC:D:L:o:g:psxvhV", long_options, NULL)) != -1) {
		switch (c) {
		case 'd':
			ret_opts->daemonize = true;
			break;
		case 'b':
			ret_opts->background = true;
			break;
		case 'C':
			ret_opts->control_url = optarg;
			break;
		case 'D':
			ret_opts->data_url = optarg;
			break;
		case 'L':
			ret_opts->live_url = optarg;
			break;
		case 'o':
			ret_opts->output = optarg;
			break;
		case 'g':
			ret_opts->group = optarg;
			break;
		case 'p':
			ret_opts->group_by_session = false;
			break;
		case 's':
			ret_opts->group_by_session = true;
			break;
		case 'x':
			ret_opts->disallow_clear = true;
			break;
		case 'v':
			ret_opts->verbosity++;
			break;
		case 'h':
			usage(stdout);
			return 1;
		case 'V':
			printf(RELAYD_PROGRAM_NAME " " RINGTRACE_VERSION "\n");
			return 1;
		default:
			fprintf(stderr,
			        "Try '" RELAYD_PROGRAM_NAME " --help' for more information.\n");
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, RELAYD_PROGRAM_NAME ": unexpected argument \"%s\"\n", argv[optind]);
		return -1;
	}
	if (ret_opts->group != NULL && strcmp(ret_opts->group, "tracing") != 0 &&
	    !getgrnam(ret_opts->group)) {
		fprintf(stderr, RELAYD_PROGRAM_NAME ": unknown group \"%s\" (--group)\n",
		        ret_opts->group);
		return -1;
	}
	return 0;
}

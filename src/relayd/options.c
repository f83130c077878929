/* SPDX-License-Identifier: MIT */
/*
 * lttng-relayd 2.13's command line and configuration files: the options are
 * taken, in this order, from the [relayd] section of
 * SYSCONFDIR/ringtrace/ringtrace.conf, of $RINGTRACE_HOME/.ringtrace/ringtrace.conf
 * (as lttng's /etc/lttng/lttng.conf and $LTTNG_HOME/.lttng/lttng.conf), of
 * the file given with --config, then from the command line, each one
 * overriding the previous ones. A configuration key is an option's long
 * name; a switch takes true/yes/on or false/no/off.
 */
#include "options.h"

#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "common/daemon-opts.h"
#include "common/macros.h"
#include "common/paths.h"
#include "config.h"
#include "ini.h"
#include "relayd.h"

#define DEFAULT_CONTROL_URL "tcp://0.0.0.0:5342"
#define DEFAULT_DATA_URL    "tcp://0.0.0.0:5343"
#define DEFAULT_LIVE_URL    "tcp://localhost:5344"
#define CONFIG_SECTION      "relayd"
#define CONFIG_FILE_NAME    "ringtrace.conf"

enum {
	OPT_FD_POOL_SIZE = 256,
};

static const struct option long_options[] = {
    {"daemonize", no_argument, NULL, 'd'},
    {"background", no_argument, NULL, 'b'},
    {"config", required_argument, NULL, 'f'},
    {"control-port", required_argument, NULL, 'C'},
    {"data-port", required_argument, NULL, 'D'},
    {"live-port", required_argument, NULL, 'L'},
    {"output", required_argument, NULL, 'o'},
    {"group", required_argument, NULL, 'g'},
    {"fd-pool-size", required_argument, NULL, OPT_FD_POOL_SIZE},
    {"working-directory", required_argument, NULL, 'w'},
    {"group-output-by-host", no_argument, NULL, 'p'},
    {"group-output-by-session", no_argument, NULL, 's'},
    {"disallow-clear", no_argument, NULL, 'x'},
    {"verbose", no_argument, NULL, 'v'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {0},
};
static const char short_options[] = "dbf:C:D:L:o:g:w:psxvhV";

/* Values read from configuration files, kept for the life of the process. */
static char *config_values[64];
static size_t config_value_count;

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
	        "Options are read from the [relayd] section of " RINGTRACE_SYSCONFDIR
	        "/ringtrace/" CONFIG_FILE_NAME ",\n"
	        "then of $RINGTRACE_HOME/.ringtrace/" CONFIG_FILE_NAME
	        ", then of the --config file, then\n"
	        "from the command line (keys: long option names; switches: true/yes/on or\n"
	        "false/no/off).\n"
	        "\n"
	        "  -d, --daemonize              run as a daemon, stdin/stdout/stderr closed\n"
	        "  -b, --background             run as a daemon, keep stdout/stderr\n"
	        "                               (both return once the ports listen)\n"
	        "  -f, --config=PATH            read the options of the INI file PATH too\n"
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
	        "  -x, --disallow-clear         refuse clear operations (lttng clear); also\n"
	        "                               LTTNG_RELAYD_DISALLOW_CLEAR=1\n"
	        "      --fd-pool-size=SIZE      keep at most SIZE file descriptors open\n"
	        "                               (default: the soft RLIMIT_NOFILE)\n"
	        "  -w, --working-directory=DIR  working directory of the daemon (default: the\n"
	        "                               current one, / with -d or -b); also\n"
	        "                               LTTNG_RELAYD_WORKING_DIRECTORY\n"
	        "  -g, --group=GROUP            tracing group (default \"tracing\"); checked\n"
	        "                               only: this daemon has no health socket\n"
	        "  -v, --verbose                more messages (-vv: debug); may be repeated\n"
	        "  -h, --help                   this help\n"
	        "  -V, --version                show the version\n"
	        "\n"
	        "Exit status: 0 on success, 1 on error.\n");
}

static int parse_fd_pool_size(const char *arg, struct relayd_options *o)
{
	struct rlimit limit;
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(arg, &end, 10);
	if (errno || end == arg || *end || v == 0 || arg[0] == '-' || v > UINT_MAX) {
		fprintf(stderr,
		        RELAYD_PROGRAM_NAME ": wrong value in --fd-pool-size parameter: %s\n", arg);
		return -1;
	}
	if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY &&
	    v > limit.rlim_cur) {
		fprintf(stderr,
		        RELAYD_PROGRAM_NAME
		        ": file descriptor pool size argument (%llu) exceeds the "
		        "process' soft limit (%llu)\n",
		        v, (unsigned long long)limit.rlim_cur);
		return -1;
	}
	o->fd_pool_size = (unsigned)v;
	return 0;
}

/*
 * Option c of the table but --help and --version, with its argument arg
 * (switches: on says whether it is set). Returns 0, or -1 on an error
 * (reported).
 */
static int apply_option(struct relayd_options *o, int c, const char *arg, bool on)
{
	switch (c) {
	case 'd':
		o->daemonize = on;
		break;
	case 'b':
		o->background = on;
		break;
	case 'f':
		o->config = arg;
		break;
	case 'C':
		o->control_url = arg;
		break;
	case 'D':
		o->data_url = arg;
		break;
	case 'L':
		o->live_url = arg;
		break;
	case 'o':
		o->output = arg;
		break;
	case 'g':
		o->group = arg;
		break;
	case 'w':
		o->working_directory = arg;
		break;
	case OPT_FD_POOL_SIZE:
		return parse_fd_pool_size(arg, o);
	case 'p':
		o->group_by_session = !on;
		break;
	case 's':
		o->group_by_session = on;
		break;
	case 'x':
		o->disallow_clear = on;
		break;
	case 'v':
		o->verbosity = on ? o->verbosity + 1 : 0;
		break;
	}
	return 0;
}

static int apply_command_line_option(void *opts, int c, const char *arg)
{
	return apply_option(opts, c, arg, true);
}

struct config_ctx {
	struct relayd_options *opts;
	const char *path;
};

/* One key of a configuration file, as lttng: unknown keys and bad switch values are warned about.
 */
static int apply_config_key(const char *key, const char *value, void *arg)
{
	struct config_ctx *ctx = arg;
	const struct option *opt;
	bool on = true;

	for (opt = long_options; opt->name; opt++) {
		if (strcmp(opt->name, key) == 0)
			break;
	}
	if (!opt->name || opt->val == 'f' || opt->val == 'h' || opt->val == 'V') {
		fprintf(stderr,
		        RELAYD_PROGRAM_NAME ": warning: unrecognized option \"%s\" in daemon "
		                            "configuration file %s\n",
		        key, ctx->path);
		return 0;
	}
	if (opt->has_arg == no_argument) {
		if (ini_parse_bool(value, &on) < 0) {
			fprintf(stderr,
			        RELAYD_PROGRAM_NAME ": warning: invalid configuration value \"%s\" "
			                            "for option %s in %s\n",
			        value, key, ctx->path);
			return 0;
		}
		return apply_option(ctx->opts, opt->val, NULL, on) < 0 ? -EINVAL : 0;
	}
	if (config_value_count == ARRAY_SIZE(config_values)) {
		fprintf(stderr, RELAYD_PROGRAM_NAME ": too many options in %s\n", ctx->path);
		return -E2BIG;
	}
	config_values[config_value_count] = strdup(value);
	if (!config_values[config_value_count])
		return -ENOMEM;
	return apply_option(ctx->opts, opt->val, config_values[config_value_count++], true) < 0
	           ? -EINVAL
	           : 0;
}

/* A configuration file; a missing default one is skipped, a missing --config one is an error. */
static int read_config(struct relayd_options *opts, const char *path, bool required)
{
	struct config_ctx ctx = {.opts = opts, .path = path};
	int line = 0, r = ini_read(path, CONFIG_SECTION, apply_config_key, &ctx, &line);

	if (r == -ENOENT && !required)
		return 0;
	if (r == -EINVAL && line > 0)
		fprintf(stderr, RELAYD_PROGRAM_NAME ": %s:%d: not an INI line\n", path, line);
	else if (r < 0 && r != -EINVAL && r != -E2BIG)
		fprintf(stderr, RELAYD_PROGRAM_NAME ": cannot read the configuration file %s: %s\n",
		        path, strerror(-r));
	return r < 0 ? -1 : 0;
}

static int read_config_files(struct relayd_options *opts, const char *explicit_path)
{
	char home[PATH_MAX], path[PATH_MAX];
	int r = read_config(opts, RINGTRACE_SYSCONFDIR "/ringtrace/" CONFIG_FILE_NAME, false);

	if (r == 0 && rt_home_dir(home) == 0 &&
	    (size_t)snprintf(path, sizeof(path), "%s/" RT_USER_RUNDIR_NAME "/" CONFIG_FILE_NAME,
	                     home) < sizeof(path))
		r = read_config(opts, path, false);
	if (r == 0 && explicit_path)
		r = read_config(opts, explicit_path, true);
	return r;
}

/* The --config argument, looked for before anything else is applied. */
static const char *find_config_option(int argc, char **argv)
{
	const char *path = NULL;
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, short_options, long_options, NULL)) != -1) {
		if (c == 'f')
			path = optarg;
	}
	opterr = 1;
	optind = 0; /* getopt starts over */
	return path;
}

int relayd_parse_options(int argc, char **argv, struct relayd_options *ret_opts)
{
	static const struct daemon_opts cli = {
	    .program = RELAYD_PROGRAM_NAME,
	    .short_options = short_options,
	    .long_options = long_options,
	    .usage = usage,
	    .apply = apply_command_line_option,
	};
	const char *env_clear = getenv("LTTNG_RELAYD_DISALLOW_CLEAR");
	int r;

	*ret_opts = (struct relayd_options){
	    .control_url = DEFAULT_CONTROL_URL,
	    .data_url = DEFAULT_DATA_URL,
	    .live_url = DEFAULT_LIVE_URL,
	    .group = "tracing",
	    .disallow_clear = env_clear && strcmp(env_clear, "1") == 0,
	    .working_directory = getenv("LTTNG_RELAYD_WORKING_DIRECTORY"),
	};
	if (read_config_files(ret_opts, find_config_option(argc, argv)) < 0)
		return -1;
	r = daemon_opts_parse(&cli, argc, argv, ret_opts);
	if (r != 0)
		return r;
	if (ret_opts->group != NULL && strcmp(ret_opts->group, "tracing") != 0 &&
	    !getgrnam(ret_opts->group)) {
		fprintf(stderr, RELAYD_PROGRAM_NAME ": unknown group \"%s\" (--group)\n",
		        ret_opts->group);
		return -1;
	}
	return 0;
}

/* SPDX-License-Identifier: MIT */
/*
 * ringtrace-consumerd: spawned by ringtrace-sessiond with one end of a
 * socketpair (--cmd-fd=N). It owns the shared-memory ring buffers of the
 * channels the session daemon asks for and writes their packets, plus the
 * metadata the session daemon pushes, to CTF trace files.
 *
 * Threads: this (main) thread serves the command socket (command.c); the
 * data thread (data.c) writes packets out. When the command socket closes
 * (the session daemon is gone) or SIGTERM/SIGINT arrives, every channel is
 * destroyed as DESTROY_CHANNEL would: final flush, everything delivered is
 * written, files closed; then the process exits 0.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "channel.h"
#include "command.h"
#include "common/daemon-opts.h"
#include "common/log.h"
#include "common/signals.h"
#include "data.h"
#include "monitor.h"
#include "relay.h"

#define PROGRAM_NAME "ringtrace-consumerd"

struct consumerd_options {
	int cmd_fd;
	int verbosity;
};

enum {
	OPT_CMD_FD = 0x100,
	OPT_CONSUMERD_CMD_SOCK,
	OPT_CONSUMERD_ERR_SOCK,
};

static void usage(FILE *out)
{
	fprintf(out, "Usage: " PROGRAM_NAME " --cmd-fd=N [-v|-vv]\n"
	             "\n"
	             "Consumer daemon of ringtrace, started by ringtrace-sessiond: reads the\n"
	             "tracing ring buffers and writes CTF traces.\n"
	             "\n"
	             "  --cmd-fd=N   command socket inherited from the session daemon\n"
	             "  -v, --verbose  more messages (-vv: debug)\n"
	             "  -u, --ust    accepted for lttng-consumerd compatibility (always UST)\n"
	             "  -h, --help   this help\n"
	             "  -V, --version\n");
}

static int parse_fd(const char *arg, int *ret_fd)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno || end == arg || *end || v < 0 || v > INT32_MAX)
		return -EINVAL;
	*ret_fd = (int)v;
	return 0;
}

static const struct option long_options[] = {
    {"cmd-fd", required_argument, NULL, OPT_CMD_FD},
    {"verbose", no_argument, NULL, 'v'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {"ust", no_argument, NULL, 'u'},
    {"kernel", no_argument, NULL, 'k'},
    {"group", required_argument, NULL, 'g'},
    {"consumerd-cmd-sock", required_argument, NULL, OPT_CONSUMERD_CMD_SOCK},
    {"consumerd-err-sock", required_argument, NULL, OPT_CONSUMERD_ERR_SOCK},
    {0},
};

static const char *long_option_name(int c)
{
	for (const struct option *o = long_options; o->name; o++) {
		if (o->val == c)
			return o->name;
	}
	return "?";
}

static int apply_option(void *arg, int c, const char *value)
{
	struct consumerd_options *opts = arg;

	switch (c) {
	case OPT_CMD_FD:
		if (parse_fd(value, &opts->cmd_fd) < 0) {
			fprintf(stderr, PROGRAM_NAME ": invalid --cmd-fd \"%s\"\n", value);
			return -1;
		}
		return 0;
	case 'v':
		opts->verbosity++;
		return 0;
	case 'k':
		fprintf(stderr, PROGRAM_NAME ": --kernel is not supported: only userspace "
		                             "tracing is\n");
		return -1;
	case 'g':
	case OPT_CONSUMERD_CMD_SOCK:
	case OPT_CONSUMERD_ERR_SOCK:
		fprintf(stderr,
		        PROGRAM_NAME ": warning: option --%s is not supported and ignored: the "
		                     "session daemon drives this daemon through --cmd-fd\n",
		        long_option_name(c));
		return 0;
	default: /* 'u': always user space */
		return 0;
	}
}

/* 0 to run, 1 to exit successfully (help, version), -1 on a usage error. */
static int parse_options(int argc, char **argv, struct consumerd_options *ret_opts)
{
	static const struct daemon_opts cli = {
	    .program = PROGRAM_NAME,
	    .short_options = "vhVukg:",
	    .long_options = long_options,
	    .usage = usage,
	    .usage_on_error = true,
	    .apply = apply_option,
	};
	int r;

	*ret_opts = (struct consumerd_options){.cmd_fd = -1};
	r = daemon_opts_parse(&cli, argc, argv, ret_opts);
	if (r != 0)
		return r;
	if (ret_opts->cmd_fd < 0) {
		fprintf(stderr, PROGRAM_NAME ": --cmd-fd=N is required; this daemon is started by "
		                             "ringtrace-sessiond, not by hand\n");
		return -1;
	}
	return 0;
}

static int check_cmd_fd(int fd)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISSOCK(st.st_mode))
		return -ENOTSOCK;
	/* Never leak the command socket into anything we might run. */
	return fcntl(fd, F_SETFD, FD_CLOEXEC) < 0 ? -errno : 0;
}

/* Flush, write out and close everything, as DESTROY_CHANNEL does for one channel. */
static void destroy_all_channels(void)
{
	struct consumer_channel *channel;

	while ((channel = channel_registry_first())) {
		channel_registry_remove(channel);
		if (channel->lent_to_data_thread)
			data_thread_remove_channel(channel);
		channel_destroy(channel);
	}
}

int main(int argc, char **argv)
{
	struct consumerd_options opts;
	int signal_fd, r;

	r = parse_options(argc, argv, &opts);
	if (r != 0)
		return r > 0 ? EXIT_SUCCESS : EXIT_FAILURE;
	log_setup(PROGRAM_NAME, opts.verbosity);
	r = check_cmd_fd(opts.cmd_fd);
	if (r < 0) {
		log_error("--cmd-fd=%d is not a usable socket: %s", opts.cmd_fd, strerror(-r));
		return EXIT_FAILURE;
	}
	signal_fd = rt_signalfd_terminate();
	if (signal_fd < 0) {
		log_error("Cannot set up signal handling: %s", strerror(-signal_fd));
		return EXIT_FAILURE;
	}
	r = data_thread_start();
	if (r < 0) {
		log_error("Cannot start the data thread: %s", strerror(-r));
		return EXIT_FAILURE;
	}
	log_info("Serving the session daemon on fd %d", opts.cmd_fd);
	r = command_loop(opts.cmd_fd, signal_fd);
	close(opts.cmd_fd);
	destroy_all_channels();
	relay_session_destroy_all();
	data_thread_stop();
	monitor_close_pipe();
	close(signal_fd);
	log_info("Exiting");
	return r < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}

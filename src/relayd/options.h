/* SPDX-License-Identifier: MIT */
#pragma once

/* Command line and configuration files of ringtrace-relayd: lttng-relayd 2.13's options. */

#include <stdbool.h>

struct relayd_options {
	bool daemonize;  /* -d: detach and close stdio */
	bool background; /* -b: detach, keep stdio */
	int verbosity;
	const char *control_url;
	const char *data_url;
	const char *live_url;
	const char *output;
	const char *group;
	bool group_by_session;
	bool disallow_clear;
	const char *config;            /* --config file, read before the command line */
	const char *working_directory; /* NULL: unchanged ("/" when daemonized) */
	unsigned fd_pool_size;         /* 0: the soft RLIMIT_NOFILE */
};

/* 0 to run, 1 to exit successfully (help, version), -1 on a usage error (reported). */
int relayd_parse_options(int argc, char **argv, struct relayd_options *ret_opts);

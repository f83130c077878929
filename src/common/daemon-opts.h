/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * The command line of a daemon (sessiond, consumerd, relayd): each one has
 * its own option table and applies its own options; the getopt loop,
 * --help, --version, an unknown option and a stray argument are handled
 * here, the same way for all three.
 */

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

struct daemon_opts {
	const char *program; /* in messages and the --version line */
	const char *short_options;
	const struct option *long_options; /* 'h' is --help, 'V' is --version */
	void (*usage)(FILE *out);
	/* As lttng-consumerd: an unknown option prints the usage, not a hint. */
	bool usage_on_error;
	/*
	 * Applies option c with its argument arg (NULL for a switch) to opts:
	 * 0 to go on, -1 on a usage error, already reported.
	 */
	int (*apply)(void *opts, int c, const char *arg);
};

/*
 * Parses argv with d into opts. Returns 0 to run, 1 to exit successfully
 * (--help, --version), -1 on a usage error (reported on stderr).
 */
int daemon_opts_parse(const struct daemon_opts *d, int argc, char **argv, void *opts);

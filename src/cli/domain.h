/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Tracing domain options (-u, -k, and lttng's agent domains -j/-l/-p).
 * ringtrace traces user space only: the other domains are recognized so
 * that lttng scripts get a clear error instead of an unknown option.
 */

#include <ringtrace/ctl.h>
#include <stdbool.h>

#include "args.h"

struct domain_opts {
	bool userspace; /* -u */
	bool kernel;    /* -k */
	bool jul;       /* -j */
	bool log4j;     /* -l */
	bool python;    /* -p */
};

/* Records opt when it is one of -u -k -j -l -p; returns whether it was. */
bool domain_opts_parse(struct domain_opts *d, int opt);

/*
 * lttng's checks: none given ("Please specify a domain (...)") or several
 * ("Only one domain must be specified."). Returns CMD_SUCCESS or CMD_ERROR.
 */
int domain_opts_check(const struct domain_opts *d, bool agents_in_message);

/*
 * The error for a domain ringtrace does not trace (kernel or agents), or
 * CMD_SUCCESS for user space.
 */
int domain_opts_supported(const struct domain_opts *d);

/*
 * cli_args_next() for a command acting on a session's domain: takes the
 * domain options into *d and -s/--session's value into *session_opt, and
 * returns the command's other options (or -1, or 0) as cli_args_next().
 */
int domain_args_next(struct cli_args *args, int argc, char **argv, struct domain_opts *d,
                     const char **session_opt);

/*
 * The last checks of a command acting on a session's domain, in lttng's
 * order, once its options and operands are taken: no operand left, the
 * session (session_opt, else the current one), a domain ringtrace traces.
 * Returns CMD_SUCCESS or the command's exit code (message printed).
 */
int domain_command_target(int argc, char **argv, const struct domain_opts *d,
                          const char *session_opt, char ret_session[RINGTRACE_NAME_MAX + 1]);

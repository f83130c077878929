/* SPDX-License-Identifier: MIT */
#include "domain.h"

#include "args.h"
#include "cli.h"
#include "current-session.h"
#include "output.h"

bool domain_opts_parse(struct domain_opts *d, int opt)
{
	switch (opt) {
	case 'u':
		d->userspace = true;
		return true;
	case 'k':
		d->kernel = true;
		return true;
	case 'j':
		d->jul = true;
		return true;
	case 'l':
		d->log4j = true;
		return true;
	case 'p':
		d->python = true;
		return true;
	default:
		return false;
	}
}

int domain_opts_check(const struct domain_opts *d, bool agents_in_message)
{
	unsigned count = d->userspace + d->kernel + d->jul + d->log4j + d->python;

	if (count == 0) {
		cli_err("Please specify a domain (--kernel/--userspace%s).",
		        agents_in_message ? "/--jul/--log4j/--python" : "");
		return CMD_ERROR;
	}
	if (count > 1) {
		cli_err("Only one domain must be specified.");
		return CMD_ERROR;
	}
	return CMD_SUCCESS;
}

int domain_opts_supported(const struct domain_opts *d)
{
	if (d->kernel) {
		cli_err("Kernel tracer not available: ringtrace traces user space applications "
		        "only (use -u/--userspace)");
		return CMD_ERROR;
	}
	if (d->jul || d->log4j || d->python) {
		cli_err("The JUL, log4j and Python agent domains are not supported: ringtrace "
		        "traces user space applications only (use -u/--userspace)");
		return CMD_ERROR;
	}
	return CMD_SUCCESS;
}

int domain_command_target(int argc, char **argv, const struct domain_opts *d,
                          const char *session_opt, char ret_session[RINGTRACE_NAME_MAX + 1])
{
	int r = cli_args_no_leftover(argc, argv);

	if (r == CMD_SUCCESS)
		r = current_session_resolve(session_opt, ret_session);
	if (r == CMD_SUCCESS)
		r = domain_opts_supported(d);
	return r;
}

int domain_args_next(struct cli_args *args, int argc, char **argv, struct domain_opts *d,
                     const char **session_opt)
{
	int opt;

	while ((opt = cli_args_next(args, argc, argv)) > 0) {
		if (opt == 's')
			*session_opt = optarg;
		else if (!domain_opts_parse(d, opt))
			break;
	}
	return opt;
}

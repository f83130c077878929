/* SPDX-License-Identifier: MIT */
#include "args.h"

#include <ctype.h>
#include <stdio.h>

#include "cli.h"
#include "output.h"

void cli_args_begin(void)
{
	optind = 0; /* glibc: full re-initialization */
	opterr = 0;
}

int cli_args_next(int argc, char **argv, const char *shortopts, const struct option *longopts)
{
	int opt = getopt_long(argc, argv, shortopts, longopts, NULL);

	return opt == ':' ? '?' : opt;
}

int cli_show_help(const char *usage)
{
	fputs(usage, stdout);
	if (cli_opts.command)
		printf("\nSee ringtrace-%s(1) for the full manual.\n", cli_opts.command);
	return CMD_SUCCESS;
}

int cli_list_options(const struct option *longopts)
{
	for (const struct option *o = longopts; o->name; o++) {
		printf("--%s\n", o->name);
		if (o->val > 0 && o->val < 0x100 && isprint(o->val))
			printf("-%c\n", o->val);
	}
	return CMD_SUCCESS;
}

const char *cli_args_pop(int argc, char **argv)
{
	return optind < argc ? argv[optind++] : NULL;
}

int cli_args_no_leftover(int argc, char **argv)
{
	const char *leftover = cli_args_pop(argc, argv);

	if (!leftover)
		return CMD_SUCCESS;
	cli_err("Unknown argument: %s", leftover);
	return CMD_ERROR;
}

/* SPDX-License-Identifier: MIT */
#include "args.h"

#include <ctype.h>
#include <stdio.h>

#include "cli.h"
#include "output.h"

static void list_options(const struct option *longopts)
{
	for (const struct option *o = longopts; o->name; o++) {
		printf("--%s\n", o->name);
		if (o->val > 0 && o->val < 0x100 && isprint(o->val))
			printf("-%c\n", o->val);
	}
}

int cli_args_next(struct cli_args *args, int argc, char **argv)
{
	int opt;

	if (!args->started) {
		optind = 0; /* glibc: full re-initialization */
		opterr = 0;
		args->started = true;
	}
	opt = getopt_long(argc, argv, args->shortopts, args->longopts, NULL);
	switch (opt) {
	case 'h':
		fputs(args->usage, stdout);
		if (cli_opts.command)
			printf("\nSee ringtrace-%s(1) for the full manual.\n", cli_opts.command);
		args->result = CMD_SUCCESS;
		return 0;
	case OPT_LIST_OPTIONS:
		list_options(args->longopts);
		args->result = CMD_SUCCESS;
		return 0;
	case '?':
	case ':':
		args->result = CMD_UNDEFINED;
		return 0;
	default:
		return opt;
	}
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

bool cli_args_common_only(int argc, char **argv, const char *usage, int *ret_result)
{
	static const struct option common_options[] = {
	    CLI_COMMON_LONG_OPTIONS,
	    {NULL, 0, NULL, 0},
	};
	struct cli_args args = {.usage = usage, .shortopts = "h", .longopts = common_options};

	if (cli_args_next(&args, argc, argv) != 0)
		return true;
	*ret_result = args.result;
	return false;
}

int cli_args_optional_operand(int argc, char **argv, bool none, const char **ret_operand)
{
	*ret_operand = none ? NULL : cli_args_pop(argc, argv);
	return cli_args_no_leftover(argc, argv);
}

/* SPDX-License-Identifier: MIT */
#include "daemon-opts.h"

#include "config.h"

int daemon_opts_parse(const struct daemon_opts *d, int argc, char **argv, void *opts)
{
	int c, r;

	while ((c = getopt_long(argc, argv, d->short_options, d->long_options, NULL)) != -1) {
		switch (c) {
		case 'h':
			d->usage(stdout);
			return 1;
		case 'V':
			printf("%s %s\n", d->program, RINGTRACE_VERSION);
			return 1;
		case '?':
			if (d->usage_on_error)
				d->usage(stderr);
			else
				fprintf(stderr, "Try '%s --help' for more information.\n",
				        d->program);
			return -1;
		default:
			r = d->apply(opts, c, optarg);
			if (r != 0)
				return r;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "%s: unexpected argument \"%s\"\n", d->program, argv[optind]);
		return -1;
	}
	return 0;
}

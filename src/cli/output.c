/* SPDX-License-Identifier: MIT */
#include "output.h"

#include <stdarg.h>
#include <stdio.h>

#include "cli.h"
#include <ringtrace/ctl.h>

static void print(FILE *stream, const char *prefix, const char *fmt, va_list ap, bool newline)
{
	if (cli_opts.quiet)
		return;
	if (stream == stderr)
		fflush(stdout); /* keep the order of interleaved stdout and stderr lines */
	fputs(prefix, stream);
	vfprintf(stream, fmt, ap);
	if (newline)
		fputc('\n', stream);
	else
		fflush(stream);
}

#define DEFINE_PRINTER(fn, stream, prefix, newline)                                                \
	void fn(const char *fmt, ...)                                                              \
	{                                                                                          \
		va_list ap;                                                                        \
                                                                                                   \
		va_start(ap, fmt);                                                                 \
		print(stream, prefix, fmt, ap, newline);                                           \
		va_end(ap);                                                                        \
	}

DEFINE_PRINTER(cli_msg, stdout, "", true)
DEFINE_PRINTER(cli_msg_partial, stdout, "", false)
DEFINE_PRINTER(cli_err, stderr, "Error: ", true)
DEFINE_PRINTER(cli_warn, stderr, "Warning: ", true)
DEFINE_PRINTER(cli_note, stderr, "", true)
DEFINE_PRINTER(cli_note_partial, stderr, "", false)

void cli_debug(const char *fmt, ...)
{
	va_list ap;

	if (cli_opts.verbose < 1)
		return;
	va_start(ap, fmt);
	print(stderr, "Debug: ", fmt, ap, true);
	va_end(ap);
}

void cli_err_code(int r)
{
	cli_err("%s", ringtrace_strerror(r));
	if (ringtrace_error_detail()[0])
		cli_err("%s", ringtrace_error_detail());
}

/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * What the user sees, as lttng's MSG/ERR/WARN: messages on stdout, errors
 * and warnings on stderr prefixed "Error: " / "Warning: ", nothing at all
 * with -q; debug lines with -v.
 */

#define CLI_PRINTF(a, b) __attribute__((format(printf, a, b)))

void cli_msg(const char *fmt, ...) CLI_PRINTF(1, 2);         /* stdout, with newline */
void cli_msg_partial(const char *fmt, ...) CLI_PRINTF(1, 2); /* stdout, flushed, no newline */
void cli_err(const char *fmt, ...) CLI_PRINTF(1, 2);
/* lttng's line for error r, then the session daemon's detail about it, if any. */
void cli_err_code(int r);
void cli_warn(const char *fmt, ...) CLI_PRINTF(1, 2);
void cli_debug(const char *fmt, ...) CLI_PRINTF(1, 2);
/* stderr without prefix, for commands that wrap another program's output (record). */
void cli_note(const char *fmt, ...) CLI_PRINTF(1, 2);
void cli_note_partial(const char *fmt, ...) CLI_PRINTF(1, 2);

/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * The current session, as lttng's ~/.lttngrc: a file
 * $RINGTRACE_HOME/.ringtracerc (else $HOME/.ringtracerc) holding a line
 * `session=NAME`. `create` sets it, `destroy` of that session removes it,
 * commands without -s/--session (or a NAME argument) use it.
 */

#include <ringtrace/ctl.h>
#include <stdbool.h>

#define CURRENT_SESSION_FILE_NAME ".ringtracerc"

/*
 * Reads the current session. Without one, prints lttng's messages ("Can't
 * find valid ... config" and the hint to create a session) and returns
 * CMD_ERROR; returns CMD_SUCCESS otherwise.
 */
int current_session_get(char ret_name[RINGTRACE_NAME_MAX + 1]);

/* The same without any message; returns 0 or a negative errno. */
int current_session_get_quiet(char ret_name[RINGTRACE_NAME_MAX + 1]);

/*
 * The session a command acts on: `explicit_name` (from -s or an argument)
 * when not NULL, else the current one (with current_session_get()'s
 * messages). Returns CMD_SUCCESS or CMD_ERROR.
 */
int current_session_resolve(const char *explicit_name, char ret_name[RINGTRACE_NAME_MAX + 1]);

/*
 * For commands whose only operand is an optional session name, once their
 * options are parsed: takes that operand, refuses any other, and resolves
 * the session as current_session_resolve(). Returns CMD_SUCCESS or the
 * command's exit code.
 */
int current_session_from_args(int argc, char **argv, char ret_name[RINGTRACE_NAME_MAX + 1]);

/* Makes name the current session. Returns 0 or a negative errno (message printed). */
int current_session_set(const char *name);

/* Forgets the current session (the file is removed). */
void current_session_clear(void);

/*
 * The whole command line of `COMMAND [-n | --no-wait] [SESSION]` (stop,
 * rotate): *ret_no_wait and the session as current_session_from_args().
 * True when the command goes on; false when it must return *ret_result at
 * once (help shown, options listed, bad option or operand, no session).
 */
bool current_session_parse_no_wait(int argc, char **argv, const char *usage, bool *ret_no_wait,
                                   char ret_name[RINGTRACE_NAME_MAX + 1], int *ret_result);

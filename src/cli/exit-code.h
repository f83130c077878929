/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Exit status of the ringtrace command. lttng exits with a command result
 * (0 success, 1 error, 2 undefined, 3 fatal, 4 warning, 5 unsupported) or,
 * for errors reported by its control library, with the LTTNG_ERR_* number
 * (e.g. 23 for an unknown session given to `destroy`). ringtrace's error
 * codes are numbered differently, so they are translated to lttng's.
 */

/* result: a CMD_* value or a negative RINGTRACE_ERR_* code. */
int cli_exit_code(int result);

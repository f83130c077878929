/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * State dumps (lttng-ust 2.13's lttng_ust_statedump events): when a session
 * becomes active in the app, and when the session daemon asks again
 * (UST_CMD_SESSION_STATEDUMP, `regenerate statedump`), the app records into
 * that session, if it records any lttng_ust_statedump event:
 *   start, procname, then per loaded object bin_info (+ build_id,
 *   debug_link when the ELF file has them), then end.
 * LTTNG_UST_WITHOUT_PROCNAME_STATEDUMP / LTTNG_UST_WITHOUT_BADDR_STATEDUMP
 * (or their RINGTRACE_ spellings), set in the app's environment, leave out
 * procname / the objects, as in lttng-ust.
 *
 * Commands only mark sessions (rt_comm_session.statedump_pending); the dump
 * runs on the target's listener thread once the command's reply is sent, and
 * not before the connection's REGISTER_DONE: the constructor, which waits for
 * REGISTER_DONE, is released only after the dumps of sessions that were
 * already active, so that they precede the program's own events.
 */

#include <stdbool.h>

struct rt_comm_target;

/*
 * Runs and clears the dumps pending for the target's sessions. Called by
 * the target's listener thread without rt_ust_lock held (it takes it, and
 * walks the loaded objects with dl_iterate_phdr() outside it).
 */
void rt_statedump_run_pending(struct rt_comm_target *target);

/* False when LTTNG_UST_WITHOUT_BADDR_STATEDUMP (or RINGTRACE_...) is set. */
bool rt_statedump_baddr_enabled(void);

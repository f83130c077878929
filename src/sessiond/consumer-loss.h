/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Sessions whose consumer daemon died. A session's channels and relay
 * connections live in the consumer instance that created them
 * (consumer.h); when that instance dies, the trace data it had not written
 * is lost and the session cannot record any more: a new consumer knows none
 * of its channels, and its apps write into ring buffers nobody reads.
 *
 * Such a session is marked for its lifetime (session.consumer_lost) the
 * first time the loss is seen: right after the death, by the sweep the
 * session daemon runs on SIGCHLD (or, for a death a request saw, before
 * the next client command), or by the first command that checks it,
 * whichever comes first; the marking is logged once per session. From then
 * on the commands that need the consumer refuse with
 * RINGTRACE_ERR_CONSUMER_LOST, leaving the session as it is; stop still
 * stops the apps, destroy still removes the session; list shows it. A
 * session without buffers when the consumer died lost nothing: its first
 * app gets buffers in a new consumer, spawned on demand.
 *
 * Locking: session_list_lock() held, as for everything about sessions,
 * except consumer_loss_sweep(), which takes it.
 */

#include <stdbool.h>
#include <stdint.h>

#include "cmd.h"
#include "session.h"

/* True (and s marked, the first time) when s lost its consumer daemon. */
bool consumer_loss_check(struct session *s);
/* Marks every session that lost its consumer; called once a consumer died. */
void consumer_loss_sweep(void);
/*
 * 0, or -RINGTRACE_ERR_CONSUMER_LOST with an error detail naming the death
 * when s lost its consumer.
 */
int consumer_loss_refuse(struct session *s);
/*
 * Before every client command: marks the sessions of a death not checked
 * yet, then -RINGTRACE_ERR_CONSUMER_LOST (detail set) when the command
 * needs the consumer and names a session that lost it, else 0 (errors about
 * the session itself are left to the command's handler).
 */
int consumer_loss_guard(uint32_t command, const struct cmd_ctx *ctx);

/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Scheduled rotations, as lttng's enable-rotation: a periodic timer and a
 * size threshold per session, both run by one thread. The thread sleeps in
 * ppoll() on the channel monitor pipe (channel-monitor.h) and on its wakeup
 * eventfd, until the nearest timer deadline of any session; it reads the
 * samples (a session that wrote rotate_size more bytes since the threshold
 * was set is rotated), then rotates the sessions whose timer is due. Every
 * scheduled rotation is a cmd_session_rotate(), under session_list_lock(),
 * so it makes an archive exactly as the rotate command does, and never
 * runs concurrently with a client command on the session.
 *
 * Timer semantics are lttng's: set on a started session it runs at once,
 * else from the next start; stop does not stop it, but a stopped session
 * is rotated once at most (cmd_session_rotate refuses the next ones,
 * quietly skipped here); unsetting the schedule or destroying the session
 * stops it. A size threshold counts consumed_bytes from the monitor
 * samples: the first rotation when the session has written rotate_size
 * bytes in all, each next one rotate_size bytes after the previous one.
 * Unlike lttng's, a stopped session is never rotated for its size: the
 * packets its stop flushed are sampled after `stop` (and its wait for the
 * data) returned, and rotating then would rename the chunk a reader was
 * told is complete; a threshold reached while stopped rotates at the first
 * sample after the next start. So once `stop` returns, only a periodic
 * rotation (lttng's once-after-stop) changes the trace.
 */

#include <stdint.h>

struct session;

/*
 * Creates the channel monitor pipe and starts the thread, which reads it
 * from now on. Stopping leaves the pipe open (the consumer may still write
 * samples, which then stay unread): channel_monitor_close() once the
 * consumer is gone.
 */
int rotation_schedule_start(void);
void rotation_schedule_stop(void);

/* A schedule changed or a session started: the thread computes its next wakeup again. */
void rotation_schedule_wake(void);
/* At start (session_list_lock() held): arms the session's timer if set and not running. */
void rotation_schedule_session_started(struct session *s);
/* Monitor sample (session_list_lock() held): bytes written; may rotate the session. */
void rotation_schedule_account(struct session *s, uint64_t bytes);

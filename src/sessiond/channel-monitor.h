/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * The session daemon's end of channel monitoring: a pipe whose write end
 * every consumer daemon gets (SET_CHANNEL_MONITOR_PIPE), and whose read
 * end the rotation schedule thread reads. Each sample (consumer-msg.h,
 * struct consumer_channel_monitor_msg) adds the bytes its channel wrote to
 * its session's consumed_bytes, which size-based rotations watch.
 */

/* Creates the pipe and hands its write end to consumer.c: 0 or a negative errno. */
int channel_monitor_init(void);
/* Read end (non-blocking), to poll; -1 before init. */
int channel_monitor_read_fd(void);
/*
 * Reads the samples waiting in the pipe and accounts them to their
 * sessions (rotation_schedule_account()), under session_list_lock().
 */
void channel_monitor_read_samples(void);
void channel_monitor_close(void);

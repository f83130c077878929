/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Channel monitoring, as lttng's consumer monitor timer: at each period of
 * a channel's monitor timer the data thread samples its streams (usage in
 * bytes of the fullest and emptiest ring, bytes written to the trace) and
 * writes one struct consumer_channel_monitor_msg to the pipe the session
 * daemon handed over with SET_CHANNEL_MONITOR_PIPE.
 *
 * Sampling reads ring-buffer positions and counters atomically and takes
 * no lock: neither producers nor the stream locks of the drain are
 * touched. It runs on the data thread, the only thread that consumes a
 * lent channel's streams, as rb_stream_usage_bytes() requires. The pipe
 * is non-blocking: a full pipe drops the sample, and the next sample sent
 * carries the bytes the dropped one would have.
 */

struct consumer_channel;
struct command_request;

/* Data thread: samples the channel and sends the sample, if a pipe is set. */
void monitor_sample_channel(struct consumer_channel *channel);

/* SET_CHANNEL_MONITOR_PIPE handler (command.h contract); takes the request's fd. */
int cmd_set_channel_monitor_pipe(const struct command_request *req);

/* Closes the pipe at exit, once the data thread is stopped. */
void monitor_close_pipe(void);

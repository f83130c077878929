/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * The data thread: one epoll set holding every stream's wakeup eventfd,
 * every channel's read, switch and monitor timerfds, and the eventfd of its request
 * queue. On a wakeup it clears the eventfd and writes out all delivered
 * sub-buffers of that stream (stream-output.h); on a read timer it does the
 * same for every stream of the channel (the safety net when a wakeup is
 * missed); on a switch timer it flushes every stream of the channel first;
 * on a monitor timer it sends the channel's usage sample (monitor.h).
 *
 * The command thread talks to it only through the synchronous requests
 * below. A request is served between two batches of epoll events, so once
 * data_thread_remove_channel() returns, the data thread holds no reference
 * to the channel and will never touch it again.
 */

struct consumer_channel;

int data_thread_start(void);
/* Stops and joins the thread. Every channel must have been removed. */
void data_thread_stop(void);

/* Starts serving a DATA channel's streams and timers. */
int data_thread_add_channel(struct consumer_channel *channel);
void data_thread_remove_channel(struct consumer_channel *channel);
/* Writes out everything already delivered in the channel's streams, then returns. */
void data_thread_drain_channel(struct consumer_channel *channel);

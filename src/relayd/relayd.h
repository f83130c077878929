/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * ringtrace-relayd: receives traces from LTTng 2.13-compatible consumers
 * (control port 5342, data port 5343) and serves live viewers (5344).
 *
 * Concurrency: one thread runs one epoll loop over every socket. Each
 * connection is a non-blocking state machine (connection.c) that never waits
 * for its peer, so a slow or stalled peer delays nobody else, and sessions,
 * streams and chunks are plain objects touched by that thread only: no
 * locks. The relay is bound by network and page-cache copies, which one core
 * sustains well beyond a consumer's rate; threads would add locking between
 * the control, data and live sides of every stream for no gain on 2 cores.
 */

#include <limits.h>
#include <stdbool.h>

#define RELAYD_PROGRAM_NAME "ringtrace-relayd"

struct relayd_config {
	char output_dir[PATH_MAX]; /* absolute */
	bool group_by_session;     /* --group-output-by-session */
	bool allow_clear;          /* not --disallow-clear */
};

extern struct relayd_config relayd_config;

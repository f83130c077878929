/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Per-PID buffers: for each (session, app) of a session whose channels are
 * per-PID, a metadata registry of its own (tracer_buffering_scheme "pid"),
 * its metadata channel and one consumer data channel per enabled channel of
 * the session, whose stream descriptors go to that app only. Output
 * directory: <session output>/ust/pid/<procname>-<pid>-<YYYYMMDD-HHMMSS>
 * (app registration time, local time).
 *
 * The buffers belong to the session and are named by the app's id. They
 * live until the app goes (buffer_pid_release_app: flushed, drained and
 * destroyed, the final counters of its channels kept for the listings) or
 * the session is destroyed.
 *
 * Locking: everything here runs under session_list_lock() (the registries
 * have their own lock).
 */

#include <limits.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>
#include <urcu/list.h>

#include "consumer.h"
#include "session.h"

struct ust_registry;

/* What the buffers of an app need to know about it. */
struct buffer_pid_owner {
	uint64_t app_id; /* unique for the daemon's lifetime */
	pid_t pid;
	const char *procname;
	time_t registration_time;
	uint32_t bits_per_long;
	uint32_t uint8_align_bits;
	uint32_t uint16_align_bits;
	uint32_t uint32_align_bits;
	uint32_t uint64_align_bits;
	uint32_t long_align_bits;
};

struct buffer_pid_channel {
	uint32_t session_chan_id; /* session_channel.id */
	uint32_t stream_id;       /* registry channel id */
	uint64_t key;             /* consumer channel key */
	uint32_t nr_streams;
	/* Indexed by cpu; NULL once the app has them (buffer_pid_streams_sent). */
	struct consumer_stream_fd_pair *streams;
	struct cds_list_head node; /* in buffer_pid.channels */
};

struct buffer_pid {
	uint64_t app_id;
	pid_t pid;
	struct ust_registry *registry; /* reference owned */
	uint64_t metadata_key;
	char path[PATH_MAX];           /* output directory of its channels */
	struct cds_list_head channels; /* struct buffer_pid_channel */
	struct cds_list_head node;     /* in the session's per-PID set */
};

/*
 * New buffers for the app in session s: registry, metadata channel and the
 * data channels of every enabled channel. Errors: negative enum
 * ringtrace_error_code.
 */
int buffer_pid_create(struct session *s, const struct buffer_pid_owner *owner,
                      struct buffer_pid **ret_buf);

/* Creates the data channels of channels enabled since the buffers were made. */
int buffer_pid_sync_channels(struct session *s, struct buffer_pid *buf);

struct buffer_pid_channel *buffer_pid_find_channel(struct buffer_pid *buf,
                                                   uint32_t session_chan_id);

/* The app has the streams: the daemon's copies of their descriptors are closed. */
void buffer_pid_streams_sent(struct buffer_pid_channel *chan);

/* Calls fn for each per-PID buffer of the session; stops at the first nonzero return. */
int buffer_pid_for_each(struct session *s, int (*fn)(struct buffer_pid *buf, void *arg), void *arg);
/* Flushes every per-PID data channel of the session; first error returned. */
int buffer_pid_flush_all(struct session *s);

/*
 * Sums the counters of chan over the per-PID buffers of the session,
 * including the final counts of apps already gone.
 */
int buffer_pid_channel_counters(struct session *s, const struct session_channel *chan,
                                uint64_t *ret_discarded, uint64_t *ret_lost);

/*
 * The app is gone: its buffers in s are flushed, drained to their files
 * and destroyed. Nothing to do when it has none.
 */
void buffer_pid_release_app(struct session *s, uint64_t app_id);

/* Destroys every per-PID buffer of the session (flushed and drained first). */
void buffer_pid_destroy_all(struct session *s);

/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * The buffers of a session: each has a metadata registry, its metadata
 * channel in the consumer and one consumer data channel per enabled
 * channel of the session, whose stream descriptors are kept here until
 * they go to the apps. Two placements, chosen by the session's channels:
 *
 * - per-UID (buffer-uid.c): one buffer per (uid, bits_per_long) with apps,
 *   its streams passed to every app of that uid; output directory
 *   <output>/ust/uid/<uid>/<bits>-bit.
 * - per-PID (buffer-pid.c): one buffer per app, its streams handed to that
 *   app alone; output directory <output>/ust/pid/<procname>-<pid>-<time>.
 *   It lives until the app goes (buffer_release_app: flushed, drained and
 *   destroyed, the final counters of its channels kept for the listings).
 *
 * The output directory is kept relative to the session's current trace
 * chunk, so that channels enabled after a rotation land in the new chunk.
 *
 * Locking: the buffers of a session are created, read and destroyed under
 * session_list_lock() only (their registries have their own lock).
 */

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>
#include <urcu/list.h>

#include "consumer.h"
#include "session.h"

struct ust_registry;

enum buffer_kind {
	BUFFER_PER_UID,
	BUFFER_PER_PID,
};

/* What a buffer needs to know about the app(s) that use it. */
struct buffer_owner {
	uint32_t uid;
	uint64_t app_id; /* per-PID: unique for the daemon's lifetime */
	pid_t pid;       /* per-PID */
	const char *procname;
	time_t registration_time;
	uint32_t bits_per_long;
	uint32_t uint8_align_bits;
	uint32_t uint16_align_bits;
	uint32_t uint32_align_bits;
	uint32_t uint64_align_bits;
	uint32_t long_align_bits;
};

struct buffer_channel {
	uint32_t session_chan_id; /* session_channel.id */
	uint32_t stream_id;       /* registry channel id */
	uint64_t key;             /* consumer channel key */
	uint32_t nr_streams;
	/* Indexed by cpu; per-PID: NULL once the app has them (buffer_streams_sent). */
	struct consumer_stream_fd_pair *streams;
	struct cds_list_head node; /* in buffer.channels */
};

struct buffer {
	enum buffer_kind kind;
	uint32_t uid;                  /* per-UID */
	uint32_t bits_per_long;        /* per-UID */
	uint64_t app_id;               /* per-PID */
	pid_t pid;                     /* per-PID */
	struct ust_registry *registry; /* reference owned */
	uint64_t metadata_key;
	char dir[PATH_MAX];            /* "ust/uid/..." or "ust/pid/...", in the chunk */
	struct cds_list_head channels; /* struct buffer_channel */
	struct cds_list_head node;     /* in the session's buffer set */
};

/*
 * The per-UID buffer of (s, owner->uid, owner->bits_per_long), created on
 * demand. Errors: negative enum ringtrace_error_code.
 */
int buffer_uid_get(struct session *s, const struct buffer_owner *owner, struct buffer **ret_buf);
/* New per-PID buffers for the app owner->app_id in s. Errors as above. */
int buffer_pid_create(struct session *s, const struct buffer_owner *owner, struct buffer **ret_buf);

/*
 * Shared by the two placements: a new buffer of `kind` in directory dir
 * (relative to the chunk) with its registry, metadata channel and the
 * data channels of every enabled channel, added to the session's set.
 */
int buffer_create(struct session *s, enum buffer_kind kind, const struct buffer_owner *owner,
                  const char *dir, struct buffer **ret_buf);
/*
 * The directory of the buffer whose dir is `dir` in the session's current
 * trace chunk: absolute for local sessions; relative to the relay's chunk
 * for network sessions and to each snapshot's directory for snapshot
 * sessions. Errors: -RINGTRACE_ERR_OUTPUT_PATH.
 */
int buffer_output_path(const struct session *s, const char *dir, char ret_path[PATH_MAX]);
/* The first buffer of the session for which match(buf, arg) is true, or NULL. */
struct buffer *buffer_find(struct session *s,
                           bool (*match)(const struct buffer *buf, const void *arg),
                           const void *arg);

/* Creates the data channels of channels enabled since the buffer was made. */
int buffer_sync_channels(struct session *s, struct buffer *buf);
struct buffer_channel *buffer_find_channel(struct buffer *buf, uint32_t session_chan_id);
/* Per-PID: the app has the streams, the daemon's copies of their descriptors are closed. */
void buffer_streams_sent(struct buffer_channel *chan);
/* Calls fn for each buffer of the session; stops at the first nonzero return and returns it. */
int buffer_for_each(struct session *s, int (*fn)(struct buffer *buf, void *arg), void *arg);
/* Flushes every data channel of the session in the consumer; first error returned. */
int buffer_flush_all(struct session *s);
/*
 * Sums the consumer's counters of chan over every buffer of the session,
 * including the final counts of per-PID buffers of apps already gone.
 */
int buffer_channel_counters(struct session *s, const struct session_channel *chan,
                            uint64_t *ret_discarded, uint64_t *ret_lost);
/* The app is gone: its per-PID buffers in s are flushed, drained and destroyed. */
void buffer_release_app(struct session *s, uint64_t app_id);
/* Destroys every buffer of the session (flushed and drained first). */
void buffer_destroy_all(struct session *s);

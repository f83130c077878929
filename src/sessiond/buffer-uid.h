/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Per-UID buffers: for each (session, uid, bits_per_long) that has apps, a
 * metadata registry, its metadata channel in the consumer and one consumer
 * data channel per enabled channel of the session, whose stream descriptors
 * are kept here to be passed to every app of that uid. Output directory:
 * <session output>/ust/uid/<uid>/<bits>-bit.
 *
 * Locking: the buffers of a session are created, read and destroyed under
 * session_list_lock() only (their registries have their own lock).
 */

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <urcu/list.h>

#include "consumer.h"
#include "session.h"

struct ust_registry;

/* What a buffer needs to know about the apps that use it. */
struct buffer_uid_owner {
	uint32_t uid;
	uint32_t bits_per_long;
	uint32_t uint8_align_bits;
	uint32_t uint16_align_bits;
	uint32_t uint32_align_bits;
	uint32_t uint64_align_bits;
	uint32_t long_align_bits;
};

struct buffer_uid_channel {
	uint32_t session_chan_id; /* session_channel.id */
	uint32_t stream_id;       /* registry channel id */
	uint64_t key;             /* consumer channel key */
	uint32_t nr_streams;
	struct consumer_stream_fd_pair *streams; /* indexed by cpu */
	struct cds_list_head node;               /* in buffer_uid.channels */
};

struct buffer_uid {
	uint32_t uid;
	uint32_t bits_per_long;
	struct ust_registry *registry; /* reference owned */
	uint64_t metadata_key;
	struct cds_list_head channels; /* struct buffer_uid_channel */
	struct cds_list_head node;     /* in the session's buffer list */
};

/*
 * The buffer of (s, owner->uid, owner->bits_per_long), created on demand
 * with its registry, metadata channel and the data channels of every
 * enabled channel of the session. Errors: negative enum ringtrace_error_code.
 */
int buffer_uid_get(struct session *s, const struct buffer_uid_owner *owner,
                   struct buffer_uid **ret_buf);

/* Creates the data channels of channels enabled since the buffer was made. */
int buffer_uid_sync_channels(struct session *s, struct buffer_uid *buf);

struct buffer_uid_channel *buffer_uid_find_channel(struct buffer_uid *buf,
                                                   uint32_t session_chan_id);

/* Flushes every data channel of the session in the consumer; first error returned. */
int buffer_uid_flush_all(struct session *s);

/* Sums the consumer's counters of chan over every buffer of the session. */
int buffer_uid_channel_counters(struct session *s, const struct session_channel *chan,
                                uint64_t *ret_discarded, uint64_t *ret_lost);

/* Calls fn for each buffer of the session; stops at the first nonzero return and returns it. */
int buffer_uid_for_each(struct session *s, int (*fn)(struct buffer_uid *buf, void *arg), void *arg);
/* Destroys every buffer of the session in the consumer and here. */
void buffer_uid_destroy_all(struct session *s);

/* Shared with buffer-pid.c. */

/* Streams per data channel: the number of possible CPUs. */
uint32_t buffer_possible_cpu_count(void);
/*
 * Creates the metadata channel in the consumer: req comes with its buffer's
 * fields (ask_channel_init); its key is chosen here (req->key on success).
 */
int buffer_ask_metadata_channel(struct consumer_ask_channel *req);
/*
 * Creates a data channel in the consumer for a session channel: req comes
 * with its buffer's fields (ask_channel_init), key, nr_streams and
 * stream_id set; the channel's attributes are filled in here. On success
 * *ret_streams holds the nr_streams streams' fds by cpu (the caller owns
 * them); on failure nothing is left in the consumer.
 */
int buffer_ask_data_channel(struct consumer_ask_channel *req, const struct session_channel *schan,
                            struct consumer_stream_fd_pair **ret_streams);

/* "<reason>" for a negative error of consumer.h (errno or consumer return code). */
const char *buffer_uid_consumer_strerror(int r);
/* A consumer.h error as a negative enum ringtrace_error_code. */
int buffer_uid_consumer_error(int r);

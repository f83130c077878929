/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Channels and streams as the consumer daemon holds them.
 *
 * Ownership and threads: the command thread creates, finds and destroys
 * channels; the registry (channel_registry_*) is touched by the command
 * thread only and needs no lock. A DATA channel is lent to the data thread
 * (data_thread_add_channel) from its creation until data_thread_remove_channel
 * returns, which the command thread calls before tearing it down, so the
 * data thread never sees a freed channel. Everything a stream shares between
 * the two threads (ring-buffer consumer position, output files, counters)
 * is under the stream's lock; channel fields are immutable once the channel
 * is registered, except the metadata state, used by the command thread only.
 */

#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <urcu/list.h>

#include "common/comm/consumer-msg.h"
#include "common/uuid.h"

struct consumer_channel;
struct consumer_stream;
struct output_ops;
struct rb_stream;
struct relay_session;

/* What an epoll event of the data thread refers to. */
enum epoll_source_kind {
	EPOLL_SOURCE_NOTIFY,        /* data thread request queue */
	EPOLL_SOURCE_STREAM_WAKEUP, /* a stream's wakeup eventfd */
	EPOLL_SOURCE_READ_TIMER,    /* channel read timer (safety-net polling) */
	EPOLL_SOURCE_SWITCH_TIMER,  /* channel switch timer (flush partial packets) */
	EPOLL_SOURCE_LIVE_TIMER,    /* channel live timer (flush, or beacon when idle) */
	EPOLL_SOURCE_MONITOR_TIMER, /* channel monitor timer (usage sample, monitor.h) */
};

struct epoll_source {
	enum epoll_source_kind kind;
	union {
		struct consumer_stream *stream;
		struct consumer_channel *channel;
	};
};

struct consumer_stream {
	pthread_mutex_t lock;
	struct consumer_channel *channel;
	uint32_t cpu;
	struct rb_stream *rb; /* consumer-side mapping, until the channel is destroyed */
	int shm_fd;           /* owned; sent to sessiond by GET_CHANNEL */
	int wakeup_fd;        /* owned; sent to sessiond by GET_CHANNEL */
	int data_fd;          /* <pathname>/<name>_<cpu>[_<tracefile_index>] */
	int index_fd;         /* <pathname>/index/<name>_<cpu>[_<tracefile_index>].idx */
	char data_file_name[PATH_MAX];
	char index_file_name[PATH_MAX];
	uint64_t data_file_bytes;    /* end of the last packet written */
	uint64_t data_file_dropped;  /* bytes written back and dropped from the page cache */
	bool writeback_error_logged; /* one message per data file whose writeback failed */
	uint64_t index_file_bytes;   /* header + one entry per packet written */
	uint64_t tracefile_index;    /* number of the current file (with a size cap) */
	bool write_error_logged;     /* one error message per run of failed writes */
	/*
	 * Not 0: a rotation could not create the stream's files in the new chunk
	 * (disk full), this is why (negative errno). They are created before the
	 * next packet written, at most one attempt every 250 ms (files_retry_ns,
	 * CLOCK_MONOTONIC; 0: at once), and the packets meanwhile are counted as
	 * lost (output-local.c).
	 */
	int files_error;
	uint64_t files_retry_ns;
	uint64_t packets_written;
	/*
	 * Bytes of packets written to the trace, all files and chunks: written
	 * under the lock, read by the monitor sample (atomic, relaxed).
	 */
	uint64_t bytes_written_total;
	uint64_t lost_packets;           /* write errors + packet sequence gaps */
	uint64_t next_seq_num;           /* expected packet_seq_num of the next packet */
	uint64_t chunk_first_seq;        /* next_seq_num when the current trace chunk began */
	uint64_t events_discarded_floor; /* highest events_discarded written so far */
	/* Stuck detection for DATA_PENDING (clock: CLOCK_MONOTONIC ns). */
	uint64_t last_progress_ns; /* last time a sub-buffer was consumed */
	uint64_t flushed_at_ns;    /* last FLUSH_CHANNEL, 0 if never */
	bool stuck_reported;       /* warning already logged for this flush */
	/* The stop's header-only packet waits for a free slot (channel_flush_streams). */
	bool final_flush_owed;
	/* rb_stream_produced() after the last FLUSH_CHANNEL (stop): see stream_output_quiescent().
	 */
	uint64_t quiescent_pos;
	struct epoll_source wakeup_source;
	/* Relay output: the relay's handle of the stream and the next packet's net_seq_num. */
	uint64_t relay_handle;
	uint64_t relay_next_seq;
};

struct consumer_channel {
	struct cds_list_head registry_node;
	uint64_t key;
	uint64_t session_id;
	enum consumer_channel_type type;
	char name[256];
	char pathname[PATH_MAX];
	uid_t uid;
	gid_t gid;
	uint32_t stream_id;
	uint8_t uuid[RT_UUID_LEN];
	uint64_t subbuf_size;
	uint32_t num_subbuf;
	bool overwrite;
	uint32_t switch_timer_us;
	uint32_t read_timer_us;    /* 0 in the request means the default */
	uint32_t monitor_timer_us; /* 0: no usage samples */
	/*
	 * Size cap of each stream file (0: one file, no cap) and number of
	 * files kept per stream (0: no limit), as lttng's --tracefile-size
	 * and --tracefile-count.
	 */
	uint64_t tracefile_size;
	uint32_t tracefile_count;
	/*
	 * false in snapshot sessions (lttng's monitor flag): no files, streams
	 * never drained, metadata text kept in memory; only snapshot.c reads.
	 */
	bool monitor;
	/* Where the data goes (output.h); relay: the session's relay connections, referenced. */
	const struct output_ops *output;
	struct relay_session *relay;
	uint64_t relay_metadata_handle; /* METADATA channel on a relay */
	uint32_t live_timer_us;         /* 0: not a live session */

	/* DATA channels. */
	uint32_t nr_streams;
	struct consumer_stream *streams;
	int read_timer_fd;
	int switch_timer_fd;  /* -1 without switch timer */
	int live_timer_fd;    /* -1 without live timer */
	int monitor_timer_fd; /* -1 without monitor timer */
	struct epoll_source read_timer_source;
	struct epoll_source switch_timer_source;
	struct epoll_source live_timer_source;
	struct epoll_source monitor_timer_source;
	uint64_t monitor_bytes_sent; /* data thread: bytes_written_total of the last sample sent */
	bool lent_to_data_thread;
	/* Rotated to no trace chunk (a stopped session), until the next rotation (command thread).
	 */
	bool in_no_chunk;

	/* METADATA channels (command thread only). */
	int metadata_fd;
	char metadata_file_name[PATH_MAX];
	uint64_t metadata_text_bytes; /* TSDL text written so far = next target_offset */
	uint64_t metadata_file_bytes; /* packetized bytes written out */
	char *metadata_text;          /* unmonitored: the whole text (metadata_text_bytes) */
	uint64_t metadata_text_cap;
	uint64_t metadata_version; /* of the text held: a push of a higher one starts over */
	bool metadata_closed;
	/* A rotation could not create the metadata file: made by the next push. */
	bool metadata_file_owed;
};

#define CHANNEL_DEFAULT_READ_TIMER_US 200000u

/*
 * Creates a channel from a validated request: ring buffers, consumer
 * mappings and output files for DATA, the metadata file for METADATA.
 * Returns 0 or a negative consumer return code (-CONSUMERD_*), with
 * nothing left behind on failure.
 */
int channel_create(const struct consumer_ask_channel *req, struct consumer_channel **ret_channel);

/*
 * Creates the data and index files of a stream: <name>_<cpu>, or
 * <name>_<cpu>_<tracefile_index> when the channel has a size cap, and
 * index/ the same + ".idx" with its header; resets the stream's byte
 * counts. An existing file of that name is truncated. Returns 0 or a
 * negative errno (logged), leaving whatever it opened in the stream's fds.
 */
int channel_stream_open_files(struct consumer_stream *stream, uint64_t tracefile_index);

/* Creates <pathname>/index (and <pathname>): 0 or a negative consumer return code (logged). */
int channel_create_index_dir(struct consumer_channel *channel);

/* Closes a stream's data and index files (kept on disk). */
void channel_stream_close_files(struct consumer_stream *stream);

/*
 * Creates <pathname> and an empty <pathname>/metadata for a monitored
 * METADATA channel: 0 or a negative consumer return code (logged).
 */
int channel_open_metadata_file(struct consumer_channel *channel);

/*
 * Final flush and drain of every stream, then closes the output files and
 * unmaps the buffers. The channel must no longer be lent to the data thread.
 */
void channel_destroy(struct consumer_channel *channel);

/*
 * Stop: flushes every stream written to since the last stop as lttng's
 * consumer does (rb_stream_flush_empty: the current packet closed, or a
 * header-only one, which also carries the discards) and starts its
 * stuck-detection clock. A stream whose header-only packet finds the ring
 * full owes it (final_flush_owed): DATA_PENDING retries once the data
 * thread drained the ring.
 */
void channel_flush_streams(struct consumer_channel *channel);

uint64_t channel_discarded_events(struct consumer_channel *channel);
uint64_t channel_lost_packets(struct consumer_channel *channel);

/* Registry, command thread only. */
void channel_registry_add(struct consumer_channel *channel);
void channel_registry_remove(struct consumer_channel *channel);
struct consumer_channel *channel_registry_find(uint64_t key);
/* First registered channel, or NULL: used to tear everything down at exit. */
struct consumer_channel *channel_registry_first(void);
struct cds_list_head *channel_registry_list(void);

#define channel_registry_for_each(channel)                                                         \
	cds_list_for_each_entry (channel, channel_registry_list(), registry_node)

/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Session daemon <-> consumer daemon protocol, over the framing of frame.h
 * on a socketpair created by the session daemon when it spawns the consumer
 * (ringtrace-consumerd --cmd-fd=N). Strictly request/reply, driven by the
 * session daemon. Command numbers are those of lttng's
 * `enum lttng_consumer_command`; reply status is 0 on success or the
 * negated consumer return code (enum consumer_return_code, from 100 up, as
 * lttng's lttcomm_return_code). An error reply to SNAPSHOT_CHANNEL or
 * ROTATE_CHANNEL may carry one int32_t: the errno behind the failure
 * (positive, e.g. ENOSPC), so that the user is told what went wrong.
 */

#include <limits.h>
#include <stdint.h>

#include "common/uuid.h"

enum consumer_command {
	CONSUMER_ADD_CHANNEL = 0,
	CONSUMER_ADD_STREAM = 1,
	CONSUMER_UPDATE_STREAM = 2,
	CONSUMER_STOP = 3,
	CONSUMER_ADD_RELAYD_SOCKET = 4, /* req: consumer_relayd_sock + 1 fd */
	CONSUMER_DESTROY_RELAYD = 5,    /* req: consumer_session_key */
	CONSUMER_DATA_PENDING = 6,      /* req: consumer_session_key; reply: uint8_t */
	CONSUMER_ASK_CHANNEL_CREATION =
	    7,                    /* req: consumer_ask_channel; reply: consumer_channel_status */
	CONSUMER_GET_CHANNEL = 8, /* req: consumer_channel_key; see below */
	CONSUMER_DESTROY_CHANNEL = 9, /* req: consumer_channel_key */
	CONSUMER_PUSH_METADATA = 10,  /* req: consumer_push_metadata + text */
	CONSUMER_CLOSE_METADATA = 11, /* req: consumer_channel_key */
	CONSUMER_SETUP_METADATA = 12,
	CONSUMER_FLUSH_CHANNEL = 13,    /* req: consumer_channel_key */
	CONSUMER_SNAPSHOT_CHANNEL = 14, /* req: consumer_snapshot_channel */
	CONSUMER_SNAPSHOT_METADATA = 15,
	CONSUMER_STREAMS_SENT = 16,
	CONSUMER_DISCARDED_EVENTS = 17, /* req: consumer_channel_key; reply: uint64_t */
	CONSUMER_LOST_PACKETS = 18,     /* req: consumer_channel_key; reply: uint64_t */
	CONSUMER_CLEAR_QUIESCENT_CHANNEL = 19,
	CONSUMER_SET_CHANNEL_MONITOR_PIPE = 20, /* no payload, 1 fd; see below */
	CONSUMER_ROTATE_CHANNEL = 21,           /* req: consumer_rotate_channel */
	CONSUMER_INIT = 22,
	CONSUMER_CREATE_TRACE_CHUNK = 23, /* req: consumer_trace_chunk */
	CONSUMER_CLOSE_TRACE_CHUNK = 24, /* req: consumer_trace_chunk; reply: consumer_chunk_path */
	CONSUMER_TRACE_CHUNK_EXISTS = 25, /* req: consumer_trace_chunk; reply: uint8_t */
	CONSUMER_CLEAR_CHANNEL = 26,      /* req: consumer_channel_key; see below */
	CONSUMER_OPEN_CHANNEL_PACKETS = 27,
	_CONSUMER_COMMAND_MAX,
};

enum consumer_return_code {
	CONSUMERD_SUCCESS = 0,
	CONSUMERD_COMMAND_SOCK_READY = 100,
	CONSUMERD_SUCCESS_RECV_FD,
	CONSUMERD_ERROR_RECV_FD,
	CONSUMERD_ERROR_RECV_CMD,
	CONSUMERD_POLL_ERROR,
	CONSUMERD_POLL_NVAL,
	CONSUMERD_POLL_HUP,
	CONSUMERD_EXIT_SUCCESS,
	CONSUMERD_EXIT_FAILURE,
	CONSUMERD_OUTFD_ERROR,
	CONSUMERD_SPLICE_EBADF,
	CONSUMERD_SPLICE_EINVAL,
	CONSUMERD_SPLICE_ENOMEM,
	CONSUMERD_SPLICE_ESPIPE,
	CONSUMERD_ENOMEM,
	CONSUMERD_ERROR_METADATA,
	CONSUMERD_FATAL,
	CONSUMERD_RELAYD_FAIL,
	CONSUMERD_CHANNEL_FAIL,
	CONSUMERD_CHAN_NOT_FOUND,
	CONSUMERD_ALREADY_SET,
	CONSUMERD_ROTATION_FAIL,
	CONSUMERD_SNAPSHOT_FAILED,
	CONSUMERD_CREATE_TRACE_CHUNK_FAILED,
	CONSUMERD_CLOSE_TRACE_CHUNK_FAILED,
	CONSUMERD_INVALID_PARAMETERS,
	CONSUMERD_TRACE_CHUNK_EXISTS_LOCAL,
	CONSUMERD_TRACE_CHUNK_EXISTS_REMOTE,
	CONSUMERD_UNKNOWN_TRACE_CHUNK,
	CONSUMERD_RELAYD_CLEAR_DISALLOWED,
	_CONSUMERD_RETURN_CODE_MAX,
};

const char *consumer_return_code_str(int code);

#define CONSUMER_MAX_PAYLOAD (64u * 1024 * 1024) /* bounds PUSH_METADATA text */

enum consumer_channel_type {
	CONSUMER_CHANNEL_TYPE_DATA = 0,     /* per-CPU ring buffers */
	CONSUMER_CHANNEL_TYPE_METADATA = 1, /* text pushed by sessiond, no ring buffer */
};

struct consumer_channel_key {
	uint64_t key;
} __attribute__((packed));

struct consumer_session_key {
	uint64_t session_id;
} __attribute__((packed));

/*
 * Create a channel: for DATA, nr_streams per-CPU ring buffers (the consumer
 * creates the memfds and eventfds and starts reading them), files
 * <pathname>/<name>_<cpu> and <pathname>/index/<name>_<cpu>.idx; for
 * METADATA, the file <pathname>/metadata. Files are created owned by uid/gid.
 * monitor 0 (snapshot sessions, as lttng's monitor flag): no files, pathname
 * is ignored, the streams are never drained and the metadata text is kept in
 * memory; SNAPSHOT_CHANNEL writes them out.
 */
struct consumer_ask_channel {
	uint64_t key; /* unique channel key chosen by sessiond */
	uint64_t session_id;
	uint32_t type;        /* enum consumer_channel_type */
	uint64_t subbuf_size; /* bytes, power of two */
	uint64_t num_subbuf;  /* power of two */
	int32_t overwrite;
	uint32_t switch_timer_us;
	uint32_t read_timer_us;
	uint32_t live_timer_us;
	uint32_t monitor_timer_us;
	int64_t blocking_timeout_us;
	uint64_t tracefile_size;
	uint32_t tracefile_count;
	uint32_t nr_streams;       /* DATA: number of possible CPUs */
	uint32_t stream_id;        /* CTF stream class id of the channel */
	uint8_t uuid[RT_UUID_LEN]; /* trace uuid of the registry */
	uint32_t uid;
	uint32_t gid;
	char name[256];          /* channel name, NUL-terminated */
	char pathname[PATH_MAX]; /* absolute output directory, NUL-terminated */
	uint8_t monitor;         /* 1: drained into pathname; 0: snapshot reads only */
} __attribute__((packed));

/*
 * SNAPSHOT_CHANNEL, for a channel created with monitor 0: writes under
 * pathname (created, owned by the channel's uid/gid) a DATA channel's most
 * recent complete packets, at most nb_packets_per_stream per stream (0: all
 * still in the ring), or a METADATA channel's whole text (metadata 1), as
 * files named as the monitored ones. The streams are flushed first, and
 * nothing is consumed: producers go on, later snapshots see the packets
 * again. Reply: no payload; -CONSUMERD_SNAPSHOT_FAILED when something could
 * not be written (what was is left in place and the error logged).
 * relayd 1: the same streams go to the relay connections of the channel's
 * session (ADD_RELAYD_SOCKET, then CREATE_TRACE_CHUNK with the snapshot's
 * name), pathname relative to that chunk: per stream ADD_STREAM, its
 * packets on the data connection, CLOSE_STREAM; no index.
 * -CONSUMERD_RELAYD_FAIL when the session has no such connections or the
 * relay is lost.
 */
struct consumer_snapshot_channel {
	uint64_t key;
	uint64_t nb_packets_per_stream;
	uint32_t metadata;       /* 1: the key names a metadata channel */
	char pathname[PATH_MAX]; /* NUL-terminated; absolute unless relayd */
	uint8_t relayd;
} __attribute__((packed));

/*
 * CLEAR_CHANNEL, for a channel created with monitor 0: a DATA channel's
 * streams are flushed and what they hold is discarded (producers go on,
 * discarded and lost counts are kept), so that the next snapshot holds only
 * later packets; a METADATA channel is left as is. Reply: no payload;
 * -CONSUMERD_INVALID_PARAMETERS for a monitored channel.
 */

/*
 * ROTATE_CHANNEL, for a monitored channel: the channel's output moves to
 * pathname (created, owned by the channel's uid/gid). A DATA channel's
 * streams are flushed, every packet delivered so far is written to the
 * current files, which are then closed, and the next packets go to new
 * files under pathname (tracefile index back to 0). A METADATA channel's
 * file is closed and a new, empty one opened under pathname: the session
 * daemon then pushes the whole text again from offset 0, so that every
 * chunk holds its own metadata. Reply: no payload; -CONSUMERD_ROTATION_FAIL
 * when the new directory or files cannot be created (with the errno; disk
 * full): the channel is in the new chunk all the same, and the files
 * missing are created before the next packet (or metadata) written, once
 * they can be; packets meanwhile are counted as lost. An empty pathname
 * moves the channel to no trace chunk: its files are closed and none is
 * opened (the session daemon pushes no metadata until the next rotation);
 * a relay's streams are rotated to "no chunk". A relay channel's pathname
 * is otherwise ignored.
 */
struct consumer_rotate_channel {
	uint64_t key;
	char pathname[PATH_MAX]; /* absolute or empty, NUL-terminated */
} __attribute__((packed));

/*
 * ADD_RELAYD_SOCKET: one connection to a relay daemon (the fd travels with
 * the message), opened by the session daemon, which did VERSION,
 * GET_CONFIGURATION and CREATE_SESSION on the control one. Sent twice per
 * session streamed to a relay (control then data), before its first
 * channel: channels created afterwards with a pathname relative to the
 * trace chunk stream through them. DESTROY_RELAYD, after the session's
 * channels were destroyed, closes the trace chunk and the connections;
 * -CONSUMERD_RELAYD_FAIL when the relay was lost during the session.
 */
/* Trace chunk names, their NUL included (lttng's LTTNG_NAME_MAX). */
#define CONSUMER_CHUNK_NAME_MAX 255

enum consumer_relayd_sock_type {
	CONSUMER_RELAYD_CONTROL = 0, /* lttng's LTTNG_STREAM_CONTROL */
	CONSUMER_RELAYD_DATA = 1,
};

/*
 * Trace chunks of a session streamed to a relay (rotate, clear). Sequence,
 * as lttng's: CREATE_TRACE_CHUNK(chunk_id = current + 1), which the
 * consumer makes its current chunk; ROTATE_CHANNEL of each data channel
 * then of each metadata channel (whose pathname is then ignored: streams
 * keep their relative paths) followed by the whole metadata pushed again;
 * CLOSE_TRACE_CHUNK(the chunk left, close_command = enum
 * relayd_chunk_close_command), whose reply names where the relay puts it
 * (relative to its output directory); then TRACE_CHUNK_EXISTS(that chunk)
 * until it answers 0: the relay has finished with the chunk. A stopped
 * session's rotation or clear creates no chunk: its channels are rotated
 * to no chunk (empty pathname) and the current chunk is closed; the next
 * start does CREATE_TRACE_CHUNK and rotates every channel to it.
 * -CONSUMERD_INVALID_PARAMETERS when the session has no relay connections,
 * -CONSUMERD_CREATE/CLOSE_TRACE_CHUNK_FAILED when the relay refuses.
 */
struct consumer_trace_chunk {
	uint64_t session_id;
	uint64_t chunk_id;
	uint32_t close_command;
	/*
	 * CREATE_TRACE_CHUNK of a snapshot record (NUL-terminated, "" otherwise):
	 * the chunk's directory name on the relay, and the only chunk of those
	 * connections, which CLOSE_TRACE_CHUNK then closes (NO_OPERATION).
	 */
	char override_name[CONSUMER_CHUNK_NAME_MAX];
} __attribute__((packed));

struct consumer_chunk_path {
	char path[PATH_MAX]; /* NUL-terminated */
} __attribute__((packed));

struct consumer_relayd_sock {
	uint64_t session_id;       /* the session daemon's */
	uint64_t relay_session_id; /* from the relay's CREATE_SESSION reply */
	uint32_t type;             /* enum consumer_relayd_sock_type */
	uint32_t major;            /* negotiated protocol version */
	uint32_t minor;
} __attribute__((packed));

struct consumer_channel_status {
	uint64_t key;
	uint32_t stream_count;
} __attribute__((packed));

/*
 * GET_CHANNEL: the reply frame carries struct consumer_channel_status; then
 * stream_count frames follow, type CONSUMER_GET_CHANNEL, each with a
 * struct consumer_stream_fds payload and 2 fds: [shm memfd, wakeup eventfd].
 */
struct consumer_stream_fds {
	uint64_t channel_key;
	uint32_t cpu;
} __attribute__((packed));

/*
 * SET_CHANNEL_MONITOR_PIPE: no payload, one descriptor, the write end of a
 * pipe the session daemon reads. At every period of its monitor timer
 * (monitor_timer_us of ASK_CHANNEL_CREATION, 0: none), each monitored DATA
 * channel writes one struct consumer_channel_monitor_msg to it in a single
 * non-blocking write (atomic: smaller than PIPE_BUF); when the pipe is full
 * the sample is dropped and the next one carries its consumed bytes. The
 * pipe is set once per consumer: a second one gets -CONSUMERD_ALREADY_SET.
 */
struct consumer_channel_monitor_msg {
	uint64_t key;        /* of the sampled channel */
	uint64_t session_id; /* of its session */
	uint64_t lowest;     /* least bytes in use in one stream of the channel */
	uint64_t highest;    /* most bytes in use in one stream */
	/* Bytes of packets written to the trace since the previous sample sent. */
	uint64_t consumed_since_last_sample;
} __attribute__((packed));

/* PUSH_METADATA: len bytes of TSDL text follow; target_offset is where they go in the text. */
struct consumer_push_metadata {
	uint64_t key;
	uint64_t target_offset;
	uint64_t len;
	uint64_t version;
} __attribute__((packed));

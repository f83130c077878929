/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * The session daemon's side of the consumer protocol (consumer-msg.h): spawns
 * ringtrace-consumerd on demand and sends it requests, one at a time (calls
 * are serialized internally and safe from any thread). Errors: negative
 * errno for transport failures (the consumer is then considered dead and is
 * respawned by the next call), or -enum consumer_return_code from its reply.
 *
 * Errno values returned are always below CONSUMERD_COMMAND_SOCK_READY (100),
 * so the two kinds never mix: -EPIPE when the consumer died, stopped
 * answering (10 s) or broke the protocol (it is then killed); the errno of
 * the failure when it cannot be spawned (-ENOENT, -EACCES, ...); -ENOMEM;
 * -EMSGSIZE for a request larger than CONSUMER_MAX_PAYLOAD.
 *
 * A channel lives in the consumer that created it: once that consumer died,
 * every call naming the channel's key returns -EPIPE without spawning a new
 * consumer, except DESTROY_CHANNEL, which forgets the key and returns 0. A
 * session's relay connections likewise live in the consumer they were
 * added to (consumer_add_relayd_socket): the relay calls of that session
 * return -EPIPE once it died.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "comm/consumer-msg.h"

/* "<reason>" for a negative error of this file (errno or consumer return code). */
const char *consumer_strerror(int r);

/* Path of the consumer binary: --consumerd64-path, RINGTRACE_CONSUMERD_PATH, or installed. */
void consumer_set_path(const char *path);
/*
 * The write end of the channel monitor pipe (channel-monitor.h), sent with
 * SET_CHANNEL_MONITOR_PIPE to every consumer spawned from now on; the
 * caller keeps it open for the daemon's lifetime.
 */
void consumer_set_monitor_pipe(int fd);
/* Spawns the consumer if it is not running. */
int consumer_ensure_started(void);
/* Stops the consumer (closes its socket, waits for it to exit). */
void consumer_shutdown(void);
bool consumer_is_alive(void);
/* Number of -v passed to the consumer (--verbose-consumer). */
void consumer_set_verbosity(unsigned verbosity);
/*
 * Reaps the consumer if it exited (called on SIGCHLD): logs its death and
 * marks it dead so that the next call respawns it.
 */
void consumer_reap(void);

int consumer_ask_channel(const struct consumer_ask_channel *req, uint32_t *ret_stream_count);

/* Stream descriptors of a data channel, as received by GET_CHANNEL. */
struct consumer_stream_fd_pair {
	uint32_t cpu;
	int shm_fd;
	int wakeup_fd;
};
/* *ret_streams malloc'd (count elements); the caller owns and closes the fds. */
int consumer_get_channel(uint64_t key, struct consumer_stream_fd_pair **ret_streams,
                         uint32_t *ret_count);

/* version: the registry's metadata version; a higher one makes the consumer start over. */
int consumer_push_metadata(uint64_t key, uint64_t version, uint64_t offset, const char *text,
                           uint64_t len);
int consumer_close_metadata(uint64_t key);
int consumer_flush_channel(uint64_t key);
/*
 * SNAPSHOT_CHANNEL (consumer-msg.h): a data or metadata channel into path,
 * or (relayd) to the session's relay connections, path relative to the chunk.
 */
int consumer_snapshot_channel(uint64_t key, bool metadata, bool relayd, const char *path,
                              uint64_t nb_packets_per_stream);
/*
 * CREATE_TRACE_CHUNK and CLOSE_TRACE_CHUNK (consumer-msg.h) of a session
 * streamed to a relay; the closed chunk's relay path in ret_path.
 */
int consumer_create_trace_chunk(uint64_t session_id, uint64_t chunk_id);
/* CREATE_TRACE_CHUNK of a snapshot record on the relay: the chunk's directory name. */
int consumer_create_snapshot_chunk(uint64_t session_id, uint64_t chunk_id, const char *name);
int consumer_close_trace_chunk(uint64_t session_id, uint64_t chunk_id, uint32_t close_command,
                               char ret_path[PATH_MAX]);
/* TRACE_CHUNK_EXISTS: 1 while the relay still has the chunk, 0, or a negative error. */
int consumer_trace_chunk_exists(uint64_t session_id, uint64_t chunk_id);

/* ROTATE_CHANNEL (consumer-msg.h): the channel's output moves to path. */
int consumer_rotate_channel(uint64_t key, const char *path);
/* After a failed request of this thread: the errno the consumer gave (ENOSPC...), or 0. */
int consumer_last_errno(void);
/* CLEAR_CHANNEL (consumer-msg.h): an unmonitored channel's ring buffers are emptied. */
int consumer_clear_channel(uint64_t key);
int consumer_destroy_channel(uint64_t key);
/* 1 pending, 0 not, negative on error; 0 when no consumer is running. */
int consumer_data_pending(uint64_t session_id);
int consumer_discarded_events(uint64_t key, uint64_t *ret_count);
int consumer_lost_packets(uint64_t key, uint64_t *ret_count);

/*
 * The channel lived in a consumer instance that died (its data not yet
 * written is lost); false for a live channel or an unknown key.
 */
bool consumer_channel_lost(uint64_t key);
/* The session's relay connections were held by a consumer instance that died. */
bool consumer_relayd_lost(uint64_t session_id);
/* How many consumer daemons died (were reaped other than by consumer_shutdown). */
uint64_t consumer_death_count(void);
/* "pid N, how it ended" of the last consumer that died, for messages. */
#define CONSUMER_DEATH_MAX 384
void consumer_last_death(char *buf, size_t size);

/* A new unique channel key. */
uint64_t consumer_next_key(void);

/* Hands one relay connection (fd, kept by the caller) of a session over to the consumer. */
int consumer_add_relayd_socket(const struct consumer_relayd_sock *req, int fd);
/* Closes the session's relay trace chunk and connections in the consumer. */
int consumer_destroy_relayd(uint64_t session_id);

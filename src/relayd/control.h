/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * The control port (5342): 24-byte header, payload, and for most commands a
 * reply without header (reference/relayd-protocol.md). One handler per
 * command, found through the table in control.c, which also checks each
 * command's payload size bounds and preconditions (VERSION first, a
 * session for session-level commands, the negotiated minor) before the
 * handler runs.
 *
 * Peers must speak protocol 2.11 or later (LTTng 2.11+): CREATE_SESSION and
 * ADD_STREAM are only taken in their 2.11 forms, and every session-level
 * command needs a session.
 *
 * Handler contract: parse the payload with the pure parsers of
 * common/comm/relayd-wire.h; on success queue the reply (if the command has
 * one) and return 0. A request the relay refuses but the protocol can answer
 * gets its error code as reply and 0. A malformed or hostile request is
 * logged with its reason and returns a negative errno: the connection closes.
 */

#include <stddef.h>
#include <stdint.h>

#include "connection.h"

struct relay_session;
struct relay_stream;
struct relayd_stream_seq;

struct control_state {
	bool version_done;
	uint32_t minor;
	struct relay_session *session;
};

extern const struct conn_ops control_conn_ops;

typedef int (*control_handler)(struct relay_conn *conn, struct control_state *cs,
                               const uint8_t *payload, size_t len);

int control_reply_ret(struct relay_conn *conn, uint32_t ret);
/*
 * A reply ending with a path: head, then u32 path length (NUL included, 0
 * when path is NULL), then the path and its NUL.
 */
int control_reply_path(struct relay_conn *conn, const uint8_t *head, size_t head_len,
                       const char *path);
/* The connection's own stream, or NULL (logged) when it is not one. */
struct relay_stream *control_own_stream(struct relay_conn *conn, struct control_state *cs,
                                        uint64_t handle, const char *command);
/* Logs a malformed payload and returns -EPROTO. */
int control_malformed(struct relay_conn *conn, const char *command, size_t len);
/*
 * The payload of a command naming a stream and a sequence number
 * (DATA_PENDING, CLOSE_STREAM), and that stream: -EPROTO when malformed,
 * -EPERM when the stream is not the connection's (both logged).
 */
int control_stream_seq(struct relay_conn *conn, struct control_state *cs, const uint8_t *payload,
                       size_t len, const char *command, struct relayd_stream_seq *ret_req,
                       struct relay_stream **ret_stream);

int cmd_version(struct relay_conn *, struct control_state *, const uint8_t *, size_t);
int cmd_get_configuration(struct relay_conn *, struct control_state *, const uint8_t *, size_t);
int cmd_create_session(struct relay_conn *, struct control_state *, const uint8_t *, size_t);
int cmd_add_stream(struct relay_conn *, struct control_state *, const uint8_t *, size_t);
int cmd_streams_sent(struct relay_conn *, struct control_state *, const uint8_t *, size_t);
int cmd_send_metadata(struct relay_conn *, struct control_state *, const uint8_t *, size_t);
int cmd_send_index(struct relay_conn *, struct control_state *, const uint8_t *, size_t);
int cmd_close_stream(struct relay_conn *, struct control_state *, const uint8_t *, size_t);
int cmd_reset_metadata(struct relay_conn *, struct control_state *, const uint8_t *, size_t);
int cmd_begin_data_pending(struct relay_conn *, struct control_state *, const uint8_t *, size_t);
int cmd_data_pending(struct relay_conn *, struct control_state *, const uint8_t *, size_t);
int cmd_quiescent_control(struct relay_conn *, struct control_state *, const uint8_t *, size_t);
int cmd_end_data_pending(struct relay_conn *, struct control_state *, const uint8_t *, size_t);
int cmd_create_trace_chunk(struct relay_conn *, struct control_state *, const uint8_t *, size_t);
int cmd_close_trace_chunk(struct relay_conn *, struct control_state *, const uint8_t *, size_t);
int cmd_trace_chunk_exists(struct relay_conn *, struct control_state *, const uint8_t *, size_t);
int cmd_rotate_streams(struct relay_conn *, struct control_state *, const uint8_t *, size_t);

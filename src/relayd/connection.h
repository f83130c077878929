/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * One TCP connection of the relay: control, data or live viewer. Input is
 * framed as a fixed-size header then a payload whose size the header gives;
 * the connection's kind decides what to do with each (see struct conn_ops).
 * Output is queued and flushed when the socket is writable; while output is
 * pending the connection reads nothing more, so a peer that does not read
 * its replies only stalls itself.
 *
 * Errors: a handler returning a negative errno closes the connection; the
 * handler logs why before returning, naming the peer (conn->peer).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <urcu/list.h>

enum conn_kind {
	CONN_CONTROL,
	CONN_DATA,
	CONN_LIVE,
	_CONN_KIND_MAX,
};

struct relay_conn;

/* First member of everything registered in the epoll loop. */
enum loop_entry_type {
	LOOP_ENTRY_LISTENER,
	LOOP_ENTRY_CONN,
};

struct loop_entry {
	enum loop_entry_type type;
};

struct conn_ops {
	size_t header_size;
	/* Sets up conn->state; a negative errno refuses the connection. */
	int (*on_open)(struct relay_conn *conn);
	/*
	 * Called with a complete header in conn->header. Returns the payload
	 * size to receive next (>= 0) or a negative errno to close.
	 */
	int64_t (*on_header)(struct relay_conn *conn);
	/*
	 * Payload delivery. When streaming is set the handler takes the
	 * payload off the socket itself as it arrives (on_payload_ready) and
	 * on_message gets no buffer; otherwise the payload is buffered and
	 * on_message gets it whole.
	 */
	bool streaming;
	/*
	 * Payload bytes may be ready on conn->fd: takes up to max_len of them
	 * (> 0 taken), 0 when there were none, -EPIPE when the peer closed,
	 * or another negative errno to close (logged by the handler).
	 */
	ssize_t (*on_payload_ready)(struct relay_conn *conn, size_t max_len);
	int (*on_message)(struct relay_conn *conn, const uint8_t *payload, size_t len);
	/* Connection closing, for whatever reason (peer gone, error, shutdown). */
	void (*on_close)(struct relay_conn *conn, bool mid_message);
};

struct relay_conn {
	struct loop_entry entry;
	int fd;
	uint32_t epoll_events; /* as registered */
	enum conn_kind kind;
	const struct conn_ops *ops;
	char peer[64]; /* "addr:port", for logs */
	struct cds_list_head node;

	uint8_t header[32];
	size_t header_got;
	bool in_payload;
	uint8_t *payload;
	size_t payload_len;
	size_t payload_got;

	uint8_t *out;
	size_t out_len;
	size_t out_sent;
	size_t out_cap;

	bool close_after_flush; /* the last reply is queued: close once it left */
	void *state;            /* owned by the kind's handlers */
};

/* Wraps an accepted socket (made non-blocking) and adds it to the loop. */
int conn_create(int epoll_fd, int fd, enum conn_kind kind, const struct conn_ops *ops,
                struct relay_conn **ret_conn);
/* Handles readiness; returns < 0 when the connection must be destroyed. */
int conn_handle_events(int epoll_fd, struct relay_conn *conn, uint32_t events);
/* Calls on_close, closes the socket, frees it (not on the loop list anymore). */
void conn_destroy(struct relay_conn *conn);
/* Queues reply bytes; they leave as soon as the socket takes them. */
int conn_queue(struct relay_conn *conn, const void *bytes, size_t len);

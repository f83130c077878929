/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * The command thread: serves the session daemon's requests on the command
 * socket (consumer-msg.h), one at a time, strictly request/reply.
 *
 * Each command has one small handler, found in a table indexed by the
 * command number, together with the exact payload size it takes. Before a
 * handler runs, the payload size has been checked against that size (a
 * mismatch, or another number of descriptors than the command takes, gets
 * -CONSUMERD_INVALID_PARAMETERS);
 * commands without a handler get -CONSUMERD_ERROR_RECV_CMD. A frame that
 * cannot be decoded (payload over CONSUMER_MAX_PAYLOAD, wrong descriptor
 * count) makes the loop close the connection.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * One received request, valid for the duration of its handler. fds: the
 * descriptors it carried, as many as the command takes (its table entry);
 * closed after the handler, which dups what it keeps.
 */
struct command_request {
	int sock;
	uint32_t type;
	const void *payload;
	uint32_t payload_len;
	const int *fds; /* received with the request; closed after the handler */
	unsigned nr_fds;
};

/*
 * Handler contract: sends exactly one reply (command_reply or
 * command_reply_error; GET_CHANNEL adds its stream frames) and returns 0,
 * or a negative errno when the socket failed, which ends the loop.
 */
typedef int (*command_handler_fn)(const struct command_request *req);

/* Reply carrying status 0 and an optional payload. */
int command_reply(const struct command_request *req, const void *payload, uint32_t len);
/* Reply carrying status -code (enum consumer_return_code) and no payload. */
int command_reply_error(const struct command_request *req, int code);
/* The same, with the errno behind it (positive; 0: none) as consumer-msg.h allows. */
int command_reply_error_errno(const struct command_request *req, int code, int err);

/* True when s holds a NUL within its size bytes. */
bool command_string_is_terminated(const char *s, size_t size);

/*
 * Serves requests until the session daemon closes the socket (returns 0), a
 * termination signal arrives on signal_fd (returns 0), or a frame cannot be
 * decoded or a reply cannot be sent (returns a negative errno).
 */
int command_loop(int cmd_fd, int signal_fd);

/* Handlers (cmd-*.c). */
int cmd_ask_channel_creation(const struct command_request *req);
int cmd_get_channel(const struct command_request *req);
int cmd_destroy_channel(const struct command_request *req);
int cmd_flush_channel(const struct command_request *req);
int cmd_push_metadata(const struct command_request *req);
int cmd_close_metadata(const struct command_request *req);
int cmd_data_pending(const struct command_request *req);
int cmd_discarded_events(const struct command_request *req);
int cmd_lost_packets(const struct command_request *req);
int cmd_snapshot_channel(const struct command_request *req);
int cmd_rotate_channel(const struct command_request *req);
int cmd_clear_channel(const struct command_request *req);
int cmd_add_relayd_socket(const struct command_request *req);
int cmd_destroy_relayd(const struct command_request *req);
int cmd_create_trace_chunk(const struct command_request *req);
int cmd_close_trace_chunk(const struct command_request *req);
int cmd_trace_chunk_exists(const struct command_request *req);

/* SPDX-License-Identifier: MIT */
#include "command.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "common/comm/consumer-msg.h"
#include "common/comm/frame.h"
#include "common/log.h"
#include "common/macros.h"
#include "common/unix-sock.h"
#include "monitor.h"

struct command_desc {
	const char *name;
	command_handler_fn handle; /* NULL: not supported */
	/* Exact payload size; for PUSH_METADATA the size of its fixed part. */
	uint32_t payload_size;
	bool trailing_data; /* payload_size is a minimum, the handler checks the rest */
	unsigned nr_fds;    /* descriptors the request carries */
};

#define COMMAND(cmd, fn, type)   [CONSUMER_##cmd] = {#cmd, fn, sizeof(type), false, 0}
#define COMMAND_UNSUPPORTED(cmd) [CONSUMER_##cmd] = {#cmd, NULL, 0, false, 0}

static const struct command_desc command_table[_CONSUMER_COMMAND_MAX] = {
    COMMAND_UNSUPPORTED(ADD_CHANNEL),
    COMMAND_UNSUPPORTED(ADD_STREAM),
    COMMAND_UNSUPPORTED(UPDATE_STREAM),
    COMMAND_UNSUPPORTED(STOP),
    [CONSUMER_ADD_RELAYD_SOCKET] = {"ADD_RELAYD_SOCKET", cmd_add_relayd_socket,
                                    sizeof(struct consumer_relayd_sock), false, 1},
    COMMAND(DESTROY_RELAYD, cmd_destroy_relayd, struct consumer_session_key),
    COMMAND(DATA_PENDING, cmd_data_pending, struct consumer_session_key),
    COMMAND(ASK_CHANNEL_CREATION, cmd_ask_channel_creation, struct consumer_ask_channel),
    COMMAND(GET_CHANNEL, cmd_get_channel, struct consumer_channel_key),
    COMMAND(DESTROY_CHANNEL, cmd_destroy_channel, struct consumer_channel_key),
    [CONSUMER_PUSH_METADATA] = {"PUSH_METADATA", cmd_push_metadata,
                                sizeof(struct consumer_push_metadata), true},
    COMMAND(CLOSE_METADATA, cmd_close_metadata, struct consumer_channel_key),
    COMMAND_UNSUPPORTED(SETUP_METADATA),
    COMMAND(FLUSH_CHANNEL, cmd_flush_channel, struct consumer_channel_key),
    COMMAND(SNAPSHOT_CHANNEL, cmd_snapshot_channel, struct consumer_snapshot_channel),
    COMMAND(ROTATE_CHANNEL, cmd_rotate_channel, struct consumer_rotate_channel),
    COMMAND_UNSUPPORTED(SNAPSHOT_METADATA),
    COMMAND_UNSUPPORTED(STREAMS_SENT),
    COMMAND(DISCARDED_EVENTS, cmd_discarded_events, struct consumer_channel_key),
    COMMAND(LOST_PACKETS, cmd_lost_packets, struct consumer_channel_key),
    COMMAND_UNSUPPORTED(CLEAR_QUIESCENT_CHANNEL),
    [CONSUMER_SET_CHANNEL_MONITOR_PIPE] = {"SET_CHANNEL_MONITOR_PIPE", cmd_set_channel_monitor_pipe,
                                           0, false, 1},
    COMMAND_UNSUPPORTED(INIT),
    COMMAND(CREATE_TRACE_CHUNK, cmd_create_trace_chunk, struct consumer_trace_chunk),
    COMMAND(CLOSE_TRACE_CHUNK, cmd_close_trace_chunk, struct consumer_trace_chunk),
    COMMAND(TRACE_CHUNK_EXISTS, cmd_trace_chunk_exists, struct consumer_trace_chunk),
    COMMAND(CLEAR_CHANNEL, cmd_clear_channel, struct consumer_channel_key),
    COMMAND_UNSUPPORTED(OPEN_CHANNEL_PACKETS),
};

int command_reply(const struct command_request *req, const void *payload, uint32_t len)
{
	return comm_send(req->sock, req->type, 0, payload, len, NULL, 0);
}

int command_reply_error(const struct command_request *req, int code)
{
	return comm_send(req->sock, req->type, -code, NULL, 0, NULL, 0);
}

int command_reply_error_errno(const struct command_request *req, int code, int err)
{
	int32_t value = err;

	if (err <= 0)
		return command_reply_error(req, code);
	return comm_send(req->sock, req->type, -code, &value, sizeof(value), NULL, 0);
}

bool command_string_is_terminated(const char *s, size_t size)
{
	return memchr(s, '\0', size) != NULL;
}

static void close_fds(int *fds, unsigned nr_fds)
{
	for (unsigned i = 0; i < nr_fds; i++)
		close(fds[i]);
}

/* Checks a decoded request against its table entry, then runs the handler. */
static int command_dispatch(const struct command_request *req, unsigned nr_fds)
{
	const struct command_desc *desc =
	    req->type < ARRAY_SIZE(command_table) ? &command_table[req->type] : NULL;

	if (!desc || !desc->name) {
		log_warn("Unknown command %u from the session daemon", req->type);
		return command_reply_error(req, CONSUMERD_ERROR_RECV_CMD);
	}
	if (!desc->handle) {
		log_warn("Command %s (%u) is not supported", desc->name, req->type);
		return command_reply_error(req, CONSUMERD_ERROR_RECV_CMD);
	}
	if (nr_fds != desc->nr_fds) {
		log_error("Command %s carries %u descriptors, it takes %u", desc->name, nr_fds,
		          desc->nr_fds);
		return command_reply_error(req, CONSUMERD_INVALID_PARAMETERS);
	}
	if (desc->trailing_data ? req->payload_len < desc->payload_size
	                        : req->payload_len != desc->payload_size) {
		log_error("Command %s: payload of %u bytes, expected %s%u", desc->name,
		          req->payload_len, desc->trailing_data ? "at least " : "",
		          desc->payload_size);
		return command_reply_error(req, CONSUMERD_INVALID_PARAMETERS);
	}
	log_debug("Command %s", desc->name);
	return desc->handle(req);
}

static int command_serve_one(int cmd_fd)
{
	struct command_request req = {.sock = cmd_fd};
	struct comm_frame frame;
	_cleanup_free_ void *payload = NULL;
	int fds[UNIX_SOCK_MAX_FDS];
	int r;

	r = comm_recv(cmd_fd, &frame, &payload, CONSUMER_MAX_PAYLOAD, fds, ARRAY_SIZE(fds));
	if (r == -EPIPE || r == -ECONNRESET) {
		log_info("The session daemon closed the command socket");
		return 0;
	}
	if (r < 0) {
		log_error("Undecodable message on the command socket (%s); closing it",
		          strerror(-r));
		return r;
	}
	req.type = frame.type;
	req.payload = payload;
	req.payload_len = frame.payload_len;
	req.fds = fds;
	req.nr_fds = frame.nr_fds;
	r = command_dispatch(&req, frame.nr_fds);
	/* No command keeps a descriptor it was sent. */
	close_fds(fds, frame.nr_fds);
	if (r < 0) {
		log_error("Cannot reply to the session daemon: %s", strerror(-r));
		return r;
	}
	return 1;
}

int command_loop(int cmd_fd, int signal_fd)
{
	struct pollfd pfds[] = {
	    {.fd = cmd_fd, .events = POLLIN},
	    {.fd = signal_fd, .events = POLLIN},
	};

	for (;;) {
		int r = poll(pfds, ARRAY_SIZE(pfds), -1);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (pfds[1].revents & POLLIN) {
			struct signalfd_siginfo info;

			if (read(signal_fd, &info, sizeof(info)) == sizeof(info))
				log_info("Received signal %u, shutting down", info.ssi_signo);
			return 0;
		}
		if (pfds[0].revents == 0)
			continue;
		/* POLLHUP with data still queued: read it; recv reports the close. */
		r = command_serve_one(cmd_fd);
		if (r <= 0)
			return r;
	}
}

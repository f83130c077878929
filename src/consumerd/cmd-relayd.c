/* SPDX-License-Identifier: MIT */
/*
 * ADD_RELAYD_SOCKET and DESTROY_RELAYD (consumer-msg.h): the relay
 * connections of a session, received from the session daemon and released
 * when the session is destroyed.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <string.h>

#include "command.h"
#include "common/comm/consumer-msg.h"
#include "common/comm/relayd-wire.h"
#include "common/log.h"
#include "relay.h"

int cmd_add_relayd_socket(const struct command_request *req)
{
	struct consumer_relayd_sock msg;
	int fd, r;

	memcpy(&msg, req->payload, sizeof(msg));
	if (msg.type != CONSUMER_RELAYD_CONTROL && msg.type != CONSUMER_RELAYD_DATA) {
		log_error("ADD_RELAYD_SOCKET: unknown connection type %" PRIu32, msg.type);
		return command_reply_error(req, CONSUMERD_INVALID_PARAMETERS);
	}
	if (msg.major != RELAYD_VERSION_MAJOR || msg.minor < 11 ||
	    msg.minor > RELAYD_VERSION_MINOR) {
		log_error("ADD_RELAYD_SOCKET: relay protocol %" PRIu32 ".%" PRIu32
		          " is not supported (2.11 to 2.13)",
		          msg.major, msg.minor);
		return command_reply_error(req, CONSUMERD_INVALID_PARAMETERS);
	}
	/* The request's descriptor is closed after the handler: keep a copy. */
	fd = fcntl(req->fds[0], F_DUPFD_CLOEXEC, 0);
	if (fd < 0) {
		log_error("ADD_RELAYD_SOCKET: cannot keep the connection: %s", strerror(errno));
		return command_reply_error(req, CONSUMERD_ERROR_RECV_FD);
	}
	r = relay_session_add_socket(msg.session_id, msg.relay_session_id, msg.minor,
	                             msg.type == CONSUMER_RELAYD_DATA, fd);
	if (r < 0)
		return command_reply_error(req, -r);
	return command_reply(req, NULL, 0);
}

int cmd_destroy_relayd(const struct command_request *req)
{
	struct consumer_session_key msg;
	int r;

	memcpy(&msg, req->payload, sizeof(msg));
	r = relay_session_destroy(msg.session_id);
	if (r < 0)
		return command_reply_error(req, -r);
	return command_reply(req, NULL, 0);
}

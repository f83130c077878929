/* SPDX-License-Identifier: MIT */
/*
 * ADD_RELAYD_SOCKET and DESTROY_RELAYD (consumer-msg.h): the relay
 * connections of a session, received from the session daemon and released
 * when the session is destroyed. CREATE/CLOSE_TRACE_CHUNK and
 * TRACE_CHUNK_EXISTS: the trace chunks of such a session (rotation and
 * clear). The streams of channels destroyed since are closed before each
 * CLOSE and EXISTS, so that the relay can let go of the chunk.
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

/* The relay session a chunk request names, referenced; NULL (logged) if none. */
static struct relay_session *chunk_session(const char *what, uint64_t session_id)
{
	struct relay_session *rs = relay_session_get(session_id);

	if (!rs)
		log_error("%s: session %" PRIu64 " does not stream to a relay daemon", what,
		          session_id);
	return rs;
}

int cmd_create_trace_chunk(const struct command_request *req)
{
	struct consumer_trace_chunk msg;
	struct relay_session *rs;
	int r;

	memcpy(&msg, req->payload, sizeof(msg));
	if (!command_string_is_terminated(msg.override_name, sizeof(msg.override_name))) {
		log_error("CREATE_TRACE_CHUNK: chunk name not NUL-terminated");
		return command_reply_error(req, CONSUMERD_INVALID_PARAMETERS);
	}
	rs = chunk_session("CREATE_TRACE_CHUNK", msg.session_id);
	if (!rs)
		return command_reply_error(req, CONSUMERD_INVALID_PARAMETERS);
	r = msg.override_name[0] ? relay_create_snapshot_chunk(rs, msg.chunk_id, msg.override_name)
	                         : relay_create_trace_chunk(rs, msg.chunk_id);
	relay_session_put(rs);
	if (r < 0)
		return command_reply_error(req, r == -EPIPE ? CONSUMERD_RELAYD_FAIL
		                                            : CONSUMERD_CREATE_TRACE_CHUNK_FAILED);
	log_info("Session %" PRIu64 ": trace chunk %" PRIu64 " %s created on the relay daemon",
	         msg.session_id, msg.chunk_id, msg.override_name);
	return command_reply(req, NULL, 0);
}

int cmd_close_trace_chunk(const struct command_request *req)
{
	struct consumer_trace_chunk msg;
	struct consumer_chunk_path reply = {0};
	struct relay_session *rs;
	int r;

	memcpy(&msg, req->payload, sizeof(msg));
	if (msg.close_command >= _RELAYD_CHUNK_CLOSE_MAX) {
		log_error("CLOSE_TRACE_CHUNK: unknown close command %" PRIu32, msg.close_command);
		return command_reply_error(req, CONSUMERD_INVALID_PARAMETERS);
	}
	rs = chunk_session("CLOSE_TRACE_CHUNK", msg.session_id);
	if (!rs)
		return command_reply_error(req, CONSUMERD_INVALID_PARAMETERS);
	/* A snapshot record closes its only chunk; a rotation the one it left, or the
	 * current one with no successor when a stopped session rotates. */
	if (rs->snapshot ? msg.chunk_id != rs->chunk_id || !rs->chunk_created
	                 : msg.chunk_id > rs->chunk_id ||
	                       (msg.chunk_id == rs->chunk_id && rs->chunk_closed)) {
		log_error("CLOSE_TRACE_CHUNK: chunk %" PRIu64 " of session %" PRIu64
		          " is not one that can be closed",
		          msg.chunk_id, msg.session_id);
		relay_session_put(rs);
		return command_reply_error(req, CONSUMERD_INVALID_PARAMETERS);
	}
	r = relay_close_retired_streams(rs);
	if (r == 0)
		r = relay_close_trace_chunk(rs, msg.chunk_id, (int)msg.close_command, reply.path,
		                            sizeof(reply.path));
	relay_session_put(rs);
	if (r < 0)
		return command_reply_error(req, r == -EPIPE ? CONSUMERD_RELAYD_FAIL
		                                            : CONSUMERD_CLOSE_TRACE_CHUNK_FAILED);
	log_info("Session %" PRIu64 ": trace chunk %" PRIu64 " closed on the relay daemon (%s)",
	         msg.session_id, msg.chunk_id, reply.path);
	return command_reply(req, &reply, sizeof(reply));
}

int cmd_trace_chunk_exists(const struct command_request *req)
{
	struct consumer_trace_chunk msg;
	struct relay_session *rs;
	uint8_t exists;
	int r;

	memcpy(&msg, req->payload, sizeof(msg));
	rs = chunk_session("TRACE_CHUNK_EXISTS", msg.session_id);
	if (!rs)
		return command_reply_error(req, CONSUMERD_INVALID_PARAMETERS);
	r = relay_close_retired_streams(rs);
	if (r == 0)
		r = relay_trace_chunk_exists(rs, msg.chunk_id);
	relay_session_put(rs);
	if (r < 0)
		return command_reply_error(req, CONSUMERD_RELAYD_FAIL);
	exists = (uint8_t)r;
	return command_reply(req, &exists, sizeof(exists));
}

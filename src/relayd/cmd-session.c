/* SPDX-License-Identifier: MIT */
/* VERSION, GET_CONFIGURATION and CREATE_SESSION: the handshake sessiond does. */
#include <errno.h>
#include <string.h>

#include "chunk.h"
#include "common/be-bytes.h"
#include "common/log.h"
#include "control.h"
#include "relayd.h"
#include "session.h"

int cmd_version(struct relay_conn *conn, struct control_state *cs, const uint8_t *payload,
                size_t len)
{
	struct relayd_version v;
	uint8_t reply[8];

	if (relayd_version_parse(payload, len, &v) < 0)
		return control_malformed(conn, "VERSION", len);
	/* The relay answers with its own version; both sides use the lower minor. */
	be32_put(reply, RELAYD_VERSION_MAJOR);
	be32_put(reply + 4, RELAYD_VERSION_MINOR);
	if (v.major != RELAYD_VERSION_MAJOR) {
		log_warn("%s: protocol version %u.%u is not compatible with %u.%u; closing the "
		         "connection",
		         conn->peer, v.major, v.minor, RELAYD_VERSION_MAJOR, RELAYD_VERSION_MINOR);
		conn->close_after_flush = true;
		return conn_queue(conn, reply, sizeof(reply));
	}
	cs->version_done = true;
	cs->minor = v.minor < RELAYD_VERSION_MINOR ? v.minor : RELAYD_VERSION_MINOR;
	log_debug("%s: protocol 2.%u", conn->peer, cs->minor);
	return conn_queue(conn, reply, sizeof(reply));
}

int cmd_get_configuration(struct relay_conn *conn, struct control_state *cs, const uint8_t *payload,
                          size_t len)
{
	uint64_t query_flags;
	uint8_t reply[12];

	if (relayd_u64_parse(payload, len, &query_flags) < 0)
		return control_malformed(conn, "GET_CONFIGURATION", len);
	if (query_flags) {
		be32_put(reply, RELAYD_RET_INVALID_PROTOCOL);
		be64_put(reply + 4, 0);
	} else {
		be32_put(reply, RELAYD_RET_OK);
		be64_put(reply + 4, relayd_config.allow_clear ? RELAYD_CONFIG_CLEAR_ALLOWED : 0);
	}
	return conn_queue(conn, reply, sizeof(reply));
}

static int reply_create_session(struct relay_conn *conn, uint64_t id, uint32_t ret,
                                const char *path)
{
	uint8_t reply[12];

	be64_put(reply, id);
	be32_put(reply + 8, ret);
	return control_reply_path(conn, reply, sizeof(reply), path);
}

int cmd_create_session(struct relay_conn *conn, struct control_state *cs, const uint8_t *payload,
                       size_t len)
{
	struct relayd_create_session req;
	struct relay_session *session;
	int r;

	if (cs->session) {
		log_warn("%s: second CREATE_SESSION on one connection; closing the connection",
		         conn->peer);
		return -EPROTO;
	}
	if (relayd_create_session_parse(payload, len, &req) < 0)
		return control_malformed(conn, "CREATE_SESSION", len);
	r = session_create(&req, &session);
	if (r == -EINVAL) {
		log_warn("%s: CREATE_SESSION names a path outside the output directory "
		         "(hostname \"%s\", session \"%s\", base path \"%s\"); closing the "
		         "connection",
		         conn->peer, req.hostname, req.session_name, req.base_path);
		return r;
	}
	if (r < 0) {
		log_error("%s: cannot create session %s/%s: %s", conn->peer, req.hostname,
		          req.session_name, strerror(-r));
		return reply_create_session(conn, 0, RELAYD_RET_FATAL, NULL);
	}
	session->control_open = true;
	session_producer_open(session);
	cs->session = session;
	log_info("%s: session %llu \"%s\" from host \"%s\"%s%s in %s", conn->peer,
	         (unsigned long long)session->id, session->name, session->hostname,
	         session->live_timer_us ? " (live)" : "", session->snapshot ? " (snapshot)" : "",
	         session->dir);
	if (req.chunk_id_set) {
		struct relayd_create_chunk chunk_req = {.chunk_id = req.chunk_id,
		                                        .creation_time = req.creation_time};
		struct relay_chunk *chunk;

		r = chunk_create(session, &chunk_req, &chunk);
		if (r < 0) {
			log_error("%s: cannot create the session's trace chunk %llu: %s",
			          conn->peer, (unsigned long long)req.chunk_id, strerror(-r));
			return reply_create_session(conn, 0, RELAYD_RET_FATAL, NULL);
		}
		session->current_chunk = chunk;
	}
	return reply_create_session(conn, session->id, RELAYD_RET_OK, session->dir);
}

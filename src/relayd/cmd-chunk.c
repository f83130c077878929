/* SPDX-License-Identifier: MIT */
/* Trace chunks and rotations: CREATE/CLOSE_TRACE_CHUNK, TRACE_CHUNK_EXISTS, ROTATE_STREAMS. */
#include <errno.h>
#include <string.h>

#include "chunk.h"
#include "common/be-bytes.h"
#include "common/log.h"
#include "control.h"
#include "relayd.h"
#include "session.h"
#include "stream.h"

int cmd_create_trace_chunk(struct relay_conn *conn, struct control_state *cs,
                           const uint8_t *payload, size_t len)
{
	struct relayd_create_chunk req;
	struct relay_chunk *chunk;
	int r;

	if (relayd_create_chunk_parse(payload, len, &req) < 0)
		return control_malformed(conn, "CREATE_TRACE_CHUNK", len);
	r = chunk_create(cs->session, &req, &chunk);
	if (r == -EINVAL) {
		log_warn("%s: trace chunk name \"%s\" is not a plain directory name; closing the "
		         "connection",
		         conn->peer, req.override_name);
		return r;
	}
	if (r < 0) {
		log_error("%s: cannot create trace chunk %llu of session \"%s\": %s", conn->peer,
		          (unsigned long long)req.chunk_id, cs->session->name,
		          r == -EEXIST ? "it already exists" : strerror(-r));
		return control_reply_ret(conn, RELAYD_RET_UNK);
	}
	cs->session->current_chunk = chunk;
	log_debug("%s: trace chunk %llu in %s", conn->peer, (unsigned long long)chunk->id,
	          chunk->dir);
	return control_reply_ret(conn, RELAYD_RET_OK);
}

static int reply_close_chunk(struct relay_conn *conn, uint32_t ret, const char *path)
{
	uint8_t reply[4];

	be32_put(reply, ret);
	return control_reply_path(conn, reply, sizeof(reply), path);
}

int cmd_close_trace_chunk(struct relay_conn *conn, struct control_state *cs, const uint8_t *payload,
                          size_t len)
{
	struct relayd_close_chunk req;
	struct relay_chunk *chunk;
	char path[PATH_MAX];
	int r;

	if (relayd_close_chunk_parse(payload, len, &req) < 0)
		return control_malformed(conn, "CLOSE_TRACE_CHUNK", len);
	if (req.close_command_set && req.close_command == RELAYD_CHUNK_CLOSE_DELETE &&
	    !relayd_config.allow_clear) {
		log_warn(
		    "%s: clearing session \"%s\" is disallowed (--disallow-clear); closing the "
		    "connection",
		    conn->peer, cs->session->name);
		return -EPERM;
	}
	chunk = chunk_find(cs->session, req.chunk_id);
	if (!chunk) {
		log_error("%s: CLOSE_TRACE_CHUNK: session \"%s\" has no trace chunk %llu",
		          conn->peer, cs->session->name, (unsigned long long)req.chunk_id);
		return reply_close_chunk(conn, RELAYD_RET_UNK, NULL);
	}
	r = chunk_close(chunk, &req, path);
	if (r < 0)
		return reply_close_chunk(conn, RELAYD_RET_UNK, NULL);
	log_debug("%s: trace chunk %llu closed in %s", conn->peer, (unsigned long long)req.chunk_id,
	          path);
	return reply_close_chunk(conn, RELAYD_RET_OK, path);
}

static bool chunk_in_use(const struct relay_chunk *chunk)
{
	struct relay_stream *stream;

	cds_list_for_each_entry (stream, &chunk->session->streams, session_node) {
		if (stream_uses_chunk(stream, chunk))
			return true;
	}
	return false;
}

int cmd_trace_chunk_exists(struct relay_conn *conn, struct control_state *cs,
                           const uint8_t *payload, size_t len)
{
	struct relay_chunk *chunk;
	uint8_t reply[5];
	uint64_t id;

	if (relayd_u64_parse(payload, len, &id) < 0)
		return control_malformed(conn, "TRACE_CHUNK_EXISTS", len);
	/* As lttng-relayd: a closed chunk exists until no stream writes into it. */
	chunk = chunk_find(cs->session, id);
	be32_put(reply, RELAYD_RET_OK);
	reply[4] = chunk && (!chunk->closed || chunk_in_use(chunk));
	return conn_queue(conn, reply, sizeof(reply));
}

int cmd_rotate_streams(struct relay_conn *conn, struct control_state *cs, const uint8_t *payload,
                       size_t len)
{
	struct relayd_rotate_streams req;
	struct relay_chunk *chunk = NULL;

	if (relayd_rotate_streams_parse(payload, len, &req) < 0)
		return control_malformed(conn, "ROTATE_STREAMS", len);
	if (req.chunk_id_set) {
		chunk = chunk_find(cs->session, req.chunk_id);
		if (!chunk || chunk->closed) {
			log_error("%s: ROTATE_STREAMS to unknown trace chunk %llu", conn->peer,
			          (unsigned long long)req.chunk_id);
			return control_reply_ret(conn, RELAYD_RET_UNK);
		}
	}
	for (uint32_t i = 0; i < req.stream_count; i++) {
		struct relay_stream *stream;
		uint64_t handle, seq;
		int r;

		relayd_rotate_position(&req, i, &handle, &seq);
		stream = control_own_stream(conn, cs, handle, "ROTATE_STREAMS");
		if (!stream)
			return -EPERM;
		r = stream_rotate(stream, chunk, seq);
		if (r < 0) {
			log_error("%s: cannot rotate stream %llu at packet %llu: %s", conn->peer,
			          (unsigned long long)handle, (unsigned long long)seq,
			          r == -EBUSY ? "a rotation is already in progress" : strerror(-r));
			return control_reply_ret(conn, RELAYD_RET_UNK);
		}
	}
	return control_reply_ret(conn, RELAYD_RET_OK);
}

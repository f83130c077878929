/* SPDX-License-Identifier: MIT */
/* Stream commands: ADD_STREAM, STREAMS_SENT, SEND_METADATA, SEND_INDEX, CLOSE_STREAM,
 * RESET_METADATA. */
#include <errno.h>
#include <string.h>

#include "common/be-bytes.h"
#include "common/log.h"
#include "control.h"
#include "session.h"
#include "stream.h"

int cmd_add_stream(struct relay_conn *conn, struct control_state *cs, const uint8_t *payload,
                   size_t len)
{
	struct relayd_add_stream req;
	struct relay_stream *stream;
	uint8_t reply[12];
	int r;

	if (relayd_add_stream_parse(payload, len, &req) < 0)
		return control_malformed(conn, "ADD_STREAM", len);
	r = stream_create(cs->session, &req, &stream);
	if (r == -EINVAL) {
		log_warn(
		    "%s: ADD_STREAM path \"%s\" / \"%s\" escapes the output directory; closing "
		    "the connection",
		    conn->peer, req.pathname, req.channel_name);
		return r;
	}
	if (r < 0) {
		if (r == -ENOENT)
			log_error("%s: stream %s/%s: trace chunk %llu does not exist", conn->peer,
			          req.pathname, req.channel_name,
			          (unsigned long long)req.trace_chunk_id);
		else
			log_error("%s: cannot create stream %s/%s: %s", conn->peer, req.pathname,
			          req.channel_name, strerror(-r));
		be64_put(reply, 0);
		be32_put(reply + 8, RELAYD_RET_UNK);
		return conn_queue(conn, reply, sizeof(reply));
	}
	log_debug("%s: stream %llu: %s/%s", conn->peer, (unsigned long long)stream->handle,
	          stream->pathname, stream->channel_name);
	be64_put(reply, stream->handle);
	be32_put(reply + 8, RELAYD_RET_OK);
	return conn_queue(conn, reply, sizeof(reply));
}

int cmd_streams_sent(struct relay_conn *conn, struct control_state *cs, const uint8_t *payload,
                     size_t len)
{
	struct relay_stream *stream;

	cds_list_for_each_entry (stream, &cs->session->streams, session_node) {
		if (!stream->published) {
			stream->published = true;
			cs->session->new_streams = true;
		}
	}
	return control_reply_ret(conn, RELAYD_RET_OK);
}

int cmd_send_metadata(struct relay_conn *conn, struct control_state *cs, const uint8_t *payload,
                      size_t len)
{
	struct relayd_send_metadata req;
	struct relay_stream *stream;
	int r;

	if (relayd_send_metadata_parse(payload, len, &req) < 0)
		return control_malformed(conn, "SEND_METADATA", len);
	stream = control_own_stream(conn, cs, req.stream_handle, "SEND_METADATA");
	if (!stream)
		return -EPERM;
	r = stream_append_metadata(stream, req.bytes, req.len, req.padding_size);
	if (r < 0) {
		/* SEND_METADATA has no reply: the only way to report is to close. */
		log_error("%s: writing metadata of stream %llu: %s; closing the connection",
		          conn->peer, (unsigned long long)req.stream_handle,
		          r == -EBADF ? "not an open metadata stream" : strerror(-r));
		return r;
	}
	return 0;
}

int cmd_send_index(struct relay_conn *conn, struct control_state *cs, const uint8_t *payload,
                   size_t len)
{
	struct relayd_index index;
	struct relay_stream *stream;
	int r;

	/* Sessions are 2.11+ (see control.c), so indexes have their 2.8 size. */
	if (len != RELAYD_INDEX_SIZE || relayd_index_parse(payload, len, &index) < 0)
		return control_malformed(conn, "SEND_INDEX", len);
	stream = control_own_stream(conn, cs, index.stream_handle, "SEND_INDEX");
	if (!stream)
		return -EPERM;
	r = stream_add_index(stream, &index);
	if (r < 0) {
		log_error("%s: index of packet %llu of stream %llu: %s", conn->peer,
		          (unsigned long long)index.net_seq_num,
		          (unsigned long long)index.stream_handle,
		          r == -EBADF ? "the stream takes no index" : strerror(-r));
		if (r == -ENOBUFS)
			return r;
		return control_reply_ret(conn, RELAYD_RET_UNK);
	}
	return control_reply_ret(conn, RELAYD_RET_OK);
}

int cmd_close_stream(struct relay_conn *conn, struct control_state *cs, const uint8_t *payload,
                     size_t len)
{
	struct relayd_stream_seq req;
	struct relay_stream *stream;
	int r = control_stream_seq(conn, cs, payload, len, "CLOSE_STREAM", &req, &stream);

	if (r < 0)
		return r;
	stream_request_close(stream, req.net_seq_num);
	return control_reply_ret(conn, RELAYD_RET_OK);
}

int cmd_reset_metadata(struct relay_conn *conn, struct control_state *cs, const uint8_t *payload,
                       size_t len)
{
	struct relayd_reset_metadata req;
	struct relay_stream *stream;
	int r;

	if (relayd_reset_metadata_parse(payload, len, &req) < 0)
		return control_malformed(conn, "RESET_METADATA", len);
	stream = control_own_stream(conn, cs, req.stream_handle, "RESET_METADATA");
	if (!stream)
		return -EPERM;
	if (cs->session->live_timer_us) {
		log_warn("%s: RESET_METADATA refused on live session \"%s\"", conn->peer,
		         cs->session->name);
		return control_reply_ret(conn, RELAYD_RET_INVALID);
	}
	r = stream_reset_metadata(stream, req.version);
	if (r < 0) {
		log_error("%s: resetting metadata of stream %llu: %s", conn->peer,
		          (unsigned long long)req.stream_handle,
		          r == -EBADF ? "not an open metadata stream" : strerror(-r));
		return control_reply_ret(conn, RELAYD_RET_UNK);
	}
	return control_reply_ret(conn, RELAYD_RET_OK);
}

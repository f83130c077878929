/* SPDX-License-Identifier: MIT */
#include "control.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/be-bytes.h"
#include "common/comm/relayd-wire.h"
#include "common/log.h"
#include "session.h"
#include "stream.h"

struct control_command {
	const char *name;
	control_handler handler;
	uint64_t max_payload;
	bool needs_session;
	uint32_t min_minor;
};

#define CREATE_SESSION_MAX                                                                         \
	(59u + RELAYD_SESSION_NAME_MAX + RELAYD_HOSTNAME_MAX + RELAYD_BASE_PATH_MAX)
#define ADD_STREAM_MAX (32u + RELAYD_CHANNEL_NAME_MAX + RELAYD_STREAM_PATH_MAX)

static const struct control_command commands[_RELAYD_COMMAND_MAX] = {
    [RELAYD_VERSION] = {"VERSION", cmd_version, 8, false, 0},
    [RELAYD_GET_CONFIGURATION] = {"GET_CONFIGURATION", cmd_get_configuration, 8, false, 12},
    [RELAYD_CREATE_SESSION] = {"CREATE_SESSION", cmd_create_session, CREATE_SESSION_MAX, false, 11},
    [RELAYD_ADD_STREAM] = {"ADD_STREAM", cmd_add_stream, ADD_STREAM_MAX, true, 11},
    [RELAYD_STREAMS_SENT] = {"STREAMS_SENT", cmd_streams_sent, 0, true, 4},
    [RELAYD_SEND_METADATA] = {"SEND_METADATA", cmd_send_metadata, RELAYD_CTRL_MAX_PAYLOAD, true, 0},
    [RELAYD_SEND_INDEX] = {"SEND_INDEX", cmd_send_index, RELAYD_INDEX_SIZE, true, 4},
    [RELAYD_CLOSE_STREAM] = {"CLOSE_STREAM", cmd_close_stream, 16, true, 0},
    [RELAYD_RESET_METADATA] = {"RESET_METADATA", cmd_reset_metadata, 16, true, 8},
    [RELAYD_BEGIN_DATA_PENDING] = {"BEGIN_DATA_PENDING", cmd_begin_data_pending, 8, true, 0},
    [RELAYD_DATA_PENDING] = {"DATA_PENDING", cmd_data_pending, 16, true, 0},
    [RELAYD_QUIESCENT_CONTROL] = {"QUIESCENT_CONTROL", cmd_quiescent_control, 8, true, 0},
    [RELAYD_END_DATA_PENDING] = {"END_DATA_PENDING", cmd_end_data_pending, 8, true, 0},
    [RELAYD_CREATE_TRACE_CHUNK] = {"CREATE_TRACE_CHUNK", cmd_create_trace_chunk,
                                   20u + RELAYD_CHUNK_NAME_MAX, true, 11},
    [RELAYD_CLOSE_TRACE_CHUNK] = {"CLOSE_TRACE_CHUNK", cmd_close_trace_chunk, 21, true, 11},
    [RELAYD_TRACE_CHUNK_EXISTS] = {"TRACE_CHUNK_EXISTS", cmd_trace_chunk_exists, 8, true, 11},
    [RELAYD_ROTATE_STREAMS] = {"ROTATE_STREAMS", cmd_rotate_streams, RELAYD_CTRL_MAX_PAYLOAD, true,
                               11},
};

int control_reply_ret(struct relay_conn *conn, uint32_t ret)
{
	uint8_t reply[4];

	be32_put(reply, ret);
	return conn_queue(conn, reply, sizeof(reply));
}

int control_reply_path(struct relay_conn *conn, const uint8_t *head, size_t head_len,
                       const char *path)
{
	size_t path_len = path ? strlen(path) + 1 : 0;
	uint8_t len_bytes[4];
	int r;

	be32_put(len_bytes, (uint32_t)path_len);
	r = conn_queue(conn, head, head_len);
	if (r == 0)
		r = conn_queue(conn, len_bytes, sizeof(len_bytes));
	if (r == 0 && path_len)
		r = conn_queue(conn, path, path_len);
	return r;
}

int control_malformed(struct relay_conn *conn, const char *command, size_t len)
{
	log_warn("%s: malformed %s command (%zu-byte payload); closing the connection", conn->peer,
	         command, len);
	return -EPROTO;
}

struct relay_stream *control_own_stream(struct relay_conn *conn, struct control_state *cs,
                                        uint64_t handle, const char *command)
{
	struct relay_stream *stream = stream_find(handle);

	if (!stream || stream->session != cs->session) {
		log_warn("%s: %s names stream %llu, which is not a stream of its session; closing "
		         "the connection",
		         conn->peer, command, (unsigned long long)handle);
		return NULL;
	}
	return stream;
}

int control_stream_seq(struct relay_conn *conn, struct control_state *cs, const uint8_t *payload,
                       size_t len, const char *command, struct relayd_stream_seq *ret_req,
                       struct relay_stream **ret_stream)
{
	if (relayd_stream_seq_parse(payload, len, ret_req) < 0)
		return control_malformed(conn, command, len);
	*ret_stream = control_own_stream(conn, cs, ret_req->stream_handle, command);
	return *ret_stream ? 0 : -EPERM;
}

static const struct control_command *command_of(const struct relay_conn *conn)
{
	uint32_t cmd = be32_get(conn->header + 16);

	if (cmd >= _RELAYD_COMMAND_MAX || !commands[cmd].handler)
		return NULL;
	return &commands[cmd];
}

static int64_t control_on_header(struct relay_conn *conn)
{
	struct control_state *cs = conn->state;
	struct relayd_ctrl_header h;
	const struct control_command *c;

	relayd_ctrl_header_parse(conn->header, RELAYD_CTRL_HEADER_SIZE, &h);
	c = command_of(conn);
	if (!c) {
		/* As lttng-relayd: an unknown command is answered, then the connection closes. */
		log_warn("%s: unknown control command %u; closing the connection", conn->peer,
		         h.cmd);
		conn->close_after_flush = true;
		control_reply_ret(conn, RELAYD_RET_UNK);
		return 0;
	}
	if (h.data_size > c->max_payload) {
		log_warn("%s: %s announces a %llu-byte payload, more than its %llu-byte maximum; "
		         "closing the connection",
		         conn->peer, c->name, (unsigned long long)h.data_size,
		         (unsigned long long)c->max_payload);
		return -EMSGSIZE;
	}
	if (h.cmd != RELAYD_VERSION && !cs->version_done) {
		log_warn("%s: %s before VERSION; closing the connection", conn->peer, c->name);
		return -EPROTO;
	}
	if (c->needs_session && !cs->session) {
		log_warn("%s: %s before CREATE_SESSION; closing the connection", conn->peer,
		         c->name);
		return -EPROTO;
	}
	if (cs->version_done && cs->minor < c->min_minor) {
		log_warn("%s: %s as this relay takes it needs protocol 2.%u or later, the peer "
		         "speaks 2.%u; closing the connection",
		         conn->peer, c->name, c->min_minor, cs->minor);
		return -EPROTO;
	}
	return (int64_t)h.data_size;
}

static int control_on_message(struct relay_conn *conn, const uint8_t *payload, size_t len)
{
	const struct control_command *c = command_of(conn);

	if (!c)
		return 0; /* the unknown command was answered; closing after the reply */
	log_debug("%s: %s (%zu bytes)", conn->peer, c->name, len);
	return c->handler(conn, conn->state, payload, len);
}

static int control_on_open(struct relay_conn *conn)
{
	conn->state = calloc(1, sizeof(struct control_state));
	return conn->state ? 0 : -ENOMEM;
}

static void control_on_close(struct relay_conn *conn, bool mid_message)
{
	struct control_state *cs = conn->state;

	if (cs->session) {
		cs->session->control_open = false;
		session_producer_close(cs->session);
		session_unref(cs->session);
	}
	free(cs);
}

const struct conn_ops control_conn_ops = {
    .header_size = RELAYD_CTRL_HEADER_SIZE,
    .on_open = control_on_open,
    .on_header = control_on_header,
    .on_message = control_on_message,
    .on_close = control_on_close,
};

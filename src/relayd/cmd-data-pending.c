/* SPDX-License-Identifier: MIT */
/*
 * Data pending rounds, as `lttng stop` and `destroy` drive them:
 * BEGIN_DATA_PENDING clears each stream's "checked" flag, DATA_PENDING and
 * QUIESCENT_CONTROL check streams, END_DATA_PENDING answers whether some
 * stream that was not checked is still open. DATA_PENDING and
 * END_DATA_PENDING reply a plain 0/1, not a return code.
 */
#include <errno.h>

#include "control.h"
#include "session.h"
#include "stream.h"

static int check_session_id(struct relay_conn *conn, struct control_state *cs,
                            const uint8_t *payload, size_t len, const char *command)
{
	uint64_t id;

	if (relayd_u64_parse(payload, len, &id) < 0)
		return control_malformed(conn, command, len);
	if (id != cs->session->id)
		return control_malformed(conn, command, len);
	return 0;
}

int cmd_begin_data_pending(struct relay_conn *conn, struct control_state *cs,
                           const uint8_t *payload, size_t len)
{
	struct relay_stream *stream;
	int r = check_session_id(conn, cs, payload, len, "BEGIN_DATA_PENDING");

	if (r < 0)
		return r;
	cds_list_for_each_entry (stream, &cs->session->streams, session_node)
		stream->checked = false;
	return control_reply_ret(conn, RELAYD_RET_OK);
}

int cmd_data_pending(struct relay_conn *conn, struct control_state *cs, const uint8_t *payload,
                     size_t len)
{
	struct relayd_stream_seq req;
	struct relay_stream *stream;
	int r = control_stream_seq(conn, cs, payload, len, "DATA_PENDING", &req, &stream);

	if (r < 0)
		return r;
	return control_reply_ret(conn, (uint32_t)stream_data_pending(stream, req.net_seq_num));
}

int cmd_quiescent_control(struct relay_conn *conn, struct control_state *cs, const uint8_t *payload,
                          size_t len)
{
	struct relay_stream *stream;
	uint64_t handle;

	if (relayd_u64_parse(payload, len, &handle) < 0)
		return control_malformed(conn, "QUIESCENT_CONTROL", len);
	stream = control_own_stream(conn, cs, handle, "QUIESCENT_CONTROL");
	if (!stream)
		return -EPERM;
	stream->checked = true;
	return control_reply_ret(conn, RELAYD_RET_OK);
}

int cmd_end_data_pending(struct relay_conn *conn, struct control_state *cs, const uint8_t *payload,
                         size_t len)
{
	struct relay_stream *stream;
	uint32_t pending = 0;
	int r = check_session_id(conn, cs, payload, len, "END_DATA_PENDING");

	if (r < 0)
		return r;
	cds_list_for_each_entry (stream, &cs->session->streams, session_node) {
		if (!stream->checked && !stream->closed)
			pending = 1;
	}
	return control_reply_ret(conn, pending);
}

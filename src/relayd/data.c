/* SPDX-License-Identifier: MIT */
#include "data.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/comm/relayd-wire.h"
#include "common/log.h"
#include "session.h"
#include "stream.h"

/* A packet larger than this is not a sub-buffer any consumer sends. */
#define MAX_PACKET_BYTES (UINT64_C(1) << 32)

struct data_state {
	struct relay_session *session; /* bound by the first packet */
	struct relay_stream *stream;   /* of the packet being received */
	struct relayd_data_header header;
	uint64_t offset; /* of that packet in the stream's file */
	uint64_t written;
};

static int data_on_open(struct relay_conn *conn)
{
	conn->state = calloc(1, sizeof(struct data_state));
	return conn->state ? 0 : -ENOMEM;
}

static int64_t data_on_header(struct relay_conn *conn)
{
	struct data_state *ds = conn->state;
	struct relay_stream *stream;
	int r;

	relayd_data_header_parse(conn->header, RELAYD_DATA_HEADER_SIZE, &ds->header);
	if ((uint64_t)ds->header.data_size + ds->header.padding_size > MAX_PACKET_BYTES) {
		log_warn("%s: data packet of %u + %u bytes is larger than any sub-buffer; closing "
		         "the connection",
		         conn->peer, ds->header.data_size, ds->header.padding_size);
		return -EMSGSIZE;
	}
	stream = stream_find(ds->header.stream_handle);
	if (!stream) {
		log_warn("%s: data packet for unknown stream %llu; closing the connection",
		         conn->peer, (unsigned long long)ds->header.stream_handle);
		return -ENOENT;
	}
	if (ds->session && stream->session != ds->session) {
		log_warn("%s: data packet for stream %llu of another session; closing the "
		         "connection",
		         conn->peer, (unsigned long long)ds->header.stream_handle);
		return -EPERM;
	}
	r = stream_packet_begin(stream, &ds->header, &ds->offset);
	if (r < 0) {
		log_warn("%s: data packet %llu for stream %llu: %s; closing the connection",
		         conn->peer, (unsigned long long)ds->header.net_seq_num,
		         (unsigned long long)ds->header.stream_handle,
		         r == -EBADF ? "not an open data stream" : strerror(-r));
		return r;
	}
	if (!ds->session) {
		ds->session = stream->session;
		session_ref(ds->session);
		session_producer_open(ds->session);
	}
	ds->stream = stream;
	ds->written = 0;
	return ds->header.data_size;
}

static ssize_t data_on_ready(struct relay_conn *conn, size_t max_len)
{
	struct data_state *ds = conn->state;
	bool file_failed;
	ssize_t n = stream_packet_receive(ds->stream, conn->fd, ds->offset + ds->written, max_len,
	                                  &file_failed);

	if (n < 0 && file_failed) {
		log_error("%s: writing stream %llu: %s; closing the connection", conn->peer,
		          (unsigned long long)ds->stream->handle, strerror((int)-n));
		return n;
	}
	if (n > 0)
		ds->written += (uint64_t)n;
	return n;
}

static int data_on_message(struct relay_conn *conn, const uint8_t *payload, size_t len)
{
	struct data_state *ds = conn->state;
	int r = stream_packet_end(ds->stream, &ds->header, ds->offset);

	ds->stream = NULL;
	if (r < 0) {
		log_error("%s: packet %llu of stream %llu: %s; closing the connection", conn->peer,
		          (unsigned long long)ds->header.net_seq_num,
		          (unsigned long long)ds->header.stream_handle,
		          r == -ENOBUFS ? "too many packets without index" : strerror(-r));
		return r;
	}
	return 0;
}

static void data_on_close(struct relay_conn *conn, bool mid_message)
{
	struct data_state *ds = conn->state;

	if (ds->stream && mid_message) {
		log_warn("%s: packet %llu of stream %llu cut short after %llu of %u bytes; dropped",
		         conn->peer, (unsigned long long)ds->header.net_seq_num,
		         (unsigned long long)ds->stream->handle, (unsigned long long)ds->written,
		         ds->header.data_size);
		stream_packet_abort(ds->stream, ds->offset);
	}
	if (ds->session) {
		session_producer_close(ds->session);
		session_unref(ds->session);
	}
	free(ds);
}

const struct conn_ops data_conn_ops = {
    .header_size = RELAYD_DATA_HEADER_SIZE,
    .on_open = data_on_open,
    .on_header = data_on_header,
    .streaming = true,
    .on_payload_ready = data_on_ready,
    .on_message = data_on_message,
    .on_close = data_on_close,
};

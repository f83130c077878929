/* SPDX-License-Identifier: MIT */
#include "live.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/be-bytes.h"
#include "common/comm/relayd-wire.h"
#include "common/log.h"
#include "ctf/index.h"
#include "live-wire.h"
#include "session.h"
#include "stream.h"

/* The largest GET_PACKET a viewer may ask: far above any sub-buffer. */
#define MAX_GET_PACKET_BYTES (64u * 1024 * 1024)

struct viewer_stream {
	struct relay_stream *stream;
	uint64_t next_index;    /* entry of the index file to send next */
	uint64_t generation;    /* of the stream's files next_index refers to */
	uint64_t metadata_sent; /* bytes of the metadata file sent */
	struct cds_list_head node;
};

struct viewer_attachment {
	struct relay_session *session;
	struct cds_list_head node;
};

struct live_state {
	bool connected;
	bool session_created; /* the viewer's CREATE_SESSION */
	uint64_t viewer_id;
	struct cds_list_head streams;     /* struct viewer_stream */
	struct cds_list_head attachments; /* struct viewer_attachment */
};

typedef int (*live_handler)(struct relay_conn *conn, struct live_state *ls, const uint8_t *payload,
                            size_t len);

static uint64_t next_viewer_id = 1;

/* A NUL-padded fixed-size field; longer strings are cut, keeping a NUL. */
static void put_fixed_string(uint8_t *dst, size_t size, const char *src)
{
	size_t len = strlen(src);

	memcpy(dst, src, len < size ? len : size - 1);
}

static int queue_u32(struct relay_conn *conn, uint32_t v)
{
	uint8_t b[4];

	be32_put(b, v);
	return conn_queue(conn, b, sizeof(b));
}

static struct viewer_stream *viewer_stream_find(struct live_state *ls, uint64_t id)
{
	struct viewer_stream *vs;

	cds_list_for_each_entry (vs, &ls->streams, node) {
		if (vs->stream->handle == id)
			return vs;
	}
	return NULL;
}

static struct viewer_attachment *attachment_find(struct live_state *ls, uint64_t session_id)
{
	struct viewer_attachment *a;

	cds_list_for_each_entry (a, &ls->attachments, node) {
		if (a->session->id == session_id)
			return a;
	}
	return NULL;
}

static struct relay_stream *metadata_of(const struct relay_stream *stream)
{
	struct relay_stream *other;

	cds_list_for_each_entry (other, &stream->session->streams, session_node) {
		if (other->is_metadata && other->published &&
		    other->ctf_trace_id == stream->ctf_trace_id)
			return other;
	}
	return NULL;
}

/* Published streams of a trace that has its metadata, not yet known to the viewer. */
static bool stream_is_new_for(struct live_state *ls, struct relay_stream *stream)
{
	return stream->published && metadata_of(stream) && !viewer_stream_find(ls, stream->handle);
}

static int queue_stream(struct relay_conn *conn, const struct relay_stream *stream)
{
	uint8_t s[LIVE_STREAM_SIZE] = {0};

	be64_put(s, stream->handle);
	be64_put(s + 8, stream->ctf_trace_id);
	be32_put(s + 16, stream->is_metadata);
	put_fixed_string(s + 20, LIVE_PATH_SIZE, stream->pathname);
	put_fixed_string(s + 20 + LIVE_PATH_SIZE, LIVE_CHANNEL_NAME_SIZE, stream->channel_name);
	return conn_queue(conn, s, sizeof(s));
}

/*
 * Adds a viewer stream for every new stream of the session and queues
 * status, count and the stream structures. at_end: data streams start
 * after their last index (SEEK_LAST) rather than at the first.
 */
static int send_new_streams(struct relay_conn *conn, struct live_state *ls,
                            struct relay_session *session, uint32_t status, bool at_end)
{
	struct relay_stream *stream;
	uint32_t count = 0;
	int r;

	cds_list_for_each_entry (stream, &session->streams, session_node) {
		if (stream_is_new_for(ls, stream))
			count++;
	}
	r = queue_u32(conn, status);
	if (r == 0)
		r = queue_u32(conn, count);
	cds_list_for_each_entry (stream, &session->streams, session_node) {
		struct viewer_stream *vs;

		if (r < 0 || !stream_is_new_for(ls, stream))
			continue;
		vs = calloc(1, sizeof(*vs));
		if (!vs)
			return -ENOMEM;
		vs->stream = stream;
		vs->next_index = at_end ? stream->index_entries : 0;
		vs->generation = stream->file_generation;
		cds_list_add_tail(&vs->node, &ls->streams);
		r = queue_stream(conn, stream);
	}
	session->new_streams = false;
	return r;
}

static int live_connect(struct relay_conn *conn, struct live_state *ls, const uint8_t *payload,
                        size_t len)
{
	struct live_connect req;
	uint8_t reply[20];

	if (live_connect_parse(payload, len, &req) < 0)
		return -EPROTO;
	if (req.major != LIVE_VERSION_MAJOR) {
		log_warn("%s: viewer protocol %u.%u is not compatible with %u.%u; closing the "
		         "connection",
		         conn->peer, req.major, req.minor, LIVE_VERSION_MAJOR, LIVE_VERSION_MINOR);
		return -EPROTO;
	}
	ls->connected = true;
	if (req.type == LIVE_CONNECTION_COMMAND)
		ls->viewer_id = next_viewer_id++;
	be64_put(reply, ls->viewer_id);
	be32_put(reply + 8, LIVE_VERSION_MAJOR);
	be32_put(reply + 12, LIVE_VERSION_MINOR);
	be32_put(reply + 16, 0);
	return conn_queue(conn, reply, sizeof(reply));
}

static int live_list_sessions(struct relay_conn *conn, struct live_state *ls,
                              const uint8_t *payload, size_t len)
{
	struct relay_session *session;
	uint32_t count = 0;
	int r;

	cds_list_for_each_entry (session, session_list(), node) {
		if (session->control_open)
			count++;
	}
	r = queue_u32(conn, count);
	cds_list_for_each_entry (session, session_list(), node) {
		uint8_t s[LIVE_SESSION_SIZE] = {0};
		struct relay_stream *stream;
		uint32_t streams = 0;

		if (r < 0 || !session->control_open)
			continue;
		cds_list_for_each_entry (stream, &session->streams, session_node)
			streams++;
		be64_put(s, session->id);
		be32_put(s + 8, session->live_timer_us);
		be32_put(s + 12, session->viewer_attached);
		be32_put(s + 16, streams);
		put_fixed_string(s + 20, LIVE_HOSTNAME_SIZE, session->hostname);
		put_fixed_string(s + 20 + LIVE_HOSTNAME_SIZE, LIVE_SESSION_NAME_SIZE,
		                 session->name);
		r = conn_queue(conn, s, sizeof(s));
	}
	return r;
}

static int live_create_session(struct relay_conn *conn, struct live_state *ls,
                               const uint8_t *payload, size_t len)
{
	ls->session_created = true;
	return queue_u32(conn, 1);
}

static int reply_attach_status(struct relay_conn *conn, uint32_t status)
{
	int r = queue_u32(conn, status);

	return r < 0 ? r : queue_u32(conn, 0);
}

static int live_attach(struct relay_conn *conn, struct live_state *ls, const uint8_t *payload,
                       size_t len)
{
	struct viewer_attachment *a;
	struct relay_session *session;
	struct live_attach req;

	if (live_attach_parse(payload, len, &req) < 0)
		return -EPROTO;
	if (!ls->session_created)
		return reply_attach_status(conn, LIVE_ATTACH_NO_SESSION);
	session = session_find(req.session_id);
	if (!session || !session->control_open)
		return reply_attach_status(conn, LIVE_ATTACH_UNK);
	if (!session->live_timer_us)
		return reply_attach_status(conn, LIVE_ATTACH_NOT_LIVE);
	if (session->viewer_attached)
		return reply_attach_status(conn, LIVE_ATTACH_ALREADY);
	if (req.seek != LIVE_SEEK_BEGINNING && req.seek != LIVE_SEEK_LAST)
		return reply_attach_status(conn, LIVE_ATTACH_SEEK_ERR);
	a = calloc(1, sizeof(*a));
	if (!a)
		return -ENOMEM;
	a->session = session;
	session_ref(session);
	session->viewer_attached = true;
	cds_list_add_tail(&a->node, &ls->attachments);
	log_info("%s: viewer attached to session %llu \"%s\" of host \"%s\"", conn->peer,
	         (unsigned long long)session->id, session->name, session->hostname);
	return send_new_streams(conn, ls, session, LIVE_ATTACH_OK, req.seek == LIVE_SEEK_LAST);
}

static void detach(struct live_state *ls, struct viewer_attachment *a)
{
	struct viewer_stream *vs, *tmp;

	cds_list_for_each_entry_safe (vs, tmp, &ls->streams, node) {
		if (vs->stream->session == a->session) {
			cds_list_del(&vs->node);
			free(vs);
		}
	}
	a->session->viewer_attached = false;
	cds_list_del(&a->node);
	session_unref(a->session);
	free(a);
}

static int live_detach(struct relay_conn *conn, struct live_state *ls, const uint8_t *payload,
                       size_t len)
{
	struct viewer_attachment *a;
	uint64_t id;

	if (relayd_u64_parse(payload, len, &id) < 0)
		return -EPROTO;
	a = attachment_find(ls, id);
	if (!a)
		return queue_u32(conn, LIVE_DETACH_UNK);
	detach(ls, a);
	return queue_u32(conn, LIVE_DETACH_OK);
}

static int live_get_new_streams(struct relay_conn *conn, struct live_state *ls,
                                const uint8_t *payload, size_t len)
{
	struct viewer_attachment *a;
	struct relay_stream *stream;
	bool any_new = false;
	uint64_t id;

	if (relayd_u64_parse(payload, len, &id) < 0)
		return -EPROTO;
	a = attachment_find(ls, id);
	if (!a) {
		int r = queue_u32(conn, LIVE_NEW_STREAMS_ERR);

		return r < 0 ? r : queue_u32(conn, 0);
	}
	cds_list_for_each_entry (stream, &a->session->streams, session_node)
		any_new |= stream_is_new_for(ls, stream);
	if (!any_new && a->session->producers == 0) {
		int r = queue_u32(conn, LIVE_NEW_STREAMS_HUP);

		return r < 0 ? r : queue_u32(conn, 0);
	}
	return send_new_streams(conn, ls, a->session, LIVE_NEW_STREAMS_OK, false);
}

static uint32_t index_flags(struct live_state *ls, struct relay_stream *stream)
{
	struct relay_stream *metadata = metadata_of(stream), *other;
	struct viewer_stream *vmeta = metadata ? viewer_stream_find(ls, metadata->handle) : NULL;
	uint32_t flags = 0;

	if (vmeta && (metadata->size_bytes == 0 || metadata->size_bytes > vmeta->metadata_sent))
		flags |= LIVE_FLAG_NEW_METADATA;
	cds_list_for_each_entry (other, &stream->session->streams, session_node) {
		if (stream_is_new_for(ls, other)) {
			flags |= LIVE_FLAG_NEW_STREAM;
			break;
		}
	}
	return flags;
}

static int reply_index(struct relay_conn *conn, const uint8_t entry[56], uint32_t status,
                       uint32_t flags)
{
	uint8_t reply[LIVE_INDEX_REPLY_SIZE] = {0};

	if (entry)
		memcpy(reply, entry, 56);
	be32_put(reply + 56, status);
	be32_put(reply + 60, flags);
	return conn_queue(conn, reply, sizeof(reply));
}

static int live_get_next_index(struct relay_conn *conn, struct live_state *ls,
                               const uint8_t *payload, size_t len)
{
	uint8_t entry[CTF_INDEX_ENTRY_SIZE];
	struct viewer_stream *vs;
	struct relay_stream *stream;
	uint32_t flags;
	uint64_t id;
	ssize_t n;

	if (relayd_u64_parse(payload, len, &id) < 0)
		return -EPROTO;
	vs = viewer_stream_find(ls, id);
	if (!vs)
		return reply_index(conn, NULL, LIVE_INDEX_ERR, 0);
	stream = vs->stream;
	if (stream->is_metadata)
		return reply_index(conn, NULL, LIVE_INDEX_HUP, 0);
	flags = index_flags(ls, stream);
	if (stream->rotating)
		return reply_index(conn, NULL, LIVE_INDEX_RETRY, flags);
	if (vs->generation != stream->file_generation) {
		/* The stream moved to a new trace chunk: its files start over. */
		vs->generation = stream->file_generation;
		vs->next_index = 0;
	}
	if (vs->next_index < stream->index_entries) {
		n = pread(stream->index_fd, entry, sizeof(entry),
		          (off_t)(CTF_INDEX_HEADER_SIZE + vs->next_index * CTF_INDEX_ENTRY_SIZE));
		if (n != (ssize_t)sizeof(entry)) {
			log_error("%s: reading index %llu of stream %llu failed", conn->peer,
			          (unsigned long long)vs->next_index, (unsigned long long)id);
			return reply_index(conn, NULL, LIVE_INDEX_ERR, flags);
		}
		vs->next_index++;
		return reply_index(conn, entry, LIVE_INDEX_OK, flags);
	}
	if (stream->closed)
		return reply_index(conn, NULL, LIVE_INDEX_HUP, flags);
	if (stream->has_beacon) {
		uint8_t beacon[56] = {0};

		be64_put(beacon + 32, stream->beacon_timestamp);
		be64_put(beacon + 48, stream->beacon_stream_id);
		return reply_index(conn, beacon, LIVE_INDEX_INACTIVE, flags);
	}
	return reply_index(conn, NULL, LIVE_INDEX_RETRY, flags);
}

static int reply_packet_status(struct relay_conn *conn, uint32_t status)
{
	uint8_t reply[12] = {0};

	be32_put(reply, status);
	return conn_queue(conn, reply, sizeof(reply));
}

static int live_get_packet(struct relay_conn *conn, struct live_state *ls, const uint8_t *payload,
                           size_t len)
{
	struct live_get_packet req;
	struct viewer_stream *vs;
	_Alignas(8) uint8_t head[12];
	uint8_t *bytes;
	ssize_t n;
	int r;

	if (live_get_packet_parse(payload, len, &req) < 0)
		return -EPROTO;
	vs = viewer_stream_find(ls, req.stream_id);
	if (!vs || vs->stream->is_metadata || req.len == 0 || req.len > MAX_GET_PACKET_BYTES ||
	    req.offset + req.len > vs->stream->size_bytes)
		return reply_packet_status(conn, LIVE_PACKET_ERR);
	bytes = malloc(req.len);
	if (!bytes)
		return -ENOMEM;
	n = pread(vs->stream->data_fd, bytes, req.len, (off_t)req.offset);
	if (n != (ssize_t)req.len) {
		free(bytes);
		return reply_packet_status(conn, LIVE_PACKET_ERR);
	}
	be32_put(head, LIVE_PACKET_OK);
	be32_put(head + 4, req.len);
	be32_put(head + 8, 0);
	r = conn_queue(conn, head, sizeof(head));
	if (r == 0)
		r = conn_queue(conn, bytes, req.len);
	free(bytes);
	return r;
}

static int reply_metadata_status(struct relay_conn *conn, uint32_t status)
{
	uint8_t reply[12] = {0};

	be32_put(reply + 8, status);
	return conn_queue(conn, reply, sizeof(reply));
}

static int live_get_metadata(struct relay_conn *conn, struct live_state *ls, const uint8_t *payload,
                             size_t len)
{
	struct viewer_stream *vs;
	uint8_t head[12], *bytes;
	uint64_t size;
	ssize_t n;
	int r;

	if (relayd_u64_parse(payload, len, &size) < 0)
		return -EPROTO;
	vs = viewer_stream_find(ls, size);
	if (!vs || !vs->stream->is_metadata)
		return reply_metadata_status(conn, LIVE_METADATA_ERR);
	if (vs->stream->size_bytes <= vs->metadata_sent)
		return reply_metadata_status(conn, LIVE_METADATA_NO_NEW);
	size = vs->stream->size_bytes - vs->metadata_sent;
	bytes = malloc(size);
	if (!bytes)
		return -ENOMEM;
	n = pread(vs->stream->data_fd, bytes, size, (off_t)vs->metadata_sent);
	if (n != (ssize_t)size) {
		free(bytes);
		return reply_metadata_status(conn, LIVE_METADATA_ERR);
	}
	be64_put(head, size);
	be32_put(head + 8, LIVE_METADATA_OK);
	r = conn_queue(conn, head, sizeof(head));
	if (r == 0)
		r = conn_queue(conn, bytes, size);
	free(bytes);
	if (r == 0)
		vs->metadata_sent += size;
	return r;
}

static const struct {
	const char *name;
	live_handler handler;
} live_commands[_LIVE_COMMAND_MAX] = {
    [LIVE_CONNECT] = {"CONNECT", live_connect},
    [LIVE_LIST_SESSIONS] = {"LIST_SESSIONS", live_list_sessions},
    [LIVE_ATTACH_SESSION] = {"ATTACH_SESSION", live_attach},
    [LIVE_GET_NEXT_INDEX] = {"GET_NEXT_INDEX", live_get_next_index},
    [LIVE_GET_PACKET] = {"GET_PACKET", live_get_packet},
    [LIVE_GET_METADATA] = {"GET_METADATA", live_get_metadata},
    [LIVE_GET_NEW_STREAMS] = {"GET_NEW_STREAMS", live_get_new_streams},
    [LIVE_CREATE_SESSION] = {"CREATE_SESSION", live_create_session},
    [LIVE_DETACH_SESSION] = {"DETACH_SESSION", live_detach},
};

static int live_on_open(struct relay_conn *conn)
{
	struct live_state *ls = calloc(1, sizeof(*ls));

	if (!ls)
		return -ENOMEM;
	CDS_INIT_LIST_HEAD(&ls->streams);
	CDS_INIT_LIST_HEAD(&ls->attachments);
	conn->state = ls;
	return 0;
}

static int64_t live_on_header(struct relay_conn *conn)
{
	struct live_state *ls = conn->state;
	struct live_header h;
	int size;

	live_header_parse(conn->header, LIVE_HEADER_SIZE, &h);
	size = live_payload_size(h.cmd);
	if (size < 0) {
		log_warn("%s: unknown viewer command %u; closing the connection", conn->peer,
		         h.cmd);
		conn->close_after_flush = true;
		queue_u32(conn, RELAYD_RET_UNK);
		return 0;
	}
	if (h.data_size != (uint64_t)size) {
		log_warn("%s: viewer %s with a %llu-byte payload instead of %d; closing the "
		         "connection",
		         conn->peer, live_commands[h.cmd].name, (unsigned long long)h.data_size,
		         size);
		return -EPROTO;
	}
	if (!ls->connected && h.cmd != LIVE_CONNECT) {
		log_warn("%s: viewer %s before CONNECT; closing the connection", conn->peer,
		         live_commands[h.cmd].name);
		return -EPROTO;
	}
	return size;
}

static int live_on_message(struct relay_conn *conn, const uint8_t *payload, size_t len)
{
	uint32_t cmd = be32_get(conn->header + 8);
	int r;

	if (live_payload_size(cmd) < 0)
		return 0; /* answered as unknown; closing after the reply */
	log_debug("%s: viewer %s", conn->peer, live_commands[cmd].name);
	r = live_commands[cmd].handler(conn, conn->state, payload, len);
	if (r == -EPROTO)
		log_warn("%s: malformed viewer %s; closing the connection", conn->peer,
		         live_commands[cmd].name);
	return r;
}

static void live_on_close(struct relay_conn *conn, bool mid_message)
{
	struct live_state *ls = conn->state;
	struct viewer_attachment *a, *tmp;

	cds_list_for_each_entry_safe (a, tmp, &ls->attachments, node)
		detach(ls, a);
	free(ls);
}

const struct conn_ops live_conn_ops = {
    .header_size = LIVE_HEADER_SIZE,
    .on_open = live_on_open,
    .on_header = live_on_header,
    .on_message = live_on_message,
    .on_close = live_on_close,
};

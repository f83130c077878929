/* SPDX-License-Identifier: MIT */
#include "relay.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "common/be-bytes.h"
#include "common/comm/consumer-msg.h"
#include "common/comm/relayd-client.h"
#include "common/comm/relayd-encode.h"
#include "common/log.h"
#include "common/macros.h"

/* How long CLOSE_TRACE_CHUNK waits for the relay to finish with the chunk. */
#define RELAY_CHUNK_EXISTS_POLLS   500
#define RELAY_CHUNK_EXISTS_POLL_NS 10000000L

static CDS_LIST_HEAD(relay_registry);

static struct relay_session *relay_registry_find(uint64_t session_id)
{
	struct relay_session *rs;

	cds_list_for_each_entry (rs, &relay_registry, node) {
		if (rs->session_id == session_id)
			return rs;
	}
	return NULL;
}

/*
 * Marks the session broken after an I/O error and shuts both connections
 * down; logged once. Called with ctrl_lock or data_lock held. Returns -EPIPE.
 */
static int relay_fail(struct relay_session *rs, const char *what, int err)
{
	if (!atomic_exchange(&rs->broken, true)) {
		log_error("Lost the relay daemon of session %" PRIu64 " (%s: %s); its trace data "
		          "is counted as lost from now on",
		          rs->session_id, what, strerror(-err));
		if (rs->ctrl_fd >= 0)
			shutdown(rs->ctrl_fd, SHUT_RDWR);
		if (rs->data_fd >= 0)
			shutdown(rs->data_fd, SHUT_RDWR);
	}
	return -EPIPE;
}

int relay_session_add_socket(uint64_t session_id, uint64_t relay_session_id, uint32_t minor,
                             bool data, int fd)
{
	struct relay_session *rs = relay_registry_find(session_id);
	int *slot;

	if (!rs) {
		rs = calloc(1, sizeof(*rs));
		if (!rs) {
			close(fd);
			return -CONSUMERD_ENOMEM;
		}
		rs->session_id = session_id;
		rs->relay_session_id = relay_session_id;
		rs->minor = minor;
		rs->ctrl_fd = rs->data_fd = -1;
		rs->refs = 1;
		pthread_mutex_init(&rs->ctrl_lock, NULL);
		pthread_mutex_init(&rs->data_lock, NULL);
		cds_list_add_tail(&rs->node, &relay_registry);
	} else if (rs->relay_session_id != relay_session_id) {
		log_error("Relay socket for session %" PRIu64 " names relay session %" PRIu64
		          ", it has %" PRIu64,
		          session_id, relay_session_id, rs->relay_session_id);
		close(fd);
		return -CONSUMERD_INVALID_PARAMETERS;
	}
	slot = data ? &rs->data_fd : &rs->ctrl_fd;
	if (*slot >= 0) {
		log_error("Session %" PRIu64 " already has its relay %s connection", session_id,
		          data ? "data" : "control");
		close(fd);
		return -CONSUMERD_ALREADY_SET;
	}
	*slot = fd;
	log_info("Session %" PRIu64 ": relay %s connection received (relay session %" PRIu64
	         ", protocol 2.%" PRIu32 ")",
	         session_id, data ? "data" : "control", relay_session_id, minor);
	return 0;
}

struct relay_session *relay_session_get(uint64_t session_id)
{
	struct relay_session *rs = relay_registry_find(session_id);

	if (!rs || rs->ctrl_fd < 0 || rs->data_fd < 0)
		return NULL;
	rs->refs++;
	return rs;
}

void relay_session_put(struct relay_session *rs)
{
	if (!rs || --rs->refs > 0)
		return;
	if (rs->ctrl_fd >= 0)
		close(rs->ctrl_fd);
	if (rs->data_fd >= 0)
		close(rs->data_fd);
	pthread_mutex_destroy(&rs->ctrl_lock);
	pthread_mutex_destroy(&rs->data_lock);
	free(rs->retired);
	free(rs);
}

/* A control command with a generic reply, under ctrl_lock. */
static int relay_ctrl_call_ok(struct relay_session *rs, uint32_t cmd, const char *what,
                              const void *payload, size_t len)
{
	uint32_t code = 0;
	int r;

	pthread_mutex_lock(&rs->ctrl_lock);
	if (relay_session_broken(rs))
		r = -EPIPE;
	else
		r = relayd_client_call_ok(rs->ctrl_fd, cmd, payload, len, &code);
	if (r == -EREMOTEIO)
		log_error("Relay refused %s of session %" PRIu64 " (code %" PRIu32 ")", what,
		          rs->session_id, code);
	else if (r < 0 && !relay_session_broken(rs))
		r = relay_fail(rs, what, r);
	pthread_mutex_unlock(&rs->ctrl_lock);
	return r;
}

/* A control command and its reply of reply_len bytes, under ctrl_lock. */
static int relay_ctrl_call(struct relay_session *rs, uint32_t cmd, const char *what,
                           const void *payload, size_t len, void *reply, size_t reply_len)
{
	int r;

	pthread_mutex_lock(&rs->ctrl_lock);
	if (relay_session_broken(rs))
		r = -EPIPE;
	else
		r = relayd_client_call(rs->ctrl_fd, cmd, payload, len, reply, reply_len);
	if (r < 0 && !relay_session_broken(rs))
		r = relay_fail(rs, what, r);
	pthread_mutex_unlock(&rs->ctrl_lock);
	return r;
}

static int relay_create_chunk_id(struct relay_session *rs, uint64_t chunk_id,
                                 const char *override_name)
{
	uint8_t payload[RELAYD_CREATE_CHUNK_MAX_SIZE];
	ssize_t len = relayd_create_chunk_encode(payload, sizeof(payload), chunk_id,
	                                         (uint64_t)time(NULL), override_name);

	if (len < 0)
		return (int)len;
	return relay_ctrl_call_ok(rs, RELAYD_CREATE_TRACE_CHUNK, "CREATE_TRACE_CHUNK", payload,
	                          (size_t)len);
}

/* The current chunk, announced on first need. */
static int relay_create_chunk(struct relay_session *rs)
{
	int r;

	if (rs->chunk_created)
		return 0;
	r = relay_create_chunk_id(rs, rs->chunk_id, "");
	if (r == 0)
		rs->chunk_created = true;
	return r;
}

int relay_create_snapshot_chunk(struct relay_session *rs, uint64_t chunk_id, const char *name)
{
	int r;

	if (rs->chunk_created || rs->snapshot) {
		log_error("Session %" PRIu64
		          ": snapshot chunk %s on relay connections that already "
		          "have a trace chunk",
		          rs->session_id, name);
		return -EINVAL;
	}
	r = relay_create_chunk_id(rs, chunk_id, name);
	if (r < 0)
		return r;
	rs->chunk_id = chunk_id;
	rs->chunk_created = true;
	rs->snapshot = true;
	return 0;
}

int relay_create_trace_chunk(struct relay_session *rs, uint64_t chunk_id)
{
	int r;

	if (rs->snapshot || chunk_id <= rs->chunk_id) {
		log_error("Session %" PRIu64 ": trace chunk %" PRIu64
		          " does not follow chunk %" PRIu64,
		          rs->session_id, chunk_id, rs->chunk_id);
		return -EINVAL;
	}
	/* The chunk being left must exist on the relay to be closed, even if empty. */
	r = rs->chunk_closed ? 0 : relay_create_chunk(rs);
	if (r == 0)
		r = relay_create_chunk_id(rs, chunk_id, "");
	if (r == 0) {
		rs->chunk_id = chunk_id;
		rs->chunk_closed = false;
	}
	return r;
}

int relay_add_stream(struct relay_session *rs, const char *channel_name, const char *pathname,
                     uint64_t tracefile_size, uint64_t tracefile_count, uint64_t *ret_handle)
{
	struct relayd_add_stream as = {
	    .tracefile_size = tracefile_size,
	    .tracefile_count = tracefile_count,
	};
	uint8_t payload[RELAYD_ADD_STREAM_MAX_SIZE], reply[12];
	ssize_t len;
	int r;

	/* The relay takes paths relative to the chunk. */
	while (*pathname == '/')
		pathname++;
	if (strlen(channel_name) >= sizeof(as.channel_name) ||
	    strlen(pathname) >= sizeof(as.pathname)) {
		log_error("Stream %s/%s: name too long for the relay protocol", pathname,
		          channel_name);
		return -ENAMETOOLONG;
	}
	strcpy(as.channel_name, channel_name);
	strcpy(as.pathname, pathname);
	r = relay_create_chunk(rs);
	if (r < 0)
		return r;
	as.trace_chunk_id = rs->chunk_id;
	len = relayd_add_stream_encode(payload, sizeof(payload), &as);
	if (len < 0)
		return (int)len;
	r = relay_ctrl_call(rs, RELAYD_ADD_STREAM, "ADD_STREAM", payload, (size_t)len, reply,
	                    sizeof(reply));
	if (r < 0)
		return r;
	if (be32_get(reply + 8) != RELAYD_RET_OK) {
		log_error("Relay refused stream %s/%s (code %" PRIu32 ")", pathname, channel_name,
		          be32_get(reply + 8));
		return -EREMOTEIO;
	}
	*ret_handle = be64_get(reply);
	return 0;
}

int relay_streams_sent(struct relay_session *rs)
{
	return relay_ctrl_call_ok(rs, RELAYD_STREAMS_SENT, "STREAMS_SENT", NULL, 0);
}

static int relay_send_index(struct relay_session *rs, const struct relayd_index *index)
{
	uint8_t payload[RELAYD_INDEX_SIZE];

	relayd_index_encode(payload, index);
	return relay_ctrl_call_ok(rs, RELAYD_SEND_INDEX, "SEND_INDEX", payload, sizeof(payload));
}

int relay_send_data(struct relay_session *rs, uint64_t handle, uint64_t net_seq_num,
                    const void *data, uint32_t content_bytes, uint32_t padding_bytes)
{
	struct relayd_data_header h = {
	    .stream_handle = handle,
	    .net_seq_num = net_seq_num,
	    .data_size = content_bytes,
	    .padding_size = padding_bytes,
	};
	uint8_t header[RELAYD_DATA_HEADER_SIZE];
	int r;

	relayd_data_header_encode(header, &h);
	pthread_mutex_lock(&rs->data_lock);
	if (relay_session_broken(rs))
		r = -EPIPE;
	else
		r = relayd_client_send2(rs->data_fd, header, sizeof(header), data, content_bytes);
	if (r < 0 && !relay_session_broken(rs))
		r = relay_fail(rs, "data packet", r);
	pthread_mutex_unlock(&rs->data_lock);
	return r;
}

int relay_send_packet(struct relay_session *rs, const struct relayd_index *index, const void *data,
                      uint32_t content_bytes, uint32_t padding_bytes)
{
	int r = relay_send_data(rs, index->stream_handle, index->net_seq_num, data, content_bytes,
	                        padding_bytes);

	return r < 0 ? r : relay_send_index(rs, index);
}

int relay_send_beacon(struct relay_session *rs, const struct relayd_index *index)
{
	return relay_send_index(rs, index);
}

int relay_send_metadata(struct relay_session *rs, uint64_t handle, const void *bytes, uint32_t len,
                        uint32_t padding_bytes)
{
	uint8_t header[RELAYD_CTRL_HEADER_SIZE + 12];
	int r;

	relayd_ctrl_header_encode(header, RELAYD_SEND_METADATA, 12u + (uint64_t)len);
	be64_put(header + RELAYD_CTRL_HEADER_SIZE, handle);
	be32_put(header + RELAYD_CTRL_HEADER_SIZE + 8, padding_bytes);
	pthread_mutex_lock(&rs->ctrl_lock);
	if (relay_session_broken(rs))
		r = -EPIPE;
	else
		r = relayd_client_send2(rs->ctrl_fd, header, sizeof(header), bytes, len);
	if (r < 0 && !relay_session_broken(rs))
		r = relay_fail(rs, "SEND_METADATA", r);
	pthread_mutex_unlock(&rs->ctrl_lock);
	return r;
}

int relay_close_stream(struct relay_session *rs, uint64_t handle, uint64_t last_net_seq_num)
{
	uint8_t payload[16];

	relayd_stream_seq_encode(payload, handle, last_net_seq_num);
	return relay_ctrl_call_ok(rs, RELAYD_CLOSE_STREAM, "CLOSE_STREAM", payload,
	                          sizeof(payload));
}

/* CLOSE_STREAM wants the last packet's number: that of a stream without any is -1. */
static int relay_close_retired(struct relay_session *rs, const struct relay_retired_stream *st)
{
	return relay_close_stream(rs, st->handle,
	                          st->metadata ? RELAYD_SEQ_NONE : st->next_seq - 1);
}

void relay_retire_stream(struct relay_session *rs, uint64_t handle, uint64_t next_seq,
                         bool metadata)
{
	struct relay_retired_stream st = {
	    .handle = handle, .next_seq = next_seq, .metadata = metadata};

	/* Past DESTROY_RELAYD there is no teardown to wait for. */
	if (relay_registry_find(rs->session_id) != rs) {
		(void)relay_close_retired(rs, &st);
		return;
	}
	if (rs->nr_retired == rs->retired_capacity) {
		size_t cap = rs->retired_capacity ? 2 * rs->retired_capacity : 16;
		struct relay_retired_stream *grown = realloc(rs->retired, cap * sizeof(*grown));

		if (!grown) {
			(void)relay_close_retired(rs, &st);
			return;
		}
		rs->retired = grown;
		rs->retired_capacity = cap;
	}
	rs->retired[rs->nr_retired++] = st;
}

int relay_rotate_streams(struct relay_session *rs, bool to_chunk,
                         const struct relay_rotate_position *pos, uint32_t count)
{
	_cleanup_free_ uint8_t *payload = NULL;
	uint8_t *p;

	if (count == 0)
		return 0;
	payload =
	    malloc(RELAYD_ROTATE_STREAMS_HEADER_SIZE + (size_t)count * RELAYD_ROTATE_POS_SIZE);
	if (!payload)
		return -ENOMEM;
	relayd_rotate_streams_header_encode(payload, count, to_chunk, rs->chunk_id);
	p = payload + RELAYD_ROTATE_STREAMS_HEADER_SIZE;
	for (uint32_t i = 0; i < count; i++, p += RELAYD_ROTATE_POS_SIZE)
		relayd_rotate_position_encode(p, pos[i].handle, pos[i].seq);
	return relay_ctrl_call_ok(rs, RELAYD_ROTATE_STREAMS, "ROTATE_STREAMS", payload,
	                          (size_t)(p - payload));
}

/* ROTATE_STREAMS to "no chunk" of the retired data (metadata false) or metadata streams. */
static int relay_rotate_to_no_chunk(struct relay_session *rs, bool metadata)
{
	_cleanup_free_ struct relay_rotate_position *pos = NULL;
	uint32_t count = 0;

	pos = calloc(rs->nr_retired ? rs->nr_retired : 1, sizeof(*pos));
	if (!pos)
		return -ENOMEM;
	for (size_t i = 0; i < rs->nr_retired; i++) {
		const struct relay_retired_stream *st = &rs->retired[i];

		if (st->metadata == metadata)
			pos[count++] = (struct relay_rotate_position){
			    .handle = st->handle, .seq = metadata ? 0 : st->next_seq};
	}
	return relay_rotate_streams(rs, false, pos, count);
}

int relay_data_pending_begin(struct relay_session *rs)
{
	uint8_t payload[8];

	relayd_u64_encode(payload, rs->relay_session_id);
	return relay_ctrl_call_ok(rs, RELAYD_BEGIN_DATA_PENDING, "BEGIN_DATA_PENDING", payload,
	                          sizeof(payload));
}

/* A command answered by a 0/1 boolean. */
static int relay_ctrl_call_bool(struct relay_session *rs, uint32_t cmd, const char *what,
                                const void *payload, size_t len)
{
	uint8_t reply[4];
	int r = relay_ctrl_call(rs, cmd, what, payload, len, reply, sizeof(reply));

	return r < 0 ? r : be32_get(reply) != 0;
}

int relay_data_pending_stream(struct relay_session *rs, uint64_t handle, uint64_t last_seq)
{
	uint8_t payload[16];

	relayd_stream_seq_encode(payload, handle, last_seq);
	return relay_ctrl_call_bool(rs, RELAYD_DATA_PENDING, "DATA_PENDING", payload,
	                            sizeof(payload));
}

int relay_quiescent(struct relay_session *rs, uint64_t handle)
{
	uint8_t payload[8];

	relayd_u64_encode(payload, handle);
	return relay_ctrl_call_ok(rs, RELAYD_QUIESCENT_CONTROL, "QUIESCENT_CONTROL", payload,
	                          sizeof(payload));
}

int relay_data_pending_end(struct relay_session *rs)
{
	uint8_t payload[8];

	relayd_u64_encode(payload, rs->relay_session_id);
	return relay_ctrl_call_bool(rs, RELAYD_END_DATA_PENDING, "END_DATA_PENDING", payload,
	                            sizeof(payload));
}

int relay_trace_chunk_exists(struct relay_session *rs, uint64_t chunk_id)
{
	uint8_t payload[8], reply[5];
	int r;

	relayd_u64_encode(payload, chunk_id);
	r = relay_ctrl_call(rs, RELAYD_TRACE_CHUNK_EXISTS, "TRACE_CHUNK_EXISTS", payload,
	                    sizeof(payload), reply, sizeof(reply));
	if (r < 0)
		return r;
	if (be32_get(reply) != RELAYD_RET_OK) {
		log_error("Relay refused TRACE_CHUNK_EXISTS of session %" PRIu64 " (code %" PRIu32
		          ")",
		          rs->session_id, be32_get(reply));
		return -EREMOTEIO;
	}
	return reply[4] != 0;
}

int relay_close_trace_chunk(struct relay_session *rs, uint64_t chunk_id, int close_command,
                            char *ret_path, size_t path_size)
{
	struct relayd_close_chunk cc = {.chunk_id = chunk_id,
	                                .close_time = (uint64_t)time(NULL),
	                                .close_command_set = close_command >= 0,
	                                .close_command = close_command >= 0 ? close_command : 0};
	uint8_t payload[RELAYD_CLOSE_CHUNK_SIZE], reply[8];
	uint32_t path_len;
	int r;

	if (ret_path && path_size)
		ret_path[0] = '\0';
	/* The current chunk, closed as a stopped session rotates: it must exist on the relay. */
	if (chunk_id == rs->chunk_id) {
		r = relay_create_chunk(rs);
		if (r < 0)
			return r;
	}
	relayd_close_chunk_encode(payload, &cc);
	pthread_mutex_lock(&rs->ctrl_lock);
	if (relay_session_broken(rs)) {
		pthread_mutex_unlock(&rs->ctrl_lock);
		return -EPIPE;
	}
	r = relayd_client_call(rs->ctrl_fd, RELAYD_CLOSE_TRACE_CHUNK, payload, sizeof(payload),
	                       reply, sizeof(reply));
	path_len = r == 0 ? be32_get(reply + 4) : 0;
	if (r == 0 && path_len > RELAYD_BASE_PATH_MAX)
		r = -EPROTO;
	for (size_t done = 0; r == 0 && done < path_len;) {
		uint8_t chunk[256];
		uint32_t n = path_len - done < sizeof(chunk) ? path_len - done : sizeof(chunk);

		r = relayd_client_recv(rs->ctrl_fd, chunk, n);
		if (r == 0 && ret_path && done < path_size)
			memcpy(ret_path + done, chunk, n < path_size - done ? n : path_size - done);
		done += n;
	}
	if (r == 0 && ret_path && path_size)
		ret_path[(path_len && path_len <= path_size ? path_len : path_size) - 1] = '\0';
	if (r == 0 && be32_get(reply) != RELAYD_RET_OK) {
		log_error("Relay refused to close trace chunk %" PRIu64 " of session %" PRIu64
		          " (code %" PRIu32 ")",
		          chunk_id, rs->session_id, be32_get(reply));
		r = -EREMOTEIO;
	}
	if (r < 0 && r != -EREMOTEIO)
		r = relay_fail(rs, "CLOSE_TRACE_CHUNK", r);
	if (r == 0 && close_command == RELAYD_CHUNK_CLOSE_MOVE_TO_COMPLETED)
		rs->rotated = true;
	if (r == 0 && rs->snapshot)
		rs->chunk_created = false; /* its only chunk: nothing left to tear down */
	if (r == 0 && chunk_id == rs->chunk_id)
		rs->chunk_closed = true;
	pthread_mutex_unlock(&rs->ctrl_lock);
	return r;
}

int relay_close_retired_streams(struct relay_session *rs)
{
	int r = 0;

	for (int metadata = 1; metadata >= 0; metadata--) {
		for (size_t i = 0; r == 0 && i < rs->nr_retired; i++)
			if (rs->retired[i].metadata == (bool)metadata)
				r = relay_close_retired(rs, &rs->retired[i]);
	}
	if (r == 0)
		rs->nr_retired = 0;
	return r;
}

/* The end of a session on the relay, in the order of LTTng 2.13 (see relay.h). */
static int relay_teardown(struct relay_session *rs)
{
	int r;

	/* A stopped session rotated or cleared last: its chunk is closed, its streams in none. */
	if (rs->chunk_closed)
		return relay_close_retired_streams(rs);
	r = relay_rotate_to_no_chunk(rs, false);
	if (r == 0)
		r = relay_rotate_to_no_chunk(rs, true);
	/* A rotated session's last chunk is archived too, as the others. */
	if (r == 0)
		r = relay_close_trace_chunk(rs, rs->chunk_id,
		                            rs->rotated ? RELAYD_CHUNK_CLOSE_MOVE_TO_COMPLETED : -1,
		                            NULL, 0);
	/* Asked once, as lttng's consumer does: the streams are closed next. */
	if (r == 0) {
		r = relay_trace_chunk_exists(rs, rs->chunk_id);
		r = r > 0 ? 0 : r;
	}
	return r == 0 ? relay_close_retired_streams(rs) : r;
}

void relay_session_destroy_all(void)
{
	while (!cds_list_empty(&relay_registry)) {
		struct relay_session *rs =
		    cds_list_first_entry(&relay_registry, struct relay_session, node);

		(void)relay_session_destroy(rs->session_id);
	}
}

int relay_session_destroy(uint64_t session_id)
{
	struct relay_session *rs = relay_registry_find(session_id);
	int r = 0;

	if (!rs)
		return -CONSUMERD_INVALID_PARAMETERS;
	if (rs->chunk_created && !relay_session_broken(rs) && rs->ctrl_fd >= 0)
		r = rs->snapshot ? relay_close_trace_chunk(rs, rs->chunk_id,
		                                           RELAYD_CHUNK_CLOSE_NO_OPERATION, NULL, 0)
		                 : relay_teardown(rs);
	if (relay_session_broken(rs))
		r = -EPIPE;
	cds_list_del(&rs->node);
	log_info("Session %" PRIu64 ": relay connections released", session_id);
	relay_session_put(rs);
	return r < 0 ? -CONSUMERD_RELAYD_FAIL : 0;
}

/* SPDX-License-Identifier: MIT */
#include "stream.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chunk.h"
#include "common/io.h"
#include "common/log.h"
#include "ctf/index.h"
#include "output-path.h"
#include "session.h"
#include "socket-to-file.h"

/* More unpaired packets or indexes than this on a stream is a broken peer. */
#define MAX_PENDING_PAIRS 65536u
#define STREAM_HASH_SIZE  1024u

static struct cds_list_head stream_hash[STREAM_HASH_SIZE];
static uint64_t next_stream_handle = 1;
static uint64_t next_ctf_trace_id = 1;

static struct cds_list_head *hash_bucket(uint64_t handle)
{
	struct cds_list_head *bucket = &stream_hash[handle % STREAM_HASH_SIZE];

	if (!bucket->next)
		CDS_INIT_LIST_HEAD(bucket);
	return bucket;
}

struct relay_stream *stream_find(uint64_t handle)
{
	struct relay_stream *stream;

	cds_list_for_each_entry (stream, hash_bucket(handle), hash_node) {
		if (stream->handle == handle)
			return stream;
	}
	return NULL;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/*
 * The stream's directory in a chunk and its file name there: the channel
 * name, with "_<n>" when trace files are size-limited (as lttng-relayd).
 */
static int stream_dir_and_name(const struct relay_stream *stream, const struct relay_chunk *chunk,
                               uint64_t tracefile_no, char dir[PATH_MAX], char name[PATH_MAX])
{
	int r = rt_path_format(dir, "%s%s%s", chunk->dir, stream->pathname[0] ? "/" : "",
	                       stream->pathname);

	if (r < 0)
		return r;
	if (stream->tracefile_size)
		return rt_path_format(name, "%s_%llu", stream->channel_name,
		                      (unsigned long long)tracefile_no);
	return rt_path_format(name, "%s", stream->channel_name);
}

/* Creates the directory dir if missing, then dir/file, truncated: its fd or a negative errno. */
static int create_file_in(const char *dir, const char *file)
{
	char rel[PATH_MAX], abs[PATH_MAX];
	int fd, r = path_mkdirs(dir);

	if (r == 0)
		r = rt_path_format(rel, "%s/%s", dir, file);
	if (r == 0)
		r = path_absolute(rel, abs);
	if (r < 0)
		return r;
	fd = open(abs, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0660);
	return fd < 0 ? -errno : fd;
}

/* Opens (truncating) <chunk>/<pathname>/<file> and, if indexed, its index file. */
static int open_files(struct relay_stream *stream, struct relay_chunk *chunk, uint64_t tracefile_no,
                      int *ret_data_fd, int *ret_index_fd)
{
	char dir[PATH_MAX], name[PATH_MAX], rel[PATH_MAX], index_name[PATH_MAX];
	int data_fd, index_fd = -1, r;

	r = stream_dir_and_name(stream, chunk, tracefile_no, dir, name);
	if (r < 0)
		return r;
	data_fd = create_file_in(dir, name);
	if (data_fd < 0)
		return data_fd;
	r = rt_path_format(rel, "%s%s%s", stream->pathname, stream->pathname[0] ? "/" : "", name);
	if (r == 0)
		r = chunk_note_entry(chunk, rel);
	if (r == 0 && stream->has_index) {
		r = rt_path_format(rel, "%s/index", dir);
		if (r == 0)
			r = rt_path_format(index_name, "%s.idx", name);
		if (r == 0) {
			index_fd = create_file_in(rel, index_name);
			r = index_fd < 0 ? index_fd : ctf_index_write_header(index_fd);
		}
	}
	if (r < 0) {
		close(data_fd);
		if (index_fd >= 0)
			close(index_fd);
		return r;
	}
	*ret_data_fd = data_fd;
	*ret_index_fd = index_fd;
	return 0;
}

/* Appends an entry to the index of an earlier trace file of the current chunk. */
static int append_to_earlier_index(struct relay_stream *stream, uint64_t tracefile_no,
                                   const struct ctf_index_entry *entry)
{
	char dir[PATH_MAX], name[PATH_MAX], rel[PATH_MAX], abs[PATH_MAX];
	int fd, r;

	r = stream_dir_and_name(stream, stream->chunk, tracefile_no, dir, name);
	if (r == 0)
		r = rt_path_format(rel, "%s/index/%s.idx", dir, name);
	if (r == 0)
		r = path_absolute(rel, abs);
	if (r < 0)
		return r;
	fd = open(abs, O_WRONLY | O_APPEND | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	r = ctf_index_append(fd, entry);
	close(fd);
	return r;
}

static uint64_t trace_id_for(struct relay_session *session, const char *pathname)
{
	struct relay_stream *other;

	cds_list_for_each_entry (other, &session->streams, session_node) {
		if (!strcmp(other->pathname, pathname))
			return other->ctf_trace_id;
	}
	return next_ctf_trace_id++;
}

int stream_create(struct relay_session *session, const struct relayd_add_stream *req,
                  struct relay_stream **ret_stream)
{
	struct relay_stream *stream;
	const char *pathname = req->pathname;
	int r;

	if (!path_is_safe_relative(pathname) || !path_is_component(req->channel_name))
		return -EINVAL;
	stream = calloc(1, sizeof(*stream));
	if (!stream)
		return -ENOMEM;
	stream->session = session;
	stream->chunk = chunk_find(session, req->trace_chunk_id);
	if (!stream->chunk || stream->chunk->closed) {
		free(stream);
		return -ENOENT;
	}
	memcpy(stream->channel_name, req->channel_name, sizeof(stream->channel_name));
	snprintf(stream->pathname, sizeof(stream->pathname), "%s", pathname);
	stream->is_metadata = !strcmp(req->channel_name, "metadata");
	stream->has_index = !stream->is_metadata && !session->snapshot;
	stream->last_data_seq = RELAYD_SEQ_NONE;
	stream->last_index_seq = RELAYD_SEQ_NONE;
	stream->old_index_fd = -1;
	stream->tracefile_size = req->tracefile_size;
	stream->tracefile_count = req->tracefile_count;
	r = open_files(stream, stream->chunk, 0, &stream->data_fd, &stream->index_fd);
	if (r < 0) {
		free(stream);
		return r;
	}
	stream->ctf_trace_id = trace_id_for(session, stream->pathname);
	stream->handle = next_stream_handle++;
	cds_list_add_tail(&stream->session_node, &session->streams);
	cds_list_add(&stream->hash_node, hash_bucket(stream->handle));
	*ret_stream = stream;
	return 0;
}

void stream_free(struct relay_stream *stream)
{
	close_fd(&stream->data_fd);
	close_fd(&stream->index_fd);
	close_fd(&stream->old_index_fd);
	free(stream->pending_packets);
	free(stream->pending_indexes);
	cds_list_del(&stream->session_node);
	cds_list_del(&stream->hash_node);
	free(stream);
}

/* Signed distance, as sequence numbers may wrap. */
static bool seq_before(uint64_t a, uint64_t b)
{
	return (int64_t)(a - b) < 0;
}

static bool all_received(const struct relay_stream *stream, uint64_t last_seq)
{
	if (last_seq == RELAYD_SEQ_NONE)
		return true;
	if (stream->last_data_seq == RELAYD_SEQ_NONE || seq_before(stream->last_data_seq, last_seq))
		return false;
	if (stream->has_index && (stream->last_index_seq == RELAYD_SEQ_NONE ||
	                          seq_before(stream->last_index_seq, last_seq)))
		return false;
	return true;
}

static void maybe_complete(struct relay_stream *stream)
{
	if (stream->close_requested && !stream->closed &&
	    (stream->is_metadata || all_received(stream, stream->close_seq))) {
		stream->closed = true;
		log_debug("stream %llu (%s/%s) complete", (unsigned long long)stream->handle,
		          stream->pathname, stream->channel_name);
		session_stream_completed(stream->session);
	}
}

/* Everything before seq arrived, last_seq being the last that did. */
static bool done_before(uint64_t last_seq, uint64_t seq)
{
	if (seq == 0)
		return true;
	return last_seq != RELAYD_SEQ_NONE && !seq_before(last_seq, seq - 1);
}

/* The data file moves to the new chunk; the index follows in try_rotate(). */
static int switch_data_file(struct relay_stream *stream)
{
	int data_fd, index_fd, r;

	r = open_files(stream, stream->next_chunk, 0, &data_fd, &index_fd);
	if (r < 0)
		return r;
	close_fd(&stream->data_fd);
	stream->data_fd = data_fd;
	stream->old_index_fd = stream->index_fd;
	stream->index_fd = index_fd;
	stream->size_bytes = 0;
	stream->index_entries = 0;
	stream->tracefile_no = 0;
	stream->file_generation++;
	stream->data_rotated = true;
	stream->old_chunk = stream->chunk;
	stream->chunk = stream->next_chunk;
	return 0;
}

/*
 * Moves as much of a pending rotation as possible: the data file once every
 * packet of the old chunk arrived, then the index file once every index of
 * the old chunk was written (at once for metadata, which has no sequence).
 */
static int try_rotate(struct relay_stream *stream)
{
	int r;

	if (!stream->rotating)
		return 0;
	if (!stream->data_rotated &&
	    (stream->is_metadata || done_before(stream->last_data_seq, stream->rotate_at_seq))) {
		r = switch_data_file(stream);
		if (r < 0)
			return r;
	}
	if (stream->data_rotated &&
	    (!stream->has_index || done_before(stream->last_index_seq, stream->rotate_at_seq))) {
		close_fd(&stream->old_index_fd);
		stream->old_chunk = NULL;
		stream->rotating = false;
	}
	return 0;
}

/*
 * The current trace file is full: go on in the next one, <channel>_<n+1>,
 * or, with a trace file count, overwrite the oldest (n + 1 modulo count).
 */
static int next_tracefile(struct relay_stream *stream)
{
	uint64_t next = stream->tracefile_no + 1;
	int data_fd, index_fd, r;

	if (stream->tracefile_count)
		next %= stream->tracefile_count;
	r = open_files(stream, stream->chunk, next, &data_fd, &index_fd);
	if (r < 0)
		return r;
	close_fd(&stream->data_fd);
	close_fd(&stream->index_fd);
	stream->data_fd = data_fd;
	stream->index_fd = index_fd;
	stream->tracefile_no = next;
	stream->size_bytes = 0;
	stream->index_entries = 0;
	stream->file_generation++;
	return 0;
}

int stream_packet_begin(struct relay_stream *stream, const struct relayd_data_header *h,
                        uint64_t *ret_offset)
{
	int r;

	if (stream->is_metadata || stream->closed)
		return -EBADF;
	if (stream->rotating && !stream->data_rotated &&
	    !seq_before(h->net_seq_num, stream->rotate_at_seq)) {
		r = switch_data_file(stream);
		if (r < 0)
			return r;
	}
	if (stream->tracefile_size && stream->size_bytes > 0 &&
	    stream->size_bytes + h->data_size + h->padding_size > stream->tracefile_size) {
		r = next_tracefile(stream);
		if (r < 0)
			return r;
	}
	*ret_offset = stream->size_bytes;
	return 0;
}

ssize_t stream_packet_receive(struct relay_stream *stream, int sock_fd, uint64_t offset,
                              size_t max_len, bool *ret_file_failed)
{
	return socket_to_file(sock_fd, stream->data_fd, offset, max_len, ret_file_failed);
}

void stream_packet_abort(struct relay_stream *stream, uint64_t offset)
{
	if (ftruncate(stream->data_fd, (off_t)offset) < 0)
		log_warn("cannot drop the partial packet of stream %llu: %s",
		         (unsigned long long)stream->handle, strerror(errno));
}

static int write_index_entry(struct relay_stream *stream, const struct relayd_index *index,
                             const struct relay_pending_packet *packet)
{
	struct ctf_index_entry entry = {
	    .offset_bytes = packet->offset_bytes,
	    .packet_size_bits = index->packet_size_bits,
	    .content_size_bits = index->content_size_bits,
	    .timestamp_begin = index->timestamp_begin,
	    .timestamp_end = index->timestamp_end,
	    .events_discarded = index->events_discarded,
	    .stream_id = index->stream_id,
	    .stream_instance_id = index->stream_instance_id,
	    .packet_seq_num = index->packet_seq_num,
	};
	int fd = stream->index_fd;
	int r;

	if (stream->old_index_fd >= 0 && seq_before(index->net_seq_num, stream->rotate_at_seq)) {
		fd = stream->old_index_fd;
	} else if (stream->old_index_fd >= 0) {
		/* The first index of the new chunk: the old index file is complete. */
		close_fd(&stream->old_index_fd);
		stream->old_chunk = NULL;
		stream->rotating = false;
	}
	if (fd == stream->index_fd && packet->tracefile_no != stream->tracefile_no)
		r = append_to_earlier_index(stream, packet->tracefile_no, &entry);
	else
		r = ctf_index_append(fd, &entry);
	if (r < 0)
		return r;
	if (fd == stream->index_fd && packet->tracefile_no == stream->tracefile_no)
		stream->index_entries++;
	stream->last_index_seq = index->net_seq_num;
	stream->has_beacon = false;
	return try_rotate(stream);
}

/* Writes every index whose packet is known, oldest first. */
static int pair_pending(struct relay_stream *stream)
{
	size_t p = 0, i = 0;
	int r = 0;

	while (p < stream->nr_pending_packets && i < stream->nr_pending_indexes) {
		uint64_t pseq = stream->pending_packets[p].seq;
		uint64_t iseq = stream->pending_indexes[i].net_seq_num;

		if (pseq == iseq) {
			r = write_index_entry(stream, &stream->pending_indexes[i],
			                      &stream->pending_packets[p]);
			if (r < 0)
				break;
			p++;
			i++;
		} else if (seq_before(pseq, iseq)) {
			log_warn("stream %llu: packet %llu never got an index",
			         (unsigned long long)stream->handle, (unsigned long long)pseq);
			p++;
		} else {
			break; /* its packet has not arrived yet */
		}
	}
	/* Either queue may still be unallocated (NULL): move only what was consumed. */
	if (p) {
		memmove(stream->pending_packets, stream->pending_packets + p,
		        (stream->nr_pending_packets - p) * sizeof(*stream->pending_packets));
		stream->nr_pending_packets -= p;
	}
	if (i) {
		memmove(stream->pending_indexes, stream->pending_indexes + i,
		        (stream->nr_pending_indexes - i) * sizeof(*stream->pending_indexes));
		stream->nr_pending_indexes -= i;
	}
	return r;
}

static int push_pending(void **array, size_t *count, const void *item, size_t item_size)
{
	void *grown;

	if (*count >= MAX_PENDING_PAIRS)
		return -ENOBUFS;
	grown = realloc(*array, (*count + 1) * item_size);
	if (!grown)
		return -ENOMEM;
	memcpy((char *)grown + *count * item_size, item, item_size);
	*array = grown;
	(*count)++;
	return 0;
}

/* Queues a packet or an index for pairing, then writes every pair now complete. */
static int pend_and_pair(struct relay_stream *stream, void **array, size_t *count, const void *item,
                         size_t item_size)
{
	int r = push_pending(array, count, item, item_size);

	return r < 0 ? r : pair_pending(stream);
}

int stream_packet_end(struct relay_stream *stream, const struct relayd_data_header *h,
                      uint64_t offset)
{
	uint64_t end = offset + h->data_size + h->padding_size;
	struct relay_pending_packet packet = {
	    .seq = h->net_seq_num,
	    .offset_bytes = offset,
	    .tracefile_no = stream->tracefile_no,
	};
	int r;

	/* The padding reads as zeros: the file grows over it. */
	if (h->padding_size && ftruncate(stream->data_fd, (off_t)end) < 0)
		return -errno;
	stream->size_bytes = end;
	if (stream->last_data_seq != RELAYD_SEQ_NONE && h->net_seq_num != stream->last_data_seq + 1)
		log_warn("stream %llu: packet %llu follows packet %llu",
		         (unsigned long long)stream->handle, (unsigned long long)h->net_seq_num,
		         (unsigned long long)stream->last_data_seq);
	stream->last_data_seq = h->net_seq_num;
	r = try_rotate(stream);
	if (r < 0)
		return r;
	if (stream->has_index) {
		r = pend_and_pair(stream, (void **)&stream->pending_packets,
		                  &stream->nr_pending_packets, &packet, sizeof(packet));
		if (r < 0)
			return r;
	}
	maybe_complete(stream);
	return 0;
}

int stream_add_index(struct relay_stream *stream, const struct relayd_index *index)
{
	int r;

	if (stream->is_metadata || !stream->has_index)
		return -EBADF;
	if (index->packet_size_bits == 0) {
		/* A live beacon: this stream had nothing to send until timestamp_end. */
		if (stream->nr_pending_indexes == 0 && stream->nr_pending_packets == 0) {
			stream->has_beacon = true;
			stream->beacon_timestamp = index->timestamp_end;
			stream->beacon_stream_id = index->stream_id;
		}
		return 0;
	}
	if (stream->closed)
		return -EBADF;
	r = pend_and_pair(stream, (void **)&stream->pending_indexes, &stream->nr_pending_indexes,
	                  index, sizeof(*index));
	if (r < 0)
		return r;
	maybe_complete(stream);
	return 0;
}

int stream_append_metadata(struct relay_stream *stream, const uint8_t *bytes, size_t len,
                           uint32_t padding_size)
{
	uint64_t end;
	int r;

	if (!stream->is_metadata || stream->closed)
		return -EBADF;
	end = stream->size_bytes + len + padding_size;
	r = pwrite_full(stream->data_fd, bytes, len, (off_t)stream->size_bytes);
	if (r < 0)
		return r;
	if (padding_size && ftruncate(stream->data_fd, (off_t)end) < 0)
		return -errno;
	stream->size_bytes = end;
	return 0;
}

int stream_reset_metadata(struct relay_stream *stream, uint64_t version)
{
	if (!stream->is_metadata || stream->closed)
		return -EBADF;
	if (ftruncate(stream->data_fd, 0) < 0)
		return -errno;
	stream->size_bytes = 0;
	stream->metadata_version = version;
	return 0;
}

int stream_request_close(struct relay_stream *stream, uint64_t last_seq)
{
	stream->close_requested = true;
	stream->close_seq = last_seq;
	maybe_complete(stream);
	return 0;
}

int stream_data_pending(struct relay_stream *stream, uint64_t last_seq)
{
	stream->checked = true;
	if (stream->closed || stream->is_metadata)
		return 0;
	return all_received(stream, last_seq) ? 0 : 1;
}

int stream_rotate(struct relay_stream *stream, struct relay_chunk *chunk, uint64_t rotate_at_seq)
{
	if (stream->rotating)
		return -EBUSY;
	if (!chunk) {
		/* To no chunk (destroy): the stream just ends in the one it is in. */
		stream->chunk_released = true;
		return 0;
	}
	if (chunk == stream->chunk)
		return 0;
	if (!stream->is_metadata && stream->last_data_seq != RELAYD_SEQ_NONE &&
	    !seq_before(stream->last_data_seq, rotate_at_seq)) {
		/*
		 * Packets of the new chunk came first on the data connection and
		 * went to the old chunk, as with lttng-relayd: the old chunk keeps
		 * them (with their indexes); the next packet starts the new one.
		 */
		log_warn("stream %llu: packets %llu to %llu of the new trace chunk arrived before "
		         "its rotation and stay in the old one",
		         (unsigned long long)stream->handle, (unsigned long long)rotate_at_seq,
		         (unsigned long long)stream->last_data_seq);
		rotate_at_seq = stream->last_data_seq + 1;
	}
	stream->rotating = true;
	stream->data_rotated = false;
	stream->rotate_at_seq = rotate_at_seq;
	stream->next_chunk = chunk;
	return try_rotate(stream);
}

bool stream_uses_chunk(const struct relay_stream *stream, const struct relay_chunk *chunk)
{
	if (stream->closed || stream->chunk_released)
		return false;
	return stream->chunk == chunk || stream->old_chunk == chunk;
}

void stream_close_now(struct relay_stream *stream)
{
	if (stream->nr_pending_packets || stream->nr_pending_indexes)
		log_warn("stream %llu (%s/%s): producer gone with %zu packets and %zu indexes "
		         "unpaired",
		         (unsigned long long)stream->handle, stream->pathname, stream->channel_name,
		         stream->nr_pending_packets, stream->nr_pending_indexes);
	stream->nr_pending_packets = 0;
	stream->nr_pending_indexes = 0;
	stream->closed = true;
}

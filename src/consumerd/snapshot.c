/* SPDX-License-Identifier: MIT */
/*
 * SNAPSHOT_CHANNEL: writes what an unmonitored channel (snapshot session)
 * holds into a snapshot directory, without consuming anything.
 *
 * Data channel, per stream: flush, as lttng's consumer does for a snapshot
 * (lttng_ust_ctl_flush_buffer(producer_active = 0), skipped on a quiescent
 * stream, see stream_output_quiescent()): rb_stream_flush_empty() closes
 * the current packet if it has records, and otherwise adds a header-only
 * packet, so an idle stream of an active session contributes an empty
 * packet (nothing when its ring is full: -EAGAIN). Then the ring buffer's
 * snapshot read (src/ringbuffer/snapshot.c,
 * algorithm and invariants there) of the most recent closed packets, at most
 * nb_packets_per_stream of them (the session daemon spreads --max-size over
 * the streams, as lttng's does), oldest first, each written whole
 * (packet_size) to <path>/<channel>_<cpu>. A packet overwritten or still
 * being committed when its turn comes is skipped and counted as lost, as
 * lttng's consumer does; its sequence number gap shows in the trace. Like
 * lttng 2.13, a snapshot has an empty index/ directory and no index files,
 * and every stream gets its file, empty when it holds no packet.
 * Metadata channel: the whole TSDL text kept in memory, packetized into
 * <path>/metadata.
 *
 * To a relay daemon (the session's relay connections, opened for this one
 * record, whose named trace chunk is already created; path relative to
 * it), as lttng's consumer does: per data stream ADD_STREAM, the packets on
 * the data connection numbered by the stream's net_seq_num (which goes on
 * from one snapshot to the next, as lttng's), CLOSE_STREAM with the last
 * number sent; then ADD_STREAM of the metadata, SEND_METADATA,
 * CLOSE_STREAM. No index, no STREAMS_SENT: the relay keeps no index for a
 * snapshot session.
 *
 * Runs on the command thread, which is the only reader of unmonitored
 * channels (the data thread never sees them), so no snapshot read can
 * interleave with another on a stream.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "channel.h"
#include "command.h"
#include "common/comm/consumer-msg.h"
#include "common/comm/relayd-wire.h"
#include "common/io.h"
#include "common/log.h"
#include "common/macros.h"
#include "common/paths.h"
#include "ctf/metadata-packet.h"
#include "ctf/packet.h"
#include "output-files.h"
#include "output.h"
#include "relay.h"
#include "ringbuffer/ringbuffer.h"
#include "stream-output.h"

struct snapshot_counts {
	uint64_t packets;
	uint64_t lost;
};

/* Where the packets of one stream go: a file, or a relay stream. */
struct snapshot_sink {
	int fd;
	uint64_t offset;          /* file: where the next packet goes */
	struct relay_session *rs; /* NULL: file */
	uint64_t handle;          /* relay: the stream's handle */
};

static int snapshot_file_path(char ret_path[PATH_MAX], const char *dir, const char *name,
                              uint32_t cpu, bool numbered)
{
	int n = numbered ? snprintf(ret_path, PATH_MAX, "%s/%s_%" PRIu32, dir, name, cpu)
	                 : snprintf(ret_path, PATH_MAX, "%s/%s", dir, name);

	return n < 0 || n >= PATH_MAX ? -ENAMETOOLONG : 0;
}

/* One packet got from the ring, appended to the file or sent to the relay. */
static int snapshot_write_packet(struct consumer_stream *stream, const struct rb_subbuf *subbuf,
                                 struct snapshot_sink *sink)
{
	struct ctf_packet_info info;
	uint64_t bytes, content;
	int r = stream_output_parse_packet(stream, subbuf, &info);

	if (r < 0)
		return r;
	bytes = info.packet_size_bits / 8;
	if (sink->rs) {
		content = info.content_size_bits / 8;
		r = relay_send_data(sink->rs, sink->handle, stream->relay_next_seq, subbuf->data,
		                    (uint32_t)content, (uint32_t)(bytes - content));
		if (r == 0)
			stream->relay_next_seq++;
		return r;
	}
	r = pwrite_full(sink->fd, subbuf->data, bytes, (off_t)sink->offset);
	if (r < 0)
		return r;
	sink->offset += bytes;
	return 0;
}

/* The most recent packets of a stream, at most max_packets, into sink; what says where. */
static int snapshot_read_stream(struct consumer_stream *stream, uint64_t max_packets,
                                struct snapshot_sink *sink, const char *what,
                                struct snapshot_counts *counts)
{
	const struct consumer_channel *channel = stream->channel;
	uint64_t begin, end;
	int r = 0;

	pthread_mutex_lock(&stream->lock);
	if (!stream_output_quiescent(stream))
		(void)rb_stream_flush_empty(stream->rb);
	rb_snapshot_range(stream->rb, max_packets, &begin, &end);
	for (uint64_t pos = begin; pos < end; pos += channel->subbuf_size) {
		struct rb_subbuf subbuf;

		r = rb_snapshot_get(stream->rb, pos, &subbuf);
		if (r < 0) {
			counts->lost++; /* overwritten, or commits still pending */
			r = 0;
			continue;
		}
		r = snapshot_write_packet(stream, &subbuf, sink);
		rb_snapshot_put(stream->rb, &subbuf);
		if (r < 0)
			break;
		counts->packets++;
	}
	pthread_mutex_unlock(&stream->lock);
	if (r == -EINVAL)
		log_error("Snapshot: corrupt packet header in ring buffer %" PRIu32
		          " of channel %s; %s stops there",
		          stream->cpu, channel->name, what);
	else if (r < 0)
		log_error("Snapshot: cannot write %s: %s", what, strerror(-r));
	return r;
}

static int snapshot_stream_file(struct consumer_stream *stream, const char *path,
                                uint64_t max_packets, struct snapshot_counts *counts)
{
	const struct consumer_channel *channel = stream->channel;
	char file[PATH_MAX];
	_cleanup_close_ int fd = -1;
	struct snapshot_sink sink = {0};
	int r;

	r = snapshot_file_path(file, path, channel->name, stream->cpu, true);
	if (r < 0)
		return r;
	fd = output_file_create(file, channel->uid, channel->gid);
	if (fd < 0) {
		log_error("Snapshot: cannot create %s: %s", file, strerror(-fd));
		return fd;
	}
	sink.fd = fd;
	return snapshot_read_stream(stream, max_packets, &sink, file, counts);
}

static int snapshot_stream_relay(struct consumer_stream *stream, struct relay_session *rs,
                                 const char *path, uint64_t max_packets,
                                 struct snapshot_counts *counts)
{
	const struct consumer_channel *channel = stream->channel;
	struct snapshot_sink sink = {.fd = -1, .rs = rs};
	char name[RELAYD_CHANNEL_NAME_MAX], what[PATH_MAX];
	int r;

	snprintf(name, sizeof(name), "%s_%" PRIu32, channel->name, stream->cpu);
	if (rt_path_format(what, "relay stream %s/%s", path, name) < 0)
		snprintf(what, sizeof(what), "relay stream %s", name);
	r = relay_add_stream(rs, name, path, channel->tracefile_size, channel->tracefile_count,
	                     &sink.handle);
	if (r < 0) {
		log_error("Snapshot: cannot open %s: %s", what, strerror(-r));
		return r;
	}
	r = snapshot_read_stream(stream, max_packets, &sink, what, counts);
	if (r == 0)
		r = relay_close_stream(rs, sink.handle,
		                       stream->relay_next_seq ? stream->relay_next_seq - 1
		                                              : RELAYD_SEQ_NONE);
	return r;
}

static int snapshot_data(struct consumer_channel *channel, struct relay_session *rs,
                         const char *path, uint64_t max_packets)
{
	struct snapshot_counts counts = {0};
	char index_dir[PATH_MAX];
	int r;

	if (!max_packets)
		max_packets = UINT64_MAX;
	if (!rs) {
		if (snprintf(index_dir, sizeof(index_dir), "%s/index", path) >=
		    (int)sizeof(index_dir))
			return -ENAMETOOLONG;
		r = output_dir_create(index_dir, channel->uid, channel->gid);
		if (r < 0) {
			log_error("Snapshot: cannot create directory %s: %s", index_dir,
			          strerror(-r));
			return r;
		}
	}
	for (uint32_t i = 0; i < channel->nr_streams; i++) {
		struct consumer_stream *stream = &channel->streams[i];

		r = rs ? snapshot_stream_relay(stream, rs, path, max_packets, &counts)
		       : snapshot_stream_file(stream, path, max_packets, &counts);
		if (r < 0)
			return r;
	}
	log_info("Snapshot of channel %s in %s: %" PRIu64 " packets, %" PRIu64
	         " overwritten or incomplete ones skipped",
	         channel->name, path, counts.packets, counts.lost);
	return 0;
}

static int snapshot_metadata(const struct consumer_channel *channel, const char *path)
{
	char file[PATH_MAX];
	_cleanup_close_ int fd = -1;
	int r;

	r = snapshot_file_path(file, path, "metadata", 0, false);
	if (r < 0)
		return r;
	r = output_dir_create(path, channel->uid, channel->gid);
	if (r < 0) {
		log_error("Snapshot: cannot create directory %s: %s", path, strerror(-r));
		return r;
	}
	fd = output_file_create(file, channel->uid, channel->gid);
	if (fd < 0) {
		log_error("Snapshot: cannot create %s: %s", file, strerror(-fd));
		return fd;
	}
	r = ctf_metadata_write(fd, channel->uuid, channel->metadata_text,
	                       channel->metadata_text_bytes);
	if (r < 0)
		log_error("Snapshot: cannot write %s: %s", file, strerror(-r));
	return r;
}

static int snapshot_metadata_relay(const struct consumer_channel *channel, struct relay_session *rs,
                                   const char *path)
{
	uint64_t handle;
	int r = relay_add_stream(rs, "metadata", path, 0, 0, &handle);

	if (r == 0)
		r = relay_output_metadata_text(rs, handle, channel, channel->metadata_text,
		                               channel->metadata_text_bytes);
	if (r == 0)
		r = relay_close_stream(rs, handle, RELAYD_SEQ_NONE);
	if (r < 0)
		log_error("Snapshot: cannot send the metadata of %s to the relay daemon: %s", path,
		          strerror(-r));
	return r;
}

/* The relay connections of the channel's snapshot record, referenced; NULL (logged) if none. */
static struct relay_session *snapshot_relay(const struct consumer_channel *channel)
{
	struct relay_session *rs = relay_session_get(channel->session_id);

	if (!rs)
		log_error("SNAPSHOT_CHANNEL: session %" PRIu64 " of channel %s has no relay "
		          "connections",
		          channel->session_id, channel->name);
	else if (!rs->snapshot || !rs->chunk_created) {
		log_error("SNAPSHOT_CHANNEL: the relay connections of session %" PRIu64
		          " have no snapshot chunk",
		          channel->session_id);
		relay_session_put(rs);
		rs = NULL;
	}
	return rs;
}

static int snapshot_to(struct consumer_channel *channel, struct relay_session *rs, const char *path,
                       uint64_t nb_packets_per_stream)
{
	if (channel->type != CONSUMER_CHANNEL_TYPE_METADATA)
		return snapshot_data(channel, rs, path, nb_packets_per_stream);
	return rs ? snapshot_metadata_relay(channel, rs, path) : snapshot_metadata(channel, path);
}

int cmd_snapshot_channel(const struct command_request *req)
{
	struct consumer_snapshot_channel msg;
	struct consumer_channel *channel;
	struct relay_session *rs = NULL;
	bool metadata;
	int r;

	memcpy(&msg, req->payload, sizeof(msg));
	if (!command_string_is_terminated(msg.pathname, sizeof(msg.pathname)) ||
	    (msg.relayd ? !msg.pathname[0] : msg.pathname[0] != '/')) {
		log_error(
		    "SNAPSHOT_CHANNEL: output path empty, not absolute or not NUL-terminated");
		return command_reply_error(req, CONSUMERD_INVALID_PARAMETERS);
	}
	channel = channel_registry_find(msg.key);
	if (!channel) {
		log_warn("SNAPSHOT_CHANNEL: channel key %" PRIu64 " not found", msg.key);
		return command_reply_error(req, CONSUMERD_CHAN_NOT_FOUND);
	}
	metadata = channel->type == CONSUMER_CHANNEL_TYPE_METADATA;
	if (channel->monitor || msg.metadata != (uint32_t)metadata) {
		log_error("SNAPSHOT_CHANNEL: channel %s (key %" PRIu64 ") is %s, %s", channel->name,
		          msg.key, channel->monitor ? "monitored" : "unmonitored",
		          metadata ? "a metadata channel" : "a data channel");
		return command_reply_error(req, CONSUMERD_INVALID_PARAMETERS);
	}
	if (msg.relayd) {
		rs = snapshot_relay(channel);
		if (!rs)
			return command_reply_error(req, CONSUMERD_RELAYD_FAIL);
	}
	r = snapshot_to(channel, rs, msg.pathname, msg.nb_packets_per_stream);
	relay_session_put(rs);
	if (r == -EPIPE)
		return command_reply_error(req, CONSUMERD_RELAYD_FAIL);
	if (r < 0)
		return command_reply_error_errno(req, CONSUMERD_SNAPSHOT_FAILED, -r);
	return command_reply(req, NULL, 0);
}

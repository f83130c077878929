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
#include "common/io.h"
#include "common/log.h"
#include "common/macros.h"
#include "ctf/metadata-packet.h"
#include "ctf/packet.h"
#include "output-files.h"
#include "ringbuffer/ringbuffer.h"
#include "stream-output.h"

struct snapshot_counts {
	uint64_t packets;
	uint64_t lost;
};

static int snapshot_file_path(char ret_path[PATH_MAX], const char *dir, const char *name,
                              uint32_t cpu, bool numbered)
{
	int n = numbered ? snprintf(ret_path, PATH_MAX, "%s/%s_%" PRIu32, dir, name, cpu)
	                 : snprintf(ret_path, PATH_MAX, "%s/%s", dir, name);

	return n < 0 || n >= PATH_MAX ? -ENAMETOOLONG : 0;
}

/* One packet got from the ring, appended to the file at *offset. */
static int snapshot_write_packet(struct consumer_stream *stream, const struct rb_subbuf *subbuf,
                                 int fd, uint64_t *offset)
{
	struct ctf_packet_info info;
	uint64_t bytes;
	int r = stream_output_parse_packet(stream, subbuf, &info);

	if (r < 0)
		return r;
	bytes = info.packet_size_bits / 8;
	r = pwrite_full(fd, subbuf->data, bytes, (off_t)*offset);
	if (r < 0)
		return r;
	*offset += bytes;
	return 0;
}

static int snapshot_stream(struct consumer_stream *stream, const char *path, uint64_t max_packets,
                           struct snapshot_counts *counts)
{
	const struct consumer_channel *channel = stream->channel;
	char file[PATH_MAX];
	uint64_t begin, end, offset = 0;
	_cleanup_close_ int fd = -1;
	int r;

	r = snapshot_file_path(file, path, channel->name, stream->cpu, true);
	if (r < 0)
		return r;
	fd = output_file_create(file, channel->uid, channel->gid);
	if (fd < 0) {
		log_error("Snapshot: cannot create %s: %s", file, strerror(-fd));
		return fd;
	}
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
		r = snapshot_write_packet(stream, &subbuf, fd, &offset);
		rb_snapshot_put(stream->rb, &subbuf);
		if (r < 0)
			break;
		counts->packets++;
	}
	pthread_mutex_unlock(&stream->lock);
	if (r == -EINVAL)
		log_error("Snapshot: corrupt packet header in ring buffer %" PRIu32
		          " of channel %s; %s stops there",
		          stream->cpu, channel->name, file);
	else if (r < 0)
		log_error("Snapshot: cannot write %s: %s", file, strerror(-r));
	return r;
}

static int snapshot_data(struct consumer_channel *channel, const char *path, uint64_t max_packets)
{
	struct snapshot_counts counts = {0};
	char index_dir[PATH_MAX];
	int r;

	if (snprintf(index_dir, sizeof(index_dir), "%s/index", path) >= (int)sizeof(index_dir))
		return -ENAMETOOLONG;
	r = output_dir_create(index_dir, channel->uid, channel->gid);
	if (r < 0) {
		log_error("Snapshot: cannot create directory %s: %s", index_dir, strerror(-r));
		return r;
	}
	for (uint32_t i = 0; i < channel->nr_streams; i++) {
		r = snapshot_stream(&channel->streams[i], path,
		                    max_packets ? max_packets : UINT64_MAX, &counts);
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

int cmd_snapshot_channel(const struct command_request *req)
{
	struct consumer_snapshot_channel msg;
	struct consumer_channel *channel;
	bool metadata;
	int r;

	memcpy(&msg, req->payload, sizeof(msg));
	if (!command_string_is_terminated(msg.pathname, sizeof(msg.pathname)) ||
	    msg.pathname[0] != '/') {
		log_error("SNAPSHOT_CHANNEL: output path not absolute or not NUL-terminated");
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
	r = metadata ? snapshot_metadata(channel, msg.pathname)
	             : snapshot_data(channel, msg.pathname, msg.nb_packets_per_stream);
	if (r < 0)
		return command_reply_error(req, CONSUMERD_SNAPSHOT_FAILED);
	return command_reply(req, NULL, 0);
}

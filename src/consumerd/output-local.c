/* SPDX-License-Identifier: MIT */
/*
 * Local output: each stream is <pathname>/<name>_<cpu>[_<n>] with its index
 * <pathname>/index/<name>_<cpu>[_<n>].idx, the metadata <pathname>/metadata.
 * A packet that cannot be written is cut back out of both files, so that
 * they always hold whole packets and agree with each other. Files a
 * rotation could not create (disk full) are created before the next packet
 * or metadata written: packets are counted as lost until they can be.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <unistd.h>

#include "channel.h"
#include "common/clock.h"
#include "common/comm/consumer-msg.h"
#include "common/io.h"
#include "common/log.h"
#include "ctf/index.h"
#include "ctf/metadata-packet.h"
#include "ctf/packet.h"
#include "output-files.h"
#include "output.h"

#define OWED_FILES_RETRY_NS 250000000ull /* a full disk costs a log line per attempt */

static int local_open(struct consumer_channel *channel)
{
	int r;

	if (channel->type == CONSUMER_CHANNEL_TYPE_METADATA)
		return channel_open_metadata_file(channel);
	r = channel_create_index_dir(channel);
	for (uint32_t i = 0; r == 0 && i < channel->nr_streams; i++)
		if (channel_stream_open_files(&channel->streams[i], 0) < 0)
			r = -CONSUMERD_CHANNEL_FAIL;
	return r;
}

static void local_close_file(int *fd, const char *name, bool unlink_file)
{
	if (*fd < 0)
		return;
	close(*fd);
	if (unlink_file)
		unlink(name);
	*fd = -1;
}

static void local_close(struct consumer_channel *channel, bool failed)
{
	for (uint32_t i = 0; i < channel->nr_streams; i++) {
		struct consumer_stream *stream = &channel->streams[i];

		local_close_file(&stream->data_fd, stream->data_file_name, failed);
		local_close_file(&stream->index_fd, stream->index_file_name, failed);
	}
	local_close_file(&channel->metadata_fd, channel->metadata_file_name, failed);
}

/*
 * With a size cap, a packet that would take the current file past it goes
 * to the next file: number + 1, or back to 0 after tracefile_count - 1
 * (that oldest file is replaced), each with its own index. A file holds at
 * least one packet, so a cap below the packet size still makes progress.
 * If the next file cannot be created, the packet stays in the current one
 * (which then grows past the cap) and the error is logged.
 */
static void local_next_tracefile_if_full(struct consumer_stream *stream, uint64_t packet_bytes)
{
	const struct consumer_channel *channel = stream->channel;
	char data_name[sizeof(stream->data_file_name)], index_name[sizeof(stream->index_file_name)];
	int data_fd = stream->data_fd, index_fd = stream->index_fd;
	uint64_t data_bytes = stream->data_file_bytes, index_bytes = stream->index_file_bytes;
	uint64_t current = stream->tracefile_index, next;
	int r;

	if (!channel->tracefile_size || stream->data_file_bytes == 0 ||
	    stream->data_file_bytes + packet_bytes <= channel->tracefile_size)
		return;
	next = channel->tracefile_count ? (current + 1) % channel->tracefile_count : current + 1;
	memcpy(data_name, stream->data_file_name, sizeof(data_name));
	memcpy(index_name, stream->index_file_name, sizeof(index_name));
	stream->data_fd = stream->index_fd = -1;
	r = channel_stream_open_files(stream, next);
	if (r == 0) {
		close(data_fd);
		close(index_fd);
		return;
	}
	if (stream->data_fd >= 0)
		close(stream->data_fd);
	if (stream->index_fd >= 0)
		close(stream->index_fd);
	stream->data_fd = data_fd;
	stream->index_fd = index_fd;
	memcpy(stream->data_file_name, data_name, sizeof(data_name));
	memcpy(stream->index_file_name, index_name, sizeof(index_name));
	stream->data_file_bytes = data_bytes;
	stream->index_file_bytes = index_bytes;
	stream->tracefile_index = current;
	log_error("Cannot start trace file %" PRIu64 " of %s: %s; writing on past its size cap",
	          next, data_name, strerror(-r));
}

/* The files a rotation owes the stream (files_error), one attempt per retry period. */
static int local_make_owed_files(struct consumer_stream *stream)
{
	uint64_t now = rt_monotonic_ns();

	if (now - stream->files_retry_ns < OWED_FILES_RETRY_NS)
		return stream->files_error;
	stream->files_retry_ns = now;
	stream->files_error = channel_create_index_dir(stream->channel) < 0
	                          ? -EIO
	                          : channel_stream_open_files(stream, 0);
	if (stream->files_error < 0)
		return stream->files_error;
	log_info("Trace file %s created after the rotation that could not", stream->data_file_name);
	return 0;
}

static int local_write_packet(struct consumer_stream *stream, void *packet,
                              const struct ctf_packet_info *info)
{
	uint64_t packet_bytes = info->packet_size_bits / 8;
	struct ctf_index_entry entry;
	int r;

	if (stream->files_error < 0 && (r = local_make_owed_files(stream)) < 0)
		return r;
	/* Moved to no trace chunk (a stopped session rotated): nowhere to write. */
	if (stream->data_fd < 0)
		return -ENOENT;
	local_next_tracefile_if_full(stream, packet_bytes);
	r = output_file_pwrite(stream->data_fd, stream->data_file_name, packet, packet_bytes,
	                       (off_t)stream->data_file_bytes);
	if (r < 0) {
		output_file_rollback(stream->data_fd, stream->data_file_name,
		                     (off_t)stream->data_file_bytes);
		log_debug("Cannot write to %s: %s", stream->data_file_name, strerror(-r));
		return r;
	}
	ctf_index_entry_from_packet(info, stream->data_file_bytes, &entry);
	r = ctf_index_append(stream->index_fd, &entry);
	if (r < 0) {
		/* Keep data and index consistent: babeltrace2 checks their sizes match. */
		output_file_rollback(stream->index_fd, stream->index_file_name,
		                     (off_t)stream->index_file_bytes);
		output_file_rollback(stream->data_fd, stream->data_file_name,
		                     (off_t)stream->data_file_bytes);
		log_debug("Cannot write to %s: %s", stream->index_file_name, strerror(-r));
		return r;
	}
	r = output_file_written(stream->data_fd, stream->data_file_bytes,
	                        stream->data_file_bytes + packet_bytes, &stream->data_file_dropped);
	if (r < 0 && !stream->writeback_error_logged) {
		stream->writeback_error_logged = true;
		log_error("Writing %s back to its disk failed: %s; packets may be missing from it",
		          stream->data_file_name, strerror(-r));
	}
	stream->data_file_bytes += packet_bytes;
	stream->index_file_bytes += CTF_INDEX_ENTRY_SIZE;
	return 0;
}

static int local_append_metadata(struct consumer_channel *channel, const char *text, uint64_t len)
{
	int r;

	if (channel->metadata_file_owed) {
		if (channel_open_metadata_file(channel) < 0)
			return -CONSUMERD_OUTFD_ERROR;
		channel->metadata_file_owed = false;
	}
	r = ctf_metadata_write(channel->metadata_fd, channel->uuid, text, len);

	if (r < 0) {
		log_error("Cannot write %" PRIu64 " bytes of metadata to %s: %s", len,
		          channel->metadata_file_name, strerror(-r));
		/* Whole packets only, so that the same push can be retried. */
		output_file_rollback(channel->metadata_fd, channel->metadata_file_name,
		                     (off_t)channel->metadata_file_bytes);
		return -CONSUMERD_OUTFD_ERROR;
	}
	channel->metadata_file_bytes += ctf_metadata_packet_count(len) * CTF_METADATA_PACKET_SIZE;
	return 0;
}

static int local_restart_metadata(struct consumer_channel *channel)
{
	if (channel->metadata_fd >= 0 && (ftruncate(channel->metadata_fd, 0) < 0 ||
	                                  lseek(channel->metadata_fd, 0, SEEK_SET) < 0)) {
		log_error("Cannot empty %s for its regenerated metadata: %s",
		          channel->metadata_file_name, strerror(errno));
		return -CONSUMERD_OUTFD_ERROR;
	}
	channel->metadata_file_bytes = 0;
	return 0;
}

/* Local traces are not live: nothing tells a reader how far an idle stream went. */
static void local_beacon(struct consumer_stream *stream, uint64_t timestamp_end)
{
	(void)stream;
	(void)timestamp_end;
}

const struct output_ops output_local_ops = {
    .name = "local files",
    .open = local_open,
    .close = local_close,
    .write_packet = local_write_packet,
    .append_metadata = local_append_metadata,
    .beacon = local_beacon,
    .restart_metadata = local_restart_metadata,
};

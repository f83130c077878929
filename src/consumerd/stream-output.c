/* SPDX-License-Identifier: MIT */
#include "stream-output.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <unistd.h>

#include "channel.h"
#include "common/clock.h"
#include "common/io.h"
#include "common/log.h"
#include "ctf/index.h"
#include "ctf/packet.h"
#include "output-files.h"
#include "ringbuffer/ringbuffer.h"

static void stream_output_count_lost(struct consumer_stream *stream, const char *file_name,
                                     const char *what, int err)
{
	stream->lost_packets++;
	if (stream->write_error_logged)
		return;
	stream->write_error_logged = true;
	log_error("Cannot write a packet to %s: %s; packet dropped and counted as lost "
	          "(further losses on this stream are counted silently until a write succeeds)",
	          file_name, err ? strerror(-err) : what);
}

/*
 * Reads the packet's sizes back from its header and checks them against
 * what the ring buffer delivered: the header lives in shared memory that
 * producers can scribble on.
 */
int stream_output_parse_packet(const struct consumer_stream *stream,
                               const struct rb_subbuf *subbuf, struct ctf_packet_info *ret_info)
{
	int r = ctf_packet_header_parse(subbuf->data, subbuf->content_size, ret_info);

	if (r < 0)
		return r;
	if (ret_info->content_size_bits / 8 != subbuf->content_size ||
	    ret_info->packet_size_bits / 8 > stream->channel->subbuf_size)
		return -EINVAL;
	return 0;
}

/*
 * With a size cap, a packet that would take the current file past it goes
 * to the next file: number + 1, or back to 0 after tracefile_count - 1
 * (that oldest file is replaced), each with its own index. A file holds at
 * least one packet, so a cap below the packet size still makes progress.
 * If the next file cannot be created, the packet stays in the current one
 * (which then grows past the cap) and the error is logged.
 */
static void stream_output_next_tracefile_if_full(struct consumer_stream *stream,
                                                 uint64_t packet_bytes)
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

static void stream_output_write_packet(struct consumer_stream *stream,
                                       const struct rb_subbuf *subbuf)
{
	struct ctf_packet_info info;
	struct ctf_index_entry entry;
	uint64_t packet_bytes;
	int r;

	if (subbuf->seq_num > stream->next_seq_num)
		stream->lost_packets += subbuf->seq_num - stream->next_seq_num;
	stream->next_seq_num = subbuf->seq_num + 1;

	r = stream_output_parse_packet(stream, subbuf, &info);
	if (r < 0) {
		stream_output_count_lost(stream, stream->data_file_name,
		                         "corrupt packet header in the ring buffer", 0);
		return;
	}
	info.events_discarded =
	    ctf_packet_raise_events_discarded(subbuf->data, stream->events_discarded_floor);
	stream->events_discarded_floor = info.events_discarded;
	packet_bytes = info.packet_size_bits / 8;
	stream_output_next_tracefile_if_full(stream, packet_bytes);
	r = pwrite_full(stream->data_fd, subbuf->data, packet_bytes,
	                (off_t)stream->data_file_bytes);
	if (r < 0) {
		output_file_rollback(stream->data_fd, stream->data_file_name,
		                     (off_t)stream->data_file_bytes);
		stream_output_count_lost(stream, stream->data_file_name, NULL, r);
		return;
	}
	ctf_index_entry_from_packet(&info, stream->data_file_bytes, &entry);
	r = ctf_index_append(stream->index_fd, &entry);
	if (r < 0) {
		/* Keep data and index consistent: babeltrace2 checks their sizes match. */
		output_file_rollback(stream->index_fd, stream->index_file_name,
		                     (off_t)stream->index_file_bytes);
		output_file_rollback(stream->data_fd, stream->data_file_name,
		                     (off_t)stream->data_file_bytes);
		stream_output_count_lost(stream, stream->index_file_name, NULL, r);
		return;
	}
	stream->data_file_bytes += packet_bytes;
	stream->index_file_bytes += CTF_INDEX_ENTRY_SIZE;
	stream->packets_written++;
	__atomic_store_n(&stream->bytes_written_total, stream->bytes_written_total + packet_bytes,
	                 __ATOMIC_RELAXED);
	if (stream->write_error_logged) {
		log_info("Writing to %s again after %" PRIu64 " lost packets",
		         stream->data_file_name, stream->lost_packets);
		stream->write_error_logged = false;
	}
}

bool stream_output_drain(struct consumer_stream *stream, uint32_t max_packets)
{
	struct rb_subbuf subbuf;
	uint32_t n;

	for (n = 0; n < max_packets; n++) {
		if (rb_consumer_get_subbuf(stream->rb, &subbuf) < 0)
			break;
		stream_output_write_packet(stream, &subbuf);
		rb_consumer_put_subbuf(stream->rb, &subbuf);
		stream->last_progress_ns = rt_monotonic_ns();
	}
	return n == max_packets;
}

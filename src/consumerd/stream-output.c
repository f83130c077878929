/* SPDX-License-Identifier: MIT */
#include "stream-output.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <unistd.h>

#include "channel.h"
#include "common/clock.h"
#include "common/log.h"
#include "ctf/packet.h"
#include "output.h"
#include "ringbuffer/ringbuffer.h"

static void stream_output_count_lost(struct consumer_stream *stream, const char *what, int err)
{
	stream->lost_packets++;
	if (stream->write_error_logged)
		return;
	stream->write_error_logged = true;
	log_error("Cannot write a packet to %s: %s; packet dropped and counted as lost "
	          "(further losses on this stream are counted silently until a write succeeds)",
	          stream->data_file_name, err ? strerror(-err) : what);
}

/*
 * Reads the packet's sizes back from its header and checks them against
 * what the ring buffer delivered: the header lives in shared memory that
 * producers can scribble on.
 */
int stream_output_parse_packet(const struct consumer_stream *stream, const struct rb_subbuf *subbuf,
                               struct ctf_packet_info *ret_info)
{
	int r = ctf_packet_header_parse(subbuf->data, subbuf->content_size, ret_info);

	if (r < 0)
		return r;
	if (ret_info->content_size_bits / 8 != subbuf->content_size ||
	    ret_info->packet_size_bits / 8 > stream->channel->subbuf_size)
		return -EINVAL;
	return 0;
}

static void stream_output_write_packet(struct consumer_stream *stream,
                                       const struct rb_subbuf *subbuf)
{
	struct ctf_packet_info info;
	int r;

	if (subbuf->seq_num > stream->next_seq_num)
		stream->lost_packets += subbuf->seq_num - stream->next_seq_num;
	stream->next_seq_num = subbuf->seq_num + 1;

	r = stream_output_parse_packet(stream, subbuf, &info);
	if (r < 0) {
		stream_output_count_lost(stream, "corrupt packet header in the ring buffer", 0);
		return;
	}
	info.events_discarded =
	    ctf_packet_raise_events_discarded(subbuf->data, stream->events_discarded_floor);
	stream->events_discarded_floor = info.events_discarded;
	r = stream->channel->output->write_packet(stream, subbuf->data, &info);
	if (r < 0) {
		stream_output_count_lost(stream, NULL, r);
		return;
	}
	stream->packets_written++;
	__atomic_store_n(&stream->bytes_written_total,
	                 stream->bytes_written_total + info.packet_size_bits / 8, __ATOMIC_RELAXED);
	if (stream->write_error_logged) {
		log_info("Writing %s again after %" PRIu64 " lost packets", stream->data_file_name,
		         stream->lost_packets);
		stream->write_error_logged = false;
	}
}

/*
 * One of the flushes that may owe a header-only packet, then a drain; when
 * the ring was full (-EAGAIN), the drain released it: once more.
 */
static int flush_and_drain(struct consumer_stream *stream, int (*flush)(struct rb_stream *))
{
	uint32_t ring = stream->channel->num_subbuf;
	int r = flush(stream->rb);

	stream_output_drain(stream, ring);
	if (r == -EAGAIN) {
		r = flush(stream->rb);
		stream_output_drain(stream, ring);
	}
	return r;
}

int stream_output_flush_final(struct consumer_stream *stream)
{
	int r = flush_and_drain(stream, rb_stream_flush_final);

	stream->final_flush_owed = false;
	if (r < 0)
		log_warn("%s: no packet can carry the final discarded-event count (%" PRIu64
		         "): the ring is still busy after a drain (records not committed)",
		         stream->data_file_name, rb_stream_events_discarded(stream->rb));
	return r;
}

int stream_output_flush_empty(struct consumer_stream *stream)
{
	return flush_and_drain(stream, rb_stream_flush_empty);
}

bool stream_output_quiescent(const struct consumer_stream *stream)
{
	return stream->flushed_at_ns != 0 &&
	       rb_stream_produced(stream->rb) == stream->quiescent_pos;
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

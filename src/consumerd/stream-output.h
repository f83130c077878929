/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Writing out a stream's delivered sub-buffers through the channel's output
 * (output.h): each becomes one packet of packet_size/8 bytes (content
 * rounded up to 4096, read from the packet header written by packet_end)
 * with its index entry. A packet that cannot be written (disk full, I/O
 * error, relay gone, corrupt header) is dropped and counted in
 * lost_packets; the sub-buffer is released either way so producers are
 * never blocked by the disk or the network.
 */

#include <stdbool.h>
#include <stdint.h>

struct consumer_stream;
struct ctf_packet_info;
struct rb_subbuf;

/*
 * The packet's sizes read back from its header, checked against what the
 * ring buffer delivered (the header is in memory producers can scribble
 * on): 0 or -EINVAL.
 */
int stream_output_parse_packet(const struct consumer_stream *stream, const struct rb_subbuf *subbuf,
                               struct ctf_packet_info *ret_info);

/*
 * Ends the stream's data in its current output: rb_stream_flush_final(),
 * so that a packet carries even the discards after the last one, and every
 * delivered packet written out (one retry after a drain when the ring was
 * full). Caller holds stream->lock or owns the stream. Returns 0 or the
 * ring buffer's error (logged).
 */
int stream_output_flush_final(struct consumer_stream *stream);

/*
 * rb_stream_flush_empty(): the current packet closed, or a header-only
 * packet when none is open, and every delivered packet written out (one
 * retry after a drain when the ring was full). Caller holds stream->lock or
 * owns the stream. Returns 0 or -EAGAIN (the ring is still full).
 */
int stream_output_flush_empty(struct consumer_stream *stream);

/*
 * lttng's "quiescent" stream: stopped (FLUSH_CHANNEL flushed it) and
 * nothing reserved since. lttng's consumer then skips the flush of a
 * snapshot, the stop's flush having closed everything. Caller holds
 * stream->lock or owns the stream.
 */
bool stream_output_quiescent(const struct consumer_stream *stream);

/*
 * Writes out up to max_packets delivered sub-buffers, in order. Caller holds
 * stream->lock. Returns true when max_packets were consumed, i.e. more may
 * be waiting (the caller re-arms the stream's wakeup).
 */
bool stream_output_drain(struct consumer_stream *stream, uint32_t max_packets);

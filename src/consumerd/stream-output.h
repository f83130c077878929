/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Writing a stream's delivered sub-buffers to disk: each becomes one packet
 * of packet_size/8 bytes (content rounded up to 4096, read from the packet
 * header written by packet_end) appended to the data file, plus one entry in
 * the index file whose offset is the packet's byte offset in the data file.
 * A packet that cannot be written (disk full, I/O error, corrupt header) is
 * dropped, counted in lost_packets and cut back out of the files; the
 * sub-buffer is released either way so producers are never blocked by the
 * disk.
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
int stream_output_parse_packet(const struct consumer_stream *stream,
                               const struct rb_subbuf *subbuf, struct ctf_packet_info *ret_info);

/*
 * Writes out up to max_packets delivered sub-buffers, in order. Caller holds
 * stream->lock. Returns true when max_packets were consumed, i.e. more may
 * be waiting (the caller re-arms the stream's wakeup).
 */
bool stream_output_drain(struct consumer_stream *stream, uint32_t max_packets);

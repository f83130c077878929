/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Where a monitored channel's packets and metadata go: local files
 * (output-local.c) or a relay daemon (output-relay.c). A channel gets its
 * output at creation, from whether its session was handed relay
 * connections (ADD_RELAYD_SOCKET) beforehand, and keeps it for its
 * lifetime. Everything else in the consumer (ring buffers, timers, packet
 * parsing, loss accounting) is the same for both.
 *
 * Calls: open and close from the command thread; write_packet from
 * whichever thread drains the stream, with the stream's lock held (or the
 * channel not lent to the data thread); append_metadata from the command
 * thread.
 */

#include <stdbool.h>
#include <stdint.h>

struct consumer_channel;
struct consumer_stream;
struct ctf_packet_info;
struct rb_subbuf;
struct relay_session;

struct output_ops {
	const char *name;
	/*
	 * Makes the channel's streams (DATA) or its metadata stream (METADATA)
	 * ready to receive: files created, or streams announced to the relay.
	 * Returns 0 or a negative consumer return code (logged).
	 */
	int (*open)(struct consumer_channel *channel);
	/* Undoes open; failed: the channel never worked, its files are removed. */
	void (*close)(struct consumer_channel *channel, bool failed);
	/*
	 * Writes out one packet of info->packet_size_bits / 8 bytes whose
	 * events_discarded was already raised. The packet is the consumer's
	 * until it is put back: its header may be patched. Returns 0 or a
	 * negative errno:
	 * the packet was not written (nothing of it is left behind) and the
	 * caller counts it lost.
	 */
	int (*write_packet)(struct consumer_stream *stream, void *packet,
	                    const struct ctf_packet_info *info);
	/*
	 * Appends TSDL text as metadata packets. 0 or a negative consumer
	 * return code; on failure nothing of the text is kept, so the same
	 * push can be retried.
	 */
	int (*append_metadata)(struct consumer_channel *channel, const char *text, uint64_t len);
	/*
	 * Live: the stream had nothing to write at this live timer tick, its
	 * time reached timestamp_end (trace clock). Errors are the next
	 * packet's to report.
	 */
	void (*beacon)(struct consumer_stream *stream, uint64_t timestamp_end);
	/* The whole metadata starts over (regeneration): 0 or a negative consumer return code. */
	int (*restart_metadata)(struct consumer_channel *channel);
};

/*
 * Metadata text len bytes of channel, packetized as in a local trace, in one
 * SEND_METADATA to the relay stream handle of rs (the last packet's padding
 * not sent). 0 or a negative errno.
 */
int relay_output_metadata_text(struct relay_session *rs, uint64_t handle,
                               const struct consumer_channel *channel, const char *text,
                               uint64_t len);

extern const struct output_ops output_local_ops;
extern const struct output_ops output_relay_ops;

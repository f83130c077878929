/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Test helpers for the tracepoint tests: a channel of one real CTF ring
 * buffer stream (every CPU records into it), recorders attached with the
 * functions the comm code uses, and a reader that checks records byte for
 * byte. Expected payloads are built with the tpb_put_* helpers, which
 * spell out byte order instead of relying on the host's.
 */

#include <stddef.h>
#include <stdint.h>

#include "lib/ust/record.h"
#include "ringbuffer/ringbuffer.h"

struct tpb_bytes {
	uint8_t data[2048];
	size_t len;
};

void tpb_put(struct tpb_bytes *b, const void *p, size_t n);
void tpb_put_le(struct tpb_bytes *b, uint64_t v, size_t n);
void tpb_put_be(struct tpb_bytes *b, uint64_t v, size_t n);
void tpb_put_str(struct tpb_bytes *b, const char *s); /* with its NUL */

struct tpb_channel {
	struct rt_ust_channel *chan;
	struct rb_stream *consumer; /* the channel owns the producer's mapping */
	struct rb_subbuf sb;
	const uint8_t *cur, *end; /* reading position in the open packet */
};

/* A new enabled channel of session (stream class id = handle = id). */
void tpb_channel_create(struct rt_ust_session *session, struct tpb_channel *cb, uint32_t id);
/* After the channel is destroyed: unmaps the reader's mapping. */
void tpb_channel_unmap(struct tpb_channel *cb);

/* Attaches and enables a recorder of provider:event in cb with event_id. */
struct rt_ust_recorder *tpb_record(struct tpb_channel *cb, const char *provider, const char *event,
                                   uint32_t event_id);

/* Flushes the stream and opens its packet. */
void tpb_packet_open(struct tpb_channel *cb);
/* Checks that every record was read, releases the packet. */
void tpb_packet_close(struct tpb_channel *cb);
/* Checks the event header (either form) and the payload of the next record. */
void tpb_expect_record(struct tpb_channel *cb, uint32_t event_id, const struct tpb_bytes *payload);

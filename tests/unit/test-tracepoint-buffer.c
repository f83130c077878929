/* SPDX-License-Identifier: MIT */
#include "test-tracepoint-buffer.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "ctf/packet.h"
#include "lib/ust/probes.h"

#define SUBBUF_SIZE 16384u
#define NUM_SUBBUF  4u

void tpb_put(struct tpb_bytes *b, const void *p, size_t n)
{
	assert_true(b->len + n <= sizeof(b->data));
	memcpy(b->data + b->len, p, n);
	b->len += n;
}

void tpb_put_le(struct tpb_bytes *b, uint64_t v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint8_t byte = (uint8_t)(v >> (8 * i));

		tpb_put(b, &byte, 1);
	}
}

void tpb_put_be(struct tpb_bytes *b, uint64_t v, size_t n)
{
	for (size_t i = n; i-- > 0;) {
		uint8_t byte = (uint8_t)(v >> (8 * i));

		tpb_put(b, &byte, 1);
	}
}

void tpb_put_str(struct tpb_bytes *b, const char *s)
{
	tpb_put(b, s, strlen(s) + 1);
}

void tpb_channel_create(struct rt_ust_session *session, struct tpb_channel *cb, uint32_t id)
{
	struct rb_stream_attr attr = {
	    .subbuf_size = SUBBUF_SIZE,
	    .num_subbuf = NUM_SUBBUF,
	    .header_size = CTF_PACKET_HEADER_SIZE,
	    .record_header_short = CTF_EVENT_HEADER_COMPACT_SIZE,
	    .record_header_long = CTF_EVENT_HEADER_EXTENDED_SIZE,
	    .timestamp_bits = CTF_TIMESTAMP_BITS,
	};
	static const uint8_t uuid[RT_UUID_LEN] = {1, 2, 3};
	struct rb_stream *producer;
	int shm_fd, wakeup_fd;

	ctf_stream_client_fill(attr.client, uuid, id, 0);
	assert_int_equal(rb_stream_create(&attr, &shm_fd, &wakeup_fd), 0);
	assert_int_equal(rb_stream_map(shm_fd, wakeup_fd, &ctf_rb_client_ops, &producer), 0);
	assert_int_equal(rb_stream_map(shm_fd, wakeup_fd, &ctf_rb_client_ops, &cb->consumer), 0);
	close(shm_fd);
	close(wakeup_fd);

	rt_ust_lock();
	/* One stream for all CPUs: the record path falls back to cpu % nr_streams. */
	assert_int_equal(rt_ust_channel_create(session, id, id, 1, &cb->chan), 0);
	assert_int_equal(rt_ust_channel_set_stream(cb->chan, 0, producer), 0);
	rt_ust_channel_set_enabled(cb->chan, true);
	rt_ust_unlock();
}

void tpb_channel_unmap(struct tpb_channel *cb)
{
	if (cb->consumer)
		rb_stream_unmap(cb->consumer);
	cb->consumer = NULL;
}

struct rt_ust_recorder *tpb_record(struct tpb_channel *cb, const char *provider, const char *event,
                                   uint32_t event_id)
{
	const struct ringtrace_event_desc *desc = rt_probes_find_event(provider, event);
	struct rt_ust_recorder *rec;

	assert_non_null(desc);
	rt_ust_lock();
	assert_int_equal(rt_ust_recorder_attach(desc, cb->chan, event_id, &rec), 0);
	rt_ust_recorder_set_enabled(rec, true);
	rt_ust_unlock();
	return rec;
}

void tpb_packet_open(struct tpb_channel *cb)
{
	rb_stream_flush(cb->consumer);
	assert_int_equal(rb_consumer_get_subbuf(cb->consumer, &cb->sb), 0);
	cb->cur = (const uint8_t *)cb->sb.data + CTF_PACKET_HEADER_SIZE;
	cb->end = (const uint8_t *)cb->sb.data + cb->sb.content_size;
}

void tpb_packet_close(struct tpb_channel *cb)
{
	assert_ptr_equal(cb->cur, cb->end);
	rb_consumer_put_subbuf(cb->consumer, &cb->sb);
}

void tpb_expect_record(struct tpb_channel *cb, uint32_t event_id, const struct tpb_bytes *payload)
{
	uint16_t id16;

	assert_true(cb->cur + CTF_EVENT_HEADER_COMPACT_SIZE <= cb->end);
	memcpy(&id16, cb->cur, sizeof(id16));
	if (id16 == CTF_EVENT_ID_EXTENDED) {
		uint32_t id32;

		memcpy(&id32, cb->cur + 2, sizeof(id32));
		assert_int_equal(id32, event_id);
		cb->cur += CTF_EVENT_HEADER_EXTENDED_SIZE;
	} else {
		assert_true(event_id < CTF_EVENT_ID_EXTENDED);
		assert_int_equal(id16, event_id);
		cb->cur += CTF_EVENT_HEADER_COMPACT_SIZE;
	}
	assert_true(cb->cur + payload->len <= cb->end);
	assert_memory_equal(cb->cur, payload->data, payload->len);
	cb->cur += payload->len;
}

/* SPDX-License-Identifier: MIT */
#include "test-ringbuffer-client.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

static uint64_t packet_end_calls;

static void tc_packet_begin(void *packet, const uint8_t *client, uint64_t ts_begin,
                            uint64_t seq_num)
{
	struct tc_packet_header h = {
	    .magic = TC_PACKET_MAGIC,
	    .begin_count = 1,
	    .seq_num = seq_num,
	    .ts_begin = ts_begin,
	};

	memcpy(packet, &h, sizeof(h));
}

static void tc_packet_end(void *packet, const uint8_t *client, uint64_t ts_end,
                          uint64_t content_size, uint64_t events_discarded)
{
	struct tc_packet_header h;

	memcpy(&h, packet, sizeof(h));
	h.ts_end = ts_end;
	h.content_size = content_size;
	h.events_discarded = events_discarded;
	memcpy(packet, &h, sizeof(h));
	__atomic_fetch_add(&packet_end_calls, 1, __ATOMIC_RELAXED);
}

const struct rb_client_ops tc_ops = {
    .packet_begin = tc_packet_begin,
    .packet_end = tc_packet_end,
};

uint64_t tc_packet_end_calls(void)
{
	return __atomic_load_n(&packet_end_calls, __ATOMIC_RELAXED);
}

void tc_attr_init(struct rb_stream_attr *attr, uint64_t subbuf_size, uint32_t num_subbuf,
                  uint32_t timestamp_bits)
{
	*attr = (struct rb_stream_attr){
	    .subbuf_size = subbuf_size,
	    .num_subbuf = num_subbuf,
	    .header_size = TC_HEADER_SIZE,
	    .record_header_short = TC_REC_SHORT,
	    .record_header_long = TC_REC_LONG,
	    .timestamp_bits = timestamp_bits,
	};
	memcpy(attr->client, "test-client", sizeof("test-client"));
}

void tc_record_write(const struct rb_reserve_ctx *ctx, const void *payload)
{
	uint8_t *p = ctx->record;
	uint32_t header_len = ctx->long_header ? TC_REC_LONG : TC_REC_SHORT;
	uint16_t payload_len = (uint16_t)(ctx->len - header_len);

	p[0] = ctx->long_header ? TC_TAG_LONG : TC_TAG_SHORT;
	p[1] = 0;
	memcpy(p + 2, &payload_len, sizeof(payload_len));
	if (ctx->long_header)
		memcpy(p + 4, &ctx->timestamp, sizeof(ctx->timestamp));
	memcpy(p + header_len, payload, payload_len);
}

void tc_packet_header_read(const struct rb_subbuf *sb, struct tc_packet_header *ret_header)
{
	memcpy(ret_header, sb->data, sizeof(*ret_header));
}

int tc_record_next(const struct rb_subbuf *sb, uint64_t *offset, struct tc_record *ret_record)
{
	const uint8_t *p = (const uint8_t *)sb->data + *offset;
	uint16_t payload_len;
	uint32_t header_len;

	if (*offset == sb->content_size)
		return 0;
	if (*offset + TC_REC_SHORT > sb->content_size)
		return -1;
	if (p[0] != TC_TAG_SHORT && p[0] != TC_TAG_LONG)
		return -1;
	header_len = p[0] == TC_TAG_LONG ? TC_REC_LONG : TC_REC_SHORT;
	memcpy(&payload_len, p + 2, sizeof(payload_len));
	if (*offset + header_len + payload_len > sb->content_size)
		return -1;

	*ret_record = (struct tc_record){
	    .long_header = p[0] == TC_TAG_LONG,
	    .len = header_len + payload_len,
	    .payload = p + header_len,
	    .payload_len = payload_len,
	};
	if (ret_record->long_header)
		memcpy(&ret_record->ts, p + 4, sizeof(ret_record->ts));
	*offset += ret_record->len;
	return 1;
}

void tc_fixture_open_attr(struct tc_fixture *f, const struct rb_stream_attr *attr)
{
	assert_int_equal(rb_stream_create(attr, &f->shm_fd, &f->wakeup_fd), 0);
	assert_int_equal(rb_stream_map(f->shm_fd, f->wakeup_fd, &tc_ops, &f->prod), 0);
	assert_int_equal(rb_stream_map(f->shm_fd, f->wakeup_fd, &tc_ops, &f->cons), 0);
}

void tc_fixture_open(struct tc_fixture *f, uint64_t subbuf_size, uint32_t num_subbuf,
                     uint32_t timestamp_bits)
{
	struct rb_stream_attr attr;

	tc_attr_init(&attr, subbuf_size, num_subbuf, timestamp_bits);
	tc_fixture_open_attr(f, &attr);
}

void tc_fixture_close(struct tc_fixture *f)
{
	rb_stream_unmap(f->prod);
	rb_stream_unmap(f->cons);
	close(f->shm_fd);
	close(f->wakeup_fd);
}

void tc_seq_open(struct tc_fixture *f, uint64_t subbuf_size, uint32_t num_subbuf,
                 uint32_t overwrite)
{
	struct rb_stream_attr attr;

	tc_attr_init(&attr, subbuf_size, num_subbuf, 64);
	attr.overwrite = overwrite;
	tc_fixture_open_attr(f, &attr);
}

void tc_seq_payload(uint8_t buf[TC_SEQ_PAYLOAD], uint32_t thread, uint64_t index)
{
	struct tc_seq_head h = {.thread = thread, .index = index};

	memcpy(buf, &h, sizeof(h));
	for (uint32_t i = sizeof(h); i < TC_SEQ_PAYLOAD; i++)
		buf[i] = (uint8_t)(index * 13 + thread * 5 + i);
}

int tc_seq_emit(struct rb_stream *stream, uint32_t thread, uint64_t index)
{
	uint8_t payload[TC_SEQ_PAYLOAD];
	struct rb_reserve_ctx ctx;
	int r = rb_reserve(stream, TC_SEQ_PAYLOAD, false, &ctx);

	if (r < 0)
		return r;
	tc_seq_payload(payload, thread, index);
	tc_record_write(&ctx, payload);
	rb_commit(&ctx);
	return 0;
}

static void *tc_seq_producer_main(void *arg)
{
	struct tc_seq_producer *me = arg;
	struct tc_seq_producers *p = me->set;

	for (uint64_t i = 0; !__atomic_load_n(&p->stop, __ATOMIC_ACQUIRE); i++) {
		if (tc_seq_emit(p->stream, me->thread, i) == 0)
			__atomic_store_n(&p->committed[me->thread], i + 1, __ATOMIC_RELEASE);
		else
			p->discarded[me->thread]++;
	}
	return NULL;
}

void tc_seq_producers_start(struct tc_seq_producers *p, struct rb_stream *stream)
{
	*p = (struct tc_seq_producers){.stream = stream};
	for (uint32_t t = 0; t < TC_SEQ_THREADS; t++) {
		p->threads[t] = (struct tc_seq_producer){.set = p, .thread = t};
		assert_int_equal(
		    pthread_create(&p->threads[t].id, NULL, tc_seq_producer_main, &p->threads[t]),
		    0);
	}
}

void tc_seq_producers_stop(struct tc_seq_producers *p)
{
	__atomic_store_n(&p->stop, 1, __ATOMIC_RELEASE);
	for (uint32_t t = 0; t < TC_SEQ_THREADS; t++)
		assert_int_equal(pthread_join(p->threads[t].id, NULL), 0);
}

uint64_t tc_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t tc_seq_records_per_packet(uint64_t subbuf_size)
{
	return 1 + (subbuf_size - TC_HEADER_SIZE - TC_REC_LONG - TC_SEQ_PAYLOAD) /
	               (TC_REC_SHORT + TC_SEQ_PAYLOAD);
}

/* SPDX-License-Identifier: MIT */
/*
 * Data packet header/context and event headers, against the annotated real
 * packet of reference/ctf-layout.md section 7 (channel0_1 of an lttng-ust
 * 2.13.5 trace).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ctf/packet.h"
#include "ringbuffer/ringbuffer.h"

static const uint8_t trace_uuid[RT_UUID_LEN] = {0xb0, 0xfe, 0xbe, 0xaa, 0x10, 0x91, 0x4f, 0xe3,
                                                0x8d, 0x4b, 0x2d, 0x52, 0x2f, 0x21, 0xe1, 0x5a};

/* The first 0x54 bytes of the real packet. */
static const uint8_t real_header[CTF_PACKET_HEADER_SIZE] = {
    0xc1, 0x1f, 0xfc, 0xc1, 0xb0, 0xfe, 0xbe, 0xaa, 0x10, 0x91, 0x4f, 0xe3, 0x8d, 0x4b,
    0x2d, 0x52, 0x2f, 0x21, 0xe1, 0x5a, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x8a, 0xf6, 0x18, 0xfe, 0x6e, 0x00, 0x00, 0x00, 0xb9, 0x39,
    0xb7, 0x0a, 0x6f, 0x00, 0x00, 0x00, 0x00, 0x1a, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
};

static void test_client_area(void **state)
{
	uint8_t client[RB_CLIENT_AREA_SIZE];
	uint32_t v;

	memset(client, 0xee, sizeof(client));
	ctf_stream_client_fill(client, trace_uuid, 7, 3);
	assert_memory_equal(client, trace_uuid, RT_UUID_LEN);
	memcpy(&v, client + 16, 4);
	assert_int_equal(v, 7);
	memcpy(&v, client + 20, 4);
	assert_int_equal(v, 3);
	for (size_t i = 24; i < sizeof(client); i++)
		assert_int_equal(client[i], 0);
}

static void test_header_matches_real_packet(void **state)
{
	static uint8_t packet[8192];
	uint8_t client[RB_CLIENT_AREA_SIZE];

	memset(packet, 0xaa, sizeof(packet));
	ctf_stream_client_fill(client, trace_uuid, 0, 1);
	ctf_rb_client_ops.packet_begin(packet, client, 0x6efe18f68aull, 0);
	ctf_rb_client_ops.packet_end(packet, client, 0x6f0ab739b9ull, 832, 0);
	assert_memory_equal(packet, real_header, sizeof(real_header));
	/* events (not written here) untouched, padding up to 4096 zeroed, rest untouched */
	assert_int_equal(packet[CTF_PACKET_HEADER_SIZE], 0xaa);
	assert_int_equal(packet[831], 0xaa);
	for (size_t i = 832; i < 4096; i++)
		assert_int_equal(packet[i], 0);
	assert_int_equal(packet[4096], 0xaa);
}

static void test_begin_resets_end_fields(void **state)
{
	uint8_t packet[4096], client[RB_CLIENT_AREA_SIZE];
	struct ctf_packet_header h;

	memset(packet, 0xff, sizeof(packet));
	ctf_stream_client_fill(client, trace_uuid, 2, 5);
	ctf_packet_begin(packet, client, 100, 42);
	memcpy(&h, packet, sizeof(h));
	assert_int_equal(h.magic, CTF_PACKET_MAGIC);
	assert_int_equal(h.stream_id, 2);
	assert_int_equal(h.stream_instance_id, 5);
	assert_int_equal(h.cpu_id, 5);
	assert_int_equal(h.timestamp_begin, 100);
	assert_int_equal(h.packet_seq_num, 42);
	assert_int_equal(h.timestamp_end, 0);
	assert_int_equal(h.content_size, 0);
	assert_int_equal(h.packet_size, 0);
	assert_int_equal(h.events_discarded, 0);
}

/* The "empty" final packet: header only, 672 bits of content in a 4096-byte packet. */
static void test_empty_packet_and_sizes(void **state)
{
	uint8_t packet[4096], client[RB_CLIENT_AREA_SIZE];
	struct ctf_packet_info info;

	ctf_stream_client_fill(client, trace_uuid, 1, 0);
	ctf_packet_begin(packet, client, 500, 9);
	ctf_packet_end(packet, client, 500, CTF_PACKET_HEADER_SIZE, 12345);
	assert_int_equal(ctf_packet_header_parse(packet, sizeof(packet), &info), 0);
	assert_int_equal(info.content_size_bits, 672);
	assert_int_equal(info.packet_size_bits, 32768);
	assert_int_equal(info.events_discarded, 12345);
	assert_int_equal(info.timestamp_begin, info.timestamp_end);

	assert_int_equal(ctf_packet_size_bytes(84), 4096);
	assert_int_equal(ctf_packet_size_bytes(4096), 4096);
	assert_int_equal(ctf_packet_size_bytes(4097), 8192);
	assert_int_equal(ctf_packet_size_bytes(512 * 1024), 512 * 1024);
}

static void test_parse(void **state)
{
	struct ctf_packet_info info;
	uint8_t bad[CTF_PACKET_HEADER_SIZE];
	uint64_t v;

	assert_int_equal(ctf_packet_header_parse(real_header, sizeof(real_header), &info), 0);
	assert_memory_equal(info.uuid, trace_uuid, RT_UUID_LEN);
	assert_int_equal(info.stream_id, 0);
	assert_int_equal(info.stream_instance_id, 1);
	assert_int_equal(info.timestamp_begin, 0x6efe18f68aull);
	assert_int_equal(info.timestamp_end, 0x6f0ab739b9ull);
	assert_int_equal(info.content_size_bits, 0x1a00);
	assert_int_equal(info.packet_size_bits, 0x8000);
	assert_int_equal(info.packet_seq_num, 0);
	assert_int_equal(info.events_discarded, 0);
	assert_int_equal(info.cpu_id, 1);

	assert_int_equal(ctf_packet_header_parse(real_header, 83, &info), -EINVAL);
	memcpy(bad, real_header, sizeof(bad));
	bad[0] = 0;
	assert_int_equal(ctf_packet_header_parse(bad, sizeof(bad), &info), -EINVAL);
	memcpy(bad, real_header, sizeof(bad));
	v = 0x8008; /* content > packet */
	memcpy(bad + 48, &v, 8);
	assert_int_equal(ctf_packet_header_parse(bad, sizeof(bad), &info), -EINVAL);
	v = 83 * 8; /* content < header */
	memcpy(bad + 48, &v, 8);
	assert_int_equal(ctf_packet_header_parse(bad, sizeof(bad), &info), -EINVAL);
	memcpy(bad, real_header, sizeof(bad));
	v = 0x8004; /* packet size not whole bytes */
	memcpy(bad + 56, &v, 8);
	assert_int_equal(ctf_packet_header_parse(bad, sizeof(bad), &info), -EINVAL);
}

/* Records at 0x54 (extended, id 0) and 0x7b (compact, id 1) of the real packet. */
static void test_event_headers(void **state)
{
	static const uint8_t extended[] = {0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0x6e,
	                                   0x01, 0x96, 0xfe, 0x6e, 0x00, 0x00, 0x00};
	static const uint8_t compact[] = {0x01, 0x00, 0xd0, 0xa8, 0x96, 0xfe};
	uint8_t record[32];

	memset(record, 0xaa, sizeof(record));
	assert_int_equal(ctf_event_header_write(record, 0, 0x6efe96016eull, true),
	                 CTF_EVENT_HEADER_EXTENDED_SIZE);
	assert_memory_equal(record, extended, sizeof(extended));
	assert_int_equal(record[sizeof(extended)], 0xaa);

	memset(record, 0xaa, sizeof(record));
	assert_int_equal(ctf_event_header_write(record + 1, 1, 0x6efe96a8d0ull, false),
	                 CTF_EVENT_HEADER_COMPACT_SIZE);
	assert_memory_equal(record + 1, compact, sizeof(compact));
	assert_int_equal(record[0], 0xaa);
	assert_int_equal(record[1 + sizeof(compact)], 0xaa);

	assert_false(ctf_event_id_needs_extended(65534));
	assert_true(ctf_event_id_needs_extended(65535));
	ctf_event_header_write(record, 70000, 1, true);
	assert_int_equal(record[2], 0x70);
	assert_int_equal(record[3], 0x11);
	assert_int_equal(record[4], 0x01);
}

/* A packet completed out of order never lowers the stream's cumulative count. */
static void test_raise_events_discarded(void **state)
{
	uint8_t packet[CTF_PACKET_HEADER_SIZE];
	struct ctf_packet_info info;
	uint64_t v;

	memcpy(packet, real_header, sizeof(packet));
	v = 5;
	memcpy(packet + 72, &v, 8);
	assert_int_equal(ctf_packet_raise_events_discarded(packet, 9), 9);
	assert_int_equal(ctf_packet_header_parse(packet, sizeof(packet), &info), 0);
	assert_int_equal(info.events_discarded, 9);
	assert_int_equal(ctf_packet_raise_events_discarded(packet, 3), 9);
	memcpy(&v, packet + 72, 8);
	assert_int_equal(v, 9);
	assert_memory_equal(packet, real_header, 72);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_client_area),
	    cmocka_unit_test(test_header_matches_real_packet),
	    cmocka_unit_test(test_begin_resets_end_fields),
	    cmocka_unit_test(test_empty_packet_and_sizes),
	    cmocka_unit_test(test_parse),
	    cmocka_unit_test(test_event_headers),
	    cmocka_unit_test(test_raise_events_discarded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

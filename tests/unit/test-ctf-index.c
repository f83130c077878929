/* SPDX-License-Identifier: MIT */
/* Index files (reference/ctf-layout.md sections 6 and 7), all big-endian. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

#include "ctf/index.h"

static const uint8_t real_index_header[CTF_INDEX_HEADER_SIZE] = {
    0xc1, 0xf1, 0xdc, 0xc1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0x48,
};

/* The entry of the packet annotated in section 7. */
static const uint8_t real_entry[CTF_INDEX_ENTRY_SIZE] = {
    0, 0, 0, 0,    0,    0,    0,    0,    /* offset */
    0, 0, 0, 0,    0,    0,    0x80, 0,    /* packet_size */
    0, 0, 0, 0,    0,    0,    0x1a, 0,    /* content_size */
    0, 0, 0, 0x6e, 0xfe, 0x18, 0xf6, 0x8a, /* timestamp_begin */
    0, 0, 0, 0x6f, 0x0a, 0xb7, 0x39, 0xb9, /* timestamp_end */
    0, 0, 0, 0,    0,    0,    0,    0,    /* events_discarded */
    0, 0, 0, 0,    0,    0,    0,    0,    /* stream_id */
    0, 0, 0, 0,    0,    0,    0,    1,    /* stream_instance_id */
    0, 0, 0, 0,    0,    0,    0,    0,    /* packet_seq_num */
};

static const uint8_t real_packet_header[CTF_PACKET_HEADER_SIZE] = {
    0xc1, 0x1f, 0xfc, 0xc1, 0xb0, 0xfe, 0xbe, 0xaa, 0x10, 0x91, 0x4f, 0xe3, 0x8d, 0x4b,
    0x2d, 0x52, 0x2f, 0x21, 0xe1, 0x5a, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x8a, 0xf6, 0x18, 0xfe, 0x6e, 0x00, 0x00, 0x00, 0xb9, 0x39,
    0xb7, 0x0a, 0x6f, 0x00, 0x00, 0x00, 0x00, 0x1a, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
};

static void test_header(void **state)
{
	uint8_t bytes[CTF_INDEX_HEADER_SIZE], bad[CTF_INDEX_HEADER_SIZE];
	uint32_t entry_size = 0;

	ctf_index_header_encode(bytes);
	assert_memory_equal(bytes, real_index_header, sizeof(bytes));
	assert_int_equal(ctf_index_header_decode(bytes, &entry_size), 0);
	assert_int_equal(entry_size, CTF_INDEX_ENTRY_SIZE);

	memcpy(bad, bytes, sizeof(bad));
	bad[0] = 0;
	assert_int_equal(ctf_index_header_decode(bad, &entry_size), -EINVAL);
	memcpy(bad, bytes, sizeof(bad));
	bad[7] = 2; /* major 2 */
	assert_int_equal(ctf_index_header_decode(bad, &entry_size), -EINVAL);
	memcpy(bad, bytes, sizeof(bad));
	bad[15] = 48; /* shorter than v1.0 */
	assert_int_equal(ctf_index_header_decode(bad, &entry_size), -EINVAL);
	bad[15] = 56;
	bad[11] = 0;
	assert_int_equal(ctf_index_header_decode(bad, &entry_size), 0);
	assert_int_equal(entry_size, CTF_INDEX_ENTRY_SIZE_1_0);
}

static void test_entry_from_real_packet(void **state)
{
	struct ctf_packet_info info;
	struct ctf_index_entry entry, decoded;
	uint8_t bytes[CTF_INDEX_ENTRY_SIZE];

	assert_int_equal(
	    ctf_packet_header_parse(real_packet_header, sizeof(real_packet_header), &info), 0);
	ctf_index_entry_from_packet(&info, 0, &entry);
	ctf_index_entry_encode(&entry, bytes);
	assert_memory_equal(bytes, real_entry, sizeof(bytes));

	assert_int_equal(ctf_index_entry_decode(bytes, CTF_INDEX_ENTRY_SIZE, &decoded), 0);
	assert_memory_equal(&decoded, &entry, sizeof(entry));
}

static void test_entry_field_order(void **state)
{
	const struct ctf_index_entry entry = {
	    .offset_bytes = 0x0102030405060708ull,
	    .packet_size_bits = 2,
	    .content_size_bits = 3,
	    .timestamp_begin = 4,
	    .timestamp_end = 5,
	    .events_discarded = 6,
	    .stream_id = 7,
	    .stream_instance_id = 8,
	    .packet_seq_num = 9,
	};
	uint8_t bytes[CTF_INDEX_ENTRY_SIZE];
	struct ctf_index_entry v10;

	ctf_index_entry_encode(&entry, bytes);
	for (int i = 0; i < 8; i++)
		assert_int_equal(bytes[i], i + 1);
	for (int field = 1; field < 9; field++)
		assert_int_equal(bytes[8 * field + 7], field + 1);

	/* a v1.0 entry stops after stream_id */
	assert_int_equal(ctf_index_entry_decode(bytes, CTF_INDEX_ENTRY_SIZE_1_0, &v10), 0);
	assert_int_equal(v10.stream_id, 7);
	assert_int_equal(v10.stream_instance_id, 0);
	assert_int_equal(v10.packet_seq_num, 0);
	assert_int_equal(ctf_index_entry_decode(bytes, 40, &v10), -EINVAL);
}

static void test_file(void **state)
{
	int fd = memfd_create("idx", MFD_CLOEXEC);
	uint8_t file[CTF_INDEX_HEADER_SIZE + 2 * CTF_INDEX_ENTRY_SIZE];
	struct ctf_packet_info info;
	struct ctf_index_entry entry;

	assert_true(fd >= 0);
	assert_int_equal(
	    ctf_packet_header_parse(real_packet_header, sizeof(real_packet_header), &info), 0);
	assert_int_equal(ctf_index_write_header(fd), 0);
	ctf_index_entry_from_packet(&info, 0, &entry);
	assert_int_equal(ctf_index_append(fd, &entry), 0);
	ctf_index_entry_from_packet(&info, 4096, &entry);
	assert_int_equal(ctf_index_append(fd, &entry), 0);

	assert_int_equal(lseek(fd, 0, SEEK_END), sizeof(file));
	assert_int_equal(pread(fd, file, sizeof(file), 0), sizeof(file));
	assert_memory_equal(file, real_index_header, CTF_INDEX_HEADER_SIZE);
	assert_memory_equal(file + CTF_INDEX_HEADER_SIZE, real_entry, CTF_INDEX_ENTRY_SIZE);
	assert_int_equal(file[CTF_INDEX_HEADER_SIZE + CTF_INDEX_ENTRY_SIZE + 6], 0x10);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_header),
	    cmocka_unit_test(test_entry_from_real_packet),
	    cmocka_unit_test(test_entry_field_order),
	    cmocka_unit_test(test_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: MIT */
/* Metadata packetization (reference/ctf-layout.md section 3) and its reader. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/io.h"
#include "ctf/metadata-packet.h"

static const uint8_t trace_uuid[RT_UUID_LEN] = {0xb0, 0xfe, 0xbe, 0xaa, 0x10, 0x91, 0x4f, 0xe3,
                                                0x8d, 0x4b, 0x2d, 0x52, 0x2f, 0x21, 0xe1, 0x5a};

/* Deterministic text of `len` bytes with a recognizable pattern. */
static char *make_text(size_t len)
{
	char *text = malloc(len + 1);

	assert_non_null(text);
	for (size_t i = 0; i < len; i++)
		text[i] = (char)('a' + (i * 7 + i / 26) % 26);
	text[len] = '\0';
	return text;
}

static uint32_t read_u32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* Whole content of fd, from offset 0. */
static uint8_t *slurp(int fd, size_t *ret_size)
{
	struct stat st;
	uint8_t *data;

	assert_int_equal(fstat(fd, &st), 0);
	data = malloc((size_t)st.st_size + 1);
	assert_non_null(data);
	assert_int_equal(pread(fd, data, (size_t)st.st_size, 0), st.st_size);
	*ret_size = (size_t)st.st_size;
	return data;
}

/* Header bytes as in the real metadata file: 57 1d d1 75, uuid, 0, content, packet, 0 0 0 1 8. */
static void test_header_bytes(void **state)
{
	static const char text[] = "/* CTF 1.8 */\n\n";
	uint8_t packet[CTF_METADATA_PACKET_SIZE];
	const uint8_t expected[CTF_METADATA_HEADER_SIZE] = {
	    0x57, 0x1d, 0xd1, 0x75, 0xb0, 0xfe, 0xbe, 0xaa, 0x10, 0x91, 0x4f, 0xe3, 0x8d, 0x4b,
	    0x2d, 0x52, 0x2f, 0x21, 0xe1, 0x5a, 0x00, 0x00, 0x00, 0x00,
	    /* content_size = (37 + 15) * 8 = 416 = 0x1a0 */
	    0xa0, 0x01, 0x00, 0x00,
	    /* packet_size = 32768 */
	    0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x08};

	memset(packet, 0xee, sizeof(packet));
	assert_int_equal(ctf_metadata_packet_build(packet, trace_uuid, text, strlen(text)),
	                 strlen(text));
	assert_memory_equal(packet, expected, sizeof(expected));
	assert_memory_equal(packet + CTF_METADATA_HEADER_SIZE, text, strlen(text));
	for (size_t i = CTF_METADATA_HEADER_SIZE + strlen(text); i < sizeof(packet); i++)
		assert_int_equal(packet[i], 0);
}

static void test_full_packet(void **state)
{
	uint8_t packet[CTF_METADATA_PACKET_SIZE];
	char *text = make_text(5000);

	assert_int_equal(ctf_metadata_packet_build(packet, trace_uuid, text, 5000),
	                 CTF_METADATA_PAYLOAD_MAX);
	assert_int_equal(read_u32(packet + 24), 32768);
	assert_int_equal(read_u32(packet + 28), 32768);
	assert_memory_equal(packet + CTF_METADATA_HEADER_SIZE, text, CTF_METADATA_PAYLOAD_MAX);
	free(text);
}

static void test_packet_count(void **state)
{
	assert_int_equal(ctf_metadata_packet_count(0), 0);
	assert_int_equal(ctf_metadata_packet_count(1), 1);
	assert_int_equal(ctf_metadata_packet_count(CTF_METADATA_PAYLOAD_MAX), 1);
	assert_int_equal(ctf_metadata_packet_count(CTF_METADATA_PAYLOAD_MAX + 1), 2);
	assert_int_equal(ctf_metadata_packet_count(3 * CTF_METADATA_PAYLOAD_MAX), 3);
}

/* A text longer than two packets is cut mid-stream and read back whole. */
static void test_round_trip_across_packets(void **state)
{
	const size_t len = 2 * CTF_METADATA_PAYLOAD_MAX + 437;
	char *text = make_text(len), *out = NULL;
	int fd = memfd_create("metadata", MFD_CLOEXEC);
	uint8_t uuid[RT_UUID_LEN], *data;
	size_t size, out_len;

	assert_true(fd >= 0);
	assert_int_equal(ctf_metadata_write(fd, trace_uuid, text, len), 0);
	data = slurp(fd, &size);
	assert_int_equal(size, 3 * CTF_METADATA_PACKET_SIZE);
	assert_int_equal(read_u32(data + 24), 32768);
	assert_int_equal(read_u32(data + CTF_METADATA_PACKET_SIZE + 24), 32768);
	assert_int_equal(read_u32(data + 2 * CTF_METADATA_PACKET_SIZE + 24), (37 + 437) * 8);

	assert_int_equal(ctf_metadata_read_text(data, size, &out, &out_len, uuid), 0);
	assert_int_equal(out_len, len);
	assert_memory_equal(out, text, len);
	assert_int_equal(out[len], '\0');
	assert_memory_equal(uuid, trace_uuid, RT_UUID_LEN);
	free(out);
	free(data);
	free(text);
	close(fd);
}

/* Each append starts a new packet; the reader concatenates partial packets. */
static void test_appends_make_own_packets(void **state)
{
	static const char *chunks[] = {"/* CTF 1.8 */\n\ntrace {\n", "\tmajor = 1;\n", "};\n\n"};
	int fd = memfd_create("metadata", MFD_CLOEXEC);
	char *out = NULL;
	uint8_t *data;
	size_t size, out_len;

	assert_true(fd >= 0);
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(ctf_metadata_write(fd, trace_uuid, chunks[i], strlen(chunks[i])),
		                 0);
	assert_int_equal(ctf_metadata_write(fd, trace_uuid, "", 0), 0);
	data = slurp(fd, &size);
	assert_int_equal(size, 3 * CTF_METADATA_PACKET_SIZE);
	assert_int_equal(ctf_metadata_read_text(data, size, &out, &out_len, NULL), 0);
	assert_string_equal(out, "/* CTF 1.8 */\n\ntrace {\n\tmajor = 1;\n};\n\n");
	free(out);
	free(data);
	close(fd);
}

static void test_read_empty(void **state)
{
	char *out = NULL;
	size_t out_len = 1;

	assert_int_equal(ctf_metadata_read_text("", 0, &out, &out_len, NULL), 0);
	assert_int_equal(out_len, 0);
	assert_string_equal(out, "");
	free(out);
}

static void expect_rejected(const uint8_t *data, size_t size)
{
	char *out = NULL;
	size_t out_len;

	assert_int_equal(ctf_metadata_read_text(data, size, &out, &out_len, NULL), -EINVAL);
	assert_null(out);
}

static void test_read_rejects_malformed(void **state)
{
	uint8_t two[2 * CTF_METADATA_PACKET_SIZE], bad[2 * CTF_METADATA_PACKET_SIZE];
	uint32_t v;

	ctf_metadata_packet_build(two, trace_uuid, "abc", 3);
	ctf_metadata_packet_build(two + CTF_METADATA_PACKET_SIZE, trace_uuid, "def", 3);

	/* truncated packet, truncated header */
	expect_rejected(two, CTF_METADATA_PACKET_SIZE - 1);
	expect_rejected(two, CTF_METADATA_PACKET_SIZE + 10);
	/* bad magic */
	memcpy(bad, two, sizeof(two));
	bad[0] ^= 1;
	expect_rejected(bad, sizeof(bad));
	/* content larger than the packet */
	memcpy(bad, two, sizeof(two));
	v = 32776;
	memcpy(bad + 24, &v, 4);
	expect_rejected(bad, sizeof(bad));
	/* content smaller than the header */
	v = 36 * 8;
	memcpy(bad + 24, &v, 4);
	expect_rejected(bad, sizeof(bad));
	/* content not whole bytes */
	v = 41 * 8 + 3;
	memcpy(bad + 24, &v, 4);
	expect_rejected(bad, sizeof(bad));
	/* packet past the end of the data */
	memcpy(bad, two, sizeof(two));
	v = 3 * 32768;
	memcpy(bad + 28, &v, 4);
	expect_rejected(bad, sizeof(bad));
	/* wrong version */
	memcpy(bad, two, sizeof(two));
	bad[36] = 7;
	expect_rejected(bad, sizeof(bad));
	/* second packet of another trace */
	memcpy(bad, two, sizeof(two));
	bad[CTF_METADATA_PACKET_SIZE + 4] ^= 0xff;
	expect_rejected(bad, sizeof(bad));
}

static void test_write_error(void **state)
{
	int fds[2];

	assert_int_equal(pipe(fds), 0);
	close(fds[1]);
	assert_int_equal(ctf_metadata_write(fds[0], trace_uuid, "x", 1), -EBADF);
	close(fds[0]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_header_bytes),
	    cmocka_unit_test(test_full_packet),
	    cmocka_unit_test(test_packet_count),
	    cmocka_unit_test(test_round_trip_across_packets),
	    cmocka_unit_test(test_appends_make_own_packets),
	    cmocka_unit_test(test_read_empty),
	    cmocka_unit_test(test_read_rejects_malformed),
	    cmocka_unit_test(test_write_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

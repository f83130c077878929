/* SPDX-License-Identifier: MIT */
/*
 * The relay protocol parsers on messages laid out as lttng 2.13 sends them
 * (reference/relayd-protocol.md, live-protocol.md), and the checks on the
 * paths peers send.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/be-bytes.h"
#include "common/comm/relayd-wire.h"
#include "relayd/live-wire.h"
#include "relayd/output-path.h"
#include "relayd/relayd.h"

struct relayd_config relayd_config = {.output_dir = "/out"};

/* CREATE_SESSION as captured: "netsess", host "vm", empty base path. */
static size_t build_create_session(uint8_t *buf, const char *name, const char *host,
                                   const char *base)
{
	size_t n = strlen(name) + 1, h = strlen(host) + 1, b = strlen(base) + 1;

	memset(buf, 0, 59);
	be32_put(buf, (uint32_t)n);
	be32_put(buf + 4, (uint32_t)h);
	be32_put(buf + 8, (uint32_t)b);
	be32_put(buf + 12, 1000000);
	buf[17] = 0;
	memset(buf + 18, 0xab, 16);
	be64_put(buf + 34, 7);
	be64_put(buf + 42, 1763835528);
	memcpy(buf + 59, name, n);
	memcpy(buf + 59 + n, host, h);
	memcpy(buf + 59 + n + h, base, b);
	return 59 + n + h + b;
}

static void test_create_session(void **state)
{
	uint8_t buf[512];
	struct relayd_create_session cs;
	size_t len = build_create_session(buf, "netsess", "vm", "");

	assert_int_equal(len, 71);
	assert_int_equal(relayd_create_session_parse(buf, len, &cs), 0);
	assert_string_equal(cs.session_name, "netsess");
	assert_string_equal(cs.hostname, "vm");
	assert_string_equal(cs.base_path, "");
	assert_int_equal(cs.live_timer_us, 1000000);
	assert_int_equal(cs.session_id, 7);
	assert_int_equal(cs.creation_time, 1763835528);
	assert_false(cs.chunk_id_set);
	/* One byte short, one too many, a string whose NUL is misplaced, a zero uuid. */
	assert_int_equal(relayd_create_session_parse(buf, len - 1, &cs), -EINVAL);
	assert_int_equal(relayd_create_session_parse(buf, len + 1, &cs), -EINVAL);
	buf[59 + 3] = '\0';
	assert_int_equal(relayd_create_session_parse(buf, len, &cs), -EINVAL);
	len = build_create_session(buf, "netsess", "vm", "");
	memset(buf + 18, 0, 16);
	assert_int_equal(relayd_create_session_parse(buf, len, &cs), -EINVAL);
	/* A huge announced length does not overflow the size check. */
	len = build_create_session(buf, "netsess", "vm", "");
	be32_put(buf, 0xFFFFFFFFu);
	assert_int_equal(relayd_create_session_parse(buf, len, &cs), -EINVAL);
}

static void test_add_stream(void **state)
{
	uint8_t buf[128] = {0};
	struct relayd_add_stream as;

	be32_put(buf, 11);
	be32_put(buf + 4, 17);
	be64_put(buf + 24, 3);
	memcpy(buf + 32, "channel0_0\0ust/uid/0/64-bit\0", 28);
	assert_int_equal(relayd_add_stream_parse(buf, 60, &as), 0);
	assert_string_equal(as.channel_name, "channel0_0");
	assert_string_equal(as.pathname, "ust/uid/0/64-bit");
	assert_int_equal(as.trace_chunk_id, 3);
	/* pathname longer than the protocol's 255 bytes */
	be32_put(buf + 4, 300);
	assert_int_equal(relayd_add_stream_parse(buf, 32 + 11 + 300, &as), -EINVAL);
}

static void test_rotate_streams_header_sizes(void **state)
{
	static const size_t header_sizes[] = {13, 16, 20};
	static const size_t chunk_offsets[] = {5, 8, 12};

	for (size_t k = 0; k < 3; k++) {
		uint8_t buf[64];
		struct relayd_rotate_streams rs;
		uint64_t handle, seq;
		size_t h = header_sizes[k];

		memset(buf, 0xdf, sizeof(buf)); /* uninitialised padding, as 2.13.9 sends */
		be32_put(buf, 2);
		buf[4] = 1;
		be64_put(buf + chunk_offsets[k], 42);
		be64_put(buf + h, 1);
		be64_put(buf + h + 8, 5);
		be64_put(buf + h + 16, 2);
		be64_put(buf + h + 24, 9);
		assert_int_equal(relayd_rotate_streams_parse(buf, h + 32, &rs), 0);
		assert_int_equal(rs.stream_count, 2);
		assert_true(rs.chunk_id_set);
		assert_int_equal(rs.chunk_id, 42);
		relayd_rotate_position(&rs, 1, &handle, &seq);
		assert_int_equal(handle, 2);
		assert_int_equal(seq, 9);
		assert_int_equal(relayd_rotate_streams_parse(buf, h + 31, &rs), -EINVAL);
	}
}

static void test_index_and_chunks(void **state)
{
	uint8_t buf[80] = {0};
	struct relayd_index idx;
	struct relayd_close_chunk cc;
	struct relayd_create_chunk cr;

	be64_put(buf, 1);
	be64_put(buf + 16, 32768);
	be64_put(buf + 24, 4976);
	be64_put(buf + 72, 12);
	assert_int_equal(relayd_index_parse(buf, 80, &idx), 0);
	assert_int_equal(idx.packet_seq_num, 12);
	assert_int_equal(relayd_index_parse(buf, 64, &idx), 0);
	assert_int_equal(idx.packet_seq_num, 0);
	assert_int_equal(relayd_index_parse(buf, 72, &idx), -EINVAL);
	be64_put(buf + 24, 40000); /* content larger than the packet */
	assert_int_equal(relayd_index_parse(buf, 80, &idx), -EINVAL);

	memset(buf, 0, sizeof(buf));
	buf[16] = 1;
	be32_put(buf + 17, RELAYD_CHUNK_CLOSE_DELETE);
	assert_int_equal(relayd_close_chunk_parse(buf, 21, &cc), 0);
	assert_int_equal(cc.close_command, RELAYD_CHUNK_CLOSE_DELETE);
	be32_put(buf + 17, 3);
	assert_int_equal(relayd_close_chunk_parse(buf, 21, &cc), -EINVAL);

	memset(buf, 0, sizeof(buf));
	be32_put(buf + 16, 5);
	memcpy(buf + 20, "snap\0", 5);
	assert_int_equal(relayd_create_chunk_parse(buf, 25, &cr), 0);
	assert_string_equal(cr.override_name, "snap");
	be32_put(buf + 16, 0);
	assert_int_equal(relayd_create_chunk_parse(buf, 20, &cr), 0);
	assert_string_equal(cr.override_name, "");
}

static void test_live_sizes(void **state)
{
	uint8_t buf[20] = {0};
	struct live_header h;
	struct live_attach a;

	be64_put(buf, 20);
	be32_put(buf + 8, LIVE_ATTACH_SESSION);
	assert_int_equal(live_header_parse(buf, 16, &h), 0);
	assert_int_equal(h.cmd, LIVE_ATTACH_SESSION);
	assert_int_equal(live_payload_size(LIVE_CONNECT), 20);
	assert_int_equal(live_payload_size(LIVE_LIST_SESSIONS), 0);
	assert_int_equal(live_payload_size(LIVE_GET_NEXT_INDEX), 8);
	assert_int_equal(live_payload_size(0), -EINVAL);
	assert_int_equal(live_payload_size(10), -EINVAL);
	be32_put(buf + 16, LIVE_SEEK_LAST);
	assert_int_equal(live_attach_parse(buf, 20, &a), 0);
	assert_int_equal(a.seek, LIVE_SEEK_LAST);
}

static void test_paths(void **state)
{
	struct relayd_create_session cs = {
	    .session_name = "s", .hostname = "vm", .creation_time = 0, .base_path = ""};
	char path[PATH_MAX];

	assert_true(path_is_safe_relative("ust/uid/0/64-bit"));
	assert_true(path_is_safe_relative(""));
	assert_true(path_is_safe_relative("a/..b/c.."));
	assert_false(path_is_safe_relative("../x"));
	assert_false(path_is_safe_relative("a/../../x"));
	assert_false(path_is_safe_relative("a/.."));
	assert_false(path_is_safe_relative("/etc"));
	assert_true(path_is_component("metadata"));
	assert_false(path_is_component(".."));
	assert_false(path_is_component("."));
	assert_false(path_is_component("a/b"));
	assert_false(path_is_component(""));

	setenv("TZ", "UTC", 1);
	assert_int_equal(path_session_dir(&cs, false, path), 0);
	assert_string_equal(path, "vm/s-19700101-000000");
	assert_int_equal(path_session_dir(&cs, true, path), 0);
	assert_string_equal(path, "s/vm-19700101-000000");
	strcpy(cs.base_path, "my/dir");
	assert_int_equal(path_session_dir(&cs, false, path), 0);
	assert_string_equal(path, "vm/my/dir");
	strcpy(cs.base_path, "my/../../dir");
	assert_int_equal(path_session_dir(&cs, false, path), -EINVAL);
	strcpy(cs.base_path, "");
	strcpy(cs.hostname, "..");
	assert_int_equal(path_session_dir(&cs, false, path), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_create_session),
	    cmocka_unit_test(test_add_stream),
	    cmocka_unit_test(test_rotate_streams_header_sizes),
	    cmocka_unit_test(test_index_and_chunks),
	    cmocka_unit_test(test_live_sizes),
	    cmocka_unit_test(test_paths),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

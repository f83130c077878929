/* SPDX-License-Identifier: MIT */
/*
 * The client side of the relay protocol: every encoder read back by the
 * relay's parsers, the exact bytes of the forms whose layout is a known
 * trap (ROTATE_STREAMS), the handshake over a socket pair against a
 * scripted relay, and the network URL grammar with lttng's messages.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/be-bytes.h"
#include "common/comm/relayd-client.h"
#include "common/comm/relayd-encode.h"
#include "common/comm/relayd-wire.h"
#include "common/net-url.h"

static void test_create_session_round_trip(void **state)
{
	struct relayd_create_session cs = {.session_name = "netsess",
	                                   .hostname = "vm",
	                                   .base_path = "",
	                                   .live_timer_us = 1000000,
	                                   .session_id = 7,
	                                   .creation_time = 1763835528,
	                                   .sessiond_uuid = {1, 2, 3}};
	struct relayd_create_session back;
	uint8_t buf[RELAYD_CREATE_SESSION_MAX_SIZE];
	ssize_t n = relayd_create_session_encode(buf, sizeof(buf), &cs);

	(void)state;
	/* As captured from lttng 2.13: 59 fixed bytes then "netsess\0vm\0\0". */
	assert_int_equal(n, 71);
	assert_memory_equal(buf + 59, "netsess\0vm\0", 12);
	assert_int_equal(relayd_create_session_parse(buf, (size_t)n, &back), 0);
	assert_string_equal(back.session_name, "netsess");
	assert_string_equal(back.hostname, "vm");
	assert_string_equal(back.base_path, "");
	assert_int_equal(back.live_timer_us, 1000000);
	assert_int_equal(back.session_id, 7);
	assert_int_equal(back.creation_time, 1763835528);
	assert_false(back.chunk_id_set);
	assert_int_equal(relayd_create_session_encode(buf, 60, &cs), -ENOBUFS);
	cs.hostname[0] = '\0';
	assert_int_equal(relayd_create_session_encode(buf, sizeof(buf), &cs), -EINVAL);
}

static void test_add_stream_index_chunks(void **state)
{
	struct relayd_add_stream as = {.channel_name = "channel0_1",
	                               .pathname = "ust/uid/0/64-bit",
	                               .tracefile_size = 4096,
	                               .tracefile_count = 3};
	struct relayd_index index = {1, 2, 32768, 4976, 10, 20, 3, 4, 1, 9}, index_back;
	struct relayd_close_chunk cc = {.chunk_id = 5, .close_time = 6}, cc_back;
	struct relayd_create_chunk chunk_back;
	struct relayd_add_stream back;
	uint8_t buf[RELAYD_ADD_STREAM_MAX_SIZE];
	ssize_t n = relayd_add_stream_encode(buf, sizeof(buf), &as);

	(void)state;
	assert_true(n > 0);
	assert_int_equal(relayd_add_stream_parse(buf, (size_t)n, &back), 0);
	assert_string_equal(back.channel_name, "channel0_1");
	assert_string_equal(back.pathname, "ust/uid/0/64-bit");
	assert_int_equal(back.tracefile_size, 4096);
	assert_int_equal(back.tracefile_count, 3);

	relayd_index_encode(buf, &index);
	assert_int_equal(relayd_index_parse(buf, RELAYD_INDEX_SIZE, &index_back), 0);
	assert_memory_equal(&index, &index_back, sizeof(index));

	assert_int_equal(relayd_create_chunk_encode(buf, sizeof(buf), 0, 1700000000, ""), 20);
	assert_int_equal(relayd_create_chunk_parse(buf, 20, &chunk_back), 0);
	assert_int_equal(chunk_back.creation_time, 1700000000);
	assert_string_equal(chunk_back.override_name, "");

	assert_int_equal(
	    relayd_create_chunk_encode(buf, sizeof(buf), 3, 1700000001, "snap-20261122-182001-3"),
	    20 + 23);
	assert_int_equal(relayd_create_chunk_parse(buf, 20 + 23, &chunk_back), 0);
	assert_int_equal(chunk_back.chunk_id, 3);
	assert_string_equal(chunk_back.override_name, "snap-20261122-182001-3");
	assert_int_equal(
	    relayd_create_chunk_encode(buf, 30, 3, 1700000001, "snap-20261122-182001-3"), -ENOBUFS);

	relayd_close_chunk_encode(buf, &cc);
	assert_int_equal(relayd_close_chunk_parse(buf, RELAYD_CLOSE_CHUNK_SIZE, &cc_back), 0);
	assert_int_equal(cc_back.chunk_id, 5);
	assert_false(cc_back.close_command_set);
}

static void test_rotate_streams_layout(void **state)
{
	uint8_t buf[RELAYD_ROTATE_STREAMS_HEADER_SIZE + 2 * RELAYD_ROTATE_POS_SIZE];
	struct relayd_rotate_streams rs;
	uint64_t handle, seq;

	(void)state;
	relayd_rotate_streams_header_encode(buf, 2, false, 0);
	relayd_rotate_position_encode(buf + 20, 3, 12);
	relayd_rotate_position_encode(buf + 36, 4, 0);
	/* x86-64 lttng 2.13.9: u32 count, u8 is_set, 7 padding bytes, u64 chunk id. */
	assert_memory_equal(buf, "\0\0\0\2\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 20);
	assert_int_equal(relayd_rotate_streams_parse(buf, sizeof(buf), &rs), 0);
	assert_int_equal(rs.stream_count, 2);
	assert_false(rs.chunk_id_set);
	relayd_rotate_position(&rs, 0, &handle, &seq);
	assert_int_equal(handle, 3);
	assert_int_equal(seq, 12);
	relayd_rotate_position(&rs, 1, &handle, &seq);
	assert_int_equal(handle, 4);
	assert_int_equal(seq, 0);
}

/* A relay that answers VERSION, GET_CONFIGURATION and CREATE_SESSION as 2.13.9 does. */
static void *scripted_relay(void *arg)
{
	int fd = *(int *)arg;
	uint8_t header[RELAYD_CTRL_HEADER_SIZE], payload[512], reply[64];
	struct relayd_ctrl_header h;
	static const char path[] = "vm/s-20261122-181848";

	for (int i = 0; i < 3; i++) {
		assert_int_equal(relayd_client_recv(fd, header, sizeof(header)), 0);
		assert_int_equal(relayd_ctrl_header_parse(header, sizeof(header), &h), 0);
		assert_true(h.data_size <= sizeof(payload));
		assert_int_equal(relayd_client_recv(fd, payload, h.data_size), 0);
		if (h.cmd == RELAYD_VERSION) {
			relayd_version_encode(reply, 2, 13);
			assert_int_equal(relayd_client_send2(fd, reply, 8, NULL, 0), 0);
		} else if (h.cmd == RELAYD_GET_CONFIGURATION) {
			be32_put(reply, RELAYD_RET_OK);
			be64_put(reply + 4, RELAYD_CONFIG_CLEAR_ALLOWED);
			assert_int_equal(relayd_client_send2(fd, reply, 12, NULL, 0), 0);
		} else {
			assert_int_equal(h.cmd, RELAYD_CREATE_SESSION);
			be64_put(reply, 42);
			be32_put(reply + 8, RELAYD_RET_OK);
			be32_put(reply + 12, sizeof(path));
			assert_int_equal(relayd_client_send2(fd, reply, 16, path, sizeof(path)), 0);
		}
	}
	return NULL;
}

static void test_handshake(void **state)
{
	struct relayd_create_session cs = {
	    .session_name = "s", .hostname = "vm", .sessiond_uuid = {1}};
	uint64_t id = 0;
	uint32_t minor = 0;
	bool clear_allowed = false;
	pthread_t relay;
	uint8_t reply[8];
	int sv[2];

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(pthread_create(&relay, NULL, scripted_relay, &sv[1]), 0);
	assert_int_equal(relayd_client_handshake(sv[0], &cs, &id, &minor, &clear_allowed), 0);
	assert_int_equal(pthread_join(relay, NULL), 0);
	assert_int_equal(id, 42);
	assert_int_equal(minor, 13);
	assert_true(clear_allowed);
	close(sv[0]);
	close(sv[1]);

	/* A 2.10 relay has no trace chunks: refused after VERSION (queued reply). */
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	relayd_version_encode(reply, 2, 10);
	assert_int_equal(relayd_client_send2(sv[1], reply, 8, NULL, 0), 0);
	assert_int_equal(relayd_client_handshake(sv[0], &cs, &id, &minor, &clear_allowed),
	                 -EPROTONOSUPPORT);
	close(sv[1]);
	/* The peer is gone: the next call fails, SIGPIPE is not raised. */
	assert_int_equal(relayd_client_send_cmd(sv[0], RELAYD_STREAMS_SENT, NULL, 0), -EPIPE);
	close(sv[0]);
}

static void expect_url(const char *url, const char *display)
{
	struct rt_net_url parsed;
	char err[256], shown[512];

	assert_int_equal(rt_net_url_parse(url, &parsed, err, sizeof(err)), 0);
	assert_int_equal(rt_net_url_format(&parsed, shown, sizeof(shown)), 0);
	assert_string_equal(shown, display);
}

static void expect_url_error(const char *url, int code, const char *message)
{
	struct rt_net_url parsed;
	char err[256];

	assert_int_equal(rt_net_url_parse(url, &parsed, err, sizeof(err)), code);
	assert_string_equal(err, message);
}

static void test_net_urls(void **state)
{
	struct rt_net_url url;
	char err[256], canonical[512];

	(void)state;
	expect_url("net://127.0.0.1", "tcp4://127.0.0.1:5342/ [data: 5343]");
	expect_url("net://10.0.0.1:1/a/b", "tcp4://10.0.0.1:1/a/b [data: 5343]");
	expect_url("net4://h:1:2", "tcp4://h:1/ [data: 2]");
	expect_url("net6://[::1]:7:8/x", "tcp6://[::1]:7/x [data: 8]");
	expect_url_error("net://", -EINVAL, "No address or hostname detected.");
	expect_url_error("net://h:abc", -EINVAL, "Invalid port number 0");
	expect_url_error("net://h:70000", -EINVAL, "Invalid port number 70000");
	expect_url_error("net://h:1:2:3", -EINVAL, "Unrecognized URL format.");
	expect_url_error("foo://x", -EINVAL, "URI parse unknown protocol foo://x");
	expect_url_error("tcp://h", -EPROTONOSUPPORT, "");

	assert_int_equal(rt_net_url_parse_pair("tcp://h:9/p", "tcp://h", &url, err, sizeof(err)),
	                 0);
	assert_int_equal(url.ctrl.port, 9);
	assert_int_equal(url.data.port, 5343);
	assert_string_equal(url.path, "p");
	assert_int_equal(rt_net_url_canonical(&url, canonical, sizeof(canonical)), 0);
	assert_string_equal(canonical, "net://h:9:5343/p");
	assert_int_equal(rt_net_url_parse(canonical, &url, err, sizeof(err)), 0);

	/* Control and data on two hosts, written as a session file's URIs. */
	assert_int_equal(rt_net_url_parse_pair("tcp4://127.0.0.1:6000/some/dir",
	                                       "tcp4://127.0.0.2:6001/", &url, err, sizeof(err)),
	                 0);
	assert_true(rt_net_url_split(&url));
	assert_int_equal(rt_net_url_format(&url, canonical, sizeof(canonical)), 0);
	assert_string_equal(canonical, "tcp4://127.0.0.1:6000/some/dir [data: 127.0.0.2:6001]");
	assert_int_equal(rt_net_endpoint_format(&url.ctrl, url.path, canonical, sizeof(canonical)),
	                 0);
	assert_string_equal(canonical, "tcp4://127.0.0.1:6000/some/dir");
	assert_int_equal(rt_net_endpoint_format(&url.data, "", canonical, sizeof(canonical)), 0);
	assert_string_equal(canonical, "tcp4://127.0.0.2:6001/");
	assert_int_equal(
	    rt_net_url_parse_pair("net6://[::1]:7/x", "tcp6://[::1]:8", &url, err, sizeof(err)), 0);
	assert_false(rt_net_url_split(&url));
	assert_int_equal(rt_net_endpoint_format(&url.data, "", canonical, sizeof(canonical)), 0);
	assert_string_equal(canonical, "tcp6://[::1]:8/");
	assert_int_equal(rt_net_endpoint_format(&url.ctrl, url.path, canonical, 10), -ENAMETOOLONG);

	assert_int_equal(rt_net_url_parse("net://localhost", &url, err, sizeof(err)), 0);
	assert_int_equal(rt_net_url_resolve(&url, err, sizeof(err)), 0);
	assert_string_equal(url.ctrl.host, "127.0.0.1");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_create_session_round_trip),
	    cmocka_unit_test(test_add_stream_index_chunks),
	    cmocka_unit_test(test_rotate_streams_layout),
	    cmocka_unit_test(test_handshake),
	    cmocka_unit_test(test_net_urls),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

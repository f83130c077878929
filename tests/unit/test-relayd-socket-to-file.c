/* SPDX-License-Identifier: MIT */
/*
 * The relay's packet path from a data socket into a stream file
 * (src/relayd/socket-to-file.c): bytes land at the offset asked, what is
 * not ready is not waited for, a peer closing and a file failing are told
 * apart, and a failed write leaves nothing behind for the next packet.
 * Also both ways of copying instead of splicing: without a descriptor for
 * the pipe, and into a file that refuses spliced pages (O_APPEND).
 *
 * The tests run in this order on purpose: the pipe is created once per
 * process, so the "no descriptor" case must come before any splice, and
 * the file that cannot splice switches the process to copying for good.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/io.h"
#include "relayd/socket-to-file.h"

#define TOTAL_BYTES (300u * 1024)
#define SEND_BYTES  (64u * 1024)

struct pair {
	int sender, receiver;
};

static struct pair pair_open(void)
{
	int fds[2];

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
	assert_int_equal(fcntl(fds[1], F_SETFL, O_NONBLOCK), 0);
	return (struct pair){.sender = fds[0], .receiver = fds[1]};
}

static void pair_close(struct pair *p)
{
	if (p->sender >= 0)
		close(p->sender);
	close(p->receiver);
}

static int temp_file(int flags)
{
	char path[] = "/tmp/test-socket-to-file-XXXXXX";
	int fd = mkstemp(path), other;

	assert_true(fd >= 0);
	other = open(path, flags | O_CLOEXEC);
	assert_true(other >= 0);
	unlink(path);
	close(fd);
	return other;
}

static uint8_t pattern_byte(size_t i)
{
	return (uint8_t)(i * 7 + i / 251);
}

/*
 * Sends TOTAL_BYTES of the pattern and moves them into fd from offset
 * `start`, at most max_len per call; checks the file afterwards.
 */
static void move_pattern(struct pair *p, int fd, uint64_t start, size_t max_len)
{
	static uint8_t out[SEND_BYTES], back[TOTAL_BYTES];
	size_t sent = 0, moved = 0;

	while (sent < TOTAL_BYTES) {
		size_t len = TOTAL_BYTES - sent < SEND_BYTES ? TOTAL_BYTES - sent : SEND_BYTES;

		for (size_t i = 0; i < len; i++)
			out[i] = pattern_byte(sent + i);
		assert_int_equal(write_full(p->sender, out, len), 0);
		sent += len;
		while (moved < sent) {
			bool file_failed = true;
			ssize_t n =
			    socket_to_file(p->receiver, fd, start + moved, max_len, &file_failed);

			assert_true(n > 0);
			assert_true((size_t)n <= max_len);
			assert_false(file_failed);
			moved += (size_t)n;
		}
	}
	assert_int_equal(pread(fd, back, sizeof(back), (off_t)start), TOTAL_BYTES);
	for (size_t i = 0; i < TOTAL_BYTES; i++)
		assert_int_equal(back[i], pattern_byte(i));
}

static void test_copies_when_no_descriptor_is_left(void **state)
{
	struct pair p = pair_open();
	int fd = temp_file(O_RDWR);
	struct rlimit saved, none;
	int lowest_free = dup(0), fds[2];

	(void)state;
	assert_true(lowest_free >= 0);
	close(lowest_free);
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &saved), 0);
	none = saved;
	none.rlim_cur = (rlim_t)lowest_free;
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &none), 0);
	assert_int_equal(pipe(fds), -1);
	assert_int_equal(errno, EMFILE);
	move_pattern(&p, fd, 0, SEND_BYTES);
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &saved), 0);
	close(fd);
	pair_close(&p);
}

static void test_moves_ready_bytes_to_their_offset(void **state)
{
	struct pair p = pair_open();
	int fd = temp_file(O_RDWR);
	uint8_t head[10];
	bool file_failed = true;

	(void)state;
	move_pattern(&p, fd, sizeof(head), 100000);
	/* Before the offset: untouched (a hole reads as zeros). */
	assert_int_equal(pread(fd, head, sizeof(head), 0), sizeof(head));
	for (size_t i = 0; i < sizeof(head); i++)
		assert_int_equal(head[i], 0);
	/* Nothing ready: 0 at once; the peer gone: -EPIPE, not a file error. */
	assert_int_equal(socket_to_file(p.receiver, fd, 0, 4096, &file_failed), 0);
	assert_false(file_failed);
	close(p.sender);
	p.sender = -1;
	assert_int_equal(socket_to_file(p.receiver, fd, 0, 4096, &file_failed), -EPIPE);
	assert_false(file_failed);
	close(fd);
	pair_close(&p);
}

static void test_file_error_leaves_nothing_for_the_next_packet(void **state)
{
	struct pair p = pair_open();
	int read_only = temp_file(O_RDONLY), fd = temp_file(O_RDWR);
	bool file_failed = false;
	char back[16];

	(void)state;
	assert_int_equal(write_full(p.sender, "dropped", 7), 0);
	assert_int_equal(socket_to_file(p.receiver, read_only, 0, 4096, &file_failed), -EBADF);
	assert_true(file_failed);
	assert_int_equal(write_full(p.sender, "kept", 4), 0);
	assert_int_equal(socket_to_file(p.receiver, fd, 0, 4096, &file_failed), 4);
	assert_false(file_failed);
	assert_int_equal(pread(fd, back, sizeof(back), 0), 4);
	assert_memory_equal(back, "kept", 4);
	close(read_only);
	close(fd);
	pair_close(&p);
}

/* Last: from here on the process copies instead of splicing. */
static void test_copies_into_files_that_cannot_splice(void **state)
{
	struct pair p = pair_open();
	int fd = temp_file(O_RDWR | O_APPEND);

	(void)state;
	move_pattern(&p, fd, 0, 100000);
	close(fd);
	pair_close(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_copies_when_no_descriptor_is_left),
	    cmocka_unit_test(test_moves_ready_bytes_to_their_offset),
	    cmocka_unit_test(test_file_error_leaves_nothing_for_the_next_packet),
	    cmocka_unit_test(test_copies_into_files_that_cannot_splice),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

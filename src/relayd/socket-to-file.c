/* SPDX-License-Identifier: MIT */
#include "socket-to-file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "common/io.h"
#include "common/log.h"

/*
 * Pipe capacity asked for: a whole 1 MiB sub-buffer per splice. It is the
 * default pipe-max-size, so any user gets it; otherwise the default stays.
 */
#define PIPE_BYTES (1u << 20)
/* Bytes per read() when copying instead of splicing. */
#define COPY_CHUNK_BYTES (256u * 1024)

/* Both -1 until first needed, and again after an error left bytes in it. */
static int pipe_fds[2] = {-1, -1};
static size_t pipe_bytes;
static bool splice_unsupported;
static uint8_t copy_buffer[COPY_CHUNK_BYTES];

static size_t min_size(size_t a, size_t b)
{
	return a < b ? a : b;
}

static void pipe_discard(void)
{
	for (int i = 0; i < 2; i++) {
		if (pipe_fds[i] >= 0)
			close(pipe_fds[i]);
		pipe_fds[i] = -1;
	}
}

/* Creates the pipe if needed; false when the process has no descriptor left. */
static bool pipe_ready(void)
{
	int size;

	if (pipe_fds[0] >= 0)
		return true;
	/* Non-blocking: a pipe that is unexpectedly empty fails rather than hangs. */
	if (pipe2(pipe_fds, O_CLOEXEC | O_NONBLOCK) < 0) {
		log_debug("no pipe to splice packets (%s): copying them", strerror(errno));
		pipe_fds[0] = pipe_fds[1] = -1;
		return false;
	}
	size = fcntl(pipe_fds[1], F_SETPIPE_SZ, PIPE_BYTES);
	if (size < 0)
		size = fcntl(pipe_fds[1], F_GETPIPE_SZ);
	if (size <= 0) {
		pipe_discard();
		return false;
	}
	pipe_bytes = (size_t)size;
	return true;
}

static ssize_t copy_through_buffer(int sock_fd, int file_fd, uint64_t offset, size_t max_len,
                                   bool *ret_file_failed)
{
	ssize_t n = recv_ready(sock_fd, copy_buffer, min_size(max_len, sizeof(copy_buffer)));
	int r;

	if (n <= 0)
		return n;
	r = pwrite_full(file_fd, copy_buffer, (size_t)n, (off_t)offset);
	if (r < 0) {
		*ret_file_failed = true;
		return r;
	}
	return n;
}

/* As recv_ready(), the bytes going into the (empty) pipe. */
static ssize_t socket_to_pipe(int sock_fd, size_t len)
{
	ssize_t n;

	do
		n = input_ready_result(splice(sock_fd, NULL, pipe_fds[1], NULL, len,
		                              SPLICE_F_MOVE | SPLICE_F_NONBLOCK));
	while (n == -EINTR);
	return n;
}

/* The file cannot take spliced pages: the rest of the pipe goes by read/pwrite. */
static int pipe_copy_to_file(int file_fd, uint64_t offset, size_t len)
{
	while (len > 0) {
		ssize_t n = read(pipe_fds[0], copy_buffer, min_size(len, sizeof(copy_buffer)));
		int r;

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		r = pwrite_full(file_fd, copy_buffer, (size_t)n, (off_t)offset);
		if (r < 0)
			return r;
		offset += (uint64_t)n;
		len -= (size_t)n;
	}
	return 0;
}

/* Empties the len bytes of the pipe into the file at offset. */
static int pipe_to_file(int file_fd, uint64_t offset, size_t len)
{
	while (len > 0) {
		loff_t at = (loff_t)offset;
		ssize_t n = splice(pipe_fds[0], NULL, file_fd, &at, len, SPLICE_F_MOVE);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EINVAL) {
			log_info("the output file system cannot splice: copying packets instead");
			splice_unsupported = true;
			return pipe_copy_to_file(file_fd, offset, len);
		}
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		offset += (uint64_t)n;
		len -= (size_t)n;
	}
	return 0;
}

ssize_t socket_to_file(int sock_fd, int file_fd, uint64_t offset, size_t max_len,
                       bool *ret_file_failed)
{
	ssize_t n;
	int r;

	*ret_file_failed = false;
	if (splice_unsupported || !pipe_ready())
		return copy_through_buffer(sock_fd, file_fd, offset, max_len, ret_file_failed);
	n = socket_to_pipe(sock_fd, min_size(max_len, pipe_bytes));
	if (n == -EINVAL) {
		log_info("the data socket cannot splice: copying packets instead");
		splice_unsupported = true;
		return copy_through_buffer(sock_fd, file_fd, offset, max_len, ret_file_failed);
	}
	if (n <= 0)
		return n;
	r = pipe_to_file(file_fd, offset, (size_t)n);
	if (r < 0) {
		/* Whatever is left in the pipe belongs to a packet now dropped. */
		pipe_discard();
		*ret_file_failed = true;
		return r;
	}
	return n;
}

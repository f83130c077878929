/* SPDX-License-Identifier: MIT */
#pragma once

#include <stddef.h>
#include <sys/types.h>

/*
 * Whole-buffer I/O that retries on EINTR and short transfers.
 * Return 0 on success, -EPIPE/-ECONNRESET when the peer is gone (0 bytes
 * read before the buffer was complete also gives -EPIPE), or a negative errno.
 */
int read_full(int fd, void *buf, size_t len);
int write_full(int fd, const void *buf, size_t len);
int pwrite_full(int fd, const void *buf, size_t len, off_t offset);

/*
 * Non-blocking input: maps the result n of a read(), recv() or splice() on
 * a non-blocking descriptor (errno set when n < 0) to > 0 bytes, 0 when
 * nothing was ready, -EPIPE at the end of the stream (peer closed), -EINTR
 * to retry, or another negative errno.
 */
ssize_t input_ready_result(ssize_t n);
/* recv() of what is ready on a socket, retried on EINTR; as input_ready_result(). */
ssize_t recv_ready(int fd, void *buf, size_t len);

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

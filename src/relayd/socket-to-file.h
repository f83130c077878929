/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Moving packet bytes from a data connection's socket into a stream file,
 * at a given offset, without copying them through the relay's memory: the
 * kernel moves the socket's pages into a pipe (splice), then from the pipe
 * into the file's page cache. The relay is single-threaded, so one pipe
 * serves every connection; it is empty between calls (each call drains
 * what it put in, or discards the pipe on error).
 *
 * Where splicing is not possible (no descriptor left for the pipe, or a
 * socket or file system without splice support, EINVAL), the bytes are
 * read into a buffer and written with pwrite instead.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * Moves up to max_len bytes that are ready on the non-blocking socket
 * sock_fd into file_fd at offset. Returns the number of bytes moved (> 0),
 * 0 when the socket had none, -EPIPE when the peer closed the connection,
 * or another negative errno; *ret_file_failed tells whether that error came
 * from the file (then some of the bytes may be in the file already) rather
 * than from the socket.
 */
ssize_t socket_to_file(int sock_fd, int file_fd, uint64_t offset, size_t max_len,
                       bool *ret_file_failed);

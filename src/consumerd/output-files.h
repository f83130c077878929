/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Trace output files on the local disk, created the way lttng-consumerd
 * does: directories 0770, files 0660, both owned by the traced user (uid,
 * gid of the channel) when the consumer runs as root.
 */

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define OUTPUT_DIR_MODE  0770
#define OUTPUT_FILE_MODE 0660

/* mkdir -p path; every directory this call creates is chowned (when root). */
int output_dir_create(const char *path, uid_t uid, gid_t gid);

/*
 * Creates (or truncates) a file for writing, close-on-exec, chowned (when
 * root). Returns the fd or a negative errno.
 */
int output_file_create(const char *path, uid_t uid, gid_t gid);

/*
 * The same for a stream's data file, with O_DIRECT when its file system
 * takes it: a packet, page-aligned in the ring buffer's shared memory and
 * a whole number of pages long at an offset that is one too, then goes
 * from the ring buffer to the disk without being copied into the page
 * cache (a third of the consumer's CPU time per MB with buffered writes).
 * Write it with output_file_pwrite().
 */
int output_file_create_direct(const char *path, uid_t uid, gid_t gid);

/*
 * pwrite_full(); when a direct write is refused for its alignment
 * (EINVAL), the file goes on through the page cache from this write on.
 */
int output_file_pwrite(int fd, const char *path, const void *buf, size_t len, off_t offset);

/*
 * Cuts a file back to size_bytes after a failed write, so that the file
 * holds only whole packets; the fd position is set to size_bytes. No-op on
 * anything but a regular file.
 */
void output_file_rollback(int fd, const char *path, off_t size_bytes);

/*
 * Called after each packet appended to a trace file, as lttng-consumerd
 * does: starts the writeback of the packet just written at [start, end),
 * then waits for the writeback of the bytes from *dropped_to up to start
 * (the packets before it) and drops them from the page cache, and sets
 * *dropped_to = start. A file written through the page cache then keeps
 * at most two packets there, and the consumer reuses the pages it just
 * freed instead of taking fresh ones for every packet; for a file written
 * directly there is nothing to wait for or drop. Returns 0, or a negative
 * errno when the writeback failed (the data may not be on disk). A file
 * that does not support these hints (pipe, some file systems) returns 0.
 */
int output_file_written(int fd, uint64_t start, uint64_t end, uint64_t *dropped_to);

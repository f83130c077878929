/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Trace output files on the local disk, created the way lttng-consumerd
 * does: directories 0770, files 0660, both owned by the traced user (uid,
 * gid of the channel) when the consumer runs as root.
 */

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
 * Cuts a file back to size_bytes after a failed write, so that the file
 * holds only whole packets; the fd position is set to size_bytes. No-op on
 * anything but a regular file.
 */
void output_file_rollback(int fd, const char *path, off_t size_bytes);

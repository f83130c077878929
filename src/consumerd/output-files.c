/* SPDX-License-Identifier: MIT */
#include "output-files.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/io.h"
#include "common/log.h"

static void output_chown(const char *path, uid_t uid, gid_t gid)
{
	if (geteuid() != 0)
		return;
	if (chown(path, uid, gid) < 0)
		log_warn("Cannot give %s to uid %u gid %u: %s", path, (unsigned)uid, (unsigned)gid,
		         strerror(errno));
}

/* mkdir of one component: 1 if created, 0 if it already was a directory. */
static int output_mkdir_one(const char *path, uid_t uid, gid_t gid)
{
	struct stat st;

	if (mkdir(path, OUTPUT_DIR_MODE) == 0) {
		output_chown(path, uid, gid);
		return 1;
	}
	if (errno != EEXIST)
		return -errno;
	if (stat(path, &st) < 0)
		return -errno;
	return S_ISDIR(st.st_mode) ? 0 : -ENOTDIR;
}

int output_dir_create(const char *path, uid_t uid, gid_t gid)
{
	char buf[PATH_MAX];
	size_t len = strlen(path);
	int r;

	if (len == 0 || len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, path, len + 1);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/' || p[-1] == '/')
			continue;
		*p = '\0';
		r = output_mkdir_one(buf, uid, gid);
		*p = '/';
		if (r < 0)
			return r;
	}
	r = output_mkdir_one(buf, uid, gid);
	return r < 0 ? r : 0;
}

static int output_file_open(const char *path, int extra_flags, uid_t uid, gid_t gid)
{
	int fd =
	    open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | extra_flags, OUTPUT_FILE_MODE);

	if (fd < 0)
		return -errno;
	if (geteuid() == 0 && fchown(fd, uid, gid) < 0)
		log_warn("Cannot give %s to uid %u gid %u: %s", path, (unsigned)uid, (unsigned)gid,
		         strerror(errno));
	return fd;
}

int output_file_create(const char *path, uid_t uid, gid_t gid)
{
	return output_file_open(path, 0, uid, gid);
}

int output_file_create_direct(const char *path, uid_t uid, gid_t gid)
{
	int fd = output_file_open(path, O_DIRECT, uid, gid);

	/* EINVAL: the file system takes no direct I/O. */
	return fd == -EINVAL ? output_file_open(path, 0, uid, gid) : fd;
}

int output_file_pwrite(int fd, const char *path, const void *buf, size_t len, off_t offset)
{
	int r = pwrite_full(fd, buf, len, offset);
	int flags;

	if (r != -EINVAL || (flags = fcntl(fd, F_GETFL)) < 0 || !(flags & O_DIRECT))
		return r;
	/* The device wants another alignment than the packet's: write through the page cache. */
	if (fcntl(fd, F_SETFL, flags & ~O_DIRECT) < 0)
		return r;
	log_info("Writing %s through the page cache: its device refuses the direct write of a "
	         "%zu-byte packet at offset %lld",
	         path, len, (long long)offset);
	return pwrite_full(fd, buf, len, offset);
}

void output_file_rollback(int fd, const char *path, off_t size_bytes)
{
	struct stat st;

	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		return; /* nothing to cut on a device or pipe */
	if (st.st_size > size_bytes && ftruncate(fd, size_bytes) < 0)
		log_error("Cannot cut %s back to %lld bytes after a failed write: %s", path,
		          (long long)size_bytes, strerror(errno));
	if (lseek(fd, size_bytes, SEEK_SET) < 0)
		log_error("Cannot seek in %s: %s", path, strerror(errno));
}

/* The hint is not supported here: nothing to wait for, nothing lost. */
static bool output_hint_unsupported(int err)
{
	return err == EINVAL || err == ESPIPE || err == ENOSYS || err == EOPNOTSUPP;
}

int output_file_written(int fd, uint64_t start, uint64_t end, uint64_t *dropped_to)
{
	const unsigned int wait_write_wait =
	    SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER;
	int err;

	if (sync_file_range(fd, (off_t)start, (off_t)(end - start), SYNC_FILE_RANGE_WRITE) < 0) {
		err = errno;
		return output_hint_unsupported(err) ? 0 : -err;
	}
	if (*dropped_to >= start)
		return 0;
	if (sync_file_range(fd, (off_t)*dropped_to, (off_t)(start - *dropped_to), wait_write_wait) <
	    0) {
		err = errno;
		return output_hint_unsupported(err) ? 0 : -err;
	}
	/* Only a hint: the pages are clean, dropping them loses nothing. */
	(void)posix_fadvise(fd, (off_t)*dropped_to, (off_t)(start - *dropped_to),
	                    POSIX_FADV_DONTNEED);
	*dropped_to = start;
	return 0;
}

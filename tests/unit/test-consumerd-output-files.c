/* SPDX-License-Identifier: MIT */
/*
 * The consumer's stream data files: direct writes of whole pages, the
 * fall back to the page cache when a direct write is refused, and the
 * page-cache hints after each packet (consumerd/output-files.h).
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <cmocka.h>

#include "consumerd/output-files.h"

#define PACKET             16384
#define PACKETS            4
#define TMPFS_MAGIC_NUMBER 0x01021994

struct fixture {
	char dir[64];
	char path[96];
	uint8_t *ring; /* PACKETS page-aligned packets, as a ring buffer holds them */
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	/* In the build directory: a disk file system, as a trace's. */
	strcpy(f->dir, "test-output-files-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/chan_0", f->dir);
	f->ring =
	    mmap(NULL, PACKET * PACKETS, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	assert_true(f->ring != MAP_FAILED);
	for (size_t i = 0; i < PACKET * PACKETS; i++)
		f->ring[i] = (uint8_t)(i * 7 + i / PACKET);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	unlink(f->path);
	rmdir(f->dir);
	munmap(f->ring, PACKET * PACKETS);
	free(f);
	return 0;
}

static void assert_file_is(const char *path, const uint8_t *expected, size_t len)
{
	uint8_t *got = malloc(len + 1);
	int fd = open(path, O_RDONLY);

	assert_non_null(got);
	assert_true(fd >= 0);
	assert_int_equal(pread(fd, got, len + 1, 0), (ssize_t)len);
	assert_memory_equal(got, expected, len);
	close(fd);
	free(got);
}

static void test_direct_packets_read_back(void **state)
{
	struct fixture *f = *state;
	int fd = output_file_create_direct(f->path, getuid(), getgid());

	assert_true(fd >= 0);
	for (int i = 0; i < PACKETS; i++)
		assert_int_equal(output_file_pwrite(fd, f->path, f->ring + i * PACKET, PACKET,
		                                    (off_t)i * PACKET),
		                 0);
	close(fd);
	assert_file_is(f->path, f->ring, PACKET * PACKETS);
}

/* A write no device takes directly (odd address, odd length) still lands, through the cache. */
static void test_refused_direct_write_goes_through_the_cache(void **state)
{
	struct fixture *f = *state;
	int fd = output_file_create_direct(f->path, getuid(), getgid());
	struct statfs fs;
	int flags;

	assert_true(fd >= 0);
	assert_int_equal(output_file_pwrite(fd, f->path, f->ring + 1, 100, 0), 0);
	assert_int_equal(output_file_pwrite(fd, f->path, f->ring + PACKET, PACKET, 100), 0);
	flags = fcntl(fd, F_GETFL);
	assert_true(flags >= 0);
	assert_int_equal(fstatfs(fd, &fs), 0);
	/* tmpfs takes any direct write; a disk file system refuses this one. */
	if (fs.f_type != TMPFS_MAGIC_NUMBER)
		assert_false(flags & O_DIRECT);
	close(fd);

	uint8_t expected[100 + PACKET];

	memcpy(expected, f->ring + 1, 100);
	memcpy(expected + 100, f->ring + PACKET, PACKET);
	assert_file_is(f->path, expected, sizeof(expected));
}

static size_t resident_pages(const char *path, size_t len)
{
	int fd = open(path, O_RDONLY);
	long page = sysconf(_SC_PAGESIZE);
	size_t pages = (len + (size_t)page - 1) / (size_t)page, n = 0;
	unsigned char vec[PACKET * PACKETS / 4096];
	void *map;

	assert_true(fd >= 0);
	map = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	assert_true(map != MAP_FAILED);
	assert_true(pages <= sizeof(vec));
	assert_int_equal(mincore(map, len, vec), 0);
	for (size_t i = 0; i < pages; i++)
		n += vec[i] & 1;
	munmap(map, len);
	return n;
}

/* Through the page cache: only the last packet written stays cached. */
static void test_written_packets_leave_the_page_cache(void **state)
{
	struct fixture *f = *state;
	int fd = output_file_create(f->path, getuid(), getgid());
	uint64_t dropped = 0;
	struct statfs fs;

	assert_true(fd >= 0);
	for (int i = 0; i < PACKETS; i++) {
		uint64_t start = (uint64_t)i * PACKET;

		assert_int_equal(
		    output_file_pwrite(fd, f->path, f->ring + start, PACKET, (off_t)start), 0);
		assert_int_equal(output_file_written(fd, start, start + PACKET, &dropped), 0);
		assert_int_equal(dropped, start);
	}
	assert_int_equal(fstatfs(fd, &fs), 0);
	if (fs.f_type != TMPFS_MAGIC_NUMBER)
		assert_true(resident_pages(f->path, PACKET * PACKETS) <= PACKET / 4096);
	close(fd);
	assert_file_is(f->path, f->ring, PACKET * PACKETS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_direct_packets_read_back, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_refused_direct_write_goes_through_the_cache, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_written_packets_leave_the_page_cache, setup,
	                                    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

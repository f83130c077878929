/* SPDX-License-Identifier: MIT */
#include "trace-check.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "common/macros.h"

/*
 * CTF packet header + context as lttng-ust writes them (reference
 * ctf-layout.md §4): magic at 0, content_size and packet_size (bits) at 48
 * and 56, events from byte 84 (80 for 32-bit apps, whose smallest event
 * still ends past 84).
 */
#define PACKET_MAGIC            0xC1FC1FC1u
#define PACKET_CONTENT_SIZE_OFF 48
#define PACKET_HEADER_READ_LEN  64
#define PACKET_HEADER_END       84

static struct trace_summary *summary; /* nftw has no user pointer */

static uint64_t le64(const unsigned char *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

static bool stream_has_events(const char *path)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	unsigned char hdr[PACKET_HEADER_READ_LEN];
	off_t offset = 0;

	if (fd < 0)
		return false;
	while (pread(fd, hdr, sizeof(hdr), offset) == (ssize_t)sizeof(hdr)) {
		uint32_t magic = (uint32_t)hdr[0] | (uint32_t)hdr[1] << 8 | (uint32_t)hdr[2] << 16 |
		                 (uint32_t)hdr[3] << 24;
		uint64_t content_bits = le64(hdr + PACKET_CONTENT_SIZE_OFF);
		uint64_t packet_bits = le64(hdr + PACKET_CONTENT_SIZE_OFF + 8);

		if (magic != PACKET_MAGIC || packet_bits == 0)
			return false;
		if (content_bits / 8 > PACKET_HEADER_END)
			return true;
		offset += (off_t)(packet_bits / 8);
	}
	return false;
}

static int visit(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	const char *name = path + ftw->base;

	if (type != FTW_F || !S_ISREG(st->st_mode))
		return 0;
	if (strcmp(name, "metadata") == 0 || strstr(path, "/index/"))
		return 0;
	summary->streams++;
	if (!summary->has_events && stream_has_events(path))
		summary->has_events = true;
	return 0;
}

int trace_summarize(const char *trace_dir, struct trace_summary *ret_summary)
{
	struct trace_summary s = {0};

	summary = &s;
	if (nftw(trace_dir, visit, 16, FTW_PHYS) < 0 && errno != ENOENT)
		return -errno;
	*ret_summary = s;
	return 0;
}

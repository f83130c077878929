/* SPDX-License-Identifier: MIT */
#include "io.h"

#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

int read_full(int fd, void *buf, size_t len)
{
	char *p = buf;

	while (len > 0) {
		ssize_t n = read(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EPIPE;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int write_full(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int pwrite_full(int fd, const void *buf, size_t len, off_t offset)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = pwrite(fd, p, len, offset);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= (size_t)n;
		offset += n;
	}
	return 0;
}

ssize_t input_ready_result(ssize_t n)
{
	if (n > 0)
		return n;
	if (n == 0)
		return -EPIPE;
	if (errno == EAGAIN || errno == EWOULDBLOCK)
		return 0;
	return -errno;
}

ssize_t recv_ready(int fd, void *buf, size_t len)
{
	ssize_t n;

	do
		n = input_ready_result(recv(fd, buf, len, MSG_DONTWAIT));
	while (n == -EINTR);
	return n;
}

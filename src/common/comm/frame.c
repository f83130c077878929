/* SPDX-License-Identifier: MIT */
#include "comm/frame.h"

#include "macros.h"
#include "unix-sock.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>

int comm_send(int fd, uint32_t type, int32_t status, const void *payload, uint32_t payload_len,
	      const int *fds, unsigned nr_fds)
{
	struct comm_frame frame = {
		.type = type,
		.status = status,
		.payload_len = payload_len,
		.nr_fds = nr_fds,
	};
	_cleanup_free_ char *buf = NULL;

	if (payload_len == 0)
		return unix_sock_send(fd, &frame, sizeof(frame), fds, nr_fds);
	/* One buffer so the message is a single sendmsg in the common case. */
	buf = malloc(sizeof(frame) + payload_len);
	if (!buf)
		return -ENOMEM;
	memcpy(buf, &frame, sizeof(frame));
	memcpy(buf + sizeof(frame), payload, payload_len);
	return unix_sock_send(fd, buf, sizeof(frame) + payload_len, fds, nr_fds);
}

static void close_fds(int *fds, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		close(fds[i]);
}

int comm_recv(int fd, struct comm_frame *ret_frame, void **ret_payload, uint32_t max_payload_len,
	      int *fds, unsigned max_fds)
{
	struct comm_frame frame;
	_cleanup_free_ void *payload = NULL;
	unsigned nr_fds = 0;
	int r;

	r = unix_sock_recv(fd, &frame, sizeof(frame), fds, max_fds, &nr_fds);
	if (r < 0)
		return r;
	if (frame.nr_fds != nr_fds || frame.payload_len > max_payload_len) {
		close_fds(fds, nr_fds);
		return frame.payload_len > max_payload_len ? -EMSGSIZE : -EPROTO;
	}
	if (frame.payload_len > 0) {
		payload = malloc(frame.payload_len);
		if (!payload) {
			close_fds(fds, nr_fds);
			return -ENOMEM;
		}
		r = unix_sock_recv(fd, payload, frame.payload_len, NULL, 0, NULL);
		if (r < 0) {
			close_fds(fds, nr_fds);
			return r;
		}
	}
	*ret_frame = frame;
	if (ret_payload)
		*ret_payload = TAKE_PTR(payload);
	return 0;
}

/* SPDX-License-Identifier: MIT */
#include "relayd-client.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "common/be-bytes.h"
#include "relayd-encode.h"

#define RELAYD_MIN_MINOR 11u /* trace chunks */

static int set_io_timeouts(int fd)
{
	struct timeval tv = {.tv_sec = RELAYD_CLIENT_IO_TIMEOUT_MS / 1000,
	                     .tv_usec = (RELAYD_CLIENT_IO_TIMEOUT_MS % 1000) * 1000};

	if (setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0)
		return -errno;
	return 0;
}

/* Non-blocking connect bounded by timeout_ms, then back to blocking mode. */
static int connect_with_timeout(int fd, const struct sockaddr *addr, socklen_t addr_len,
                                unsigned timeout_ms)
{
	struct pollfd pfd = {.fd = fd, .events = POLLOUT};
	int flags = fcntl(fd, F_GETFL), err = 0, r;
	socklen_t err_len = sizeof(err);

	if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0)
		return -errno;
	if (connect(fd, addr, addr_len) < 0) {
		if (errno != EINPROGRESS)
			return -errno;
		do
			r = poll(&pfd, 1, (int)timeout_ms);
		while (r < 0 && errno == EINTR);
		if (r < 0)
			return -errno;
		if (r == 0)
			return -ETIMEDOUT;
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &err_len) < 0)
			return -errno;
		if (err)
			return -err;
	}
	return fcntl(fd, F_SETFL, flags) < 0 ? -errno : 0;
}

int relayd_client_connect(const struct sockaddr *addr, socklen_t addr_len, unsigned timeout_ms)
{
	int fd = socket(addr->sa_family, SOCK_STREAM | SOCK_CLOEXEC, 0), r;

	if (fd < 0)
		return -errno;
	r = connect_with_timeout(fd, addr, addr_len, timeout_ms);
	if (r == 0)
		r = set_io_timeouts(fd);
	if (r < 0) {
		close(fd);
		return r;
	}
	return fd;
}

static int errno_of_io(void)
{
	return errno == EAGAIN || errno == EWOULDBLOCK ? -ETIMEDOUT : -errno;
}

int relayd_client_send2(int fd, const void *a, size_t a_len, const void *b, size_t b_len)
{
	struct iovec iov[2] = {{(void *)a, a_len}, {(void *)b, b_len}};
	struct msghdr msg = {.msg_iov = iov, .msg_iovlen = 2};

	while (iov[0].iov_len + iov[1].iov_len > 0) {
		ssize_t n = sendmsg(fd, &msg, MSG_NOSIGNAL);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return errno_of_io();
		}
		for (int i = 0; i < 2; i++) {
			size_t used = (size_t)n < iov[i].iov_len ? (size_t)n : iov[i].iov_len;

			iov[i].iov_base = (uint8_t *)iov[i].iov_base + used;
			iov[i].iov_len -= used;
			n -= (ssize_t)used;
		}
		/* Skip the emptied first vector so sendmsg never gets a zero-length head. */
		msg.msg_iov = iov[0].iov_len ? iov : iov + 1;
		msg.msg_iovlen = iov[0].iov_len ? 2 : 1;
	}
	return 0;
}

int relayd_client_send_cmd(int fd, uint32_t cmd, const void *payload, size_t len)
{
	uint8_t header[RELAYD_CTRL_HEADER_SIZE];

	relayd_ctrl_header_encode(header, cmd, len);
	return relayd_client_send2(fd, header, sizeof(header), payload, len);
}

int relayd_client_recv(int fd, void *buf, size_t len)
{
	uint8_t *p = buf;

	while (len > 0) {
		ssize_t n = recv(fd, p, len, 0);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return errno_of_io();
		}
		if (n == 0)
			return -EPIPE;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int relayd_client_call(int fd, uint32_t cmd, const void *payload, size_t len, void *reply,
                       size_t reply_len)
{
	int r = relayd_client_send_cmd(fd, cmd, payload, len);

	return r < 0 ? r : relayd_client_recv(fd, reply, reply_len);
}

int relayd_client_call_ok(int fd, uint32_t cmd, const void *payload, size_t len, uint32_t *ret_code)
{
	uint8_t reply[4];
	uint32_t code;
	int r = relayd_client_call(fd, cmd, payload, len, reply, sizeof(reply));

	if (r < 0)
		return r;
	code = be32_get(reply);
	if (ret_code)
		*ret_code = code;
	return code == RELAYD_RET_OK ? 0 : -EREMOTEIO;
}

int relayd_client_handshake(int fd, const struct relayd_create_session *cs,
                            uint64_t *ret_relay_session_id, uint32_t *ret_minor,
                            bool *ret_clear_allowed)
{
	uint8_t version[8], config_req[8], config_reply[12], session_reply[16];
	uint8_t *payload;
	uint32_t major, minor, path_len;
	ssize_t len;
	int r;

	relayd_version_encode(version, RELAYD_VERSION_MAJOR, RELAYD_VERSION_MINOR);
	r = relayd_client_call(fd, RELAYD_VERSION, version, sizeof(version), version,
	                       sizeof(version));
	if (r < 0)
		return r;
	major = be32_get(version);
	minor = be32_get(version + 4);
	if (major != RELAYD_VERSION_MAJOR || minor < RELAYD_MIN_MINOR)
		return -EPROTONOSUPPORT;
	if (minor > RELAYD_VERSION_MINOR)
		minor = RELAYD_VERSION_MINOR;
	*ret_clear_allowed = false;
	if (minor >= 12) {
		relayd_u64_encode(config_req, 0);
		r = relayd_client_call(fd, RELAYD_GET_CONFIGURATION, config_req, sizeof(config_req),
		                       config_reply, sizeof(config_reply));
		if (r < 0)
			return r;
		if (be32_get(config_reply) != RELAYD_RET_OK)
			return -EREMOTEIO;
		*ret_clear_allowed =
		    (be64_get(config_reply + 4) & RELAYD_CONFIG_CLEAR_ALLOWED) != 0;
	}
	payload = malloc(RELAYD_CREATE_SESSION_MAX_SIZE);
	if (!payload)
		return -ENOMEM;
	len = relayd_create_session_encode(payload, RELAYD_CREATE_SESSION_MAX_SIZE, cs);
	r = len < 0 ? (int)len
	            : relayd_client_call(fd, RELAYD_CREATE_SESSION, payload, (size_t)len,
	                                 session_reply, sizeof(session_reply));
	free(payload);
	if (r < 0)
		return r;
	if (be32_get(session_reply + 8) != RELAYD_RET_OK)
		return -EREMOTEIO;
	/* The relay's output path, not needed here, is drained to keep the stream in step. */
	path_len = be32_get(session_reply + 12);
	if (path_len > RELAYD_BASE_PATH_MAX + RELAYD_HOSTNAME_MAX + RELAYD_SESSION_NAME_MAX)
		return -EPROTO;
	while (path_len > 0) {
		uint8_t sink[256];
		size_t n = path_len < sizeof(sink) ? path_len : sizeof(sink);

		r = relayd_client_recv(fd, sink, n);
		if (r < 0)
			return r;
		path_len -= (uint32_t)n;
	}
	*ret_relay_session_id = be64_get(session_reply);
	*ret_minor = minor;
	return 0;
}

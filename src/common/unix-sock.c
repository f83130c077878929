/* SPDX-License-Identifier: MIT */
#include "unix-sock.h"

#include "macros.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

static int unix_sock_addr(const char *path, struct sockaddr_un *ret_addr)
{
	memset(ret_addr, 0, sizeof(*ret_addr));
	ret_addr->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(ret_addr->sun_path))
		return -ENAMETOOLONG;
	strcpy(ret_addr->sun_path, path);
	return 0;
}

/* A new stream socket (close-on-exec) and the address of path, for bind() or connect(). */
static int unix_sock_open(const char *path, struct sockaddr_un *ret_addr)
{
	int fd, r;

	r = unix_sock_addr(path, ret_addr);
	if (r < 0)
		return r;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	return fd < 0 ? -errno : fd;
}

int unix_sock_listen(const char *path, mode_t mode)
{
	_cleanup_close_ int fd = -1;
	struct sockaddr_un addr;

	fd = unix_sock_open(path, &addr);
	if (fd < 0)
		return fd;
	(void)unlink(path);
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0)
		return -errno;
	if (chmod(path, mode) < 0)
		return -errno;
	if (listen(fd, UNIX_SOCK_LISTEN_BACKLOG) < 0)
		return -errno;
	return TAKE_FD(fd);
}

int unix_sock_connect(const char *path)
{
	_cleanup_close_ int fd = -1;
	struct sockaddr_un addr;

	fd = unix_sock_open(path, &addr);
	if (fd < 0)
		return fd;
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0)
		return -errno;
	return TAKE_FD(fd);
}

int unix_sock_accept(int listen_fd)
{
	int fd;

	do
		fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
	while (fd < 0 && errno == EINTR);
	return fd < 0 ? -errno : fd;
}

int unix_sock_send(int fd, const void *buf, size_t len, const int *fds, unsigned nr_fds)
{
	char control[CMSG_SPACE(sizeof(int) * UNIX_SOCK_MAX_FDS)];
	const char *p = buf;

	if (nr_fds > UNIX_SOCK_MAX_FDS || len == 0)
		return -EINVAL;
	while (len > 0) {
		struct iovec iov = {.iov_base = (void *)p, .iov_len = len};
		struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
		ssize_t n;

		if (nr_fds > 0) {
			struct cmsghdr *cmsg;

			memset(control, 0, sizeof(control));
			msg.msg_control = control;
			msg.msg_controllen = CMSG_SPACE(sizeof(int) * nr_fds);
			cmsg = CMSG_FIRSTHDR(&msg);
			cmsg->cmsg_level = SOL_SOCKET;
			cmsg->cmsg_type = SCM_RIGHTS;
			cmsg->cmsg_len = CMSG_LEN(sizeof(int) * nr_fds);
			memcpy(CMSG_DATA(cmsg), fds, sizeof(int) * nr_fds);
		}
		n = sendmsg(fd, &msg, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= (size_t)n;
		nr_fds = 0; /* descriptors went with the first chunk */
	}
	return 0;
}

static int unix_sock_take_fds(struct msghdr *msg, int *fds, unsigned max_fds, unsigned *nr_fds)
{
	int r = 0;

	for (struct cmsghdr *cmsg = CMSG_FIRSTHDR(msg); cmsg; cmsg = CMSG_NXTHDR(msg, cmsg)) {
		unsigned n;
		int received[UNIX_SOCK_MAX_FDS];

		if (cmsg->cmsg_level != SOL_SOCKET || cmsg->cmsg_type != SCM_RIGHTS)
			continue;
		n = (unsigned)((cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int));
		if (n > UNIX_SOCK_MAX_FDS)
			n = UNIX_SOCK_MAX_FDS;
		memcpy(received, CMSG_DATA(cmsg), n * sizeof(int));
		for (unsigned i = 0; i < n; i++) {
			if (*nr_fds < max_fds) {
				fds[(*nr_fds)++] = received[i];
			} else {
				close(received[i]);
				r = -EPROTO;
			}
		}
	}
	if (msg->msg_flags & MSG_CTRUNC)
		r = -EPROTO;
	return r;
}

int unix_sock_recv(int fd, void *buf, size_t len, int *fds, unsigned max_fds, unsigned *ret_nr_fds)
{
	char control[CMSG_SPACE(sizeof(int) * UNIX_SOCK_MAX_FDS)];
	unsigned nr_fds = 0;
	char *p = buf;
	int r = 0;

	while (len > 0) {
		struct iovec iov = {.iov_base = p, .iov_len = len};
		struct msghdr msg = {
		    .msg_iov = &iov,
		    .msg_iovlen = 1,
		    .msg_control = control,
		    .msg_controllen = sizeof(control),
		};
		ssize_t n = recvmsg(fd, &msg, MSG_CMSG_CLOEXEC);
		int rf;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = -errno;
			break;
		}
		rf = unix_sock_take_fds(&msg, fds, max_fds, &nr_fds);
		if (rf < 0)
			r = rf;
		if (n == 0) {
			r = -EPIPE;
			break;
		}
		p += n;
		len -= (size_t)n;
	}
	if (r < 0) {
		for (unsigned i = 0; i < nr_fds; i++)
			close(fds[i]);
		nr_fds = 0;
	}
	if (ret_nr_fds)
		*ret_nr_fds = nr_fds;
	return r;
}

int unix_sock_peer_cred(int fd, struct ucred *ret_cred)
{
	socklen_t len = sizeof(*ret_cred);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, ret_cred, &len) < 0)
		return -errno;
	return 0;
}

int unix_sock_set_timeouts(int fd, unsigned timeout_ms)
{
	struct timeval tv = {.tv_sec = timeout_ms / 1000, .tv_usec = (timeout_ms % 1000) * 1000};

	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0)
		return -errno;
	if (setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) < 0)
		return -errno;
	return 0;
}

/* SPDX-License-Identifier: MIT */
#include "connection.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/io.h"
#include "common/log.h"
#include "common/macros.h"

/* First buffer of a buffered payload; it doubles as more bytes arrive. */
#define PAYLOAD_CHUNK_BYTES (256u * 1024)
/* Messages handled per readiness event, so one busy peer cannot starve others. */
#define MESSAGES_PER_EVENT 64

static void describe_peer(int fd, char *buf, size_t size)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	char addr[INET6_ADDRSTRLEN] = "?";
	unsigned port = 0;

	if (getpeername(fd, (struct sockaddr *)&ss, &len) == 0) {
		if (ss.ss_family == AF_INET) {
			const struct sockaddr_in *in = (const struct sockaddr_in *)&ss;

			inet_ntop(AF_INET, &in->sin_addr, addr, sizeof(addr));
			port = ntohs(in->sin_port);
		} else if (ss.ss_family == AF_INET6) {
			const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)&ss;

			inet_ntop(AF_INET6, &in6->sin6_addr, addr, sizeof(addr));
			port = ntohs(in6->sin6_port);
		}
	}
	snprintf(buf, size, "%s:%u", addr, port);
}

int conn_create(int epoll_fd, int fd, enum conn_kind kind, const struct conn_ops *ops,
                struct relay_conn **ret_conn)
{
	struct relay_conn *conn;
	struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP};

	conn = calloc(1, sizeof(*conn));
	if (!conn)
		return -ENOMEM;
	conn->entry.type = LOOP_ENTRY_CONN;
	conn->fd = fd;
	conn->kind = kind;
	conn->ops = ops;
	describe_peer(fd, conn->peer, sizeof(conn->peer));
	if (ops->on_open) {
		int r = ops->on_open(conn);

		if (r < 0) {
			free(conn);
			return r;
		}
	}
	ev.data.ptr = conn;
	conn->epoll_events = ev.events;
	if (epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		int r = -errno;

		if (ops->on_close)
			ops->on_close(conn, false);
		free(conn);
		return r;
	}
	*ret_conn = conn;
	return 0;
}

void conn_destroy(struct relay_conn *conn)
{
	if (conn->ops->on_close)
		conn->ops->on_close(conn, conn->header_got > 0 || conn->in_payload);
	close(conn->fd);
	free(conn->payload);
	free(conn->out);
	free(conn);
}

static int set_events(int epoll_fd, struct relay_conn *conn, uint32_t events)
{
	struct epoll_event ev = {.events = events, .data.ptr = conn};

	if (conn->epoll_events == events)
		return 0;
	if (epoll_ctl(epoll_fd, EPOLL_CTL_MOD, conn->fd, &ev) < 0)
		return -errno;
	conn->epoll_events = events;
	return 0;
}

int conn_queue(struct relay_conn *conn, const void *bytes, size_t len)
{
	if (conn->out_sent == conn->out_len)
		conn->out_sent = conn->out_len = 0;
	if (conn->out_len + len > conn->out_cap) {
		size_t cap = conn->out_cap ? conn->out_cap : 4096;
		uint8_t *out;

		while (cap < conn->out_len + len)
			cap *= 2;
		out = realloc(conn->out, cap);
		if (!out)
			return -ENOMEM;
		conn->out = out;
		conn->out_cap = cap;
	}
	memcpy(conn->out + conn->out_len, bytes, len);
	conn->out_len += len;
	return 0;
}

/* 0 when everything queued left, 1 when some is still waiting, < 0 on error. */
static int flush_output(struct relay_conn *conn)
{
	while (conn->out_sent < conn->out_len) {
		ssize_t n = send(conn->fd, conn->out + conn->out_sent,
		                 conn->out_len - conn->out_sent, MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 1;
		if (n < 0) {
			log_info("%s: peer stopped reading: %s", conn->peer, strerror(errno));
			return -errno;
		}
		conn->out_sent += (size_t)n;
	}
	return 0;
}

static int begin_payload(struct relay_conn *conn)
{
	int64_t size = conn->ops->on_header(conn);

	if (size < 0)
		return (int)size;
	conn->header_got = 0;
	conn->in_payload = true;
	conn->payload_len = (size_t)size;
	conn->payload_got = 0;
	if (!conn->ops->streaming && size > 0) {
		/* Grows as bytes arrive: a header announcing a huge size costs nothing. */
		free(conn->payload);
		conn->payload = NULL;
	}
	return 0;
}

static int end_payload(struct relay_conn *conn)
{
	int r;

	conn->in_payload = false;
	r = conn->ops->on_message(conn, conn->ops->streaming ? NULL : conn->payload,
	                          conn->ops->streaming ? 0 : conn->payload_len);
	free(conn->payload);
	conn->payload = NULL;
	return r;
}

/* Reads payload bytes; 1 when some arrived, 0 would block, < 0 error. */
static int read_payload(struct relay_conn *conn)
{
	size_t want = conn->payload_len - conn->payload_got;
	ssize_t n;

	if (conn->ops->streaming) {
		n = conn->ops->on_payload_ready(conn, want);
		if (n <= 0)
			return (int)n;
		conn->payload_got += (size_t)n;
		return 1;
	}
	if (!conn->payload || conn->payload_got == 0) {
		size_t first = want < PAYLOAD_CHUNK_BYTES ? want : PAYLOAD_CHUNK_BYTES;

		free(conn->payload);
		conn->payload = malloc(first);
		if (!conn->payload)
			return -ENOMEM;
		want = first;
	} else {
		size_t have = conn->payload_got;
		size_t cap = have * 2 < conn->payload_len ? have * 2 : conn->payload_len;
		uint8_t *p = realloc(conn->payload, cap);

		if (!p)
			return -ENOMEM;
		conn->payload = p;
		want = cap - have;
	}
	n = recv_ready(conn->fd, conn->payload + conn->payload_got, want);
	if (n <= 0)
		return (int)n;
	conn->payload_got += (size_t)n;
	return 1;
}

/* One step of the input state machine: 1 progress, 0 would block, < 0 close. */
static int input_step(struct relay_conn *conn)
{
	ssize_t n;
	int r;

	if (!conn->in_payload) {
		n = recv_ready(conn->fd, conn->header + conn->header_got,
		               conn->ops->header_size - conn->header_got);
		if (n <= 0)
			return (int)n;
		conn->header_got += (size_t)n;
		if (conn->header_got < conn->ops->header_size)
			return 1;
		r = begin_payload(conn);
		if (r < 0)
			return r;
	} else {
		r = read_payload(conn);
		if (r <= 0)
			return r;
	}
	if (conn->in_payload && conn->payload_got == conn->payload_len) {
		r = end_payload(conn);
		if (r < 0)
			return r;
		return 2; /* one message done */
	}
	return 1;
}

int conn_handle_events(int epoll_fd, struct relay_conn *conn, uint32_t events)
{
	int messages = 0, r;

	if (events & EPOLLOUT || conn->out_sent < conn->out_len) {
		r = flush_output(conn);
		if (r < 0)
			return r;
		if (r > 0)
			return set_events(epoll_fd, conn, EPOLLOUT | EPOLLRDHUP);
	}
	if (conn->close_after_flush)
		return -ECONNABORTED;
	while (messages < MESSAGES_PER_EVENT) {
		r = input_step(conn);
		if (r == -EPIPE) {
			if (conn->header_got > 0 || conn->in_payload)
				log_warn("%s: connection closed in the middle of a message",
				         conn->peer);
			else
				log_debug("%s: connection closed by the peer", conn->peer);
			return r;
		}
		if (r < 0)
			return r;
		if (r == 0)
			break;
		if (r == 2)
			messages++;
		r = flush_output(conn);
		if (r < 0)
			return r;
		if (r > 0)
			return set_events(epoll_fd, conn, EPOLLOUT | EPOLLRDHUP);
		if (conn->close_after_flush)
			return -ECONNABORTED;
	}
	return set_events(epoll_fd, conn, EPOLLIN | EPOLLRDHUP);
}

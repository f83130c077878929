/* SPDX-License-Identifier: MIT */
#include "listener.h"

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/log.h"

#define LISTEN_BACKLOG 64

int listener_parse_url(const char *url, char *ret_host, size_t host_size, char *ret_port,
                       size_t port_size)
{
	const char *rest, *port;
	size_t host_len;
	char *end;
	long value;

	if (!strncmp(url, "tcp://", 6))
		rest = url + 6;
	else if (!strncmp(url, "tcp6://", 7))
		rest = url + 7;
	else
		return -EINVAL;
	if (*rest == '[') {
		const char *close = strchr(rest, ']');

		if (!close || close[1] != ':')
			return -EINVAL;
		host_len = (size_t)(close - rest - 1);
		rest++;
		port = close + 2;
	} else {
		const char *colon = strrchr(rest, ':');

		if (!colon)
			return -EINVAL;
		host_len = (size_t)(colon - rest);
		port = colon + 1;
	}
	if (host_len == 0 || host_len >= host_size || strlen(port) >= port_size)
		return -EINVAL;
	errno = 0;
	value = strtol(port, &end, 10);
	if (errno || end == port || *end || value <= 0 || value > 65535)
		return -EINVAL;
	memcpy(ret_host, rest, host_len);
	ret_host[host_len] = '\0';
	snprintf(ret_port, port_size, "%ld", value);
	return 0;
}

int listener_open(struct relay_listener *listener, const char *url, enum conn_kind kind)
{
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE};
	struct addrinfo *res = NULL;
	char host[256], port[8];
	int fd, r, one = 1;

	r = listener_parse_url(url, host, sizeof(host), port, sizeof(port));
	if (r < 0) {
		log_error("invalid URL \"%s\": expected tcp://HOST:PORT or tcp://[IPV6]:PORT", url);
		return r;
	}
	hints.ai_family = !strncmp(url, "tcp6://", 7) ? AF_INET6 : AF_UNSPEC;
	r = getaddrinfo(host, port, &hints, &res);
	if (r != 0) {
		log_error("cannot resolve \"%s\" of %s: %s", host, url, gai_strerror(r));
		return -EINVAL;
	}
	fd = socket(res->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		r = -errno;
		freeaddrinfo(res);
		return r;
	}
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, res->ai_addr, res->ai_addrlen) < 0 || listen(fd, LISTEN_BACKLOG) < 0) {
		r = -errno;
		log_error("cannot listen on %s: %s", url, strerror(errno));
		close(fd);
		freeaddrinfo(res);
		return r;
	}
	freeaddrinfo(res);
	listener->entry.type = LOOP_ENTRY_LISTENER;
	listener->fd = fd;
	listener->kind = kind;
	snprintf(listener->url, sizeof(listener->url), "%s", url);
	return 0;
}

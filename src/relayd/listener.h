/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Listening sockets from lttng-relayd's URL syntax: tcp://HOST:PORT,
 * tcp://[IPV6]:PORT, tcp6://... (HOST may be a name). Backlog 64 as the rest
 * of the protocol. Every socket is non-blocking and close-on-exec.
 */

#include "connection.h"

struct relay_listener {
	struct loop_entry entry;
	int fd;
	enum conn_kind kind;
	char url[256];
};

/* Splits a URL into host and port; -EINVAL with a message on a bad one. */
int listener_parse_url(const char *url, char *ret_host, size_t host_size, char *ret_port,
                       size_t port_size);
int listener_open(struct relay_listener *listener, const char *url, enum conn_kind kind);

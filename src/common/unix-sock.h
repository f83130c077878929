/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * UNIX stream sockets with file-descriptor passing (SCM_RIGHTS) and peer
 * credentials. All functions return 0 (or an fd) on success and a negative
 * errno on failure; -EPIPE means the peer closed the connection.
 */

#include <stddef.h>
#include <sys/socket.h>
#include <sys/types.h>

#define UNIX_SOCK_LISTEN_BACKLOG 64 /* as LTTNG_SESSIOND_COMM_MAX_LISTEN */
#define UNIX_SOCK_MAX_FDS        4  /* as LTTCOMM_MAX_SEND_FDS */

/* Binds and listens on path (replacing a stale socket file), then chmods it to mode. */
int unix_sock_listen(const char *path, mode_t mode);
int unix_sock_connect(const char *path);
int unix_sock_accept(int listen_fd);

/* Sends len bytes; the nr_fds descriptors travel with the first byte. */
int unix_sock_send(int fd, const void *buf, size_t len, const int *fds, unsigned nr_fds);

/*
 * Receives exactly len bytes. Descriptors that arrive are stored in fds (at
 * most max_fds; extra ones are closed and -EPROTO is returned) and their count
 * in *ret_nr_fds. Received descriptors are close-on-exec.
 */
int unix_sock_recv(int fd, void *buf, size_t len, int *fds, unsigned max_fds, unsigned *ret_nr_fds);

int unix_sock_peer_cred(int fd, struct ucred *ret_cred);

/* Receive/send timeouts, in milliseconds (0 = none). */
int unix_sock_set_timeouts(int fd, unsigned timeout_ms);

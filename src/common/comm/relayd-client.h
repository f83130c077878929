/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Blocking client I/O on relay connections, as the session daemon (which
 * opens them and does the handshake) and the consumer (which streams on
 * them) use it. Every socket gets send and receive timeouts at connect, so
 * a relay that stops reading or answering makes the call fail with
 * -ETIMEDOUT instead of blocking the caller forever (4 s: well within the
 * session daemon's 10 s wait for a consumer reply); SIGPIPE is never
 * raised (a dead relay gives -EPIPE or -ECONNRESET). After any error the
 * connection is in an unknown state and must be closed by the caller.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "relayd-wire.h"

#define RELAYD_CLIENT_IO_TIMEOUT_MS 4000u

/* TCP connection to addr within timeout_ms; returns the fd (close-on-exec) or a negative errno. */
int relayd_client_connect(const struct sockaddr *addr, socklen_t addr_len, unsigned timeout_ms);

/* Sends a then b (either may be empty) completely. */
int relayd_client_send2(int fd, const void *a, size_t a_len, const void *b, size_t b_len);

/* One control command: header then payload. */
int relayd_client_send_cmd(int fd, uint32_t cmd, const void *payload, size_t len);

/* Receives exactly len bytes. */
int relayd_client_recv(int fd, void *buf, size_t len);

/* A command and its reply of exactly reply_len bytes. */
int relayd_client_call(int fd, uint32_t cmd, const void *payload, size_t len, void *reply,
                       size_t reply_len);

/*
 * A command whose reply is the generic 4-byte code: 0 when the relay
 * answered LTTNG_OK, -EREMOTEIO for any other code (logged by the caller
 * from *ret_code when not NULL), or a transport error.
 */
int relayd_client_call_ok(int fd, uint32_t cmd, const void *payload, size_t len,
                          uint32_t *ret_code);

/*
 * The session daemon's handshake on a new control connection: VERSION
 * (2.13; -EPROTONOSUPPORT when the relay's major differs or its minor is
 * below 11, too old for trace chunks), GET_CONFIGURATION when the relay's
 * minor allows it, then CREATE_SESSION. Returns the relay's session id, the
 * negotiated minor version and whether the relay lets its sessions be
 * cleared (never before 2.12, which has no GET_CONFIGURATION).
 */
int relayd_client_handshake(int fd, const struct relayd_create_session *cs,
                            uint64_t *ret_relay_session_id, uint32_t *ret_minor,
                            bool *ret_clear_allowed);

/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Internals shared by the files of libringtrace-ctl: building a request,
 * one round trip with the session daemon, and the copies of names into the
 * fixed-size arrays of the protocol.
 */

#include <stdbool.h>
#include <stddef.h>

#include "common/comm/client-msg.h"

/* Largest reply accepted (listings of many apps' tracepoints and fields). */
#define CTL_MAX_REPLY_BYTES (64u << 20)

/*
 * Copies src (NULL = "") into dst[size]; -RINGTRACE_ERR_NAME_TOO_LONG when
 * it does not fit with its NUL.
 */
int ctl_copy_name(char *dst, size_t size, const char *src);

/*
 * Zeroes msg and fills the session name and the domain (NULL = none).
 * Returns 0 or -RINGTRACE_ERR_NAME_TOO_LONG.
 */
int ctl_msg_init(struct client_msg *msg, const char *session_name,
                 const struct ringtrace_domain *domain);

/* The same for a command naming session_name: -RINGTRACE_ERR_INVALID without one. */
int ctl_session_msg_init(struct client_msg *msg, const char *session_name);

/*
 * The same from a handle: its session (required when need_session) and its
 * domain. Returns 0 or -RINGTRACE_ERR_INVALID.
 */
int ctl_handle_msg_init(struct client_msg *msg, const struct ringtrace_handle *handle,
                        bool need_session);

/*
 * Makes path absolute against the current directory and drops ".", ".."
 * and repeated slashes, without touching the file system (the directory is
 * usually created later, by the daemon). -RINGTRACE_ERR_OUTPUT_PATH when
 * too long.
 */
int ctl_absolute_path(const char *path, char ret_path[RINGTRACE_PATH_MAX]);

/* A connected client socket to the session daemon, or -RINGTRACE_ERR_*. */
int ctl_connect(void);

/*
 * Sends msg (plus extra_len bytes of variable data) as command cmd and
 * receives the reply. On success returns 0 and, when ret_payload is not
 * NULL, the malloc'd reply payload (NULL when empty) and its length.
 * Returns the daemon's negative status or a negative RINGTRACE_ERR_* for
 * transport and protocol failures.
 */
int ctl_request(enum client_command cmd, const struct client_msg *msg, const void *extra,
                size_t extra_len, void **ret_payload, size_t *ret_len);

/*
 * A request whose reply is an array of elem_size-byte structures: returns
 * their count and the malloc'd array in *ret_array (NULL when empty), or a
 * negative RINGTRACE_ERR_* (-RINGTRACE_ERR_PROTOCOL when the reply is not a
 * whole number of elements).
 */
int ctl_request_array(enum client_command cmd, const struct client_msg *msg, size_t elem_size,
                      void **ret_array);

/*
 * The same for a reply of struct ringtrace_event (events.c), each name
 * NUL-terminated whatever the daemon sent.
 */
int ctl_request_events(enum client_command cmd, const struct client_msg *msg,
                       struct ringtrace_event **ret_events);

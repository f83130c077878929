/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Who may talk to this session daemon, and where it lives.
 *
 * A root daemon (run as root without RINGTRACE_HOME) lives in
 * /run/ringtrace (0750, group `tracing`): its client socket is 0660 with that
 * group, and it serves root and the group's members. Any other daemon is a
 * per-user one in $RINGTRACE_HOME/.ringtrace (default $HOME; 0700): its
 * sockets are 0600 and it serves its own uid and root. Peer credentials are
 * checked on every client connection whatever the file modes say.
 */

#include <limits.h>
#include <stdbool.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "session.h"

/* True when this process should be the system-wide (root) daemon. */
bool access_want_root_daemon(void);

/*
 * Fixes the daemon's mode. group_name (root daemon only) names the tracing
 * group; a group that does not exist leaves the daemon to root alone.
 */
void access_init(bool root_daemon, const char *group_name);
bool access_is_root_daemon(void);

/* Creates the run directory if needed, with the daemon's mode and owner. */
int access_prepare_rundir(const char *rundir);

/* Mode for the client socket, and its group ownership fixed after bind. */
mode_t access_client_socket_mode(void);
int access_secure_client_socket(const char *path);

/* Whether the peer of a client connection may use this daemon. */
bool access_peer_allowed(int fd, const struct ucred *cred);

/* Whether a client of this uid may see and act on the session. */
bool access_session_allowed(const struct session *s, uid_t uid);

/*
 * Runs fn(arg) with the credentials of uid/gid (and uid's supplementary
 * groups) so that a root daemon touches files on a user's behalf only as
 * that user can: in a child process that drops to them, unless this process
 * already is that user or uid is root, where fn runs directly. In the child,
 * fn may only use async-signal-safe calls. Returns fn's result (0 or a
 * negative errno), or the negative errno of the fork or privilege drop.
 */
int access_run_as(uid_t uid, gid_t gid, int (*fn)(void *arg), void *arg);

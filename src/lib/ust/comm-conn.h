/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * The command side of libringtrace-ust: one "target" per session daemon the
 * app may talk to (the per-user one under $RINGTRACE_HOME/.ringtrace, the
 * root one under /run/ringtrace). Each target has a listener thread
 * (listener.c) that connects, registers (two connections: command and
 * notify), applies the daemon's commands (comm-cmd.c, cmd-*.c) and, when the
 * daemon goes away, drops everything the connection created and waits for
 * the daemon to come back.
 *
 * Locking: every field below marked [L] and every tracer object reachable
 * from a target is read and written with rt_ust_lock() held. The command fd
 * is used only by the target's own listener thread; the notify fd by
 * whichever thread holds rt_ust_lock (the listener, or an app thread whose
 * provider registration needs events registered, see comm-sync.c).
 */

#include "common/comm/ust-msg.h"
#include "enabler.h"
#include "ust-objects.h"

#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <urcu/list.h>

#define RT_COMM_DEFAULT_TIMEOUT_MS  3000
#define RT_COMM_MIN_SOCK_TIMEOUT_MS 1000
#define RT_COMM_RETRY_DELAY_MS      5000 /* fallback when inotify cannot tell us anything */

struct rt_comm_target {
	const char *label; /* "per-user" or "root", for debug messages */
	bool root;
	bool enabled; /* false: setuid app or no home for the per-user target */
	char sock_path[PATH_MAX];

	/* The constructor's semaphore was posted for this target (at most once per process). */
	bool done_posted;

	int inotify_fd; /* [L] the listener's watch, for a fork child to close; -1 if none */
	int cmd_fd;     /* [L] -1 when not connected */
	int notify_fd;  /* [L] -1 when not connected */
	/* [L] a notify exchange failed: the connection is being dropped, do no more I/O on it. */
	bool broken;
	/* [L] REGISTER_DONE received on this connection: state dumps may run (statedump.c). */
	bool registration_done;

	/* [L] Objects created by this connection, by kind. Handles are unique across the three. */
	struct cds_list_head sessions; /* struct rt_comm_session.node */
	struct cds_list_head channels; /* struct rt_comm_channel.node */
	struct cds_list_head enablers; /* struct rt_ust_enabler.node */
};

/*
 * Our references to the tracer objects (record.h) a connection created: the
 * objects themselves sit in the tracer's global lists, shared by every
 * connection, while handles are only unique per connection.
 */
struct rt_comm_session {
	struct rt_ust_session *obj;
	/* [L] started or asked to: a state dump runs after the command's reply (statedump.c). */
	bool statedump_pending;
	struct cds_list_head node;
};

struct rt_comm_channel {
	struct rt_ust_channel *obj;
	struct rt_comm_session *session;
	struct cds_list_head node;
};

/* --- listener.c --- */

/* Socket send/receive timeout of every connection (register timeout, at least 1 s). */
unsigned rt_comm_sock_timeout_ms(void);
/*
 * rt_ust_lock() for the listener threads: once the library's destructor ran
 * (rt_comm_exiting), the calling thread parks forever instead of going on.
 */
void rt_comm_listener_lock(void);
extern bool rt_comm_exiting; /* [L] */
/* Releases the constructor if it still waits for this target. */
void rt_comm_target_done(struct rt_comm_target *target);
/* Debug output (stderr), only when RINGTRACE_DEBUG is set. */
void rt_comm_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* In a fork child: forget the parent's threads, start fresh ones and wait for the registration. */
void rt_comm_restart_in_child(void);

/* --- comm-reg.c --- */

/* Connects to target->sock_path and registers one socket of the given type; returns the fd. */
int rt_comm_connect_and_register(const struct rt_comm_target *target, uint32_t socket_type);
/* Refreshes the process name sent at registration (constructor, fork child). */
void rt_comm_capture_procname(void);
/* That name, NUL-terminated (the statedump's procname). */
void rt_comm_get_procname(char ret[UST_PROCNAME_LEN + 1]);

/* --- comm-objects.c (all with rt_ust_lock held) --- */

void rt_comm_target_init_lists(struct rt_comm_target *target);
bool rt_comm_handle_in_use(const struct rt_comm_target *target, uint32_t handle);
struct rt_comm_session *rt_comm_find_session(const struct rt_comm_target *target, uint32_t handle);
struct rt_comm_channel *rt_comm_find_channel(const struct rt_comm_target *target, uint32_t handle);
struct rt_ust_enabler *rt_comm_find_enabler(const struct rt_comm_target *target, uint32_t handle);

/* Creation; the handle must be free (-EEXIST otherwise), the parent must exist. */
int rt_comm_add_session(struct rt_comm_target *target, uint32_t handle);
int rt_comm_add_channel(struct rt_comm_target *target, struct rt_comm_session *session,
                        uint32_t handle, uint32_t stream_id, uint32_t nr_streams);

/*
 * Fast-path flags, published with release ordering: a reader that sees the
 * flag on also sees every object update made before.
 */
void rt_comm_set_session_active(struct rt_comm_session *session, bool active);
void rt_comm_set_channel_enabled(struct rt_comm_channel *chan, bool enabled);

/*
 * Tear-down. The channel's recorders are unlinked, a grace period passes,
 * then streams are unmapped and memory freed (record.h); a session goes
 * inactive before its channels go.
 */
void rt_comm_release_session(struct rt_comm_target *target, struct rt_comm_session *session);
void rt_comm_release_channel(struct rt_comm_target *target, struct rt_comm_channel *chan);
void rt_comm_release_enabler(struct rt_comm_target *target, struct rt_ust_enabler *enabler);
/*
 * Everything of the connection: every session inactive first, then the
 * tear-down. Also used in a fork child, where unmapping only affects the
 * child and the shared buffers' contents are left alone.
 */
void rt_comm_release_all(struct rt_comm_target *target);

/* --- comm-sync.c (rt_ust_lock held) --- */

/*
 * Makes the recorders of the target's channels match its enablers, for
 * every registered event: registers newly covered events with sessiond and
 * attaches their recorders; sets each recorder's enabled flag to "an
 * enabled enabler of its channel matches". Returns 0, or the notify error
 * that broke the connection.
 */
int rt_comm_sync_target(struct rt_comm_target *target);
/* Installs the probe-registry listener that syncs events of late providers. */
void rt_comm_sync_install_listener(void);

/* --- notify.c (rt_ust_lock held) --- */

/*
 * Registers desc in chan with the session daemon (UST_NOTIFY_REGISTER_EVENT)
 * and returns the event id it assigned. A refusal by the daemon gives its
 * status (< 0) and leaves the connection usable; an I/O or protocol error
 * marks the target broken and gives -EPIPE (or the error) thereafter.
 */
int rt_comm_notify_register_event(struct rt_comm_target *target,
                                  const struct ringtrace_event_desc *desc,
                                  const struct rt_comm_channel *chan, uint32_t *ret_event_id);

/* --- comm-cmd.c --- */

/*
 * Receives and applies one command, sends its reply. A negative return
 * means the connection must be dropped (EOF, undecodable frame, reply not
 * sent).
 */
int rt_comm_handle_one_command(struct rt_comm_target *target);

/* --- comm-fork.c --- */

void rt_comm_fork_setup(void);

/* The two targets (index 0 per-user, 1 root). */
#define RT_COMM_NR_TARGETS 2
extern struct rt_comm_target rt_comm_targets[RT_COMM_NR_TARGETS];

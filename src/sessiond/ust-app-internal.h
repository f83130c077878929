/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Registered applications, shared by the files of the UST side of the
 * session daemon (ust-app*.c). The locking rules are written at the top of
 * ust-app.c.
 */

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>
#include <urcu/list.h>
#include <urcu/ref.h>

#include "comm/ust-msg.h"
#include "session.h"

struct buffer;
struct ust_registry;
struct ust_app;

/* An app's copy of a session channel. */
struct ust_app_channel {
	uint32_t session_chan_id; /* session_channel.id */
	uint32_t handle;
	uint32_t stream_id; /* registry channel id */
	bool enabled;
	struct cds_list_head enablers; /* struct ust_app_enabler */
	struct cds_list_head node;     /* in ust_app_session.channels */
};

/* An app's copy of an event rule. */
struct ust_app_enabler {
	uint32_t rule_id; /* session_event_rule.id */
	uint32_t handle;
	bool enabled;
	struct cds_list_head node; /* in ust_app_channel.enablers */
};

/* A session as set up in one app. */
struct ust_app_session {
	uint64_t session_id;
	uint32_t handle;
	bool started;
	/*
	 * Owned by the session (buffer.h); per-PID ones are valid while the app
	 * is alive, released once it is gone (ust_app_unregister()).
	 */
	struct buffer *buffer;
	struct ust_registry *registry; /* reference owned: read by the notify thread */
	struct cds_list_head channels; /* struct ust_app_channel */
	struct cds_list_head node;     /* in ust_app.sessions */
};

/* One of the app's two sockets in the notify thread's epoll set. */
struct ust_app_watch {
	struct ust_app *app;
	bool is_notify; /* else the command socket, watched for hang-up only */
};

struct ust_app {
	struct urcu_ref ref;
	uint64_t id; /* unique for the daemon's lifetime (names its per-PID buffers) */
	pid_t pid;
	pid_t ppid;
	uid_t uid;
	gid_t gid;
	struct ust_reg_msg reg; /* bits_per_long and alignments */
	char name[UST_PROCNAME_LEN + 1];
	time_t registration_time;
	int cmd_fd;
	int notify_fd;

	/* Serializes commands (one request/reply at a time); see ust-app.c. */
	pthread_mutex_t cmd_lock;
	uint32_t next_handle; /* under cmd_lock */

	/* Short lock: `sessions` (and their channels) and `dead`; never held across I/O. */
	pthread_mutex_t lock;
	bool dead;
	struct cds_list_head sessions; /* struct ust_app_session */

	/* Owned by ust-app-notify.c (its watch lock). */
	struct ust_app_watch cmd_watch;
	struct ust_app_watch notify_watch;
	struct cds_list_head watch_node; /* in the notify thread's watched list */

	struct cds_list_head node; /* in the app table (apps lock) */
};

/* --- ust-app.c --- */

/* Takes the two registered sockets; the app starts with one reference. */
struct ust_app *ust_app_new(const struct ust_reg_msg *reg, int cmd_fd, int notify_fd);
struct ust_app *ust_app_get(struct ust_app *app);
void ust_app_put(struct ust_app *app);
/*
 * Adds a fully registered app to the table (dropping an older app of the
 * same pid), sets it up for every active session, then sends REGISTER_DONE.
 * Called by the dispatch thread without any lock held.
 */
void ust_app_register(struct ust_app *app);
/*
 * The app is gone or misbehaved: out of the table, marked dead, sockets shut
 * down (the notify thread then sees the hang-up and forgets them), and
 * queued for ust_app_unregister(). Idempotent, callable from any thread
 * holding at most session_list_lock() and app->cmd_lock.
 */
void ust_app_drop(struct ust_app *app, const char *reason);
/*
 * For the dispatch thread, once a dropped app is dead: its per-PID buffers
 * are flushed, drained and destroyed in every session. Called without any
 * lock held.
 */
void ust_app_unregister(struct ust_app *app);
/* Drops every app (daemon shutdown). */
void ust_app_drop_all(void);

/*
 * For the notify thread: the registry and registry channel id behind the
 * app's (session handle, channel handle); a registry reference is returned.
 * -ENOENT when the handles name nothing of the app.
 */
int ust_app_find_channel_registry(struct ust_app *app, uint32_t session_handle,
                                  uint32_t channel_handle, struct ust_registry **ret_reg,
                                  uint32_t *ret_chan_id);

/* Socket timeout of app sockets: RINGTRACE_APP_SOCKET_TIMEOUT (s), else 5 s. */
unsigned ust_app_socket_timeout_ms(void);

/* --- ust-app-commands.c --- */

/*
 * Each sends one command on the app's command socket and checks the reply
 * (type, status, payload size). Call with app->cmd_lock held. A transport
 * error, timeout or malformed reply drops the app and returns a negative
 * errno (-EPIPE once the app is dead); an error status from the app is
 * returned as is (negative errno).
 */
int ust_app_cmd_register_done(struct ust_app *app);
int ust_app_cmd_create_session(struct ust_app *app, uint32_t session_handle);
int ust_app_cmd_create_channel(struct ust_app *app, const struct ust_cmd_channel *chan);
int ust_app_cmd_add_context(struct ust_app *app, uint32_t channel_handle,
                            const struct session_context *ctx);
int ust_app_cmd_add_stream(struct ust_app *app, uint32_t channel_handle, uint32_t cpu, int shm_fd,
                           int wakeup_fd);
/* The exclusions follow the request only when there are some (ust-msg.h). */
int ust_app_cmd_create_enabler(struct ust_app *app, const struct ust_cmd_enabler *enabler,
                               const char (*exclusions)[RINGTRACE_SYM_NAME_LEN],
                               uint32_t exclusion_count);
/* A validated filter container for an enabler, before it is enabled. */
int ust_app_cmd_set_filter(struct ust_app *app, uint32_t enabler_handle, const void *bytecode,
                           uint32_t bytecode_len);
int ust_app_cmd_enable(struct ust_app *app, uint32_t handle, bool enable);
int ust_app_cmd_session_start(struct ust_app *app, uint32_t session_handle);
int ust_app_cmd_session_stop(struct ust_app *app, uint32_t session_handle);
int ust_app_cmd_session_statedump(struct ust_app *app, uint32_t session_handle);
int ust_app_cmd_release(struct ust_app *app, uint32_t handle);
/* *ret malloc'd (NULL when empty); returns the count. */
int ust_app_cmd_tracepoint_list(struct ust_app *app, struct ust_tracepoint_info **ret);
int ust_app_cmd_field_list(struct ust_app *app, struct ust_field_info **ret);

/* --- ust-app-registration.c --- */

int ust_app_registration_start(const char *app_socket_path, bool root_daemon);
void ust_app_registration_stop(void);
/* Queues ust_app_unregister(app) for the dispatch thread (takes a reference). */
void ust_app_dispatch_unregister(struct ust_app *app);

/* --- ust-app-notify.c --- */

int ust_app_notify_start(void);
void ust_app_notify_stop(void);
/* Starts watching the app's sockets (takes a reference). */
int ust_app_notify_watch(struct ust_app *app);

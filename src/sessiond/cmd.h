/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Client command handlers (cmd-*.c), one per command of client-msg.h,
 * dispatched by client.c through a table indexed by the command number.
 *
 * client.c has already checked the framing and that the payload holds a
 * whole struct client_msg (exactly, unless the command takes variable data).
 * A handler checks every field it uses (strings NUL-terminated, values in
 * range, variable lengths against var_len), runs with session_list_lock()
 * held, and returns 0 or -enum ringtrace_error_code; on success it may set a
 * malloc'd reply payload that client.c sends and frees.
 */

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "comm/client-msg.h"
#include "session.h"

struct cmd_ctx {
	const struct client_msg *msg;
	const uint8_t *var; /* bytes following the fixed part */
	uint32_t var_len;
	struct ucred cred; /* of the client */
};

struct cmd_reply {
	void *payload;
	uint32_t len;
};

typedef int (*cmd_handler_fn)(const struct cmd_ctx *ctx, struct cmd_reply *reply);

int cmd_create_session(const struct cmd_ctx *ctx, struct cmd_reply *reply);
int cmd_destroy_session(const struct cmd_ctx *ctx, struct cmd_reply *reply);
int cmd_enable_channel(const struct cmd_ctx *ctx, struct cmd_reply *reply);
int cmd_disable_channel(const struct cmd_ctx *ctx, struct cmd_reply *reply);
int cmd_enable_event(const struct cmd_ctx *ctx, struct cmd_reply *reply);
int cmd_disable_event(const struct cmd_ctx *ctx, struct cmd_reply *reply);
int cmd_start_trace(const struct cmd_ctx *ctx, struct cmd_reply *reply);
int cmd_stop_trace(const struct cmd_ctx *ctx, struct cmd_reply *reply);
int cmd_list_sessions(const struct cmd_ctx *ctx, struct cmd_reply *reply);
int cmd_list_channels(const struct cmd_ctx *ctx, struct cmd_reply *reply);
int cmd_list_events(const struct cmd_ctx *ctx, struct cmd_reply *reply);
int cmd_list_domains(const struct cmd_ctx *ctx, struct cmd_reply *reply);
int cmd_list_tracepoints(const struct cmd_ctx *ctx, struct cmd_reply *reply);
int cmd_list_tracepoint_fields(const struct cmd_ctx *ctx, struct cmd_reply *reply);
int cmd_data_pending(const struct cmd_ctx *ctx, struct cmd_reply *reply);
int cmd_regenerate_metadata(const struct cmd_ctx *ctx, struct cmd_reply *reply);
int cmd_regenerate_statedump(const struct cmd_ctx *ctx, struct cmd_reply *reply);
int cmd_add_context(const struct cmd_ctx *ctx, struct cmd_reply *reply);
int cmd_register_consumer(const struct cmd_ctx *ctx, struct cmd_reply *reply);
int cmd_track_id(const struct cmd_ctx *ctx, struct cmd_reply *reply);
int cmd_untrack_id(const struct cmd_ctx *ctx, struct cmd_reply *reply);
int cmd_list_tracker_ids(const struct cmd_ctx *ctx, struct cmd_reply *reply);
int cmd_save_session(const struct cmd_ctx *ctx, struct cmd_reply *reply);
int cmd_snapshot_add_output(const struct cmd_ctx *ctx, struct cmd_reply *reply);
int cmd_snapshot_del_output(const struct cmd_ctx *ctx, struct cmd_reply *reply);
int cmd_snapshot_list_output(const struct cmd_ctx *ctx, struct cmd_reply *reply);
int cmd_snapshot_record(const struct cmd_ctx *ctx, struct cmd_reply *reply);
int cmd_rotate_session(const struct cmd_ctx *ctx, struct cmd_reply *reply);
int cmd_clear_session(const struct cmd_ctx *ctx, struct cmd_reply *reply);
int cmd_rotation_get_info(const struct cmd_ctx *ctx, struct cmd_reply *reply);
int cmd_rotation_set_schedule(const struct cmd_ctx *ctx, struct cmd_reply *reply);
int cmd_session_list_rotation_schedules(const struct cmd_ctx *ctx, struct cmd_reply *reply);
/*
 * Makes s a snapshot session whose first output (id 1) is url: a directory
 * or a relay daemon's net:// URL, with its data endpoint in data_url when
 * not "" (cmd-snapshot.c). -RINGTRACE_ERR_INVALID
 * when url does not parse or resolve (s unchanged).
 */
int cmd_snapshot_session_init(struct session *s, const char *url, const char *data_url);
/* CLEAR_SESSION of a started snapshot session: its ring buffers only (cmd-clear-snapshot.c). */
int cmd_snapshot_session_clear(struct session *s);

/* Helpers shared by the handlers (cmd-common.c). */

/* True when a NUL ends the string within its array. */
static inline bool cmd_string_ok(const char *s, size_t size)
{
	for (size_t i = 0; i < size; i++) {
		if (s[i] == '\0')
			return true;
	}
	return false;
}
#define CMD_STRING_OK(array) cmd_string_ok((array), sizeof(array))

/* The request's session: PROTOCOL, SESS_NOT_FOUND or EPERM when it cannot be used. */
int cmd_lookup_session(const struct cmd_ctx *ctx, struct session **ret_session);
/* UST only: the kernel domain is NOT_SUPPORTED, anything else UNKNOWN_DOMAIN. */
int cmd_check_domain(const struct ringtrace_domain *domain);
/* Both: the request's session, then its domain (of a command about a session's channels). */
int cmd_lookup_session_domain(const struct cmd_ctx *ctx, struct session **ret_session);
/* Per-UID or per-PID buffers: the global type is NOT_SUPPORTED (user space has none). */
int cmd_check_buffer_type(const struct ringtrace_domain *domain);
/*
 * Home directory of the client: the daemon's own (RINGTRACE_HOME, else
 * HOME) unless the root daemon serves another user, whose home it then is.
 */
int cmd_client_home_dir(uid_t uid, char ret_path[PATH_MAX]);
/* Maps an error of consumer.h to a client error code. */
int cmd_error_from_consumer(int r);
/*
 * A text for the user, sent with the error reply of the client command the
 * calling thread serves (client-msg.h); cmd_error_detail() gives it ("" if
 * none) and client.c resets it before each command.
 */
void cmd_set_error_detail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *cmd_error_detail(void);
void cmd_reset_error_detail(void);
/* The public description of a session (LIST_SESSIONS, CREATE_SESSION_EXT reply). */
void cmd_session_info(const struct session *s, struct ringtrace_session *ret);
/* Reply payload of count elements of elem_size bytes, taking ownership of array. */
int cmd_reply_array(struct cmd_reply *reply, void *array, size_t count, size_t elem_size);

/* Channel helpers (cmd-channel.c). */
void cmd_channel_default_attr(struct ringtrace_channel_attr *ret_attr);
/* A new channel, as ENABLE_CHANNEL (and ENABLE_EVENT on a missing channel) makes it. */
int cmd_channel_create(struct session *s, const char *name,
                       const struct ringtrace_channel_attr *attr,
                       const struct ringtrace_domain *domain, struct session_channel **ret_chan);

/* Session operations also used at shutdown (cmd-start-stop.c, cmd-destroy.c). */
int cmd_session_stop(struct session *s);
/*
 * Destroys s whatever happens; -RINGTRACE_ERR_RELAYD_LOST when its relay was
 * lost meanwhile. ret_location (may be NULL): where the last chunk of a
 * rotated session was archived, "" if none was.
 */
int cmd_session_destroy(struct session *s, char ret_location[PATH_MAX]);
/*
 * Rotates the session's trace chunk (cmd-rotate.c), as ROTATE_SESSION and
 * the rotation schedules do: the archive's path in ret_archive, the
 * outcome kept for ROTATION_GET_INFO.
 */
int cmd_session_rotate(struct session *s, char ret_archive[PATH_MAX]);
/*
 * At start, after the chunk was closed by the rotation or clear of the
 * stopped session (chunk_closed): opens the next chunk and moves every
 * channel to it (cmd-rotate.c).
 */
int cmd_session_open_next_chunk(struct session *s);
/*
 * At destroy, once stopped: archives the last chunk of a rotated session,
 * as lttng's, by a rotation of the stopped session (cmd-rotate.c); true,
 * its location in ret_location, if it did.
 */
bool cmd_session_archive_last_chunk(struct session *s, char ret_location[PATH_MAX]);
/* Stops every active session and waits up to wait_ms for their data to be written. */
void cmd_stop_all_sessions(unsigned wait_ms);
void cmd_destroy_all_sessions(void);

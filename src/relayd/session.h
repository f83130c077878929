/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * A relay session: what one CREATE_SESSION on a control connection made.
 * It owns its streams and trace chunks. References are held by the control
 * connection that created it, by each data connection that wrote to one of
 * its streams, and by an attached live viewer; the last unref frees it with
 * its streams (their files closed) and chunks. Only the loop thread touches
 * sessions.
 */

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include <urcu/list.h>

#include "common/comm/relayd-wire.h"

struct relay_chunk;

struct relay_session {
	uint64_t id; /* relay's own, global counter from 1 */
	char name[RELAYD_SESSION_NAME_MAX];
	char hostname[RELAYD_HOSTNAME_MAX];
	uint32_t live_timer_us;
	bool snapshot;
	uint32_t minor;     /* negotiated protocol minor version */
	char dir[PATH_MAX]; /* session directory, relative to the output dir */
	int refcount;
	bool control_open; /* the producer's control connection is still open */
	int producers;     /* open control + data connections using it */
	bool lingering;    /* producers gone, data still expected: see below */
	uint64_t linger_deadline_ms;
	bool viewer_attached;
	bool new_streams; /* published streams a viewer has not been told about */
	struct relay_chunk *current_chunk;
	bool had_chunk;               /* some chunk was created: later ones get their own dir */
	struct cds_list_head streams; /* struct relay_stream.session_node */
	struct cds_list_head chunks;  /* struct relay_chunk.node */
	struct cds_list_head node;    /* all sessions */
};

/* Creates the session and its directory; holds one reference for the caller. */
int session_create(const struct relayd_create_session *req, struct relay_session **ret_session);
void session_ref(struct relay_session *session);
void session_unref(struct relay_session *session);
struct relay_session *session_find(uint64_t id);
/* Every live session, in creation order, for the live viewer listing. */
struct cds_list_head *session_list(void);

/* A producer (control or data connection) starts or stops using it. */
void session_producer_open(struct relay_session *session);
/*
 * The last producer gone: every stream still open is closed as it is,
 * except when some stream got its CLOSE_STREAM and still waits for data
 * packets: the data connection may not have been read yet (the control
 * connection's close can be seen first). The session then lingers, holding
 * a reference, until those streams complete, a data connection that took
 * over closes, or SESSION_LINGER_MS pass.
 */
void session_producer_close(struct relay_session *session);
/* A stream of the session completed. */
void session_stream_completed(struct relay_session *session);
/*
 * Ends the lingering of sessions whose time is up; returns the milliseconds
 * until the next deadline, or -1 when no session lingers.
 */
int session_sweep_lingering(void);

/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Trace chunks (CREATE/CLOSE_TRACE_CHUNK, TRACE_CHUNK_EXISTS): the
 * directory a session's streams write into. As lttng-relayd 2.13 lays them
 * out (reference/relayd-protocol.md section 8): a session's first chunk
 * without a name is the session directory itself; a named chunk (snapshot)
 * is <session>/<name>; a later unnamed chunk is <session>/<begin>-<id>.
 * Closing with MOVE_TO_COMPLETED moves it to
 * <session>/archives/<begin>-<end>-<id>; DELETE removes what it holds.
 */

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include <urcu/list.h>

#include "common/comm/relayd-wire.h"

struct relay_session;

struct relay_chunk {
	uint64_t id;
	uint64_t creation_time;
	struct relay_session *session;
	char dir[PATH_MAX]; /* relative to the output dir */
	bool is_session_dir;
	bool closed;
	/* Top-level entries written in the chunk (only tracked for is_session_dir). */
	char **entries;
	size_t nr_entries;
	struct cds_list_head node;
};

int chunk_create(struct relay_session *session, const struct relayd_create_chunk *req,
                 struct relay_chunk **ret_chunk);
struct relay_chunk *chunk_find(struct relay_session *session, uint64_t id);
/* Records that the chunk holds the file at relative_path (relative to the chunk dir). */
int chunk_note_entry(struct relay_chunk *chunk, const char *relative_path);
/*
 * Closes the chunk as the request says; ret_path gets where it ended up
 * (relative to the output dir).
 */
int chunk_close(struct relay_chunk *chunk, const struct relayd_close_chunk *req,
                char ret_path[PATH_MAX]);
void chunk_free(struct relay_chunk *chunk);

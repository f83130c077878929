/* SPDX-License-Identifier: MIT */
/*
 * Trace chunks of a local session: ROTATE_SESSION and CLEAR_SESSION.
 *
 * ROTATE_SESSION: closes the session's current trace chunk and starts a
 * new one, as lttng does for a local session. Before the first rotation
 * the chunk is written directly under <output>/ust; after rotation n
 * (counted from 0) the current chunk is <output>/<begin>-<n+1>/ust. Every
 * data channel, then every metadata channel (whose whole text is written
 * again, so each chunk is self-contained), is moved to the new chunk by the
 * consumer; once all of them are, the old chunk is renamed to
 * <output>/archives/<begin>-<end>-<n>, which the reply names. Timestamps
 * are local time, lttng's %Y%m%dT%H%M%S%z. Once a session has been
 * rotated, its destruction archives the last chunk too, as lttng's.
 *
 * A stopped session, rotated or cleared, is left with no chunk, as lttng's
 * (session->chunk_closed): its channels are moved to none, and the next
 * start opens chunk index + 1 and moves them to it; a destroy meanwhile
 * archives nothing more. Every chunk is made with its ust/ directory, so
 * an archive of a chunk no app wrote to still has it, as lttng's.
 *
 * CLEAR_SESSION: the same move to a new chunk, but the old chunk is deleted
 * instead of archived (it still uses up an index, as lttng's); before the
 * first rotation the chunk's ust/ is deleted and the channels start again
 * in the same place. What the buffers held goes with the old chunk, so only
 * events recorded after the clear remain. A snapshot session's clear empties
 * its ring buffers only (cmd-clear-snapshot.c).
 *
 * A full disk (or any error making the new chunk's files) does not stop a
 * local rotation half-way: every channel moves, the old chunk is archived
 * as usual (what could not be written in it is counted as lost packets),
 * and the command fails with ROTATION_FAIL_CONSUMER and a detail naming the
 * new chunk and the errno. The consumer makes the missing files once it
 * can, and metadata the registry could not push is pushed again before the
 * next rotation, so the next archive is complete.
 *
 * A session streamed to a relay daemon has its chunks on the relay, which
 * lays them out as above: the consumer creates chunk index + 1 there, moves
 * every channel to it (streams keep their paths, relative to the chunk)
 * and closes the chunk left, with MOVE_TO_COMPLETED (rotate) or DELETE
 * (clear); the relay's path of the archive is returned as its location.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "access.h"
#include "buffer.h"
#include "cmd.h"
#include "comm/relayd-wire.h"
#include "consumer.h"
#include "log.h"
#include "macros.h"
#include "paths.h"
#include "registry.h"
#include "relay-output.h"

#define CHUNK_TIME_LEN 32
/* How often and how long a rotation asks whether the relay has finished with a chunk. */
#define RELAY_CHUNK_POLL_NS 10000000L
#define RELAY_CHUNK_POLLS   3000

struct rotate_walk {
	struct session *s;
	char new_root[PATH_MAX]; /* output_path + the new chunk_dir */
	bool to_none;            /* the channels go to no chunk: they are told an empty path */
	int error;               /* the first channel's error */
	int err;                 /* the errno the consumer gave for it, 0 if none */
};

/* What the session owner's process does on disk (async-signal-safe calls only). */
struct archive_move {
	const char *archives; /* <output>/archives */
	const char *archive;  /* <output>/archives/<begin>-<end>-<n> */
	const char *from;     /* the old chunk: <output>/ust or <output>/<begin>-<n> */
	const char *to;       /* where it goes: archive/ust or archive */
};

static int chunk_time(time_t t, char ret[CHUNK_TIME_LEN])
{
	struct tm tm;

	if (!localtime_r(&t, &tm) || !strftime(ret, CHUNK_TIME_LEN, "%Y%m%dT%H%M%S%z", &tm))
		return -RINGTRACE_ERR_FATAL;
	return 0;
}

static void walk_failed(struct rotate_walk *w, int error)
{
	if (!w->error)
		w->error = error;
}

/* A channel that cannot move is reported; the others move on regardless. */
static void rotate_channel(struct rotate_walk *w, uint64_t key, struct ust_registry *metadata,
                           const char *path)
{
	int r = metadata ? ust_registry_rotate_metadata(metadata, path)
	                 : consumer_rotate_channel(key, path);

	if (r < 0) {
		log_error("Session %s: rotation of consumer channel %" PRIu64
		          " into %s failed (%d): it writes nothing until the next rotation",
		          w->s->name, key, path[0] ? path : "no chunk", r);
		if (!w->error)
			w->err = consumer_last_errno();
		walk_failed(w, r == -CONSUMERD_ROTATION_FAIL || r == -CONSUMERD_OUTFD_ERROR
		                   ? -RINGTRACE_ERR_ROTATION_FAIL_CONSUMER
		                   : cmd_error_from_consumer(r));
	}
}

static int rotate_buffer(struct buffer *buf, void *arg)
{
	struct rotate_walk *w = arg;
	const struct buffer_channel *chan;
	char path[PATH_MAX] = "";
	int n = w->to_none ? 0 : snprintf(path, sizeof(path), "%s/%s", w->new_root, buf->dir);

	if (n < 0 || n >= (int)sizeof(path)) {
		walk_failed(w, -RINGTRACE_ERR_OUTPUT_PATH);
		return 0;
	}
	cds_list_for_each_entry (chan, &buf->channels, node)
		rotate_channel(w, chan->key, NULL, path);
	rotate_channel(w, buf->metadata_key, buf->registry, path);
	return 0;
}

static int move_to_archives(void *arg)
{
	const struct archive_move *m = arg;
	int r = rt_mkdir_p(m->archives, 0770);

	if (r < 0)
		return r;
	/* The first chunk's ust/ goes into a new directory; later chunks are one directory. */
	if (m->to != m->archive && mkdir(m->archive, 0770) < 0)
		return -errno;
	if (rename(m->from, m->to) == 0)
		return 0;
	/* No app ever wrote to this chunk: the archive is an empty directory. */
	if (errno == ENOENT)
		return m->to == m->archive && mkdir(m->archive, 0770) < 0 ? -errno : 0;
	return -errno;
}

static int archive_chunk(struct session *s, const struct session_pending_archive *c,
                         char ret_path[PATH_MAX])
{
	char begin_str[CHUNK_TIME_LEN], end_str[CHUNK_TIME_LEN];
	char archives[PATH_MAX], from[PATH_MAX], to[PATH_MAX];
	struct archive_move m = {.archives = archives, .archive = ret_path, .from = from};
	int r;

	if (chunk_time(c->begin, begin_str) < 0 || chunk_time(c->end, end_str) < 0)
		return -RINGTRACE_ERR_FATAL;
	if (rt_path_format(archives, "%s/archives", s->output_path) < 0 ||
	    rt_path_format(ret_path, "%s/%s-%s-%" PRIu64, archives, begin_str, end_str, c->index) <
	        0 ||
	    rt_path_format(from, "%s%s", s->output_path, c->chunk_dir[0] ? c->chunk_dir : "/ust") <
	        0 ||
	    rt_path_format(to, "%s/ust", ret_path) < 0)
		return -RINGTRACE_ERR_OUTPUT_PATH;
	m.to = c->chunk_dir[0] ? ret_path : to;
	r = access_run_as(s->uid, s->gid, move_to_archives, &m);
	if (r < 0) {
		log_error("Session %s: cannot move trace chunk %" PRIu64 " from %s to %s: %s; "
		          "it stays complete where it is, moved by the next rotation",
		          s->name, c->index, from, m.to, strerror(-r));
		return -RINGTRACE_ERR_CREATE_DIR_FAIL;
	}
	return 0;
}

/* Archives the current chunk, ended at end; if it cannot be, it waits in pending_archives. */
static int archive_current_chunk(struct session *s, time_t end, char ret_path[PATH_MAX])
{
	struct session_pending_archive c = {
	    .index = s->chunk_index, .begin = s->chunk_begin, .end = end};
	struct session_pending_archive *grown;
	int r;

	strcpy(c.chunk_dir, s->chunk_dir);
	r = archive_chunk(s, &c, ret_path);
	if (r == 0)
		return 0;
	grown = realloc(s->pending_archives, (s->nr_pending_archives + 1) * sizeof(*grown));
	if (!grown) {
		log_error("Session %s: out of memory: trace chunk %" PRIu64 " stays where it is",
		          s->name, c.index);
		return r;
	}
	s->pending_archives = grown;
	s->pending_archives[s->nr_pending_archives++] = c;
	return r;
}

/* The chunks earlier rotations could not move, oldest first, as long as they can be. */
static void archive_pending_chunks(struct session *s)
{
	char path[PATH_MAX];
	size_t done = 0;

	if (!s->nr_pending_archives)
		return;
	while (done < s->nr_pending_archives &&
	       archive_chunk(s, &s->pending_archives[done], path) == 0) {
		log_info("Session %s: trace chunk %" PRIu64 " archived late in %s", s->name,
		         s->pending_archives[done].index, path);
		done++;
	}
	memmove(s->pending_archives, s->pending_archives + done,
	        (s->nr_pending_archives - done) * sizeof(*s->pending_archives));
	s->nr_pending_archives -= done;
}

/* Moves every channel of the session from the current chunk to new_dir (NULL: to none). */
static int rotate_channels(struct session *s, const char *new_dir, struct rotate_walk *w)
{
	*w = (struct rotate_walk){.s = s, .to_none = !new_dir};
	if (rt_path_format(w->new_root, "%s%s", s->output_path, new_dir ? new_dir : "") < 0)
		return -RINGTRACE_ERR_OUTPUT_PATH;
	(void)buffer_for_each(s, rotate_buffer, w);
	return w->error;
}

static int push_pending_metadata(struct buffer *buf, void *arg)
{
	(void)arg;
	ust_registry_push_pending(buf->registry);
	return 0;
}

/* The name of the chunk after the current one, beginning now: "/<now>-<index + 1>". */
static int next_chunk_dir(const struct session *s, time_t now, char ret[sizeof(s->chunk_dir)])
{
	char now_str[CHUNK_TIME_LEN];
	int n;

	if (chunk_time(now, now_str) < 0)
		return -RINGTRACE_ERR_FATAL;
	n = snprintf(ret, sizeof(s->chunk_dir), "/%s-%" PRIu64, now_str, s->chunk_index + 1);
	return n < 0 || n >= (int)sizeof(s->chunk_dir) ? -RINGTRACE_ERR_OUTPUT_PATH : 0;
}

static void chunk_started(struct session *s, const char *dir, time_t begin)
{
	memmove(s->chunk_dir, dir, strlen(dir) + 1);
	s->chunk_begin = begin;
	s->chunk_index++;
}

static int make_dir(void *arg)
{
	return rt_mkdir_p(arg, 0770);
}

/* <output><dir>/ust, by the session's user: 0 or -RINGTRACE_ERR_CREATE_DIR_FAIL (logged). */
static int make_chunk_dir(struct session *s, const char *dir, char ret_root[PATH_MAX])
{
	char ust[PATH_MAX];
	int r;

	if (rt_path_format(ret_root, "%s%s", s->output_path, dir) < 0 ||
	    rt_path_format(ust, "%s/ust", ret_root) < 0)
		return -RINGTRACE_ERR_OUTPUT_PATH;
	r = access_run_as(s->uid, s->gid, make_dir, ust);
	if (r < 0) {
		log_error("Session %s: cannot create trace chunk directory %s: %s", s->name, ust,
		          strerror(-r));
		return -RINGTRACE_ERR_CREATE_DIR_FAIL;
	}
	return 0;
}

/*
 * The new chunk's directory is made before any channel moves: if it cannot
 * be, nothing changes and the session goes on in its chunk. A channel that
 * cannot move, or an old chunk that cannot be archived, is reported, but
 * the session is then in its new chunk all the same.
 */
static int session_rotate(struct session *s, char ret_archive[PATH_MAX])
{
	struct rotate_walk w;
	char new_dir[sizeof(s->chunk_dir)], new_root[PATH_MAX];
	time_t now = time(NULL);
	bool reopen = s->active; /* a stopped session gets its next chunk at start */
	int r = reopen ? next_chunk_dir(s, now, new_dir) : 0, moved;

	if (r == 0 && reopen)
		r = make_chunk_dir(s, new_dir, new_root);
	if (r < 0)
		return r;
	archive_pending_chunks(s);
	/* Metadata a full disk kept out of the chunk left goes into it now, if it can. */
	buffer_for_each(s, push_pending_metadata, NULL);
	moved = rotate_channels(s, reopen ? new_dir : NULL, &w);
	r = archive_current_chunk(s, now, ret_archive);
	/* The channels write to the new chunk whether or not the old one could be moved. */
	if (reopen)
		chunk_started(s, new_dir, now);
	else
		s->chunk_closed = true;
	s->rotated = true;
	if (r < 0)
		return moved < 0 ? moved : r;
	log_info("Session %s: trace chunk archived in %s", s->name, ret_archive);
	if (moved < 0) {
		log_error("Session %s: the new trace chunk %s is incomplete (files the consumer "
		          "could not create or write: %s); they are made as soon as they can be, "
		          "and the next rotation archives them",
		          s->name, w.new_root, w.err ? strerror(w.err) : "see its log");
		cmd_set_error_detail("%s: %s: trace files or metadata missing; they are made as "
		                     "soon as they can be. The chunk before is archived in %s",
		                     w.new_root, w.err ? strerror(w.err) : "see the consumer's log",
		                     ret_archive);
		return moved;
	}
	return 0;
}

/*
 * Until the relay has finished with a closed chunk (its streams moved on),
 * as lttng's rotation waits; the consumer is free between the queries, so
 * that buffers being released meanwhile can go.
 */
static int wait_relay_chunk_gone(const struct session *s, uint64_t chunk_id)
{
	const struct timespec pause = {.tv_nsec = RELAY_CHUNK_POLL_NS};

	for (int i = 0; i < RELAY_CHUNK_POLLS; i++) {
		int r = consumer_trace_chunk_exists(s->id, chunk_id);

		if (r <= 0)
			return r;
		nanosleep(&pause, NULL);
	}
	log_error(
	    "Session %s: the relay daemon still writes into trace chunk %" PRIu64 " after %d s",
	    s->name, chunk_id, RELAY_CHUNK_POLLS * (int)(RELAY_CHUNK_POLL_NS / 1000000) / 1000);
	return -CONSUMERD_CLOSE_TRACE_CHUNK_FAILED;
}

static int session_rotate_relay(struct session *s, uint32_t close_command,
                                char ret_location[PATH_MAX])
{
	char relay_path[PATH_MAX];
	struct rotate_walk w = {0};
	uint64_t left = s->chunk_index;
	bool reopen = s->active; /* a stopped session gets its next chunk at start */
	int r = reopen ? consumer_create_trace_chunk(s->id, left + 1) : 0;

	if (r == 0) {
		if (reopen) {
			s->chunk_index = left + 1;
			s->chunk_begin = time(NULL);
		}
		r = rotate_channels(s, reopen ? "" : NULL, &w);
		if (r == 0)
			r = consumer_close_trace_chunk(s->id, left, close_command, relay_path);
		if (r == 0 && !reopen)
			s->chunk_closed = true;
		if (r == 0)
			r = wait_relay_chunk_gone(s, left);
		if (r < 0 && r != w.error)
			r = cmd_error_from_consumer(r);
	} else {
		r = cmd_error_from_consumer(r);
	}
	if (r < 0) {
		log_error("Session %s: trace chunk %" PRIu64 " could not be %s on the relay daemon",
		          s->name, left,
		          close_command == RELAYD_CHUNK_CLOSE_DELETE ? "deleted" : "archived");
		return r;
	}
	if (close_command == RELAYD_CHUNK_CLOSE_MOVE_TO_COMPLETED)
		s->rotated = true;
	if (ret_location)
		session_relay_archive_location(s, relay_path, ret_location);
	log_info("Session %s: trace chunk %" PRIu64 " %s on the relay daemon (%s)", s->name, left,
	         close_command == RELAYD_CHUNK_CLOSE_DELETE ? "deleted" : "archived", relay_path);
	return 0;
}

/* A relay session's next chunk: created on the relay, then every channel moved to it. */
static int open_next_relay_chunk(struct session *s)
{
	struct rotate_walk w;
	int r = consumer_create_trace_chunk(s->id, s->chunk_index + 1);

	if (r < 0) {
		log_error("Session %s: trace chunk %" PRIu64
		          " could not be created on the relay daemon",
		          s->name, s->chunk_index + 1);
		return cmd_error_from_consumer(r);
	}
	s->chunk_index++;
	s->chunk_begin = time(NULL);
	s->chunk_closed = false;
	return rotate_channels(s, "", &w);
}

int cmd_session_open_next_chunk(struct session *s)
{
	char new_dir[sizeof(s->chunk_dir)] = "", root[PATH_MAX];
	struct rotate_walk w;
	time_t now = time(NULL);
	int r;

	if (s->relay)
		return open_next_relay_chunk(s);
	/* As lttng's: a session never rotated, only cleared, writes in place again. */
	r = s->rotated ? next_chunk_dir(s, now, new_dir) : 0;
	if (r == 0)
		r = make_chunk_dir(s, new_dir, root);
	if (r < 0)
		return r;
	r = rotate_channels(s, new_dir, &w);
	chunk_started(s, new_dir, now);
	s->chunk_closed = false;
	log_info("Session %s: trace chunk %" PRIu64 " opened in %s", s->name, s->chunk_index, root);
	return r;
}

int cmd_session_rotate(struct session *s, char ret_archive[PATH_MAX])
{
	uint64_t id = s->chunk_index;
	int r;

	/* As lttng: live sessions are cleared but never rotated. */
	if (s->snapshot_mode || (s->relay && s->relay->live_timer_us))
		return -RINGTRACE_ERR_ROTATION_NOT_AVAILABLE;
	if (!s->has_been_started)
		return -RINGTRACE_ERR_START_SESSION_ONCE;
	if (!s->output_path[0] && !(s->relay && s->relay->connected))
		return -RINGTRACE_ERR_NO_SESSION_OUTPUT;
	/* As lttng: after a stop, one rotation; more would only make empty archives. */
	if (s->rotated_after_last_stop)
		return -RINGTRACE_ERR_ROTATION_MULTIPLE_AFTER_STOP;
	if (s->cleared_after_last_stop)
		return -RINGTRACE_ERR_ROTATION_AFTER_STOP_CLEAR;
	r = s->relay ? session_rotate_relay(s, RELAYD_CHUNK_CLOSE_MOVE_TO_COMPLETED, ret_archive)
	             : session_rotate(s, ret_archive);
	if (!s->active)
		s->rotated_after_last_stop = true;
	s->last_rotation_id = id;
	s->last_rotation_state =
	    r < 0 ? RINGTRACE_ROTATION_STATE_ERROR : RINGTRACE_ROTATION_STATE_COMPLETED;
	snprintf(s->last_archive, sizeof(s->last_archive), "%s", r < 0 ? "" : ret_archive);
	return r;
}

bool cmd_session_archive_last_chunk(struct session *s, char ret_location[PATH_MAX])
{
	if (!s->rotated || s->active)
		return false;
	if (!s->relay)
		archive_pending_chunks(s);
	if (s->chunk_closed || (s->relay && !s->relay->connected))
		return false;
	/* The rotation of a stopped session: its channels go to no chunk, the chunk to archives. */
	return (s->relay
	            ? session_rotate_relay(s, RELAYD_CHUNK_CLOSE_MOVE_TO_COMPLETED, ret_location)
	            : session_rotate(s, ret_location)) == 0;
}

/* A stopped session's chunk is deleted and none is opened before the next start. */
static int session_clear_stopped(struct session *s, const char *old_root)
{
	struct rotate_walk w;
	int r = rotate_channels(s, NULL, &w);

	/* A channel that could not move writes nothing more: the chunk goes all the same. */
	s->chunk_closed = true;
	/* As lttng's, whose clear is a rotation: no rotation follows before the next start. */
	s->rotated_after_last_stop = s->cleared_after_last_stop = true;
	if (rt_remove_tree(old_root) < 0)
		return -RINGTRACE_ERR_FATAL;
	log_info("Session %s: cleared (chunk %s deleted)", s->name, old_root);
	return r;
}

static int session_clear(struct session *s)
{
	bool first = !s->chunk_dir[0];
	char old_root[PATH_MAX], new_dir[sizeof(s->chunk_dir)] = "", ust[PATH_MAX];
	struct rotate_walk w;
	time_t now = time(NULL);
	int r;

	if (rt_path_format(old_root, "%s%s", s->output_path, first ? "/ust" : s->chunk_dir) < 0)
		return -RINGTRACE_ERR_OUTPUT_PATH;
	if (!s->active)
		return session_clear_stopped(s, old_root);
	/* The first chunk is cleared in place: its files go before the channels reopen them. */
	if (first && rt_remove_tree(old_root) < 0)
		return -RINGTRACE_ERR_FATAL;
	r = first ? 0 : next_chunk_dir(s, now, new_dir);
	if (r == 0)
		r = rotate_channels(s, new_dir, &w);
	if (r < 0)
		return r;
	chunk_started(s, new_dir, now);
	if (!first) {
		r = rt_path_format(ust, "%s/ust", w.new_root);
		if (r == 0)
			r = access_run_as(s->uid, s->gid, make_dir, ust);
		if (r < 0)
			log_error("Session %s: cannot create %s: %s", s->name, ust, strerror(-r));
		if (rt_remove_tree(old_root) < 0)
			return -RINGTRACE_ERR_FATAL;
	}
	log_info("Session %s: cleared (chunk %s deleted)", s->name, old_root);
	return r < 0 ? -RINGTRACE_ERR_CREATE_DIR_FAIL : 0;
}

int cmd_clear_session(const struct cmd_ctx *ctx, struct cmd_reply *reply)
{
	struct session *s;
	int r = cmd_lookup_session(ctx, &s);

	(void)reply;
	if (r < 0)
		return r;
	if (!s->has_been_started)
		return 0; /* nothing was recorded */
	if (s->snapshot_mode)
		return cmd_snapshot_session_clear(s);
	/* Nothing recorded since a stopped session's chunk was closed. */
	if (s->chunk_closed)
		return 0;
	if (s->relay && s->relay->connected && !s->relay->clear_allowed) {
		log_warn("Session %s: the relay daemon does not allow clear (--disallow-clear)",
		         s->name);
		return -RINGTRACE_ERR_CLEAR_NOT_AVAILABLE_RELAY;
	}
	if (s->relay && s->relay->connected) {
		r = session_rotate_relay(s, RELAYD_CHUNK_CLOSE_DELETE, NULL);
		if (r == 0 && !s->active)
			s->rotated_after_last_stop = s->cleared_after_last_stop = true;
		return r;
	}
	if (!s->output_path[0]) {
		log_warn("Session %s: clear of a session without local output is not supported",
		         s->name);
		return -RINGTRACE_ERR_NOT_SUPPORTED;
	}
	return session_clear(s);
}

int cmd_rotate_session(const struct cmd_ctx *ctx, struct cmd_reply *reply)
{
	_cleanup_free_ char *archive = NULL;
	struct session *s;
	int r = cmd_lookup_session(ctx, &s);

	if (r < 0)
		return r;
	archive = calloc(1, RINGTRACE_PATH_MAX);
	if (!archive)
		return -RINGTRACE_ERR_NOMEM;
	r = cmd_session_rotate(s, archive);
	if (r < 0)
		return r;
	reply->payload = archive;
	reply->len = RINGTRACE_PATH_MAX;
	archive = NULL;
	return 0;
}

int cmd_rotation_get_info(const struct cmd_ctx *ctx, struct cmd_reply *reply)
{
	uint64_t id = ctx->msg->u.rotation_get_info.rotation_id;
	struct client_rotation_info *info;
	struct session *s;
	int r = cmd_lookup_session(ctx, &s);

	if (r < 0)
		return r;
	info = calloc(1, sizeof(*info));
	if (!info)
		return -RINGTRACE_ERR_NOMEM;
	if (!s->rotated)
		info->state = RINGTRACE_ROTATION_STATE_NO_ROTATION;
	else if (id != s->last_rotation_id)
		info->state = RINGTRACE_ROTATION_STATE_EXPIRED;
	else
		info->state = s->last_rotation_state;
	if (info->state == RINGTRACE_ROTATION_STATE_COMPLETED)
		memcpy(info->archive, s->last_archive, sizeof(info->archive));
	reply->payload = info;
	reply->len = sizeof(*info);
	return 0;
}

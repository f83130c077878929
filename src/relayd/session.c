/* SPDX-License-Identifier: MIT */
#include "session.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "chunk.h"
#include "common/log.h"
#include "output-path.h"
#include "relayd.h"
#include "stream.h"

#define SESSION_LINGER_MS 10000

static CDS_LIST_HEAD(sessions);
static uint64_t next_session_id = 1;

struct cds_list_head *session_list(void)
{
	return &sessions;
}

int session_create(const struct relayd_create_session *req, struct relay_session **ret_session)
{
	struct relay_session *session;
	int r;

	session = calloc(1, sizeof(*session));
	if (!session)
		return -ENOMEM;
	r = path_session_dir(req, relayd_config.group_by_session, session->dir);
	if (r < 0) {
		free(session);
		return r;
	}
	r = path_mkdirs(session->dir);
	if (r < 0) {
		log_error("cannot create session directory %s/%s: %s", relayd_config.output_dir,
		          session->dir, strerror(-r));
		free(session);
		return r;
	}
	session->id = next_session_id++;
	memcpy(session->name, req->session_name, sizeof(session->name));
	memcpy(session->hostname, req->hostname, sizeof(session->hostname));
	session->live_timer_us = req->live_timer_us;
	session->snapshot = req->snapshot;
	session->refcount = 1;
	CDS_INIT_LIST_HEAD(&session->streams);
	CDS_INIT_LIST_HEAD(&session->chunks);
	cds_list_add_tail(&session->node, &sessions);
	*ret_session = session;
	return 0;
}

void session_ref(struct relay_session *session)
{
	session->refcount++;
}

void session_unref(struct relay_session *session)
{
	struct relay_stream *stream, *stream_tmp;
	struct relay_chunk *chunk, *chunk_tmp;

	if (--session->refcount > 0)
		return;
	cds_list_for_each_entry_safe (stream, stream_tmp, &session->streams, session_node)
		stream_free(stream);
	cds_list_for_each_entry_safe (chunk, chunk_tmp, &session->chunks, node)
		chunk_free(chunk);
	cds_list_del(&session->node);
	log_debug("session %llu (%s/%s) freed", (unsigned long long)session->id, session->hostname,
	          session->name);
	free(session);
}

struct relay_session *session_find(uint64_t id)
{
	struct relay_session *session;

	cds_list_for_each_entry (session, &sessions, node) {
		if (session->id == id)
			return session;
	}
	return NULL;
}

void session_producer_open(struct relay_session *session)
{
	session->producers++;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static bool awaits_data(struct relay_session *session)
{
	struct relay_stream *stream;

	cds_list_for_each_entry (stream, &session->streams, session_node) {
		if (stream->close_requested && !stream->closed)
			return true;
	}
	return false;
}

/* Closes every open stream; ends the lingering (may free the session). */
static void close_streams(struct relay_session *session)
{
	struct relay_stream *stream;

	cds_list_for_each_entry (stream, &session->streams, session_node) {
		if (!stream->closed)
			stream_close_now(stream);
	}
	if (session->lingering) {
		session->lingering = false;
		session_unref(session);
	}
}

void session_producer_close(struct relay_session *session)
{
	if (--session->producers > 0)
		return;
	if (!session->lingering && awaits_data(session)) {
		session->lingering = true;
		session->linger_deadline_ms = now_ms() + SESSION_LINGER_MS;
		session_ref(session);
		log_debug("session %llu (%s/%s): producers gone, waiting for data in flight",
		          (unsigned long long)session->id, session->hostname, session->name);
		return;
	}
	close_streams(session);
}

void session_stream_completed(struct relay_session *session)
{
	if (session->lingering && session->producers == 0 && !awaits_data(session))
		close_streams(session);
}

int session_sweep_lingering(void)
{
	struct relay_session *session, *tmp;
	uint64_t now = now_ms(), next = UINT64_MAX;

	cds_list_for_each_entry_safe (session, tmp, &sessions, node) {
		if (!session->lingering)
			continue;
		if (session->linger_deadline_ms <= now) {
			log_warn("session %llu (%s/%s): data announced by CLOSE_STREAM never came; "
			         "closing its streams",
			         (unsigned long long)session->id, session->hostname, session->name);
			close_streams(session);
		} else if (session->linger_deadline_ms < next) {
			next = session->linger_deadline_ms;
		}
	}
	return next == UINT64_MAX ? -1 : (int)(next - now);
}

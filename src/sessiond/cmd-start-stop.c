/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "access.h"
#include "cmd.h"
#include "consumer-loss.h"
#include "consumer.h"
#include "log.h"
#include "paths.h"
#include "rotation-schedule.h"
#include "ust-app.h"

#define OUTPUT_DIR_MODE      0770
#define DATA_PENDING_POLL_MS 50

static int make_output_dir(void *arg)
{
	return rt_mkdir_p(arg, OUTPUT_DIR_MODE);
}

/*
 * The trace directory is created when tracing starts, by the session's
 * user; with it the first chunk's ust/, as lttng's, so that an archive of
 * it has one even if no app wrote to it.
 */
static int create_output_dir(struct session *s)
{
	char ust[PATH_MAX];

	if (rt_path_format(ust, "%s/ust", s->output_path) < 0)
		return -ENAMETOOLONG;
	return access_run_as(s->uid, s->gid, make_output_dir,
	                     s->has_been_started ? s->output_path : ust);
}

int cmd_start_trace(const struct cmd_ctx *ctx, struct cmd_reply *reply)
{
	struct session *s;
	int r;

	r = cmd_lookup_session(ctx, &s);
	if (r < 0)
		return r;
	if (s->active)
		return -RINGTRACE_ERR_TRACE_ALREADY_STARTED;
	/* lttng refuses with "No channel found in the session". */
	if (cds_list_empty(&s->channels))
		return -RINGTRACE_ERR_CHAN_NOT_FOUND;
	/* Snapshots make their own directories, relays theirs. */
	r = s->snapshot_mode || s->relay ? 0 : create_output_dir(s);
	if (r < 0) {
		log_error("Session %s: cannot create output directory %s: %s", s->name,
		          s->output_path, strerror(-r));
		return -RINGTRACE_ERR_CREATE_DIR_FAIL;
	}
	/* The chunk a stopped session's rotation or clear closed has its successor now. */
	r = s->chunk_closed ? cmd_session_open_next_chunk(s) : 0;
	if (r < 0) {
		log_error("Session %s: cannot open its next trace chunk (error %d)", s->name, -r);
		return r;
	}
	r = ust_app_session_start(s);
	if (r < 0) {
		log_error("Session %s: tracing could not start (error %d)", s->name, -r);
		return r;
	}
	s->active = true;
	if (!s->has_been_started)
		s->chunk_begin = time(NULL);
	s->has_been_started = true;
	s->rotated_after_last_stop = s->cleared_after_last_stop = false;
	rotation_schedule_session_started(s);
	log_info("Session %s: tracing started", s->name);
	return 0;
}

int cmd_session_stop(struct session *s)
{
	int r;

	/* Nothing can be flushed: the apps stop, and the loss is told again. */
	if (consumer_loss_check(s)) {
		ust_app_session_stop_apps(s);
		s->active = false;
		log_info("Session %s: tracing stopped (its consumer daemon died before)", s->name);
		return consumer_loss_refuse(s);
	}
	r = ust_app_session_stop(s);
	/* The apps were told to stop whatever the flush gave: the session is inactive. */
	s->active = false;
	if (r < 0)
		log_error("Session %s: stopping failed (error %d)", s->name, -r);
	else
		log_info("Session %s: tracing stopped", s->name);
	return r;
}

int cmd_stop_trace(const struct cmd_ctx *ctx, struct cmd_reply *reply)
{
	struct session *s;
	int r;

	r = cmd_lookup_session(ctx, &s);
	if (r < 0)
		return r;
	if (!s->active)
		return -RINGTRACE_ERR_TRACE_ALREADY_STOPPED;
	return cmd_session_stop(s);
}

struct started_sessions {
	uint64_t *ids;
	size_t count;
};

static int stop_and_collect(struct session *s, void *arg)
{
	struct started_sessions *started = arg;

	if (s->active)
		(void)cmd_session_stop(s);
	if (s->has_been_started)
		started->ids[started->count++] = s->id;
	return 0;
}

static int count_one(struct session *s, void *arg)
{
	(*(size_t *)arg)++;
	return 0;
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000};

	nanosleep(&ts, NULL);
}

/*
 * Shutdown: stop what traces, then give the consumer a moment to write what
 * was flushed. Data pending is asked without the session lock so that app
 * and metadata traffic keeps flowing meanwhile.
 */
void cmd_stop_all_sessions(unsigned wait_ms)
{
	struct started_sessions started = {0};
	size_t total = 0;

	session_list_lock();
	(void)session_for_each(count_one, &total);
	started.ids = calloc(total ? total : 1, sizeof(*started.ids));
	if (started.ids)
		(void)session_for_each(stop_and_collect, &started);
	session_list_unlock();
	if (!started.ids)
		return;

	for (unsigned waited = 0; started.count > 0 && waited < wait_ms;
	     waited += DATA_PENDING_POLL_MS) {
		size_t kept = 0;

		for (size_t i = 0; i < started.count; i++) {
			if (consumer_data_pending(started.ids[i]) > 0)
				started.ids[kept++] = started.ids[i];
		}
		started.count = kept;
		if (kept > 0)
			sleep_ms(DATA_PENDING_POLL_MS);
	}
	if (started.count > 0)
		log_warn("%zu session(s) still had data to write at shutdown", started.count);
	free(started.ids);
}

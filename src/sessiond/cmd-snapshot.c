/* SPDX-License-Identifier: MIT */
/*
 * Snapshot commands: SNAPSHOT_ADD_OUTPUT, DEL_OUTPUT, LIST_OUTPUT, RECORD,
 * with lttng 2.13's rules and errors.
 *
 * A snapshot session (create --snapshot) has no trace output: its channels
 * default to overwrite mode and are created unmonitored in the consumer,
 * which writes nothing until SNAPSHOT_CHANNEL. It has at most one snapshot
 * output (id from 1, name "snapshot-<id>" unless given), the first one set
 * at creation. RECORD needs a session started at least once (stopped is
 * fine) and writes, for the session's output or a one-time one given with
 * the command (name "snapshot-0" unless given),
 *   <dir>/<name>-<YYYYmmdd-HHMMSS>-<n>/ust/uid/<uid>/<bits>-bit/ (per-UID)
 *   <dir>/<name>-<YYYYmmdd-HHMMSS>-<n>/ust/pid/<procname>-<pid>-<datetime>/
 * (local time of the record; n counts the session's successful snapshots),
 * every data channel first, then the metadata, so the metadata covers every
 * event class the data uses. --max-size is spread over the streams as
 * lttng's sessiond does: the largest number of packets per stream such
 * that, counting a whole sub-buffer per packet and every stream of every
 * channel that still has that many sub-buffers, the total fits; a limit
 * that cannot take one packet of each stream is MAX_SIZE_INVALID. A
 * snapshot the consumer could not write whole is removed (SNAPSHOT_FAIL).
 * Network outputs (net://, tcp://) are refused: our consumer does not
 * stream to relay daemons yet.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "access.h"
#include "buffer-pid.h"
#include "buffer-uid.h"
#include "cmd.h"
#include "consumer.h"
#include "log.h"
#include "paths.h"

#define SNAPSHOT_DEFAULT_NAME "snapshot"
#define SNAPSHOT_DIR_MODE     0770

void cmd_snapshot_session_init(struct session *s, const char *path)
{
	s->snapshot_mode = true;
	s->snapshot_last_output_id = 1;
	s->snapshot_output = (struct session_snapshot_output){.id = 1};
	snprintf(s->snapshot_output.name, sizeof(s->snapshot_output.name),
	         SNAPSHOT_DEFAULT_NAME "-1");
	snprintf(s->snapshot_output.path, sizeof(s->snapshot_output.path), "%s", path);
}

/* The snapshot output carried as variable data, checked. */
static int output_from_request(const struct cmd_ctx *ctx, struct ringtrace_snapshot_output *ret)
{
	if (ctx->var_len != sizeof(*ret))
		return -RINGTRACE_ERR_PROTOCOL;
	memcpy(ret, ctx->var, sizeof(*ret));
	if (!CMD_STRING_OK(ret->name) || !CMD_STRING_OK(ret->url))
		return -RINGTRACE_ERR_PROTOCOL;
	return 0;
}

/* A snapshot session of the client's, or the error lttng gives. */
static int lookup_snapshot_session(const struct cmd_ctx *ctx, struct session **ret_session)
{
	int r = cmd_lookup_session(ctx, ret_session);

	if (r < 0)
		return r;
	return (*ret_session)->snapshot_mode ? 0 : -RINGTRACE_ERR_NOT_SNAPSHOT_SESSION;
}

/* The output the request carries and its snapshot session. */
static int snapshot_request(const struct cmd_ctx *ctx, struct ringtrace_snapshot_output *ret_req,
                            struct session **ret_session)
{
	int r = output_from_request(ctx, ret_req);

	return r < 0 ? r : lookup_snapshot_session(ctx, ret_session);
}

/* file://DIR or /DIR to DIR; network URLs are refused, anything else is INVALID. */
static int url_to_path(const struct session *s, const char *url, char ret_path[PATH_MAX])
{
	const char *path = url;

	if (strncmp(url, "file://", 7) == 0)
		path = url + 7;
	else if (strstr(url, "://")) {
		log_warn("Session %s: snapshot output %s: only local outputs are supported (the "
		         "consumer does not stream to relay daemons yet)",
		         s->name, url);
		return -RINGTRACE_ERR_NOT_SUPPORTED;
	}
	if (path[0] != '/' || strlen(path) >= PATH_MAX) {
		log_warn("Session %s: snapshot output \"%s\" is not an absolute path", s->name,
		         url);
		return -RINGTRACE_ERR_INVALID;
	}
	strcpy(ret_path, path);
	return 0;
}

int cmd_snapshot_add_output(const struct cmd_ctx *ctx, struct cmd_reply *reply)
{
	struct ringtrace_snapshot_output req;
	struct session_snapshot_output out = {0};
	uint32_t *id;
	struct session *s;
	int r;

	r = snapshot_request(ctx, &req, &s);
	if (r < 0)
		return r;
	if (s->snapshot_output.id)
		return -RINGTRACE_ERR_SNAPSHOT_OUTPUT_EXIST;
	r = url_to_path(s, req.url, out.path);
	if (r < 0)
		return r;
	id = malloc(sizeof(*id));
	if (!id)
		return -RINGTRACE_ERR_NOMEM;
	out.id = ++s->snapshot_last_output_id;
	out.max_size = req.max_size == UINT64_MAX ? 0 : req.max_size;
	if (req.name[0])
		memcpy(out.name, req.name, sizeof(out.name));
	else
		snprintf(out.name, sizeof(out.name), SNAPSHOT_DEFAULT_NAME "-%" PRIu32, out.id);
	s->snapshot_output = out;
	log_info("Session %s: snapshot output [%" PRIu32 "] %s: %s", s->name, out.id, out.name,
	         out.path);
	*id = out.id;
	reply->payload = id;
	reply->len = sizeof(*id);
	return 0;
}

int cmd_snapshot_del_output(const struct cmd_ctx *ctx, struct cmd_reply *reply)
{
	struct ringtrace_snapshot_output req;
	const struct session_snapshot_output *out;
	struct session *s;
	int r;

	(void)reply;
	r = snapshot_request(ctx, &req, &s);
	if (r < 0)
		return r;
	out = &s->snapshot_output;
	if (!out->id || !(req.id ? req.id == out->id : req.name[0] && !strcmp(req.name, out->name)))
		return -RINGTRACE_ERR_INVALID; /* lttng: "Invalid parameter" */
	log_info("Session %s: snapshot output [%" PRIu32 "] %s deleted", s->name, out->id,
	         out->name);
	s->snapshot_output = (struct session_snapshot_output){0};
	return 0;
}

int cmd_snapshot_list_output(const struct cmd_ctx *ctx, struct cmd_reply *reply)
{
	struct ringtrace_snapshot_output *list;
	const struct session_snapshot_output *out;
	struct session *s;
	int r = lookup_snapshot_session(ctx, &s);

	if (r < 0)
		return r;
	out = &s->snapshot_output;
	if (!out->id)
		return 0;
	list = calloc(1, sizeof(*list));
	if (!list)
		return -RINGTRACE_ERR_NOMEM;
	list->id = out->id;
	list->max_size = out->max_size;
	memcpy(list->name, out->name, sizeof(list->name));
	memcpy(list->url, out->path, sizeof(list->url));
	reply->payload = list;
	reply->len = sizeof(*list);
	return 0;
}

/* --- record --- */

struct snapshot_walk {
	struct session *s;
	const char *dir; /* <output>/<name>-<datetime>-<n> */
	uint64_t nb_packets;
	uint64_t cur_packets; /* size pass: packets per stream already counted */
	uint64_t total;       /* size pass: bytes one more packet per stream adds */
	int error;
	int err; /* the errno the consumer gave for the error, 0 if none */
};

static const struct session_channel *channel_by_id(const struct session *s, uint32_t id)
{
	const struct session_channel *chan;

	cds_list_for_each_entry (chan, &s->channels, node) {
		if (chan->id == id)
			return chan;
	}
	return NULL;
}

/* Bytes one more packet of each stream of a channel adds, 0 once it gives all it holds. */
static uint64_t one_more_packet(const struct snapshot_walk *w, uint32_t chan_id,
                                uint32_t nr_streams)
{
	const struct session_channel *chan = channel_by_id(w->s, chan_id);

	if (!chan || w->cur_packets >= chan->attr.num_subbuf)
		return 0;
	return chan->attr.subbuf_size * nr_streams;
}

static int size_uid(struct buffer_uid *buf, void *arg)
{
	struct snapshot_walk *w = arg;
	const struct buffer_uid_channel *chan;

	cds_list_for_each_entry (chan, &buf->channels, node)
		w->total += one_more_packet(w, chan->session_chan_id, chan->nr_streams);
	return 0;
}

static int size_pid(struct buffer_pid *buf, void *arg)
{
	struct snapshot_walk *w = arg;
	const struct buffer_pid_channel *chan;

	cds_list_for_each_entry (chan, &buf->channels, node)
		w->total += one_more_packet(w, chan->session_chan_id, chan->nr_streams);
	return 0;
}

/* Packets per stream within max_size: 0 = all, -1 = not even one of each stream. */
static int64_t packets_per_stream(struct snapshot_walk *w, uint64_t max_size)
{
	uint64_t left = max_size;

	if (!max_size)
		return 0;
	for (w->cur_packets = 0;; w->cur_packets++) {
		w->total = 0;
		buffer_uid_for_each(w->s, size_uid, w);
		buffer_pid_for_each(w->s, size_pid, w);
		if (!w->total)
			break; /* every packet of every stream fits */
		if (w->total > left)
			return w->cur_packets ? (int64_t)w->cur_packets : -1;
		left -= w->total;
	}
	return (int64_t)w->cur_packets;
}

static int snapshot_one(struct snapshot_walk *w, uint64_t key, bool metadata, const char *path)
{
	int r = consumer_snapshot_channel(key, metadata, path, w->nb_packets);

	if (r < 0) {
		log_error("Session %s: snapshot of consumer channel %" PRIu64 " into %s failed: %s",
		          w->s->name, key, path, buffer_uid_consumer_strerror(r));
		w->error = r == -CONSUMERD_SNAPSHOT_FAILED ? -RINGTRACE_ERR_SNAPSHOT_FAIL
		                                           : buffer_uid_consumer_error(r);
		w->err = consumer_last_errno();
		return 1;
	}
	return 0;
}

static int record_uid(struct buffer_uid *buf, void *arg)
{
	struct snapshot_walk *w = arg;
	const struct buffer_uid_channel *chan;
	char path[PATH_MAX];
	int n = snprintf(path, sizeof(path), "%s/ust/uid/%" PRIu32 "/%" PRIu32 "-bit", w->dir,
	                 buf->uid, buf->bits_per_long);

	if (n < 0 || n >= (int)sizeof(path)) {
		w->error = -RINGTRACE_ERR_OUTPUT_PATH;
		return 1;
	}
	cds_list_for_each_entry (chan, &buf->channels, node) {
		if (snapshot_one(w, chan->key, false, path))
			return 1;
	}
	return snapshot_one(w, buf->metadata_key, true, path);
}

static int record_pid(struct buffer_pid *buf, void *arg)
{
	struct snapshot_walk *w = arg;
	const struct buffer_pid_channel *chan;
	char path[PATH_MAX];
	/* buf->path is relative in snapshot sessions: /ust/pid/<procname>-<pid>-<datetime>. */
	int n = snprintf(path, sizeof(path), "%s%s", w->dir, buf->path);

	if (n < 0 || n >= (int)sizeof(path)) {
		w->error = -RINGTRACE_ERR_OUTPUT_PATH;
		return 1;
	}
	cds_list_for_each_entry (chan, &buf->channels, node) {
		if (snapshot_one(w, chan->key, false, path))
			return 1;
	}
	return snapshot_one(w, buf->metadata_key, true, path);
}

static int make_dir(void *arg)
{
	return rt_mkdir_p(arg, SNAPSHOT_DIR_MODE);
}

/*
 * A snapshot that could not be written whole (disk full, output gone) is
 * removed: its metadata comes last, so what is left would not even read,
 * and it holds the space the next snapshot needs. The command fails.
 */
static void discard_incomplete(const struct session *s, const char *dir, int err)
{
	const char *why = err ? strerror(err) : "see the consumer daemon's log";
	int r = rt_remove_tree(dir);

	if (r < 0) {
		log_error("Session %s: incomplete snapshot %s could not all be removed: %s",
		          s->name, dir, strerror(-r));
		cmd_set_error_detail("%s: %s; this incomplete snapshot could not all be removed",
		                     dir, why);
		return;
	}
	log_error("Session %s: incomplete snapshot %s removed", s->name, dir);
	cmd_set_error_detail("%s: %s; this incomplete snapshot was removed", dir, why);
}

static int snapshot_record(struct session *s, const struct session_snapshot_output *out)
{
	struct snapshot_walk w = {.s = s};
	char dir[PATH_MAX], ust[PATH_MAX], datetime[16];
	time_t now = time(NULL);
	struct tm tm;
	int64_t nb;
	int n, r;

	if (!localtime_r(&now, &tm) || !strftime(datetime, sizeof(datetime), "%Y%m%d-%H%M%S", &tm))
		return -RINGTRACE_ERR_INVALID;
	n = snprintf(dir, sizeof(dir), "%s/%s-%s-%" PRIu64, out->path, out->name, datetime,
	             s->snapshot_count);
	if (n < 0 || n >= (int)sizeof(dir) ||
	    snprintf(ust, sizeof(ust), "%s/ust", dir) >= (int)sizeof(ust))
		return -RINGTRACE_ERR_OUTPUT_PATH;
	nb = packets_per_stream(&w, out->max_size);
	if (nb < 0) {
		log_warn("Session %s: snapshot max size %" PRIu64
		         " bytes cannot hold one packet of each stream",
		         s->name, out->max_size);
		return -RINGTRACE_ERR_MAX_SIZE_INVALID;
	}
	w.nb_packets = (uint64_t)nb;
	w.dir = dir;
	/* The directories are the session owner's, made with its credentials. */
	r = access_run_as(s->uid, s->gid, make_dir, ust);
	if (r < 0) {
		log_error("Session %s: cannot create snapshot directory %s: %s", s->name, ust,
		          strerror(-r));
		cmd_set_error_detail("cannot create %s: %s", ust, strerror(-r));
		return -RINGTRACE_ERR_CREATE_DIR_FAIL;
	}
	if (buffer_uid_for_each(s, record_uid, &w) || buffer_pid_for_each(s, record_pid, &w)) {
		discard_incomplete(s, dir, w.err);
		return w.error;
	}
	log_info("Session %s: snapshot recorded in %s (%" PRIu64 " packets per stream at most, "
	         "0: all)",
	         s->name, dir, w.nb_packets);
	return 0;
}

int cmd_snapshot_record(const struct cmd_ctx *ctx, struct cmd_reply *reply)
{
	struct ringtrace_snapshot_output req;
	struct session_snapshot_output out = {0};
	struct session *s;
	int r;

	(void)reply;
	r = snapshot_request(ctx, &req, &s);
	if (r < 0)
		return r;
	if (!s->has_been_started)
		return -RINGTRACE_ERR_START_SESSION_ONCE;
	if (req.url[0]) {
		r = url_to_path(s, req.url, out.path);
		if (r < 0)
			return r;
		snprintf(out.name, sizeof(out.name), SNAPSHOT_DEFAULT_NAME "-0");
	} else if (s->snapshot_output.id) {
		out = s->snapshot_output;
	} else {
		log_warn("Session %s: no snapshot output to record to", s->name);
		return -RINGTRACE_ERR_SNAPSHOT_FAIL;
	}
	if (req.name[0])
		memcpy(out.name, req.name, sizeof(out.name));
	if (req.max_size != UINT64_MAX)
		out.max_size = req.max_size;
	r = snapshot_record(s, &out);
	if (r < 0)
		return r;
	s->snapshot_count++;
	return 0;
}

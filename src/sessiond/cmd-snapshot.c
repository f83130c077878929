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
 * that cannot take one packet of each stream is MAX_SIZE_INVALID.
 *
 * A network output (net://HOST[:CTRL[:DATA]][/DIR], resolved when set) is
 * recorded as lttng 2.13 does (reference/relayd-protocol.md section 7): a
 * new control and data connection pair per record (relay-output.h,
 * CREATE_SESSION snapshot = 1, the session's name and creation time), handed
 * to the consumer, a trace chunk named <name>-<YYYYmmdd-HHMMSS>-<n> (its
 * id n), the channels as above with paths relative to that chunk, the chunk
 * closed (NO_OPERATION), the connections released. The relay writes
 * <session dir>/<chunk name>/ust/uid/<uid>/<bits>-bit/, without index/.
 *
 * A local snapshot the consumer could not write whole is removed
 * (SNAPSHOT_FAIL): see discard_incomplete().
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "access.h"
#include "buffer.h"
#include "cmd.h"
#include "comm/relayd-wire.h"
#include "consumer.h"
#include "log.h"
#include "paths.h"
#include "relay-output.h"

#define SNAPSHOT_DEFAULT_NAME "snapshot"
#define SNAPSHOT_DIR_MODE     0770

/*
 * Where url points: file://DIR or /DIR, or a relay daemon (net://,
 * tcp://…, the canonical form the CLI sends). Anything else is INVALID.
 */
static int output_set_url(const struct session *s, const char *url, const char *data_url,
                          struct session_snapshot_output *out)
{
	const char *path = url;
	char err[512] = "";

	if (rt_net_url_is_network(url)) {
		if ((data_url[0] ? rt_net_url_parse_pair(url, data_url, &out->net, err, sizeof(err))
		                 : rt_net_url_parse(url, &out->net, err, sizeof(err))) < 0 ||
		    rt_net_url_resolve(&out->net, err, sizeof(err)) < 0) {
			log_warn("Session %s: snapshot output %s: %s", s->name, url,
			         err[0] ? err : "not a net:// URL");
			return -RINGTRACE_ERR_INVALID;
		}
		out->is_net = true;
		out->path[0] = '\0';
		return 0;
	}
	if (strncmp(url, "file://", 7) == 0)
		path = url + 7;
	if (path[0] != '/' || strlen(path) >= PATH_MAX) {
		log_warn("Session %s: snapshot output \"%s\" is not an absolute path", s->name,
		         url);
		return -RINGTRACE_ERR_INVALID;
	}
	strcpy(out->path, path);
	out->is_net = false;
	return 0;
}

int cmd_snapshot_session_init(struct session *s, const char *url, const char *data_url)
{
	struct session_snapshot_output out = {.id = 1};
	int r = output_set_url(s, url, data_url, &out);

	if (r < 0)
		return r;
	snprintf(out.name, sizeof(out.name), SNAPSHOT_DEFAULT_NAME "-1");
	s->snapshot_mode = true;
	s->snapshot_last_output_id = 1;
	s->snapshot_output = out;
	return 0;
}

/* lttng's display of an output: its directory, or the relay's control URL. */
static void output_describe(const struct session_snapshot_output *out, char *buf, size_t size)
{
	if (!out->is_net)
		snprintf(buf, size, "%s", out->path);
	else if (rt_net_endpoint_format(&out->net.ctrl, out->net.path, buf, size) < 0)
		snprintf(buf, size, "net://%s", out->net.ctrl.host);
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

int cmd_snapshot_add_output(const struct cmd_ctx *ctx, struct cmd_reply *reply)
{
	struct ringtrace_snapshot_output req;
	struct session_snapshot_output out = {0};
	char where[PATH_MAX];
	uint32_t *id;
	struct session *s;
	int r;

	r = snapshot_request(ctx, &req, &s);
	if (r < 0)
		return r;
	if (s->snapshot_output.id)
		return -RINGTRACE_ERR_SNAPSHOT_OUTPUT_EXIST;
	r = output_set_url(s, req.url, "", &out);
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
	output_describe(&out, where, sizeof(where));
	log_info("Session %s: snapshot output [%" PRIu32 "] %s: %s", s->name, out.id, out.name,
	         where);
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
	output_describe(out, list->url, sizeof(list->url));
	reply->payload = list;
	reply->len = sizeof(*list);
	return 0;
}

/* --- record --- */

struct snapshot_walk {
	struct session *s;
	const char *dir; /* <output>/<name>-<datetime>-<n>, "" (the chunk) to a relay */
	bool relayd;
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

static int size_buffer(struct buffer *buf, void *arg)
{
	struct snapshot_walk *w = arg;
	const struct buffer_channel *chan;

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
		buffer_for_each(w->s, size_buffer, w);
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
	int r = consumer_snapshot_channel(key, metadata, w->relayd, path, w->nb_packets);

	if (r < 0) {
		log_error("Session %s: snapshot of consumer channel %" PRIu64
		          " into %s%s failed: %s",
		          w->s->name, key, w->relayd ? "relay chunk path " : "", path,
		          consumer_strerror(r));
		w->error = r == -CONSUMERD_SNAPSHOT_FAILED ? -RINGTRACE_ERR_SNAPSHOT_FAIL
		                                           : cmd_error_from_consumer(r);
		w->err = consumer_last_errno();
		return 1;
	}
	return 0;
}

static int record_buffer(struct buffer *buf, void *arg)
{
	struct snapshot_walk *w = arg;
	const struct buffer_channel *chan;
	char path[PATH_MAX];
	int n = snprintf(path, sizeof(path), "%s/%s", w->dir, buf->dir);

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

static int walk_channels(struct snapshot_walk *w)
{
	return buffer_for_each(w->s, record_buffer, w) ? w->error : 0;
}

/* The per-stream packet budget of out->max_size into w. */
static int snapshot_budget(struct snapshot_walk *w, const struct session_snapshot_output *out)
{
	int64_t nb = packets_per_stream(w, out->max_size);

	if (nb < 0) {
		log_warn("Session %s: snapshot max size %" PRIu64
		         " bytes cannot hold one packet of each stream",
		         w->s->name, out->max_size);
		return -RINGTRACE_ERR_MAX_SIZE_INVALID;
	}
	w->nb_packets = (uint64_t)nb;
	return 0;
}

/* To a relay daemon, in the trace chunk named name (see the top of this file). */
static int snapshot_record_net(struct session *s, const struct session_snapshot_output *out,
                               const char *name)
{
	struct snapshot_walk w = {.s = s, .dir = "", .relayd = true};
	char relay_path[PATH_MAX] = "";
	int r, closed;

	if (strlen(name) >= CONSUMER_CHUNK_NAME_MAX) {
		log_warn(
		    "Session %s: snapshot name %s too long for a trace chunk (%d bytes at most)",
		    s->name, name, CONSUMER_CHUNK_NAME_MAX - 1);
		return -RINGTRACE_ERR_INVALID;
	}
	r = session_relay_snapshot_open(s, &out->net);
	if (r < 0)
		return r;
	r = snapshot_budget(&w, out);
	if (r == 0) {
		r = consumer_create_snapshot_chunk(s->id, s->snapshot_count, name);
		if (r < 0) {
			log_error("Session %s: the relay daemon did not create snapshot chunk %s",
			          s->name, name);
			r = -RINGTRACE_ERR_RELAYD_LOST;
		}
	}
	if (r == 0)
		r = walk_channels(&w);
	if (r == 0 && consumer_close_trace_chunk(s->id, s->snapshot_count,
	                                         RELAYD_CHUNK_CLOSE_NO_OPERATION, relay_path) < 0) {
		log_error("Session %s: the relay daemon did not close snapshot chunk %s", s->name,
		          name);
		r = -RINGTRACE_ERR_RELAYD_LOST;
	}
	closed = session_relay_snapshot_close(s);
	if (r == 0)
		r = closed;
	if (r == 0)
		log_info("Session %s: snapshot recorded on the relay daemon in %s (%" PRIu64
		         " packets per stream at most, 0: all)",
		         s->name, relay_path, w.nb_packets);
	return r;
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
	char name[PATH_MAX], dir[PATH_MAX], ust[PATH_MAX], datetime[16];
	time_t now = time(NULL);
	struct tm tm;
	int n, r;

	if (!localtime_r(&now, &tm) || !strftime(datetime, sizeof(datetime), "%Y%m%d-%H%M%S", &tm))
		return -RINGTRACE_ERR_INVALID;
	n = snprintf(name, sizeof(name), "%s-%s-%" PRIu64, out->name, datetime, s->snapshot_count);
	if (n < 0 || n >= (int)sizeof(name))
		return -RINGTRACE_ERR_OUTPUT_PATH;
	if (out->is_net)
		return snapshot_record_net(s, out, name);
	n = snprintf(dir, sizeof(dir), "%s/%s", out->path, name);
	if (n < 0 || n >= (int)sizeof(dir) ||
	    snprintf(ust, sizeof(ust), "%s/ust", dir) >= (int)sizeof(ust))
		return -RINGTRACE_ERR_OUTPUT_PATH;
	r = snapshot_budget(&w, out);
	if (r < 0)
		return r;
	w.dir = dir;
	/* The directories are the session owner's, made with its credentials. */
	r = access_run_as(s->uid, s->gid, make_dir, ust);
	if (r < 0) {
		log_error("Session %s: cannot create snapshot directory %s: %s", s->name, ust,
		          strerror(-r));
		cmd_set_error_detail("cannot create %s: %s", ust, strerror(-r));
		return -RINGTRACE_ERR_CREATE_DIR_FAIL;
	}
	r = walk_channels(&w);
	if (r < 0) {
		discard_incomplete(s, dir, w.err);
		return r;
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
		r = output_set_url(s, req.url, "", &out);
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

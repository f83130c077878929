/* SPDX-License-Identifier: MIT */
#include "buffer-pid.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buffer-uid.h"
#include "log.h"
#include "macros.h"
#include "registry.h"

#define METADATA_NAME "metadata"
#define DIR_DATETIME_LEN     16 /* "YYYYMMDD-HHMMSS" + NUL */
/* Buffers an app may get in one session (it is untracked and tracked again). */
#define BUFFER_PATH_MAX_GENERATIONS 1000u

/* Counters of a session channel summed over the buffers of apps already gone. */
struct gone_counters {
	uint64_t discarded;
	uint64_t lost;
};

/* The per-PID state of a session (session.ust_pid). */
struct buffer_pid_set {
	struct cds_list_head buffers; /* struct buffer_pid */
	struct gone_counters *gone;   /* indexed by session_channel.id */
	uint32_t nr_gone;
};

static struct buffer_pid_set *session_set(struct session *s, bool create)
{
	struct buffer_pid_set *set = s->ust_pid;

	if (!set && create) {
		set = calloc(1, sizeof(*set));
		if (!set)
			return NULL;
		CDS_INIT_LIST_HEAD(&set->buffers);
		s->ust_pid = set;
	}
	return set;
}

/*
 * <output>/ust/pid/<procname>-<pid>-<YYYYMMDD-HHMMSS>, as lttng names it. A
 * '/' in the process name (it is the app's to choose) becomes '_', so that
 * the directory stays one level below ust/pid.
 */
static int buffer_path(const struct session *s, const struct buffer_pid_owner *owner,
                       char ret_path[PATH_MAX])
{
	char procname[64], datetime[DIR_DATETIME_LEN];
	struct tm tm;
	int n;

	/* Snapshot sessions: relative to each snapshot's directory (cmd-snapshot.c). */
	if (!s->output_path[0] && !s->snapshot_mode)
		return -RINGTRACE_ERR_OUTPUT_PATH;
	snprintf(procname, sizeof(procname), "%s", owner->procname);
	for (char *p = procname; *p; p++) {
		if (*p == '/')
			*p = '_';
	}
	if (!localtime_r(&owner->registration_time, &tm) ||
	    strftime(datetime, sizeof(datetime), "%Y%m%d-%H%M%S", &tm) == 0)
		return -RINGTRACE_ERR_FATAL;
	n = snprintf(ret_path, PATH_MAX, "%s%s/ust/pid/%s-%d-%s", s->output_path, s->chunk_dir,
	             procname, (int)owner->pid, datetime);
	if (n < 0 || n >= PATH_MAX)
		return -RINGTRACE_ERR_OUTPUT_PATH;
	/*
	 * An app untracked then tracked again gets new buffers: they go to
	 * <dir>-1, <dir>-2, ... rather than truncating what the earlier ones
	 * wrote.
	 */
	for (unsigned generation = 1; !s->snapshot_mode && access(ret_path, F_OK) == 0;
	     generation++) {
		if (generation > BUFFER_PATH_MAX_GENERATIONS)
			return -RINGTRACE_ERR_OUTPUT_PATH;
		n = snprintf(ret_path, PATH_MAX, "%s%s/ust/pid/%s-%d-%s-%u", s->output_path,
		             s->chunk_dir, procname, (int)owner->pid, datetime, generation);
		if (n < 0 || n >= PATH_MAX)
			return -RINGTRACE_ERR_OUTPUT_PATH;
	}
	return 0;
}

/* The consumer request fields common to data and metadata channels. */
static int ask_channel_init(const struct session *s, const struct buffer_pid *buf, const char *name,
                            struct consumer_ask_channel *req)
{
	*req = (struct consumer_ask_channel){
	    .session_id = s->id,
	    /* Trace files belong to the session's owner, who reads the trace. */
	    .uid = (uint32_t)s->uid,
	    .gid = (uint32_t)s->gid,
	    .monitor = !s->snapshot_mode, /* snapshot sessions: written only by snapshots */
	};
	memcpy(req->uuid, ust_registry_uuid(buf->registry), RT_UUID_LEN);
	if (strlen(name) >= sizeof(req->name))
		return -RINGTRACE_ERR_NAME_TOO_LONG;
	strcpy(req->name, name);
	strcpy(req->pathname, buf->path);
	return 0;
}

static void close_streams(struct buffer_pid_channel *chan)
{
	for (uint32_t i = 0; chan->streams && i < chan->nr_streams; i++) {
		closep(&chan->streams[i].shm_fd);
		closep(&chan->streams[i].wakeup_fd);
	}
	free(chan->streams);
	chan->streams = NULL;
}

void buffer_pid_streams_sent(struct buffer_pid_channel *chan)
{
	close_streams(chan);
}

static int create_data_channel(struct session *s, struct buffer_pid *buf,
                               const struct session_channel *schan)
{
	struct consumer_ask_channel req;
	struct buffer_pid_channel *chan;
	int r;

	r = ask_channel_init(s, buf, schan->name, &req);
	if (r < 0)
		return r;
	chan = calloc(1, sizeof(*chan));
	if (!chan)
		return -RINGTRACE_ERR_NOMEM;
	chan->session_chan_id = schan->id;
	chan->key = consumer_next_key();
	chan->nr_streams = buffer_possible_cpu_count();
	r = ust_registry_add_channel(buf->registry, schan->contexts, schan->nr_contexts,
	                             &chan->stream_id);
	if (r < 0) {
		free(chan);
		return r == -ENOMEM ? -RINGTRACE_ERR_NOMEM : -RINGTRACE_ERR_FATAL;
	}
	req.key = chan->key;
	req.nr_streams = chan->nr_streams;
	req.stream_id = chan->stream_id;
	r = buffer_ask_data_channel(&req, schan, &chan->streams);
	if (r < 0) {
		log_error("Cannot create channel %s of session %s (pid %d) in the consumer: %s",
		          schan->name, s->name, (int)buf->pid, buffer_uid_consumer_strerror(r));
		free(chan);
		return buffer_uid_consumer_error(r);
	}
	cds_list_add_tail(&chan->node, &buf->channels);
	return 0;
}

struct buffer_pid_channel *buffer_pid_find_channel(struct buffer_pid *buf, uint32_t session_chan_id)
{
	struct buffer_pid_channel *chan;

	cds_list_for_each_entry(chan, &buf->channels, node)
	{
		if (chan->session_chan_id == session_chan_id)
			return chan;
	}
	return NULL;
}

int buffer_pid_sync_channels(struct session *s, struct buffer_pid *buf)
{
	struct session_channel *schan;
	int r;

	cds_list_for_each_entry(schan, &s->channels, node)
	{
		if (!schan->enabled || buffer_pid_find_channel(buf, schan->id))
			continue;
		r = create_data_channel(s, buf, schan);
		if (r < 0)
			return r;
	}
	return 0;
}

static int create_metadata_channel(struct session *s, struct buffer_pid *buf)
{
	struct consumer_ask_channel req;
	int r;

	r = ask_channel_init(s, buf, METADATA_NAME, &req);
	if (r < 0)
		return r;
	r = buffer_ask_metadata_channel(&req);
	if (r < 0) {
		log_error("Cannot create the metadata channel of session %s (pid %d) in the "
		          "consumer: %s",
		          s->name, (int)buf->pid, buffer_uid_consumer_strerror(r));
		return buffer_uid_consumer_error(r);
	}
	buf->metadata_key = req.key;
	r = ust_registry_attach_metadata(buf->registry, buf->metadata_key);
	if (r < 0)
		log_warn("Metadata of session %s (pid %d) not pushed yet: %s", s->name,
		         (int)buf->pid, buffer_uid_consumer_strerror(r));
	return 0;
}

/* Adds the final counters of a channel whose app is gone to the session's totals. */
static void keep_counters(struct buffer_pid_set *set, const struct buffer_pid_channel *chan)
{
	struct gone_counters counted = {0};
	uint64_t n;

	if (consumer_discarded_events(chan->key, &n) >= 0)
		counted.discarded = n;
	if (consumer_lost_packets(chan->key, &n) >= 0)
		counted.lost = n;
	if (chan->session_chan_id >= set->nr_gone) {
		uint32_t nr = chan->session_chan_id + 1;
		struct gone_counters *grown = reallocarray(set->gone, nr, sizeof(*grown));

		if (!grown) {
			log_warn("Out of memory: counters of an exited app's channel lost");
			return;
		}
		memset(grown + set->nr_gone, 0, (nr - set->nr_gone) * sizeof(*grown));
		set->gone = grown;
		set->nr_gone = nr;
	}
	set->gone[chan->session_chan_id].discarded += counted.discarded;
	set->gone[chan->session_chan_id].lost += counted.lost;
}

/*
 * Flushes each data channel (its partial packets become readable and are
 * written), keeps its counters in `set` when given, then destroys it (the
 * consumer drains what is left), closes the metadata and frees buf.
 */
static void buffer_destroy(struct buffer_pid *buf, struct buffer_pid_set *set)
{
	struct buffer_pid_channel *chan, *tmp;
	int r;

	cds_list_for_each_entry_safe(chan, tmp, &buf->channels, node)
	{
		cds_list_del(&chan->node);
		r = consumer_flush_channel(chan->key);
		if (r < 0)
			log_warn("Cannot flush consumer channel %" PRIu64 " (pid %d): %s",
			         chan->key, (int)buf->pid, buffer_uid_consumer_strerror(r));
		if (set)
			keep_counters(set, chan);
		r = consumer_destroy_channel(chan->key);
		if (r < 0)
			log_warn("Cannot destroy consumer channel %" PRIu64 " (pid %d): %s",
			         chan->key, (int)buf->pid, buffer_uid_consumer_strerror(r));
		close_streams(chan);
		free(chan);
	}
	if (buf->registry && buf->metadata_key) {
		ust_registry_close_metadata(buf->registry);
		r = consumer_close_metadata(buf->metadata_key);
		if (r >= 0)
			r = consumer_destroy_channel(buf->metadata_key);
		if (r < 0)
			log_warn("Cannot close metadata channel %" PRIu64 " (pid %d): %s",
			         buf->metadata_key, (int)buf->pid, buffer_uid_consumer_strerror(r));
	}
	ust_registry_put(buf->registry);
	free(buf);
}

int buffer_pid_create(struct session *s, const struct buffer_pid_owner *owner,
                      struct buffer_pid **ret_buf)
{
	struct buffer_pid_set *set = session_set(s, true);
	struct buffer_pid *buf;
	int r;

	if (!set)
		return -RINGTRACE_ERR_NOMEM;
	buf = calloc(1, sizeof(*buf));
	if (!buf)
		return -RINGTRACE_ERR_NOMEM;
	buf->app_id = owner->app_id;
	buf->pid = owner->pid;
	CDS_INIT_LIST_HEAD(&buf->channels);
	r = buffer_path(s, owner, buf->path);
	if (r < 0) {
		free(buf);
		return r;
	}

	struct ust_registry_params params = {
	    .bits_per_long = owner->bits_per_long,
	    .uint8_align_bits = owner->uint8_align_bits,
	    .uint16_align_bits = owner->uint16_align_bits,
	    .uint32_align_bits = owner->uint32_align_bits,
	    .uint64_align_bits = owner->uint64_align_bits,
	    .long_align_bits = owner->long_align_bits,
	    .session_name = s->name,
	    .auto_named = s->auto_named,
	    .creation_time = s->creation_time,
	    .per_pid = true,
	    .pid = (int32_t)owner->pid,
	    .procname = owner->procname,
	    .registration_time = owner->registration_time,
	};
	r = ust_registry_create(&params, &buf->registry);
	if (r < 0) {
		log_error("Cannot create the metadata registry of session %s (pid %d): %s", s->name,
		          (int)owner->pid, strerror(-r));
		free(buf);
		return r == -ENOMEM ? -RINGTRACE_ERR_NOMEM : -RINGTRACE_ERR_FATAL;
	}
	r = create_metadata_channel(s, buf);
	if (r >= 0)
		r = buffer_pid_sync_channels(s, buf);
	if (r < 0) {
		buffer_destroy(buf, NULL);
		return r;
	}
	cds_list_add_tail(&buf->node, &set->buffers);
	log_debug("Session %s: per-PID buffers created for pid %d in %s", s->name, (int)buf->pid,
	          buf->path);
	*ret_buf = buf;
	return 0;
}

int buffer_pid_for_each(struct session *s, int (*fn)(struct buffer_pid *buf, void *arg), void *arg)
{
	struct buffer_pid_set *set = session_set(s, false);
	struct buffer_pid *buf;
	int r;

	if (!set)
		return 0;
	cds_list_for_each_entry(buf, &set->buffers, node)
	{
		r = fn(buf, arg);
		if (r)
			return r;
	}
	return 0;
}

int buffer_pid_flush_all(struct session *s)
{
	struct buffer_pid_set *set = session_set(s, false);
	struct buffer_pid_channel *chan;
	struct buffer_pid *buf;
	int ret = 0, r;

	if (!set)
		return 0;
	cds_list_for_each_entry(buf, &set->buffers, node)
	{
		cds_list_for_each_entry(chan, &buf->channels, node)
		{
			r = consumer_flush_channel(chan->key);
			if (r < 0) {
				log_warn("Cannot flush consumer channel %" PRIu64 " (pid %d): %s",
				         chan->key, (int)buf->pid, buffer_uid_consumer_strerror(r));
				if (!ret)
					ret = buffer_uid_consumer_error(r);
			}
		}
	}
	return ret;
}

int buffer_pid_channel_counters(struct session *s, const struct session_channel *schan,
                                uint64_t *ret_discarded, uint64_t *ret_lost)
{
	struct buffer_pid_set *set = session_set(s, false);
	uint64_t discarded = 0, lost = 0;
	struct buffer_pid *buf;
	int r;

	if (!set)
		goto done;
	if (schan->id < set->nr_gone) {
		discarded = set->gone[schan->id].discarded;
		lost = set->gone[schan->id].lost;
	}
	cds_list_for_each_entry(buf, &set->buffers, node)
	{
		struct buffer_pid_channel *chan = buffer_pid_find_channel(buf, schan->id);
		uint64_t n;

		if (!chan)
			continue;
		r = consumer_discarded_events(chan->key, &n);
		if (r < 0)
			return buffer_uid_consumer_error(r);
		discarded += n;
		r = consumer_lost_packets(chan->key, &n);
		if (r < 0)
			return buffer_uid_consumer_error(r);
		lost += n;
	}
done:
	*ret_discarded = discarded;
	*ret_lost = lost;
	return 0;
}

void buffer_pid_release_app(struct session *s, uint64_t app_id)
{
	struct buffer_pid_set *set = session_set(s, false);
	struct buffer_pid *buf, *tmp;

	if (!set)
		return;
	cds_list_for_each_entry_safe(buf, tmp, &set->buffers, node)
	{
		if (buf->app_id != app_id)
			continue;
		cds_list_del(&buf->node);
		log_debug("Session %s: per-PID buffers of pid %d released", s->name, (int)buf->pid);
		buffer_destroy(buf, set);
	}
}

void buffer_pid_destroy_all(struct session *s)
{
	struct buffer_pid_set *set = session_set(s, false);
	struct buffer_pid *buf, *tmp;

	if (!set)
		return;
	cds_list_for_each_entry_safe(buf, tmp, &set->buffers, node)
	{
		cds_list_del(&buf->node);
		buffer_destroy(buf, NULL);
	}
	free(set->gone);
	free(set);
	s->ust_pid = NULL;
}

/* SPDX-License-Identifier: MIT */
#include "buffer.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "log.h"
#include "macros.h"
#include "registry.h"

#define CPU_POSSIBLE_PATH "/sys/devices/system/cpu/possible"
#define METADATA_NAME     "metadata"
/* The metadata channel has no ring buffer; sizes only have to be valid. */
#define METADATA_SUBBUF_SIZE 4096u
#define METADATA_NUM_SUBBUF  2u

/* Counters of a session channel summed over the buffers of apps already gone. */
struct gone_counters {
	uint64_t discarded;
	uint64_t lost;
};

/* The buffers of a session (session.buffers). */
struct buffer_set {
	struct cds_list_head buffers; /* struct buffer */
	struct gone_counters *gone;   /* indexed by session_channel.id */
	uint32_t nr_gone;
};

static struct buffer_set *session_set(struct session *s, bool create)
{
	struct buffer_set *set = s->buffers;

	if (!set && create) {
		set = calloc(1, sizeof(*set));
		if (!set)
			return NULL;
		CDS_INIT_LIST_HEAD(&set->buffers);
		s->buffers = set;
	}
	return set;
}

/* "uid 0, 64-bit" or "pid 1234", for messages. */
static const char *buffer_owner_str(const struct buffer *buf, char *str, size_t size)
{
	if (buf->kind == BUFFER_PER_PID)
		snprintf(str, size, "pid %d", (int)buf->pid);
	else
		snprintf(str, size, "uid %" PRIu32 ", %" PRIu32 "-bit", buf->uid,
		         buf->bits_per_long);
	return str;
}

#define OWNER_STR(buf) buffer_owner_str(buf, (char[48]){0}, 48)

/*
 * Streams per channel: one per possible CPU (CPUs that can come online later
 * included), i.e. the highest index in the kernel's "possible" list + 1.
 */
static uint32_t possible_cpu_count(void)
{
	char line[256];
	uint32_t max = 0;
	bool any = false;
	FILE *f;

	f = fopen(CPU_POSSIBLE_PATH, "re");
	if (f) {
		if (fgets(line, sizeof(line), f)) {
			/* "0-3" or "0,2-5,8": numbers separated by '-' and ','. */
			for (char *p = line; *p;) {
				char *end;
				unsigned long v;

				if (!isdigit((unsigned char)*p)) {
					p++;
					continue;
				}
				v = strtoul(p, &end, 10);
				if (v < 65536 && v >= max) {
					max = (uint32_t)v;
					any = true;
				}
				p = end;
			}
		}
		fclose(f);
	}
	if (any)
		return max + 1;
	long n = sysconf(_SC_NPROCESSORS_CONF);
	return n > 0 ? (uint32_t)n : 1;
}

int buffer_output_path(const struct session *s, const char *dir, char ret_path[PATH_MAX])
{
	int n;

	if (!s->output_path[0] && !s->snapshot_mode && !s->relay)
		return -RINGTRACE_ERR_OUTPUT_PATH;
	n = snprintf(ret_path, PATH_MAX, "%s%s%s%s", s->output_path, s->chunk_dir,
	             s->relay ? "" : "/", dir);
	if (n < 0 || n >= PATH_MAX)
		return -RINGTRACE_ERR_OUTPUT_PATH;
	return 0;
}

/* The consumer request fields common to data and metadata channels. */
static int ask_channel_init(const struct session *s, const struct buffer *buf, const char *name,
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
	return buffer_output_path(s, buf->dir, req->pathname);
}

static void close_streams(struct buffer_channel *chan)
{
	for (uint32_t i = 0; chan->streams && i < chan->nr_streams; i++) {
		closep(&chan->streams[i].shm_fd);
		closep(&chan->streams[i].wakeup_fd);
	}
	free(chan->streams);
	chan->streams = NULL;
}

void buffer_streams_sent(struct buffer_channel *chan)
{
	close_streams(chan);
}

/*
 * Orders the streams of GET_CHANNEL by cpu, checking that each cpu of
 * [0, nr_streams) is there exactly once. Takes ownership of the fds.
 */
static int streams_by_cpu(struct consumer_stream_fd_pair *got, uint32_t count, uint32_t nr_streams,
                          struct consumer_stream_fd_pair **ret_streams)
{
	struct consumer_stream_fd_pair *streams;
	int r = 0;

	streams = calloc(nr_streams ? nr_streams : 1, sizeof(*streams));
	if (!streams)
		r = -ENOMEM;
	for (uint32_t i = 0; streams && i < nr_streams; i++)
		streams[i].shm_fd = streams[i].wakeup_fd = -1;
	if (!r && count != nr_streams)
		r = -EPROTO;
	for (uint32_t i = 0; i < count; i++) {
		uint32_t cpu = got[i].cpu;

		if (r || cpu >= nr_streams || streams[cpu].shm_fd >= 0) {
			r = r ? r : -EPROTO;
			closep(&got[i].shm_fd);
			closep(&got[i].wakeup_fd);
			continue;
		}
		streams[cpu] = got[i];
	}
	if (r < 0) {
		for (uint32_t i = 0; streams && i < nr_streams; i++) {
			closep(&streams[i].shm_fd);
			closep(&streams[i].wakeup_fd);
		}
		free(streams);
		return r;
	}
	*ret_streams = streams;
	return 0;
}

/*
 * Creates a data channel in the consumer for a session channel: req comes
 * with its buffer's fields, key, nr_streams and stream_id set. On success
 * *ret_streams holds the streams' fds by cpu; on failure nothing is left in
 * the consumer.
 */
static int ask_data_channel(struct consumer_ask_channel *req, const struct session_channel *schan,
                            struct consumer_stream_fd_pair **ret_streams)
{
	_cleanup_free_ struct consumer_stream_fd_pair *got = NULL;
	uint32_t stream_count = 0, got_count = 0;
	int r;

	req->type = CONSUMER_CHANNEL_TYPE_DATA;
	req->subbuf_size = schan->attr.subbuf_size;
	req->num_subbuf = schan->attr.num_subbuf;
	req->overwrite = schan->attr.overwrite > 0;
	req->switch_timer_us = schan->attr.switch_timer_interval;
	req->read_timer_us = schan->attr.read_timer_interval;
	req->live_timer_us = schan->attr.live_timer_interval;
	req->monitor_timer_us = schan->attr.monitor_timer_interval > UINT32_MAX
	                            ? UINT32_MAX
	                            : (uint32_t)schan->attr.monitor_timer_interval;
	req->blocking_timeout_us = schan->attr.blocking_timeout;
	req->tracefile_size = schan->attr.tracefile_size;
	req->tracefile_count = schan->attr.tracefile_count > UINT32_MAX
	                           ? UINT32_MAX
	                           : (uint32_t)schan->attr.tracefile_count;

	r = consumer_ask_channel(req, &stream_count);
	if (r < 0)
		return r;
	r = consumer_get_channel(req->key, &got, &got_count);
	if (r >= 0)
		r = streams_by_cpu(got, got_count, req->nr_streams, ret_streams);
	if (r < 0)
		(void)consumer_destroy_channel(req->key);
	return r;
}

static int create_data_channel(struct session *s, struct buffer *buf,
                               const struct session_channel *schan)
{
	struct consumer_ask_channel req;
	struct buffer_channel *chan;
	int r;

	r = ask_channel_init(s, buf, schan->name, &req);
	if (r < 0)
		return r;
	chan = calloc(1, sizeof(*chan));
	if (!chan)
		return -RINGTRACE_ERR_NOMEM;
	chan->session_chan_id = schan->id;
	chan->key = consumer_next_key();
	chan->nr_streams = possible_cpu_count();
	r = ust_registry_add_channel(buf->registry, schan->contexts, schan->nr_contexts,
	                             &chan->stream_id);
	if (r < 0) {
		free(chan);
		return r == -ENOMEM ? -RINGTRACE_ERR_NOMEM : -RINGTRACE_ERR_FATAL;
	}
	req.key = chan->key;
	req.nr_streams = chan->nr_streams;
	req.stream_id = chan->stream_id;
	r = ask_data_channel(&req, schan, &chan->streams);
	if (r < 0) {
		log_error("Cannot create channel %s of session %s (%s) in the consumer: %s",
		          schan->name, s->name, OWNER_STR(buf), consumer_strerror(r));
		free(chan);
		return cmd_error_from_consumer(r);
	}
	cds_list_add_tail(&chan->node, &buf->channels);
	return 0;
}

struct buffer_channel *buffer_find_channel(struct buffer *buf, uint32_t session_chan_id)
{
	struct buffer_channel *chan;

	cds_list_for_each_entry (chan, &buf->channels, node) {
		if (chan->session_chan_id == session_chan_id)
			return chan;
	}
	return NULL;
}

int buffer_sync_channels(struct session *s, struct buffer *buf)
{
	struct session_channel *schan;
	int r;

	cds_list_for_each_entry (schan, &s->channels, node) {
		if (!schan->enabled || buffer_find_channel(buf, schan->id))
			continue;
		r = create_data_channel(s, buf, schan);
		if (r < 0)
			return r;
	}
	return 0;
}

static int create_metadata_channel(struct session *s, struct buffer *buf)
{
	struct consumer_ask_channel req;
	uint32_t stream_count = 0;
	int r;

	r = ask_channel_init(s, buf, METADATA_NAME, &req);
	if (r < 0)
		return r;
	req.key = consumer_next_key();
	req.type = CONSUMER_CHANNEL_TYPE_METADATA;
	req.subbuf_size = METADATA_SUBBUF_SIZE;
	req.num_subbuf = METADATA_NUM_SUBBUF;
	r = consumer_ask_channel(&req, &stream_count);
	if (r < 0) {
		log_error(
		    "Cannot create the metadata channel of session %s (%s) in the consumer: %s",
		    s->name, OWNER_STR(buf), consumer_strerror(r));
		return cmd_error_from_consumer(r);
	}
	buf->metadata_key = req.key;
	r = ust_registry_attach_metadata(buf->registry, buf->metadata_key);
	if (r < 0)
		log_warn("Metadata of session %s (%s) not pushed yet: %s", s->name, OWNER_STR(buf),
		         consumer_strerror(r));
	return 0;
}

/* Adds the final counters of a channel whose app is gone to the session's totals. */
static void keep_counters(struct buffer_set *set, const struct buffer_channel *chan)
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
static void buffer_destroy(struct buffer *buf, struct buffer_set *set)
{
	struct buffer_channel *chan, *tmp;
	int r;

	cds_list_for_each_entry_safe (chan, tmp, &buf->channels, node) {
		cds_list_del(&chan->node);
		/* A channel of a dead consumer has nothing left to flush (consumer-loss.h). */
		r = consumer_channel_lost(chan->key) ? 0 : consumer_flush_channel(chan->key);
		if (r < 0)
			log_warn("Cannot flush consumer channel %" PRIu64 " (%s): %s", chan->key,
			         OWNER_STR(buf), consumer_strerror(r));
		if (set)
			keep_counters(set, chan);
		r = consumer_destroy_channel(chan->key);
		if (r < 0)
			log_warn("Cannot destroy consumer channel %" PRIu64 " (%s): %s", chan->key,
			         OWNER_STR(buf), consumer_strerror(r));
		close_streams(chan);
		free(chan);
	}
	if (buf->registry && buf->metadata_key) {
		ust_registry_close_metadata(buf->registry);
		r = 0;
		if (!consumer_channel_lost(buf->metadata_key))
			r = consumer_close_metadata(buf->metadata_key);
		if (r >= 0)
			r = consumer_destroy_channel(buf->metadata_key);
		if (r < 0)
			log_warn("Cannot close metadata channel %" PRIu64 " (%s): %s",
			         buf->metadata_key, OWNER_STR(buf), consumer_strerror(r));
	}
	ust_registry_put(buf->registry);
	free(buf);
}

int buffer_create(struct session *s, enum buffer_kind kind, const struct buffer_owner *owner,
                  const char *dir, struct buffer **ret_buf)
{
	struct buffer_set *set = session_set(s, true);
	struct buffer *buf;
	int r;

	if (!set)
		return -RINGTRACE_ERR_NOMEM;
	buf = calloc(1, sizeof(*buf));
	if (!buf)
		return -RINGTRACE_ERR_NOMEM;
	buf->kind = kind;
	buf->uid = owner->uid;
	buf->bits_per_long = owner->bits_per_long;
	buf->app_id = owner->app_id;
	buf->pid = owner->pid;
	CDS_INIT_LIST_HEAD(&buf->channels);
	if (strlen(dir) >= sizeof(buf->dir)) {
		free(buf);
		return -RINGTRACE_ERR_OUTPUT_PATH;
	}
	strcpy(buf->dir, dir);

	struct ust_registry_params params = {
	    .uid = owner->uid,
	    .bits_per_long = owner->bits_per_long,
	    .uint8_align_bits = owner->uint8_align_bits,
	    .uint16_align_bits = owner->uint16_align_bits,
	    .uint32_align_bits = owner->uint32_align_bits,
	    .uint64_align_bits = owner->uint64_align_bits,
	    .long_align_bits = owner->long_align_bits,
	    .session_name = s->name,
	    .auto_named = s->auto_named,
	    .creation_time = s->creation_time,
	    .per_pid = kind == BUFFER_PER_PID,
	    .pid = (int32_t)owner->pid,
	    .procname = owner->procname,
	    .registration_time = owner->registration_time,
	};
	r = ust_registry_create(&params, &buf->registry);
	if (r < 0) {
		log_error("Cannot create the metadata registry of session %s (%s): %s", s->name,
		          OWNER_STR(buf), strerror(-r));
		free(buf);
		return r == -ENOMEM ? -RINGTRACE_ERR_NOMEM : -RINGTRACE_ERR_FATAL;
	}
	r = create_metadata_channel(s, buf);
	if (r >= 0)
		r = buffer_sync_channels(s, buf);
	if (r < 0) {
		buffer_destroy(buf, NULL);
		return r;
	}
	cds_list_add_tail(&buf->node, &set->buffers);
	log_debug("Session %s: buffers created for %s in %s", s->name, OWNER_STR(buf), buf->dir);
	*ret_buf = buf;
	return 0;
}

struct buffer *buffer_find(struct session *s,
                           bool (*match)(const struct buffer *buf, const void *arg),
                           const void *arg)
{
	struct buffer_set *set = session_set(s, false);
	struct buffer *buf;

	if (!set)
		return NULL;
	cds_list_for_each_entry (buf, &set->buffers, node) {
		if (match(buf, arg))
			return buf;
	}
	return NULL;
}

int buffer_for_each(struct session *s, int (*fn)(struct buffer *buf, void *arg), void *arg)
{
	struct buffer_set *set = session_set(s, false);
	struct buffer *buf;
	int r;

	if (!set)
		return 0;
	cds_list_for_each_entry (buf, &set->buffers, node) {
		r = fn(buf, arg);
		if (r)
			return r;
	}
	return 0;
}

int buffer_flush_all(struct session *s)
{
	struct buffer_set *set = session_set(s, false);
	struct buffer_channel *chan;
	struct buffer *buf;
	int ret = 0, r;

	if (!set)
		return 0;
	cds_list_for_each_entry (buf, &set->buffers, node) {
		cds_list_for_each_entry (chan, &buf->channels, node) {
			r = consumer_flush_channel(chan->key);
			if (r < 0) {
				log_warn("Cannot flush consumer channel %" PRIu64 " (%s): %s",
				         chan->key, OWNER_STR(buf), consumer_strerror(r));
				if (!ret)
					ret = cmd_error_from_consumer(r);
			}
		}
	}
	return ret;
}

int buffer_channel_counters(struct session *s, const struct session_channel *schan,
                            uint64_t *ret_discarded, uint64_t *ret_lost)
{
	struct buffer_set *set = session_set(s, false);
	uint64_t discarded = 0, lost = 0;
	struct buffer *buf;
	int r;

	if (!set)
		goto done;
	if (schan->id < set->nr_gone) {
		discarded = set->gone[schan->id].discarded;
		lost = set->gone[schan->id].lost;
	}
	cds_list_for_each_entry (buf, &set->buffers, node) {
		struct buffer_channel *chan = buffer_find_channel(buf, schan->id);
		uint64_t n;

		if (!chan)
			continue;
		r = consumer_discarded_events(chan->key, &n);
		if (r < 0)
			return cmd_error_from_consumer(r);
		discarded += n;
		r = consumer_lost_packets(chan->key, &n);
		if (r < 0)
			return cmd_error_from_consumer(r);
		lost += n;
	}
done:
	*ret_discarded = discarded;
	*ret_lost = lost;
	return 0;
}

void buffer_release_app(struct session *s, uint64_t app_id)
{
	struct buffer_set *set = session_set(s, false);
	struct buffer *buf, *tmp;

	if (!set)
		return;
	cds_list_for_each_entry_safe (buf, tmp, &set->buffers, node) {
		if (buf->kind != BUFFER_PER_PID || buf->app_id != app_id)
			continue;
		cds_list_del(&buf->node);
		log_debug("Session %s: per-PID buffers of pid %d released", s->name, (int)buf->pid);
		buffer_destroy(buf, set);
	}
}

void buffer_destroy_all(struct session *s)
{
	struct buffer_set *set = session_set(s, false);
	struct buffer *buf, *tmp;

	if (!set)
		return;
	cds_list_for_each_entry_safe (buf, tmp, &set->buffers, node) {
		cds_list_del(&buf->node);
		buffer_destroy(buf, NULL);
	}
	free(set->gone);
	free(set);
	s->buffers = NULL;
}

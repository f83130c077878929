/* SPDX-License-Identifier: MIT */
#include "buffer-uid.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "macros.h"
#include "registry.h"

#define CPU_POSSIBLE_PATH "/sys/devices/system/cpu/possible"
#define METADATA_NAME     "metadata"
/* The metadata channel has no ring buffer; sizes only have to be valid. */
#define METADATA_SUBBUF_SIZE 4096u
#define METADATA_NUM_SUBBUF  2u
/* The consumer errors of consumer-msg.h start here; below are errnos. */
#define CONSUMER_CODE_BASE 100

/* The app-side state of a session (session.ust). */
struct buffer_uid_set {
	struct cds_list_head buffers; /* struct buffer_uid */
};

const char *buffer_uid_consumer_strerror(int r)
{
	if (r <= -CONSUMER_CODE_BASE)
		return consumer_return_code_str(-r);
	return strerror(-r);
}

int buffer_uid_consumer_error(int r)
{
	switch (r) {
	case -ENOMEM:
	case -CONSUMERD_ENOMEM:
		return -RINGTRACE_ERR_NOMEM;
	case -CONSUMERD_OUTFD_ERROR:
		return -RINGTRACE_ERR_CREATE_DIR_FAIL;
	default:
		return r <= -CONSUMER_CODE_BASE ? -RINGTRACE_ERR_FATAL
		                                : -RINGTRACE_ERR_CONSUMERD_DIED;
	}
}

/*
 * Streams per channel: one per possible CPU (CPUs that can come online later
 * included), i.e. the highest index in the kernel's "possible" list + 1.
 */
uint32_t buffer_possible_cpu_count(void)
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

static struct buffer_uid_set *session_buffers(struct session *s, bool create)
{
	struct buffer_uid_set *set = s->ust;

	if (!set && create) {
		set = calloc(1, sizeof(*set));
		if (!set)
			return NULL;
		CDS_INIT_LIST_HEAD(&set->buffers);
		s->ust = set;
	}
	return set;
}

static int buffer_path(const struct session *s, const struct buffer_uid *buf,
                       char ret_path[PATH_MAX])
{
	int n;

	/* Snapshot sessions: relative to each snapshot's directory (cmd-snapshot.c). */
	if (!s->output_path[0] && !s->snapshot_mode)
		return -RINGTRACE_ERR_OUTPUT_PATH;
	n = snprintf(ret_path, PATH_MAX, "%s%s/ust/uid/%" PRIu32 "/%" PRIu32 "-bit",
	             s->output_path, s->chunk_dir, buf->uid, buf->bits_per_long);
	if (n < 0 || n >= PATH_MAX)
		return -RINGTRACE_ERR_OUTPUT_PATH;
	return 0;
}

/* The consumer request fields common to data and metadata channels. */
static int ask_channel_init(const struct session *s, const struct buffer_uid *buf, const char *name,
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
	return buffer_path(s, buf, req->pathname);
}

static void buffer_channel_free(struct buffer_uid_channel *chan)
{
	for (uint32_t i = 0; chan->streams && i < chan->nr_streams; i++) {
		closep(&chan->streams[i].shm_fd);
		closep(&chan->streams[i].wakeup_fd);
	}
	free(chan->streams);
	free(chan);
}

/*
 * Orders the streams of GET_CHANNEL by cpu, checking that each cpu of
 * [0, nr_streams) is there exactly once. Takes ownership of the fds.
 */
static int buffer_streams_by_cpu(struct consumer_stream_fd_pair *got, uint32_t count,
                                 uint32_t nr_streams, struct consumer_stream_fd_pair **ret_streams)
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

int buffer_ask_metadata_channel(struct consumer_ask_channel *req)
{
	uint32_t stream_count = 0;

	req->key = consumer_next_key();
	req->type = CONSUMER_CHANNEL_TYPE_METADATA;
	req->subbuf_size = METADATA_SUBBUF_SIZE;
	req->num_subbuf = METADATA_NUM_SUBBUF;
	return consumer_ask_channel(req, &stream_count);
}

int buffer_ask_data_channel(struct consumer_ask_channel *req, const struct session_channel *schan,
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
		r = buffer_streams_by_cpu(got, got_count, req->nr_streams, ret_streams);
	if (r < 0)
		(void)consumer_destroy_channel(req->key);
	return r;
}

static int create_data_channel(struct session *s, struct buffer_uid *buf,
                               const struct session_channel *schan)
{
	struct consumer_ask_channel req;
	struct buffer_uid_channel *chan;
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
		log_error("Cannot create channel %s of session %s (uid %" PRIu32 ", %" PRIu32
		          "-bit) in the consumer: %s",
		          schan->name, s->name, buf->uid, buf->bits_per_long,
		          buffer_uid_consumer_strerror(r));
		free(chan);
		return buffer_uid_consumer_error(r);
	}
	cds_list_add_tail(&chan->node, &buf->channels);
	return 0;
}

struct buffer_uid_channel *buffer_uid_find_channel(struct buffer_uid *buf, uint32_t session_chan_id)
{
	struct buffer_uid_channel *chan;

	cds_list_for_each_entry(chan, &buf->channels, node)
	{
		if (chan->session_chan_id == session_chan_id)
			return chan;
	}
	return NULL;
}

int buffer_uid_sync_channels(struct session *s, struct buffer_uid *buf)
{
	struct session_channel *schan;
	int r;

	cds_list_for_each_entry(schan, &s->channels, node)
	{
		if (!schan->enabled || buffer_uid_find_channel(buf, schan->id))
			continue;
		r = create_data_channel(s, buf, schan);
		if (r < 0)
			return r;
	}
	return 0;
}

static int create_metadata_channel(struct session *s, struct buffer_uid *buf)
{
	struct consumer_ask_channel req;
	int r;

	r = ask_channel_init(s, buf, METADATA_NAME, &req);
	if (r < 0)
		return r;
	r = buffer_ask_metadata_channel(&req);
	if (r < 0) {
		log_error("Cannot create the metadata channel of session %s (uid %" PRIu32
		          ") in the consumer: %s",
		          s->name, buf->uid, buffer_uid_consumer_strerror(r));
		return buffer_uid_consumer_error(r);
	}
	buf->metadata_key = req.key;
	r = ust_registry_attach_metadata(buf->registry, buf->metadata_key);
	if (r < 0)
		log_warn("Metadata of session %s not pushed yet: %s", s->name,
		         buffer_uid_consumer_strerror(r));
	return 0;
}

static void buffer_destroy(struct buffer_uid *buf)
{
	struct buffer_uid_channel *chan, *tmp;
	int r;

	cds_list_for_each_entry_safe(chan, tmp, &buf->channels, node)
	{
		cds_list_del(&chan->node);
		r = consumer_destroy_channel(chan->key);
		if (r < 0)
			log_warn("Cannot destroy consumer channel %" PRIu64 ": %s", chan->key,
			         buffer_uid_consumer_strerror(r));
		buffer_channel_free(chan);
	}
	if (buf->registry && buf->metadata_key) {
		ust_registry_close_metadata(buf->registry);
		r = consumer_close_metadata(buf->metadata_key);
		if (r >= 0)
			r = consumer_destroy_channel(buf->metadata_key);
		if (r < 0)
			log_warn("Cannot close metadata channel %" PRIu64 ": %s", buf->metadata_key,
			         buffer_uid_consumer_strerror(r));
	}
	ust_registry_put(buf->registry);
	free(buf);
}

static struct buffer_uid *find_buffer(struct buffer_uid_set *set, uint32_t uid, uint32_t bits)
{
	struct buffer_uid *buf;

	cds_list_for_each_entry(buf, &set->buffers, node)
	{
		if (buf->uid == uid && buf->bits_per_long == bits)
			return buf;
	}
	return NULL;
}

int buffer_uid_get(struct session *s, const struct buffer_uid_owner *owner,
                   struct buffer_uid **ret_buf)
{
	struct buffer_uid_set *set = session_buffers(s, true);
	struct buffer_uid *buf;
	int r;

	if (!set)
		return -RINGTRACE_ERR_NOMEM;
	buf = find_buffer(set, owner->uid, owner->bits_per_long);
	if (buf) {
		*ret_buf = buf;
		return 0;
	}
	buf = calloc(1, sizeof(*buf));
	if (!buf)
		return -RINGTRACE_ERR_NOMEM;
	buf->uid = owner->uid;
	buf->bits_per_long = owner->bits_per_long;
	CDS_INIT_LIST_HEAD(&buf->channels);

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
	};
	r = ust_registry_create(&params, &buf->registry);
	if (r < 0) {
		log_error("Cannot create the metadata registry of session %s: %s", s->name,
		          strerror(-r));
		free(buf);
		return r == -ENOMEM ? -RINGTRACE_ERR_NOMEM : -RINGTRACE_ERR_FATAL;
	}
	r = create_metadata_channel(s, buf);
	if (r >= 0)
		r = buffer_uid_sync_channels(s, buf);
	if (r < 0) {
		buffer_destroy(buf);
		return r;
	}
	cds_list_add_tail(&buf->node, &set->buffers);
	log_debug("Session %s: per-UID buffers created for uid %" PRIu32 " (%" PRIu32 "-bit)",
	          s->name, buf->uid, buf->bits_per_long);
	*ret_buf = buf;
	return 0;
}

int buffer_uid_for_each(struct session *s, int (*fn)(struct buffer_uid *buf, void *arg), void *arg)
{
	struct buffer_uid_set *set = session_buffers(s, false);
	struct buffer_uid *buf;
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

int buffer_uid_flush_all(struct session *s)
{
	struct buffer_uid_set *set = session_buffers(s, false);
	struct buffer_uid_channel *chan;
	struct buffer_uid *buf;
	int ret = 0, r;

	if (!set)
		return 0;
	cds_list_for_each_entry(buf, &set->buffers, node)
	{
		cds_list_for_each_entry(chan, &buf->channels, node)
		{
			r = consumer_flush_channel(chan->key);
			if (r < 0) {
				log_warn("Cannot flush consumer channel %" PRIu64 ": %s", chan->key,
				         buffer_uid_consumer_strerror(r));
				if (!ret)
					ret = buffer_uid_consumer_error(r);
			}
		}
	}
	return ret;
}

int buffer_uid_channel_counters(struct session *s, const struct session_channel *schan,
                                uint64_t *ret_discarded, uint64_t *ret_lost)
{
	struct buffer_uid_set *set = session_buffers(s, false);
	uint64_t discarded = 0, lost = 0;
	struct buffer_uid *buf;
	int r;

	if (!set)
		goto done;
	cds_list_for_each_entry(buf, &set->buffers, node)
	{
		struct buffer_uid_channel *chan = buffer_uid_find_channel(buf, schan->id);
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

void buffer_uid_destroy_all(struct session *s)
{
	struct buffer_uid_set *set = session_buffers(s, false);
	struct buffer_uid *buf, *tmp;

	if (!set)
		return;
	cds_list_for_each_entry_safe(buf, tmp, &set->buffers, node)
	{
		cds_list_del(&buf->node);
		buffer_destroy(buf);
	}
	free(set);
	s->ust = NULL;
}

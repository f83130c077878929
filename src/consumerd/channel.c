/* SPDX-License-Identifier: MIT */
#include "channel.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/log.h"
#include "common/macros.h"
#include "common/paths.h"
#include "ctf/index.h"
#include "ctf/packet.h"
#include "output-files.h"
#include "output.h"
#include "relay.h"
#include "ringbuffer/ringbuffer.h"
#include "stream-output.h"
#include "timers.h"

static CDS_LIST_HEAD(channel_registry);

void channel_stream_close_files(struct consumer_stream *stream)
{
	if (stream->data_fd >= 0)
		close(stream->data_fd);
	if (stream->index_fd >= 0)
		close(stream->index_fd);
	stream->data_fd = stream->index_fd = -1;
}

static void stream_release(struct consumer_stream *stream)
{
	if (stream->rb)
		rb_stream_unmap(stream->rb);
	if (stream->shm_fd >= 0)
		close(stream->shm_fd);
	if (stream->wakeup_fd >= 0)
		close(stream->wakeup_fd);
	stream->rb = NULL;
	stream->shm_fd = stream->wakeup_fd = -1;
	pthread_mutex_destroy(&stream->lock);
}

int channel_stream_open_files(struct consumer_stream *stream, uint64_t tracefile_index)
{
	const struct consumer_channel *channel = stream->channel;
	int r;

	/* With a size cap, every file has its number, the first one too (as lttng). */
	if (channel->tracefile_size)
		r = rt_path_format(stream->data_file_name, "%s/%s_%" PRIu32 "_%" PRIu64,
		                   channel->pathname, channel->name, stream->cpu, tracefile_index);
	else
		r = rt_path_format(stream->data_file_name, "%s/%s_%" PRIu32, channel->pathname,
		                   channel->name, stream->cpu);
	if (r < 0)
		return r;
	if (channel->tracefile_size)
		r = rt_path_format(stream->index_file_name,
		                   "%s/index/%s_%" PRIu32 "_%" PRIu64 ".idx", channel->pathname,
		                   channel->name, stream->cpu, tracefile_index);
	else
		r = rt_path_format(stream->index_file_name, "%s/index/%s_%" PRIu32 ".idx",
		                   channel->pathname, channel->name, stream->cpu);
	if (r < 0)
		return r;
	r = output_file_create_direct(stream->data_file_name, channel->uid, channel->gid);
	if (r < 0) {
		log_error("Cannot create trace file %s: %s", stream->data_file_name, strerror(-r));
		return r;
	}
	stream->data_fd = r;
	r = output_file_create(stream->index_file_name, channel->uid, channel->gid);
	if (r < 0) {
		log_error("Cannot create index file %s: %s", stream->index_file_name, strerror(-r));
		channel_stream_close_files(stream);
		return r;
	}
	stream->index_fd = r;
	r = ctf_index_write_header(stream->index_fd);
	if (r < 0) {
		log_error("Cannot write index file %s: %s", stream->index_file_name, strerror(-r));
		/* No half-made pair: both files are made again by the next attempt. */
		channel_stream_close_files(stream);
		return r;
	}
	stream->data_file_bytes = 0;
	stream->data_file_dropped = 0;
	stream->writeback_error_logged = false;
	stream->index_file_bytes = CTF_INDEX_HEADER_SIZE;
	stream->tracefile_index = tracefile_index;
	return 0;
}

static int stream_create_buffer(struct consumer_stream *stream)
{
	const struct consumer_channel *channel = stream->channel;
	struct rb_stream_attr attr = {
	    .subbuf_size = channel->subbuf_size,
	    .num_subbuf = channel->num_subbuf,
	    .header_size = CTF_PACKET_HEADER_SIZE,
	    .record_header_short = CTF_EVENT_HEADER_COMPACT_SIZE,
	    .record_header_long = CTF_EVENT_HEADER_EXTENDED_SIZE,
	    .timestamp_bits = CTF_TIMESTAMP_BITS,
	    .overwrite = channel->overwrite,
	};
	int r;

	ctf_stream_client_fill(attr.client, channel->uuid, channel->stream_id, stream->cpu);
	r = rb_stream_create(&attr, &stream->shm_fd, &stream->wakeup_fd);
	if (r < 0) {
		log_error("Cannot create ring buffer %" PRIu32 " of channel %s (%" PRIu32
		          " x %" PRIu64 " bytes): %s",
		          stream->cpu, channel->name, channel->num_subbuf, channel->subbuf_size,
		          strerror(-r));
		return r;
	}
	r = rb_stream_map(stream->shm_fd, stream->wakeup_fd, &ctf_rb_client_ops, &stream->rb);
	if (r < 0) {
		log_error("Cannot map ring buffer %" PRIu32 " of channel %s: %s", stream->cpu,
		          channel->name, strerror(-r));
		return r;
	}
	/* Producers blocked on a full buffer wait only while we hold this. */
	r = rb_consumer_claim(stream->rb);
	if (r < 0)
		log_warn("Ring buffer %" PRIu32 " of channel %s: cannot mark it consumed (%s): "
		         "blocking producers will discard instead of waiting",
		         stream->cpu, channel->name, strerror(-r));
	return 0;
}

/* Makes a stream safe to release whatever step of its creation fails. */
static void stream_preinit(struct consumer_channel *channel, uint32_t cpu)
{
	struct consumer_stream *stream = &channel->streams[cpu];

	*stream = (struct consumer_stream){
	    .channel = channel,
	    .cpu = cpu,
	    .shm_fd = -1,
	    .wakeup_fd = -1,
	    .data_fd = -1,
	    .index_fd = -1,
	    .last_progress_ns = rt_monotonic_ns(),
	    .wakeup_source = {.kind = EPOLL_SOURCE_STREAM_WAKEUP, .stream = stream},
	};
	pthread_mutex_init(&stream->lock, NULL);
}

static void channel_close_timers(struct consumer_channel *channel)
{
	if (channel->read_timer_fd >= 0)
		close(channel->read_timer_fd);
	if (channel->switch_timer_fd >= 0)
		close(channel->switch_timer_fd);
	if (channel->live_timer_fd >= 0)
		close(channel->live_timer_fd);
	if (channel->monitor_timer_fd >= 0)
		close(channel->monitor_timer_fd);
	channel->read_timer_fd = channel->switch_timer_fd = channel->live_timer_fd = -1;
	channel->monitor_timer_fd = -1;
}

static int channel_open_timers(struct consumer_channel *channel)
{
	channel->read_timer_fd = timer_open_periodic(channel->read_timer_us);
	if (channel->read_timer_fd < 0)
		return channel->read_timer_fd;
	if (channel->live_timer_us) {
		channel->live_timer_fd = timer_open_periodic(channel->live_timer_us);
		if (channel->live_timer_fd < 0)
			return channel->live_timer_fd;
	}
	if (channel->monitor_timer_us) {
		channel->monitor_timer_fd = timer_open_periodic(channel->monitor_timer_us);
		if (channel->monitor_timer_fd < 0)
			return channel->monitor_timer_fd;
	}
	if (channel->switch_timer_us == 0)
		return 0;
	channel->switch_timer_fd = timer_open_periodic(channel->switch_timer_us);
	return channel->switch_timer_fd < 0 ? channel->switch_timer_fd : 0;
}

/* Frees a channel at any step of its creation or after its destruction. */
static void channel_free(struct consumer_channel *channel, bool failed)
{
	channel->output->close(channel, failed);
	if (channel->streams)
		for (uint32_t i = 0; i < channel->nr_streams; i++)
			stream_release(&channel->streams[i]);
	free(channel->streams);
	free(channel->metadata_text);
	channel_close_timers(channel);
	free(channel);
}

int channel_create_index_dir(struct consumer_channel *channel)
{
	char index_dir[PATH_MAX];
	int r = rt_path_format(index_dir, "%s/index", channel->pathname);

	if (r < 0)
		return -CONSUMERD_INVALID_PARAMETERS;
	r = output_dir_create(index_dir, channel->uid, channel->gid);
	if (r < 0) {
		log_error("Cannot create trace directory %s: %s", index_dir, strerror(-r));
		return -CONSUMERD_OUTFD_ERROR;
	}
	return 0;
}

static int channel_create_data(struct consumer_channel *channel)
{
	int r;

	channel->streams = calloc(channel->nr_streams, sizeof(*channel->streams));
	if (!channel->streams)
		return -CONSUMERD_ENOMEM;
	for (uint32_t i = 0; i < channel->nr_streams; i++)
		stream_preinit(channel, i);
	for (uint32_t i = 0; i < channel->nr_streams; i++) {
		r = stream_create_buffer(&channel->streams[i]);
		if (r == -ENOMEM)
			return -CONSUMERD_ENOMEM;
		if (r < 0)
			return -CONSUMERD_CHANNEL_FAIL;
	}
	if (!channel->monitor)
		return 0; /* never drained: no output, no timers (a snapshot flushes) */
	r = channel->output->open(channel);
	if (r < 0)
		return r;
	r = channel_open_timers(channel);
	if (r < 0) {
		log_error("Cannot create the timers of channel %s: %s", channel->name,
		          strerror(-r));
		return -CONSUMERD_CHANNEL_FAIL;
	}
	return 0;
}

static int channel_create_metadata(struct consumer_channel *channel)
{
	int r;

	r = rt_path_format(channel->metadata_file_name, "%s/metadata", channel->pathname);
	if (r < 0)
		return -CONSUMERD_INVALID_PARAMETERS;
	if (!channel->monitor)
		return 0; /* the text stays in memory (metadata_text) */
	return channel->output->open(channel);
}

int channel_open_metadata_file(struct consumer_channel *channel)
{
	int r = rt_path_format(channel->metadata_file_name, "%s/metadata", channel->pathname);

	if (r < 0)
		return -CONSUMERD_INVALID_PARAMETERS;
	r = output_dir_create(channel->pathname, channel->uid, channel->gid);
	if (r < 0) {
		log_error("Cannot create trace directory %s: %s", channel->pathname, strerror(-r));
		return -CONSUMERD_OUTFD_ERROR;
	}
	r = output_file_create(channel->metadata_file_name, channel->uid, channel->gid);
	if (r < 0) {
		log_error("Cannot create metadata file %s: %s", channel->metadata_file_name,
		          strerror(-r));
		return -CONSUMERD_OUTFD_ERROR;
	}
	channel->metadata_fd = r;
	return 0;
}

int channel_create(const struct consumer_ask_channel *req, struct consumer_channel **ret_channel)
{
	struct consumer_channel *channel;
	int r;

	channel = calloc(1, sizeof(*channel));
	if (!channel)
		return -CONSUMERD_ENOMEM;
	*channel = (struct consumer_channel){
	    .key = req->key,
	    .session_id = req->session_id,
	    .type = (enum consumer_channel_type)req->type,
	    .uid = req->uid,
	    .gid = req->gid,
	    .stream_id = req->stream_id,
	    .subbuf_size = req->subbuf_size,
	    .num_subbuf = (uint32_t)req->num_subbuf,
	    .overwrite = req->overwrite != 0,
	    .switch_timer_us = req->switch_timer_us,
	    .monitor_timer_us = req->monitor_timer_us,
	    .tracefile_size = req->tracefile_size,
	    .tracefile_count = req->tracefile_count,
	    .monitor = req->monitor != 0,
	    .read_timer_us =
	        req->read_timer_us ? req->read_timer_us : CHANNEL_DEFAULT_READ_TIMER_US,
	    .nr_streams = req->type == CONSUMER_CHANNEL_TYPE_DATA ? req->nr_streams : 0,
	    .read_timer_fd = -1,
	    .switch_timer_fd = -1,
	    .live_timer_fd = -1,
	    .monitor_timer_fd = -1,
	    .metadata_fd = -1,
	    .live_timer_us = req->live_timer_us,
	    .output = &output_local_ops,
	};
	memcpy(channel->uuid, req->uuid, RT_UUID_LEN);
	/* Both NUL-terminated within their arrays (checked by the command handler). */
	memcpy(channel->name, req->name, sizeof(channel->name));
	memcpy(channel->pathname, req->pathname, sizeof(channel->pathname));
	channel->read_timer_source = (struct epoll_source){
	    .kind = EPOLL_SOURCE_READ_TIMER,
	    .channel = channel,
	};
	channel->switch_timer_source = (struct epoll_source){
	    .kind = EPOLL_SOURCE_SWITCH_TIMER,
	    .channel = channel,
	};
	channel->live_timer_source = (struct epoll_source){
	    .kind = EPOLL_SOURCE_LIVE_TIMER,
	    .channel = channel,
	};
	/* A path relative to the trace chunk means the session streams to a relay. */
	if (channel->monitor && channel->pathname[0] != '/') {
		channel->relay = relay_session_get(channel->session_id);
		if (!channel->relay) {
			log_error("Channel %s: relative path %s but session %" PRIu64
			          " has no relay connections",
			          channel->name, channel->pathname, channel->session_id);
			free(channel);
			return -CONSUMERD_INVALID_PARAMETERS;
		}
		channel->output = &output_relay_ops;
	}
	channel->monitor_timer_source = (struct epoll_source){
	    .kind = EPOLL_SOURCE_MONITOR_TIMER,
	    .channel = channel,
	};

	if (channel->type == CONSUMER_CHANNEL_TYPE_DATA)
		r = channel_create_data(channel);
	else
		r = channel_create_metadata(channel);
	if (r < 0) {
		channel_free(channel, true);
		return r;
	}
	*ret_channel = channel;
	return 0;
}

void channel_flush_streams(struct consumer_channel *channel)
{
	uint64_t now_ns = rt_monotonic_ns();

	for (uint32_t i = 0; i < channel->nr_streams; i++) {
		struct consumer_stream *stream = &channel->streams[i];

		pthread_mutex_lock(&stream->lock);
		/* lttng's stop: flush_buffer(producer_active = 0), once until written to again. */
		if (!stream_output_quiescent(stream))
			stream->final_flush_owed = rb_stream_flush_empty(stream->rb) == -EAGAIN;
		stream->quiescent_pos = rb_stream_produced(stream->rb);
		stream->flushed_at_ns = now_ns;
		stream->stuck_reported = false;
		pthread_mutex_unlock(&stream->lock);
	}
}

void channel_destroy(struct consumer_channel *channel)
{
	for (uint32_t i = 0; i < channel->nr_streams; i++) {
		struct consumer_stream *stream = &channel->streams[i];

		if (!channel->monitor)
			continue; /* nothing is written until a snapshot asks */
		/*
		 * The data thread let go of the channel: no lock needed any more.
		 * A stream still written to (an application's buffers going away
		 * in a running session) gets lttng's hang-up flush, the empty one.
		 */
		if (stream_output_quiescent(stream) || stream_output_flush_empty(stream) < 0)
			stream_output_flush_final(stream);
		/* What is still being written is lost. */
		if (rb_stream_data_pending(stream->rb))
			log_warn("Closing %s with records still reserved and not committed; "
			         "they are lost",
			         stream->data_file_name);
		log_debug("Closing %s: %" PRIu64 " packets, %" PRIu64 " bytes, %" PRIu64
		          " lost packets, %" PRIu64 " discarded events",
		          stream->data_file_name, stream->packets_written, stream->data_file_bytes,
		          stream->lost_packets, rb_stream_events_discarded(stream->rb));
	}
	log_info("Destroyed channel %s (key %" PRIu64 ", session %" PRIu64 ")", channel->name,
	         channel->key, channel->session_id);
	channel_free(channel, false);
}

uint64_t channel_discarded_events(struct consumer_channel *channel)
{
	uint64_t total = 0;

	for (uint32_t i = 0; i < channel->nr_streams; i++)
		total += rb_stream_events_discarded(channel->streams[i].rb);
	return total;
}

uint64_t channel_lost_packets(struct consumer_channel *channel)
{
	uint64_t total = 0;

	for (uint32_t i = 0; i < channel->nr_streams; i++) {
		struct consumer_stream *stream = &channel->streams[i];

		pthread_mutex_lock(&stream->lock);
		total += stream->lost_packets;
		pthread_mutex_unlock(&stream->lock);
	}
	return total;
}

void channel_registry_add(struct consumer_channel *channel)
{
	cds_list_add_tail(&channel->registry_node, &channel_registry);
}

void channel_registry_remove(struct consumer_channel *channel)
{
	cds_list_del(&channel->registry_node);
}

struct consumer_channel *channel_registry_find(uint64_t key)
{
	struct consumer_channel *channel;

	cds_list_for_each_entry (channel, &channel_registry, registry_node) {
		if (channel->key == key)
			return channel;
	}
	return NULL;
}

struct consumer_channel *channel_registry_first(void)
{
	if (cds_list_empty(&channel_registry))
		return NULL;
	return cds_list_first_entry(&channel_registry, struct consumer_channel, registry_node);
}

struct cds_list_head *channel_registry_list(void)
{
	return &channel_registry;
}

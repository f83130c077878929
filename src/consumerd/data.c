/* SPDX-License-Identifier: MIT */
#include "data.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <urcu/list.h>

#include "channel.h"
#include "common/clock.h"
#include "common/log.h"
#include "common/macros.h"
#include "monitor.h"
#include "output.h"
#include "ringbuffer/ringbuffer.h"
#include "stream-output.h"
#include "timers.h"

#define DATA_THREAD_MAX_EVENTS 64

enum data_request_kind {
	DATA_REQUEST_ADD_CHANNEL,
	DATA_REQUEST_REMOVE_CHANNEL,
	DATA_REQUEST_DRAIN_CHANNEL,
	DATA_REQUEST_QUIT,
};

struct data_request {
	struct cds_list_head node;
	enum data_request_kind kind;
	struct consumer_channel *channel;
	int result;
	bool done;
};

static struct {
	pthread_t thread;
	bool started;
	bool running; /* data thread only */
	int epoll_fd;
	int notify_fd; /* eventfd: requests queued */
	struct epoll_source notify_source;
	pthread_mutex_t lock; /* protects requests and each request's result/done */
	pthread_cond_t done_cond;
	struct cds_list_head requests;
} data_thread = {
    .epoll_fd = -1,
    .notify_fd = -1,
    .notify_source = {.kind = EPOLL_SOURCE_NOTIFY},
    .lock = PTHREAD_MUTEX_INITIALIZER,
    .done_cond = PTHREAD_COND_INITIALIZER,
    .requests = CDS_LIST_HEAD_INIT(data_thread.requests),
};

static int data_thread_watch(int fd, struct epoll_source *source)
{
	struct epoll_event ev = {.events = EPOLLIN, .data.ptr = source};

	return epoll_ctl(data_thread.epoll_fd, EPOLL_CTL_ADD, fd, &ev) < 0 ? -errno : 0;
}

static void data_thread_unwatch(int fd)
{
	if (fd >= 0)
		epoll_ctl(data_thread.epoll_fd, EPOLL_CTL_DEL, fd, NULL);
}

/*
 * Drains at most one ring's worth of packets so that one busy stream cannot
 * starve the others; when more are left, the wakeup is re-armed so that the
 * stream comes back in the next epoll batch.
 */
static void data_thread_drain_stream(struct consumer_stream *stream, bool flush_first)
{
	pthread_mutex_lock(&stream->lock);
	if (flush_first)
		rb_stream_flush(stream->rb);
	rb_consumer_clear_wakeup(stream->rb);
	if (stream_output_drain(stream, stream->channel->num_subbuf))
		eventfd_write(stream->wakeup_fd, 1);
	pthread_mutex_unlock(&stream->lock);
}

static void data_thread_drain_streams(struct consumer_channel *channel, bool flush_first)
{
	for (uint32_t i = 0; i < channel->nr_streams; i++)
		data_thread_drain_stream(&channel->streams[i], flush_first);
}

/*
 * Live timer tick: every stream is flushed so that a live viewer gets its
 * data within one period; a stream that had nothing to write instead tells
 * the relay how far its time went (a beacon), with the clock read after the
 * flush, so that no record written later can be older than the beacon. A
 * stream that has delivered no packet yet gets a header-only one from the
 * flush instead (rb_stream_flush_empty(), see output-relay.c): relays heed
 * beacons only after a stream's first packet.
 */
static void data_thread_live_tick(struct consumer_channel *channel)
{
	for (uint32_t i = 0; i < channel->nr_streams; i++) {
		struct consumer_stream *stream = &channel->streams[i];
		uint64_t before, now;

		pthread_mutex_lock(&stream->lock);
		/* -EAGAIN (first slot not free yet): the beacon is dropped, as before a packet. */
		if (stream->next_seq_num == 0)
			(void)rb_stream_flush_empty(stream->rb);
		else
			rb_stream_flush(stream->rb);
		now = rt_clock_read();
		before = stream->packets_written + stream->lost_packets;
		rb_consumer_clear_wakeup(stream->rb);
		if (stream_output_drain(stream, stream->channel->num_subbuf))
			eventfd_write(stream->wakeup_fd, 1);
		if (stream->packets_written + stream->lost_packets == before)
			channel->output->beacon(stream, now);
		pthread_mutex_unlock(&stream->lock);
	}
}

static int data_thread_watch_channel(struct consumer_channel *channel)
{
	int r;

	for (uint32_t i = 0; i < channel->nr_streams; i++) {
		r = data_thread_watch(channel->streams[i].wakeup_fd,
		                      &channel->streams[i].wakeup_source);
		if (r < 0)
			return r;
	}
	r = data_thread_watch(channel->read_timer_fd, &channel->read_timer_source);
	if (r < 0)
		return r;
	if (channel->switch_timer_fd >= 0)
		r = data_thread_watch(channel->switch_timer_fd, &channel->switch_timer_source);
	if (r == 0 && channel->live_timer_fd >= 0)
		r = data_thread_watch(channel->live_timer_fd, &channel->live_timer_source);
	if (r == 0 && channel->monitor_timer_fd >= 0)
		r = data_thread_watch(channel->monitor_timer_fd, &channel->monitor_timer_source);
	return r;
}

static void data_thread_unwatch_channel(struct consumer_channel *channel)
{
	for (uint32_t i = 0; i < channel->nr_streams; i++)
		data_thread_unwatch(channel->streams[i].wakeup_fd);
	data_thread_unwatch(channel->read_timer_fd);
	data_thread_unwatch(channel->switch_timer_fd);
	data_thread_unwatch(channel->live_timer_fd);
	data_thread_unwatch(channel->monitor_timer_fd);
}

static int data_thread_serve_request(struct data_request *req)
{
	int r = 0;

	switch (req->kind) {
	case DATA_REQUEST_ADD_CHANNEL:
		r = data_thread_watch_channel(req->channel);
		if (r < 0) {
			data_thread_unwatch_channel(req->channel);
			break;
		}
		/* Data produced before the streams were watched. */
		data_thread_drain_streams(req->channel, false);
		break;
	case DATA_REQUEST_REMOVE_CHANNEL:
		data_thread_unwatch_channel(req->channel);
		break;
	case DATA_REQUEST_DRAIN_CHANNEL:
		data_thread_drain_streams(req->channel, false);
		break;
	case DATA_REQUEST_QUIT:
		data_thread.running = false;
		break;
	}
	return r;
}

static void data_thread_serve_requests(void)
{
	uint64_t count;

	eventfd_read(data_thread.notify_fd, &count);
	pthread_mutex_lock(&data_thread.lock);
	while (!cds_list_empty(&data_thread.requests)) {
		struct data_request *req =
		    cds_list_first_entry(&data_thread.requests, struct data_request, node);

		cds_list_del(&req->node);
		/* Requests come from the command thread only: it waits, so nothing changes under
		 * us. */
		pthread_mutex_unlock(&data_thread.lock);
		req->result = data_thread_serve_request(req);
		pthread_mutex_lock(&data_thread.lock);
		req->done = true;
	}
	pthread_cond_broadcast(&data_thread.done_cond);
	pthread_mutex_unlock(&data_thread.lock);
}

static void data_thread_handle_event(struct epoll_source *source, bool *ret_requests)
{
	switch (source->kind) {
	case EPOLL_SOURCE_NOTIFY:
		/* After the batch: a request may remove a channel this batch refers to. */
		*ret_requests = true;
		break;
	case EPOLL_SOURCE_STREAM_WAKEUP:
		data_thread_drain_stream(source->stream, false);
		break;
	case EPOLL_SOURCE_READ_TIMER:
		timer_acknowledge(source->channel->read_timer_fd);
		data_thread_drain_streams(source->channel, false);
		break;
	case EPOLL_SOURCE_SWITCH_TIMER:
		timer_acknowledge(source->channel->switch_timer_fd);
		data_thread_drain_streams(source->channel, true);
		break;
	case EPOLL_SOURCE_LIVE_TIMER:
		timer_acknowledge(source->channel->live_timer_fd);
		data_thread_live_tick(source->channel);
		break;
	case EPOLL_SOURCE_MONITOR_TIMER:
		timer_acknowledge(source->channel->monitor_timer_fd);
		monitor_sample_channel(source->channel);
		break;
	}
}

static void *data_thread_main(void *arg)
{
	struct epoll_event events[DATA_THREAD_MAX_EVENTS];

	while (data_thread.running) {
		bool requests = false;
		int n = epoll_wait(data_thread.epoll_fd, events, DATA_THREAD_MAX_EVENTS, -1);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			log_error("Data thread: epoll_wait failed: %s", strerror(errno));
			/* Keep serving requests so the command thread is never stuck. */
			n = 0;
			requests = true;
		}
		for (int i = 0; i < n; i++)
			data_thread_handle_event(events[i].data.ptr, &requests);
		if (requests)
			data_thread_serve_requests();
	}
	return NULL;
}

static int data_thread_submit(enum data_request_kind kind, struct consumer_channel *channel)
{
	struct data_request req = {.kind = kind, .channel = channel};

	pthread_mutex_lock(&data_thread.lock);
	cds_list_add_tail(&req.node, &data_thread.requests);
	pthread_mutex_unlock(&data_thread.lock);
	eventfd_write(data_thread.notify_fd, 1);
	pthread_mutex_lock(&data_thread.lock);
	while (!req.done)
		pthread_cond_wait(&data_thread.done_cond, &data_thread.lock);
	pthread_mutex_unlock(&data_thread.lock);
	return req.result;
}

int data_thread_start(void)
{
	int r;

	data_thread.epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	if (data_thread.epoll_fd < 0)
		return -errno;
	data_thread.notify_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (data_thread.notify_fd < 0)
		return -errno;
	r = data_thread_watch(data_thread.notify_fd, &data_thread.notify_source);
	if (r < 0)
		return r;
	data_thread.running = true;
	r = -pthread_create(&data_thread.thread, NULL, data_thread_main, NULL);
	if (r < 0)
		return r;
	data_thread.started = true;
	return 0;
}

void data_thread_stop(void)
{
	if (data_thread.started) {
		data_thread_submit(DATA_REQUEST_QUIT, NULL);
		pthread_join(data_thread.thread, NULL);
		data_thread.started = false;
	}
	if (data_thread.notify_fd >= 0)
		close(data_thread.notify_fd);
	if (data_thread.epoll_fd >= 0)
		close(data_thread.epoll_fd);
	data_thread.notify_fd = data_thread.epoll_fd = -1;
}

int data_thread_add_channel(struct consumer_channel *channel)
{
	return data_thread_submit(DATA_REQUEST_ADD_CHANNEL, channel);
}

void data_thread_remove_channel(struct consumer_channel *channel)
{
	data_thread_submit(DATA_REQUEST_REMOVE_CHANNEL, channel);
}

void data_thread_drain_channel(struct consumer_channel *channel)
{
	data_thread_submit(DATA_REQUEST_DRAIN_CHANNEL, channel);
}

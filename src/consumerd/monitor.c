/* SPDX-License-Identifier: MIT */
#include "monitor.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "channel.h"
#include "command.h"
#include "common/comm/consumer-msg.h"
#include "common/log.h"
#include "ringbuffer/ringbuffer.h"

_Static_assert(sizeof(struct consumer_channel_monitor_msg) <= PIPE_BUF,
               "a sample must be written atomically");

/* Set once by the command thread, read by the data thread. */
static int monitor_pipe_fd = -1;

void monitor_sample_channel(struct consumer_channel *channel)
{
	struct consumer_channel_monitor_msg msg = {
	    .key = channel->key,
	    .session_id = channel->session_id,
	    .lowest = UINT64_MAX,
	};
	int fd = __atomic_load_n(&monitor_pipe_fd, __ATOMIC_ACQUIRE);
	uint64_t written = 0;
	ssize_t n;

	if (fd < 0 || channel->nr_streams == 0)
		return;
	for (uint32_t i = 0; i < channel->nr_streams; i++) {
		const struct consumer_stream *stream = &channel->streams[i];
		uint64_t usage = rb_stream_usage_bytes(stream->rb);

		msg.highest = usage > msg.highest ? usage : msg.highest;
		msg.lowest = usage < msg.lowest ? usage : msg.lowest;
		written += __atomic_load_n(&stream->bytes_written_total, __ATOMIC_RELAXED);
	}
	msg.consumed_since_last_sample = written - channel->monitor_bytes_sent;
	do
		n = write(fd, &msg, sizeof(msg));
	while (n < 0 && errno == EINTR);
	if (n == (ssize_t)sizeof(msg)) {
		channel->monitor_bytes_sent = written;
		return;
	}
	if (n < 0 && errno == EAGAIN)
		log_debug("Monitor pipe full: sample of channel %s dropped", channel->name);
	else
		log_warn("Cannot send the monitor sample of channel %s: %s", channel->name,
		         n < 0 ? strerror(errno) : "short write");
}

int cmd_set_channel_monitor_pipe(const struct command_request *req)
{
	struct stat st;
	int fd, flags;

	if (fstat(req->fds[0], &st) < 0 || !S_ISFIFO(st.st_mode)) {
		log_error("SET_CHANNEL_MONITOR_PIPE: the descriptor is not a pipe");
		return command_reply_error(req, CONSUMERD_INVALID_PARAMETERS);
	}
	if (__atomic_load_n(&monitor_pipe_fd, __ATOMIC_RELAXED) >= 0) {
		log_error("SET_CHANNEL_MONITOR_PIPE: the monitor pipe is already set");
		return command_reply_error(req, CONSUMERD_ALREADY_SET);
	}
	fd = fcntl(req->fds[0], F_DUPFD_CLOEXEC, 0);
	if (fd < 0) {
		log_error("SET_CHANNEL_MONITOR_PIPE: cannot keep the pipe: %s", strerror(errno));
		return command_reply_error(req, CONSUMERD_ERROR_RECV_FD);
	}
	flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
		log_error("SET_CHANNEL_MONITOR_PIPE: cannot make the pipe non-blocking: %s",
		          strerror(errno));
		close(fd);
		return command_reply_error(req, CONSUMERD_ERROR_RECV_FD);
	}
	__atomic_store_n(&monitor_pipe_fd, fd, __ATOMIC_RELEASE);
	log_debug("Channel monitor pipe set (fd %d)", fd);
	return command_reply(req, NULL, 0);
}

void monitor_close_pipe(void)
{
	int fd = __atomic_exchange_n(&monitor_pipe_fd, -1, __ATOMIC_ACQ_REL);

	if (fd >= 0)
		close(fd);
}

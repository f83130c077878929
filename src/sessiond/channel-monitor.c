/* SPDX-License-Identifier: MIT */
#include "channel-monitor.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <string.h>
#include <unistd.h>

#include "comm/consumer-msg.h"
#include "consumer.h"
#include "log.h"
#include "macros.h"
#include "rotation-schedule.h"
#include "session.h"

#define SAMPLES_PER_READ 64

static int monitor_pipe[2] = {-1, -1};
/* Bytes of a sample cut by a read (the rotation schedule thread only). */
static uint8_t partial[sizeof(struct consumer_channel_monitor_msg)];
static size_t partial_len;

int channel_monitor_init(void)
{
	if (pipe2(monitor_pipe, O_CLOEXEC) < 0)
		return -errno;
	if (fcntl(monitor_pipe[0], F_SETFL, O_NONBLOCK) < 0) {
		int r = -errno;

		channel_monitor_close();
		return r;
	}
	consumer_set_monitor_pipe(monitor_pipe[1]);
	return 0;
}

int channel_monitor_read_fd(void)
{
	return monitor_pipe[0];
}

static void account_sample(const struct consumer_channel_monitor_msg *msg)
{
	struct session *s = session_find_by_id(msg->session_id);

	log_debug("Channel %" PRIu64 " of session %" PRIu64 ": usage %" PRIu64 "-%" PRIu64
	          " bytes, %" PRIu64 " bytes written since the last sample",
	          msg->key, msg->session_id, msg->lowest, msg->highest,
	          msg->consumed_since_last_sample);
	/* The session may be gone: its channels' last samples were in flight. */
	if (s)
		rotation_schedule_account(s, msg->consumed_since_last_sample);
}

void channel_monitor_read_samples(void)
{
	const size_t msg_size = sizeof(struct consumer_channel_monitor_msg);
	uint8_t buf[SAMPLES_PER_READ * sizeof(struct consumer_channel_monitor_msg)];
	ssize_t n;

	memcpy(buf, partial, partial_len);
	n = read(monitor_pipe[0], buf + partial_len, sizeof(buf) - partial_len);
	if (n <= 0) {
		if (n < 0 && errno != EAGAIN && errno != EINTR)
			log_warn("Cannot read the channel monitor pipe: %s", strerror(errno));
		return;
	}
	n += (ssize_t)partial_len;
	session_list_lock();
	for (size_t off = 0; off + msg_size <= (size_t)n; off += msg_size) {
		struct consumer_channel_monitor_msg msg;

		memcpy(&msg, buf + off, msg_size);
		account_sample(&msg);
	}
	session_list_unlock();
	partial_len = (size_t)n % msg_size;
	memcpy(partial, buf + (size_t)n - partial_len, partial_len);
}

void channel_monitor_close(void)
{
	consumer_set_monitor_pipe(-1);
	closep(&monitor_pipe[0]);
	closep(&monitor_pipe[1]);
	monitor_pipe[0] = monitor_pipe[1] = -1;
}

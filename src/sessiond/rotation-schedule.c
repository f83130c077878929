/* SPDX-License-Identifier: MIT */
#include "rotation-schedule.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "channel-monitor.h"
#include "clock.h"
#include "cmd.h"
#include "consumer-loss.h"
#include "log.h"
#include "session.h"

static struct {
	pthread_t thread;
	bool started;
	bool stopping; /* atomic */
	int wake_fd;
} sched = {.wake_fd = -1};

/* Runs one scheduled rotation; why: "periodic" or "size-based". */
static void scheduled_rotate(struct session *s, const char *why)
{
	char archive[PATH_MAX];
	int r;

	/* Its channels died with their consumer, which was told when seen. */
	if (consumer_loss_check(s))
		return;
	r = cmd_session_rotate(s, archive);
	if (r == 0)
		log_info("Session %s: %s rotation archived %s", s->name, why, archive);
	else if (r == -RINGTRACE_ERR_ROTATION_MULTIPLE_AFTER_STOP ||
	         r == -RINGTRACE_ERR_ROTATION_AFTER_STOP_CLEAR)
		log_debug("Session %s: %s rotation skipped: %s", s->name, why,
		          ringtrace_strerror(r));
	else
		log_warn("Session %s: %s rotation failed: %s", s->name, why, ringtrace_strerror(r));
}

void rotation_schedule_account(struct session *s, uint64_t bytes)
{
	s->consumed_bytes += bytes;
	if (!s->rotate_size || s->consumed_bytes < s->rotate_size_threshold)
		return;
	/*
	 * The stop's flushed packets are sampled after the stop returned:
	 * rotating then would move the trace under a reader who was told it
	 * was complete. The first sample after the next start rotates (told
	 * once per sample that brought bytes, not at every idle sample).
	 */
	if (!s->active) {
		if (bytes)
			log_debug("Session %s: size-based rotation deferred to the next start: "
			          "the session is stopped",
			          s->name);
		return;
	}
	scheduled_rotate(s, "size-based");
	s->rotate_size_threshold = s->consumed_bytes + s->rotate_size;
}

void rotation_schedule_session_started(struct session *s)
{
	if (s->rotate_timer_us && !s->rotate_timer_deadline_ns) {
		s->rotate_timer_deadline_ns = rt_monotonic_ns() + s->rotate_timer_us * 1000;
		rotation_schedule_wake();
	}
}

struct timer_walk {
	uint64_t now_ns;
	uint64_t next_ns; /* nearest deadline after the due timers ran, UINT64_MAX: none */
};

static int run_due_timer(struct session *s, void *arg)
{
	struct timer_walk *w = arg;

	if (!s->rotate_timer_deadline_ns)
		return 0;
	if (s->rotate_timer_deadline_ns <= w->now_ns) {
		scheduled_rotate(s, "periodic");
		/* A late wakeup does not make rotations pile up: the next period starts now. */
		s->rotate_timer_deadline_ns = rt_monotonic_ns() + s->rotate_timer_us * 1000;
	}
	if (s->rotate_timer_deadline_ns < w->next_ns)
		w->next_ns = s->rotate_timer_deadline_ns;
	return 0;
}

/* Runs the due timers; returns the nearest deadline (UINT64_MAX: none). */
static uint64_t run_due_timers(void)
{
	struct timer_walk w = {.now_ns = rt_monotonic_ns(), .next_ns = UINT64_MAX};

	session_list_lock();
	(void)session_for_each(run_due_timer, &w);
	session_list_unlock();
	return w.next_ns;
}

static void *rotation_schedule_thread(void *arg)
{
	struct pollfd pfds[] = {
	    {.fd = sched.wake_fd, .events = POLLIN},
	    {.fd = channel_monitor_read_fd(), .events = POLLIN},
	};

	(void)arg;
	while (!__atomic_load_n(&sched.stopping, __ATOMIC_ACQUIRE)) {
		uint64_t next_ns = run_due_timers(), now_ns = rt_monotonic_ns();
		struct timespec timeout = {0};
		eventfd_t value;

		if (next_ns != UINT64_MAX && next_ns > now_ns) {
			timeout.tv_sec = (time_t)((next_ns - now_ns) / 1000000000u);
			timeout.tv_nsec = (long)((next_ns - now_ns) % 1000000000u);
		}
		if (ppoll(pfds, 2, next_ns == UINT64_MAX ? NULL : &timeout, NULL) < 0) {
			if (errno != EINTR)
				log_error("Rotation schedule thread: ppoll failed: %s",
				          strerror(errno));
			continue;
		}
		if (pfds[0].revents & POLLIN)
			(void)eventfd_read(sched.wake_fd, &value);
		if (pfds[1].revents & POLLIN)
			channel_monitor_read_samples();
	}
	return NULL;
}

void rotation_schedule_wake(void)
{
	if (sched.wake_fd >= 0)
		(void)eventfd_write(sched.wake_fd, 1);
}

int rotation_schedule_start(void)
{
	int r = channel_monitor_init();

	if (r < 0)
		return r;
	sched.wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (sched.wake_fd < 0)
		return -errno;
	r = -pthread_create(&sched.thread, NULL, rotation_schedule_thread, NULL);
	if (r < 0)
		return r;
	sched.started = true;
	return 0;
}

void rotation_schedule_stop(void)
{
	if (sched.started) {
		__atomic_store_n(&sched.stopping, true, __ATOMIC_RELEASE);
		rotation_schedule_wake();
		pthread_join(sched.thread, NULL);
		sched.started = false;
	}
	if (sched.wake_fd >= 0)
		close(sched.wake_fd);
	sched.wake_fd = -1;
}

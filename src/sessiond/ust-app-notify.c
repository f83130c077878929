/* SPDX-License-Identifier: MIT */

/*
 * The notify thread: one epoll set over every registered app's notify
 * socket (REGISTER_EVENT requests, answered at once) and command socket
 * (watched for hang-up only: its data belongs to whoever sends a command).
 * A hang-up on either socket means the app is gone.
 *
 * This thread must keep serving while other threads wait for app replies
 * (an app may register events in the middle of a command), so it never
 * takes session_list_lock() nor an app's cmd_lock; see ust-app.c. It is the
 * only thread that removes sockets from the set. Each watched app holds one
 * reference, released after the epoll batch in which it was unwatched (a
 * later event of the same batch may still point at it).
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include <urcu/system.h>

#include "comm/frame.h"
#include "comm/ust-wire.h"
#include "log.h"
#include "macros.h"
#include "registry.h"
#include "ust-app-internal.h"

#define MAX_EPOLL_EVENTS 32

static char wake_tag;

static struct {
	int epoll_fd;
	int wake_fd;
	bool stopping;
	pthread_t thread;
	bool started;
	pthread_mutex_t watch_lock;   /* watched list; a leaf lock */
	struct cds_list_head watched; /* struct ust_app, by watch_node */
} notify = {
    .epoll_fd = -1,
    .wake_fd = -1,
    .watch_lock = PTHREAD_MUTEX_INITIALIZER,
};

int ust_app_notify_watch(struct ust_app *app)
{
	struct epoll_event nev = {.events = EPOLLIN | EPOLLRDHUP, .data.ptr = &app->notify_watch};
	/* No EPOLLIN: replies on the command socket are read by the commanding thread. */
	struct epoll_event cev = {.events = EPOLLRDHUP, .data.ptr = &app->cmd_watch};
	int r = 0;

	pthread_mutex_lock(&notify.watch_lock);
	if (epoll_ctl(notify.epoll_fd, EPOLL_CTL_ADD, app->notify_fd, &nev) < 0) {
		r = -errno;
	} else if (epoll_ctl(notify.epoll_fd, EPOLL_CTL_ADD, app->cmd_fd, &cev) < 0) {
		r = -errno;
		(void)epoll_ctl(notify.epoll_fd, EPOLL_CTL_DEL, app->notify_fd, NULL);
	} else {
		cds_list_add_tail(&app->watch_node, &notify.watched);
		ust_app_get(app);
	}
	pthread_mutex_unlock(&notify.watch_lock);
	return r;
}

/* Removes the app from the set; the caller puts the watch's reference later. */
static void unwatch(struct ust_app *app)
{
	pthread_mutex_lock(&notify.watch_lock);
	(void)epoll_ctl(notify.epoll_fd, EPOLL_CTL_DEL, app->notify_fd, NULL);
	(void)epoll_ctl(notify.epoll_fd, EPOLL_CTL_DEL, app->cmd_fd, NULL);
	cds_list_del_init(&app->watch_node);
	pthread_mutex_unlock(&notify.watch_lock);
}

static bool is_watched(struct ust_app *app)
{
	bool watched;

	pthread_mutex_lock(&notify.watch_lock);
	watched = !cds_list_empty(&app->watch_node);
	pthread_mutex_unlock(&notify.watch_lock);
	return watched;
}

/* REGISTER_EVENT: the event's id in its channel, or a negative errno for the reply. */
static int register_event(struct ust_app *app, const void *payload, uint32_t len,
                          uint32_t *ret_event_id)
{
	struct ust_wire_event *event = NULL;
	struct ust_registry *registry;
	uint32_t chan_id;
	int r;

	r = ust_wire_decode_event(payload, len, &event);
	if (r < 0) {
		log_warn("App %d (%s): malformed event description refused", (int)app->pid,
		         app->name);
		return r;
	}
	r = ust_app_find_channel_registry(app, event->session_handle, event->channel_handle,
	                                  &registry, &chan_id);
	if (r < 0) {
		log_debug("App %d (%s): event %s for unknown channel handle %u", (int)app->pid,
		          app->name, event->name, event->channel_handle);
		ust_wire_event_free(event);
		return r;
	}
	r = ust_registry_register_event(registry, chan_id, &event, ret_event_id);
	if (r == -EEXIST)
		log_warn("App %d (%s): event %s refused: already registered with other fields",
		         (int)app->pid, app->name, event->name);
	else if (r < 0)
		log_warn("App %d (%s): event %s refused: %s", (int)app->pid, app->name, event->name,
		         strerror(-r));
	ust_wire_event_free(event); /* NULL when the registry kept it */
	ust_registry_put(registry);
	return r;
}

/*
 * Serves one notification. Returns 0, or a negative errno when the app must
 * be dropped (peer gone, unreadable framing, reply not sent); a request
 * that is readable but wrong gets an error reply instead.
 */
static int serve_notification(struct ust_app *app)
{
	_cleanup_free_ void *payload = NULL;
	struct ust_notify_event_reply reply;
	struct comm_frame frame;
	uint32_t event_id = 0;
	int32_t status;
	int r;

	r = comm_recv(app->notify_fd, &frame, &payload, UST_MSG_MAX_PAYLOAD, NULL, 0);
	if (r < 0)
		return r;
	switch (frame.type) {
	case UST_NOTIFY_REGISTER_EVENT:
		status = register_event(app, payload, frame.payload_len, &event_id);
		break;
	default:
		log_warn("App %d (%s): unknown notification %u refused", (int)app->pid, app->name,
		         frame.type);
		status = -ENOSYS;
		break;
	}
	if (status < 0)
		return comm_send(app->notify_fd, frame.type, status, NULL, 0, NULL, 0);
	reply.event_id = event_id;
	return comm_send(app->notify_fd, frame.type, 0, &reply, sizeof(reply), NULL, 0);
}

static const char *gone_reason(int r)
{
	switch (r) {
	case -EPIPE:
	case -ECONNRESET:
		return "exited";
	case -EAGAIN:
		return "notification timed out";
	case -EMSGSIZE:
	case -EPROTO:
		return "malformed notification";
	default:
		return strerror(-r);
	}
}

static void *notify_thread_main(void *arg)
{
	struct epoll_event events[MAX_EPOLL_EVENTS];

	while (!CMM_LOAD_SHARED(notify.stopping)) {
		struct ust_app *released[MAX_EPOLL_EVENTS];
		unsigned nr_released = 0;
		int n = epoll_wait(notify.epoll_fd, events, MAX_EPOLL_EVENTS, -1);

		if (n < 0 && errno != EINTR) {
			log_error("App notify thread: epoll_wait: %s", strerror(errno));
			break;
		}
		for (int i = 0; i < n; i++) {
			struct ust_app_watch *watch;
			struct ust_app *app;
			int r = -EPIPE;

			if (events[i].data.ptr == &wake_tag) {
				uint64_t v;

				(void)!read(notify.wake_fd, &v, sizeof(v));
				continue;
			}
			watch = events[i].data.ptr;
			app = watch->app;
			if (!is_watched(app))
				continue; /* unwatched earlier in this batch */
			if (watch->is_notify && (events[i].events & EPOLLIN) &&
			    !CMM_LOAD_SHARED(app->dead)) {
				r = serve_notification(app);
				if (r >= 0)
					continue;
			}
			ust_app_drop(app, gone_reason(r));
			unwatch(app);
			released[nr_released++] = app;
		}
		for (unsigned i = 0; i < nr_released; i++)
			ust_app_put(released[i]);
	}
	return NULL;
}

static void notify_cleanup(void)
{
	struct ust_app *app, *tmp;

	pthread_mutex_lock(&notify.watch_lock);
	cds_list_for_each_entry_safe(app, tmp, &notify.watched, watch_node)
	{
		cds_list_del_init(&app->watch_node);
		pthread_mutex_unlock(&notify.watch_lock);
		ust_app_put(app);
		pthread_mutex_lock(&notify.watch_lock);
	}
	pthread_mutex_unlock(&notify.watch_lock);
	closep(&notify.epoll_fd);
	closep(&notify.wake_fd);
}

int ust_app_notify_start(void)
{
	struct epoll_event ev = {.events = EPOLLIN, .data.ptr = &wake_tag};
	int r;

	CDS_INIT_LIST_HEAD(&notify.watched);
	notify.stopping = false;
	notify.epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	notify.wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (notify.epoll_fd < 0 || notify.wake_fd < 0 ||
	    epoll_ctl(notify.epoll_fd, EPOLL_CTL_ADD, notify.wake_fd, &ev) < 0) {
		r = -errno;
		notify_cleanup();
		return r;
	}
	r = -pthread_create(&notify.thread, NULL, notify_thread_main, NULL);
	if (r < 0) {
		notify_cleanup();
		return r;
	}
	notify.started = true;
	return 0;
}

void ust_app_notify_stop(void)
{
	uint64_t one = 1;

	if (!notify.started)
		return;
	CMM_STORE_SHARED(notify.stopping, true);
	(void)!write(notify.wake_fd, &one, sizeof(one));
	pthread_join(notify.thread, NULL);
	notify.started = false;
	notify_cleanup();
}

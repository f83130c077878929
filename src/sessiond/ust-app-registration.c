/* SPDX-License-Identifier: MIT */

/*
 * The app socket. An app opens two connections and sends the 136-byte
 * registration message on each (ust-msg.h): socket_type 0 for its command
 * socket, 1 for its notify socket. The registration thread reads those
 * messages without ever blocking on one app (non-blocking sockets in an
 * epoll set, a deadline per connection), checks them against the peer's
 * credentials, and pairs the two sockets of a pid into a struct ust_app.
 * Complete apps go to the dispatch thread, which does the slow part
 * (commands to the app, see ust_app_register()), so a slow app never delays
 * the registration of others. The same thread releases what dropped apps
 * leave behind (ust_app_unregister()), in order after their registration.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>
#include <urcu/system.h>

#include "log.h"
#include "macros.h"
#include "unix-sock.h"
#include "ust-app-internal.h"

#define APP_SOCKET_MODE_ROOT 0666 /* any user's apps may register (as lttng's global socket) */
#define APP_SOCKET_MODE_USER 0600
/* Bounds on connections still registering, so a flood cannot eat every descriptor. */
#define MAX_PENDING_CONNS 256
#define MAX_EPOLL_EVENTS  32
#define MAX_WAIT_MS       1000

/* A connection whose registration message is not complete yet. */
struct pending_conn {
	int fd;
	struct ucred cred;
	uint8_t buf[UST_REG_MSG_SIZE];
	size_t got;
	uint64_t deadline_ms;
	struct cds_list_head node;
};

/* One socket of a pid is registered, the other not yet. */
struct half_app {
	pid_t pid;
	int fds[2]; /* by enum ust_socket_type, -1 when missing */
	struct ust_reg_msg msgs[2];
	uint64_t deadline_ms;
	struct cds_list_head node;
};

struct dispatch_item {
	struct ust_app *app; /* reference owned */
	bool unregister;     /* else register */
	struct cds_list_head node;
};

/* epoll tags for the two fixed descriptors (pending connections use their own address). */
static char listen_tag, wake_tag;

static struct {
	char path[PATH_MAX];
	bool root_daemon;
	int listen_fd;
	int epoll_fd;
	int wake_fd;
	bool stopping; /* registration thread: read after a wake-up */
	pthread_t thread;
	bool thread_started;
	struct cds_list_head pending; /* struct pending_conn */
	unsigned nr_pending;
	unsigned nr_refused;         /* over MAX_PENDING_CONNS, not logged yet */
	struct cds_list_head halves; /* struct half_app */

	/* Dispatch thread and its queue. */
	pthread_mutex_t queue_lock;
	pthread_cond_t queue_cond;
	struct cds_list_head queue; /* struct dispatch_item */
	bool queue_stopping;
	pthread_t dispatch_thread;
	bool dispatch_started;
} reg = {
    .listen_fd = -1,
    .epoll_fd = -1,
    .wake_fd = -1,
    .queue_lock = PTHREAD_MUTEX_INITIALIZER,
    .queue_cond = PTHREAD_COND_INITIALIZER,
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* --- dispatch thread --- */

/* Takes the caller's reference to app. */
static void dispatch_queue_push(struct ust_app *app, bool unregister)
{
	struct dispatch_item *item = calloc(1, sizeof(*item));

	if (!item) {
		log_error("Out of memory: app %d not %s", (int)app->pid,
		          unregister ? "unregistered" : "registered");
		ust_app_put(app);
		return;
	}
	item->app = app;
	item->unregister = unregister;
	pthread_mutex_lock(&reg.queue_lock);
	if (reg.queue_stopping) {
		/* Shutting down: the sessions, and their buffers, are already gone. */
		pthread_mutex_unlock(&reg.queue_lock);
		ust_app_put(app);
		free(item);
		return;
	}
	cds_list_add_tail(&item->node, &reg.queue);
	pthread_cond_signal(&reg.queue_cond);
	pthread_mutex_unlock(&reg.queue_lock);
}

void ust_app_dispatch_unregister(struct ust_app *app)
{
	dispatch_queue_push(ust_app_get(app), true);
}

static void *dispatch_thread_main(void *arg)
{
	for (;;) {
		struct dispatch_item *item;

		pthread_mutex_lock(&reg.queue_lock);
		while (cds_list_empty(&reg.queue) && !reg.queue_stopping)
			pthread_cond_wait(&reg.queue_cond, &reg.queue_lock);
		if (reg.queue_stopping) {
			pthread_mutex_unlock(&reg.queue_lock);
			return NULL;
		}
		item = cds_list_first_entry(&reg.queue, struct dispatch_item, node);
		cds_list_del(&item->node);
		pthread_mutex_unlock(&reg.queue_lock);

		if (item->unregister)
			ust_app_unregister(item->app);
		else
			ust_app_register(item->app);
		ust_app_put(item->app);
		free(item);
	}
}

/* --- registration messages --- */

static bool alignment_is_valid(uint32_t align_bits, uint32_t type_bits)
{
	return align_bits >= 8 && align_bits <= type_bits && (align_bits & (align_bits - 1)) == 0;
}

/* NULL when the message may be trusted, else why not. */
static const char *reg_msg_refusal(const struct ust_reg_msg *m, const struct ucred *cred)
{
	if (m->magic != UST_REG_MAGIC)
		return "bad magic (not a ringtrace app, or another byte order)";
	if (m->major != UST_REG_ABI_MAJOR)
		return "incompatible protocol version";
	if (m->socket_type != UST_SOCKET_CMD && m->socket_type != UST_SOCKET_NOTIFY)
		return "unknown socket type";
	if (m->bits_per_long != 32 && m->bits_per_long != 64)
		return "unsupported bits_per_long";
	if (!alignment_is_valid(m->uint8_t_alignment, 8) ||
	    !alignment_is_valid(m->uint16_t_alignment, 16) ||
	    !alignment_is_valid(m->uint32_t_alignment, 32) ||
	    !alignment_is_valid(m->uint64_t_alignment, 64) ||
	    !alignment_is_valid(m->long_alignment, m->bits_per_long))
		return "invalid type alignments";
	if (m->pid == 0 || m->pid > INT32_MAX || (pid_t)m->pid != cred->pid)
		return "pid does not match the peer's credentials";
	if ((uid_t)m->uid != cred->uid)
		return "uid does not match the peer's credentials";
	return NULL;
}

static bool same_app(const struct ust_reg_msg *a, const struct ust_reg_msg *b)
{
	return a->pid == b->pid && a->ppid == b->ppid && a->uid == b->uid && a->gid == b->gid &&
	       a->bits_per_long == b->bits_per_long &&
	       a->uint8_t_alignment == b->uint8_t_alignment &&
	       a->uint16_t_alignment == b->uint16_t_alignment &&
	       a->uint32_t_alignment == b->uint32_t_alignment &&
	       a->uint64_t_alignment == b->uint64_t_alignment &&
	       a->long_alignment == b->long_alignment && a->major == b->major;
}

static void half_app_free(struct half_app *half)
{
	cds_list_del(&half->node);
	closep(&half->fds[0]);
	closep(&half->fds[1]);
	free(half);
}

/* Registered sockets go back to blocking mode, with the app socket timeout. */
static int app_socket_ready(int fd)
{
	int flags = fcntl(fd, F_GETFL);

	if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0)
		return -errno;
	return unix_sock_set_timeouts(fd, ust_app_socket_timeout_ms());
}

static void half_app_complete(struct half_app *half)
{
	const struct ust_reg_msg *cmd = &half->msgs[UST_SOCKET_CMD];
	struct ust_app *app;

	if (!same_app(cmd, &half->msgs[UST_SOCKET_NOTIFY])) {
		log_warn("App %d refused: its two registration messages disagree", (int)half->pid);
		half_app_free(half);
		return;
	}
	if (app_socket_ready(half->fds[UST_SOCKET_CMD]) < 0 ||
	    app_socket_ready(half->fds[UST_SOCKET_NOTIFY]) < 0) {
		log_warn("App %d refused: cannot configure its sockets", (int)half->pid);
		half_app_free(half);
		return;
	}
	app = ust_app_new(cmd, half->fds[UST_SOCKET_CMD], half->fds[UST_SOCKET_NOTIFY]);
	if (!app) {
		log_error("Out of memory: app %d not registered", (int)half->pid);
		half_app_free(half);
		return;
	}
	half->fds[0] = half->fds[1] = -1; /* now the app's */
	half_app_free(half);
	dispatch_queue_push(app, false);
}

static void pair_socket(int fd, const struct ust_reg_msg *msg)
{
	uint32_t type = msg->socket_type;
	struct half_app *half = NULL, *it;

	cds_list_for_each_entry(it, &reg.halves, node)
	{
		if (it->pid == (pid_t)msg->pid) {
			half = it;
			break;
		}
	}
	if (!half) {
		half = calloc(1, sizeof(*half));
		if (!half) {
			close(fd);
			return;
		}
		half->pid = (pid_t)msg->pid;
		half->fds[0] = half->fds[1] = -1;
		half->deadline_ms = now_ms() + ust_app_socket_timeout_ms();
		cds_list_add_tail(&half->node, &reg.halves);
	}
	if (half->fds[type] >= 0) {
		/* A retry by the app: the newer connection wins. */
		log_debug("App %d registered its %s socket again", (int)half->pid,
		          type == UST_SOCKET_CMD ? "command" : "notify");
		close(half->fds[type]);
	}
	half->fds[type] = fd;
	half->msgs[type] = *msg;
	if (half->fds[UST_SOCKET_CMD] >= 0 && half->fds[UST_SOCKET_NOTIFY] >= 0)
		half_app_complete(half);
}

static void pending_conn_free(struct pending_conn *conn)
{
	cds_list_del(&conn->node);
	reg.nr_pending--;
	if (reg.nr_refused && reg.nr_pending == 0) {
		log_warn("%u app connections refused: more than %u were registering at once",
		         reg.nr_refused, MAX_PENDING_CONNS);
		reg.nr_refused = 0;
	}
	if (conn->fd >= 0) {
		(void)epoll_ctl(reg.epoll_fd, EPOLL_CTL_DEL, conn->fd, NULL);
		close(conn->fd);
	}
	free(conn);
}

static void pending_conn_registered(struct pending_conn *conn)
{
	struct ust_reg_msg msg;
	const char *refusal;
	int fd;

	memcpy(&msg, conn->buf, sizeof(msg));
	refusal = reg_msg_refusal(&msg, &conn->cred);
	if (refusal) {
		log_warn("Registration refused (pid %d, uid %u): %s", (int)conn->cred.pid,
		         (unsigned)conn->cred.uid, refusal);
		pending_conn_free(conn);
		return;
	}
	(void)epoll_ctl(reg.epoll_fd, EPOLL_CTL_DEL, conn->fd, NULL);
	fd = TAKE_FD(conn->fd);
	pending_conn_free(conn);
	pair_socket(fd, &msg);
}

static void pending_conn_readable(struct pending_conn *conn)
{
	ssize_t n;

	do
		n = recv(conn->fd, conn->buf + conn->got, sizeof(conn->buf) - conn->got,
		         MSG_DONTWAIT);
	while (n < 0 && errno == EINTR);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return;
	if (n <= 0) {
		log_debug("Connection of pid %d closed before registering", (int)conn->cred.pid);
		pending_conn_free(conn);
		return;
	}
	conn->got += (size_t)n;
	if (conn->got == sizeof(conn->buf))
		pending_conn_registered(conn);
}

/* Accepts one connection; false once the backlog is empty. */
static bool accept_connection(void)
{
	_cleanup_close_ int fd = -1;
	struct pending_conn *conn;
	struct ucred cred;
	struct epoll_event ev;

	fd = accept4(reg.listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (fd < 0) {
		if (errno == EINTR || errno == ECONNABORTED)
			return true;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			log_warn("Cannot accept an app connection: %s", strerror(errno));
		return false;
	}
	if (reg.nr_pending >= MAX_PENDING_CONNS) {
		/* Summed up once the flood is over, not one line per connection. */
		reg.nr_refused++;
		return true;
	}
	if (unix_sock_peer_cred(fd, &cred) < 0)
		return true;
	/* A per-user daemon serves its own user only; root's serves everybody. */
	if (!reg.root_daemon && cred.uid != geteuid()) {
		log_warn("Registration refused (pid %d): uid %u is not this daemon's user",
		         (int)cred.pid, (unsigned)cred.uid);
		return true;
	}
	conn = calloc(1, sizeof(*conn));
	if (!conn)
		return true;
	conn->cred = cred;
	conn->deadline_ms = now_ms() + ust_app_socket_timeout_ms();
	ev = (struct epoll_event){.events = EPOLLIN | EPOLLRDHUP, .data.ptr = conn};
	if (epoll_ctl(reg.epoll_fd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		free(conn);
		return true;
	}
	conn->fd = TAKE_FD(fd);
	cds_list_add_tail(&conn->node, &reg.pending);
	reg.nr_pending++;
	return true;
}

/* Closes what has waited too long; returns the wait until the next deadline. */
static int expire_deadlines(void)
{
	struct pending_conn *conn, *tmp_conn;
	struct half_app *half, *tmp_half;
	uint64_t now = now_ms(), next = now + MAX_WAIT_MS;
	unsigned nr_expired = 0;
	pid_t last_pid = 0;

	cds_list_for_each_entry_safe(conn, tmp_conn, &reg.pending, node)
	{
		if (conn->deadline_ms <= now) {
			nr_expired++;
			last_pid = conn->cred.pid;
			pending_conn_free(conn);
		} else if (conn->deadline_ms < next) {
			next = conn->deadline_ms;
		}
	}
	if (nr_expired == 1)
		log_warn("Registration of pid %d timed out", (int)last_pid);
	else if (nr_expired > 1)
		log_warn("%u app connections timed out before registering", nr_expired);
	cds_list_for_each_entry_safe(half, tmp_half, &reg.halves, node)
	{
		if (half->deadline_ms <= now) {
			log_warn("App %d registered only its %s socket; dropped", (int)half->pid,
			         half->fds[UST_SOCKET_CMD] >= 0 ? "command" : "notify");
			half_app_free(half);
		} else if (half->deadline_ms < next) {
			next = half->deadline_ms;
		}
	}
	return (int)(next - now);
}

static void *registration_thread_main(void *arg)
{
	struct epoll_event events[MAX_EPOLL_EVENTS];

	while (!CMM_LOAD_SHARED(reg.stopping)) {
		int timeout = expire_deadlines();
		int n = epoll_wait(reg.epoll_fd, events, MAX_EPOLL_EVENTS, timeout);

		if (n < 0 && errno != EINTR) {
			log_error("App registration thread: epoll_wait: %s", strerror(errno));
			break;
		}
		for (int i = 0; i < n; i++) {
			void *tag = events[i].data.ptr;

			if (tag == &wake_tag) {
				uint64_t v;

				(void)!read(reg.wake_fd, &v, sizeof(v));
			} else if (tag == &listen_tag) {
				/* Drain the backlog, bounded so pending reads still get a turn. */
				for (int k = 0; k < UNIX_SOCK_LISTEN_BACKLOG && accept_connection();
				     k++)
					;
			} else {
				pending_conn_readable(tag);
			}
		}
	}
	return NULL;
}

/* --- start / stop --- */

static int epoll_add_tag(int fd, void *tag)
{
	struct epoll_event ev = {.events = EPOLLIN, .data.ptr = tag};

	return epoll_ctl(reg.epoll_fd, EPOLL_CTL_ADD, fd, &ev) < 0 ? -errno : 0;
}

static void registration_cleanup(void)
{
	struct pending_conn *conn, *tmp_conn;
	struct half_app *half, *tmp_half;
	struct dispatch_item *item, *tmp_item;

	cds_list_for_each_entry_safe(conn, tmp_conn, &reg.pending, node)
	{
		pending_conn_free(conn);
	}
	cds_list_for_each_entry_safe(half, tmp_half, &reg.halves, node)
	{
		half_app_free(half);
	}
	cds_list_for_each_entry_safe(item, tmp_item, &reg.queue, node)
	{
		cds_list_del(&item->node);
		ust_app_put(item->app);
		free(item);
	}
	closep(&reg.listen_fd);
	closep(&reg.epoll_fd);
	closep(&reg.wake_fd);
	if (reg.path[0])
		(void)unlink(reg.path);
	reg.path[0] = '\0';
}

int ust_app_registration_start(const char *app_socket_path, bool root_daemon)
{
	int r, flags;

	CDS_INIT_LIST_HEAD(&reg.pending);
	CDS_INIT_LIST_HEAD(&reg.halves);
	CDS_INIT_LIST_HEAD(&reg.queue);
	reg.nr_pending = 0;
	reg.nr_refused = 0;
	reg.stopping = false;
	reg.queue_stopping = false;
	reg.root_daemon = root_daemon;
	if (strlen(app_socket_path) >= sizeof(reg.path))
		return -ENAMETOOLONG;

	r = unix_sock_listen(app_socket_path,
	                     root_daemon ? APP_SOCKET_MODE_ROOT : APP_SOCKET_MODE_USER);
	if (r < 0) {
		log_error("Cannot listen on the app socket %s: %s", app_socket_path, strerror(-r));
		return r;
	}
	reg.listen_fd = r;
	strcpy(reg.path, app_socket_path);
	flags = fcntl(reg.listen_fd, F_GETFL);
	if (flags < 0 || fcntl(reg.listen_fd, F_SETFL, flags | O_NONBLOCK) < 0)
		goto fail_errno;
	reg.epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	reg.wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (reg.epoll_fd < 0 || reg.wake_fd < 0)
		goto fail_errno;
	r = epoll_add_tag(reg.listen_fd, &listen_tag);
	if (r >= 0)
		r = epoll_add_tag(reg.wake_fd, &wake_tag);
	if (r < 0)
		goto fail;
	r = -pthread_create(&reg.dispatch_thread, NULL, dispatch_thread_main, NULL);
	if (r < 0)
		goto fail;
	reg.dispatch_started = true;
	r = -pthread_create(&reg.thread, NULL, registration_thread_main, NULL);
	if (r < 0) {
		ust_app_registration_stop();
		return r;
	}
	reg.thread_started = true;
	return 0;

fail_errno:
	r = -errno;
fail:
	registration_cleanup();
	return r;
}

void ust_app_registration_stop(void)
{
	uint64_t one = 1;

	if (reg.thread_started) {
		CMM_STORE_SHARED(reg.stopping, true);
		(void)!write(reg.wake_fd, &one, sizeof(one));
		pthread_join(reg.thread, NULL);
		reg.thread_started = false;
	}
	if (reg.dispatch_started) {
		pthread_mutex_lock(&reg.queue_lock);
		reg.queue_stopping = true;
		pthread_cond_signal(&reg.queue_cond);
		pthread_mutex_unlock(&reg.queue_lock);
		pthread_join(reg.dispatch_thread, NULL);
		reg.dispatch_started = false;
	}
	registration_cleanup();
}

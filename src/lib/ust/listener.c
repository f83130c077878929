/* SPDX-License-Identifier: MIT */
/*
 * Listener threads: one per session daemon target (per-user, root). Each
 * connects and registers, serves the daemon's commands until the connection
 * ends, drops everything the connection created, then waits for a daemon to
 * (re)appear and starts over. Nothing here may harm the app: no output
 * unless RINGTRACE_DEBUG is set, no signal delivered to these threads, every
 * socket with timeouts, no busy loop while no daemon runs.
 *
 * The library constructor starts the threads and waits, at most the
 * register timeout, until each target is "done": REGISTER_DONE received,
 * connection failed, or connection lost before that. With no daemon the
 * connect fails at once and the constructor returns without delay.
 *
 * Waiting for a daemon: an inotify watch on the run directory (or on its
 * parent until the directory exists) reports the socket being created,
 * with a slow periodic retry as a fallback (a daemon that refused or dropped
 * us, a file system without inotify).
 */
#include "comm-conn.h"

#include "common/comm/ust-msg.h"
#include "common/macros.h"
#include "common/paths.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct rt_comm_target rt_comm_targets[RT_COMM_NR_TARGETS] = {
    {.label = "per-user", .root = false, .inotify_fd = -1, .cmd_fd = -1, .notify_fd = -1},
    {.label = "root", .root = true, .inotify_fd = -1, .cmd_fd = -1, .notify_fd = -1},
};

bool rt_comm_exiting;

static sem_t init_sem;
static int register_timeout_ms = RT_COMM_DEFAULT_TIMEOUT_MS; /* < 0: forever */
static bool debug_enabled;

/* Quick retries when the socket appeared but the daemon is not listening yet. */
#define APPEAR_RETRIES  20
#define APPEAR_RETRY_MS 25

/* --- configuration --- */

static int parse_timeout_ms(void)
{
	static const char *const vars[] = {"RINGTRACE_REGISTER_TIMEOUT",
	                                   "LTTNG_UST_REGISTER_TIMEOUT"};

	for (size_t i = 0; i < ARRAY_SIZE(vars); i++) {
		const char *s = getenv(vars[i]);
		char *end;
		long v;

		if (!s || !*s)
			continue;
		errno = 0;
		v = strtol(s, &end, 10);
		if (errno || *end != '\0')
			continue; /* unusable: try the next variable, else the default */
		if (v < 0)
			return -1;
		return v > INT32_MAX ? INT32_MAX : (int)v;
	}
	return RT_COMM_DEFAULT_TIMEOUT_MS;
}

unsigned rt_comm_sock_timeout_ms(void)
{
	/* "Wait forever" applies to the constructor, never to a stuck daemon. */
	if (register_timeout_ms < 0)
		return RT_COMM_DEFAULT_TIMEOUT_MS;
	if (register_timeout_ms < RT_COMM_MIN_SOCK_TIMEOUT_MS)
		return RT_COMM_MIN_SOCK_TIMEOUT_MS;
	return (unsigned)register_timeout_ms;
}

void rt_comm_debug(const char *fmt, ...)
{
	char line[512];
	va_list ap;

	if (!debug_enabled)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fprintf(stderr, "libringtrace-ust[%d]: %s\n", (int)getpid(), line);
}

void rt_comm_target_done(struct rt_comm_target *target)
{
	/* Only the target's own listener thread gets here. */
	if (target->done_posted)
		return;
	target->done_posted = true;
	sem_post(&init_sem);
}

void rt_comm_listener_lock(void)
{
	rt_ust_lock();
	if (!rt_comm_exiting)
		return;
	/*
	 * The process is exiting: touch nothing more. Parked rather than
	 * ended, so that no unwinding runs during exit; every signal is
	 * blocked here, pause() never returns.
	 */
	rt_ust_unlock();
	for (;;)
		pause();
}

/* --- waiting for a daemon --- */

struct daemon_watch {
	int fd;             /* inotify instance, -1 when unavailable */
	int wd;             /* current watch, -1 when none */
	bool on_parent;     /* watching the parent until the run directory exists */
	char dir[PATH_MAX]; /* run directory */
	char parent[PATH_MAX];
	const char *dir_name; /* basename of dir, inside parent */
};

static void watch_init(struct daemon_watch *w, const struct rt_comm_target *target)
{
	char *slash;

	w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	w->wd = -1;
	w->on_parent = false;
	snprintf(w->dir, sizeof(w->dir), "%s", target->sock_path);
	slash = strrchr(w->dir, '/');
	if (slash)
		*slash = '\0';
	snprintf(w->parent, sizeof(w->parent), "%s", w->dir);
	slash = strrchr(w->parent, '/');
	if (slash && slash != w->parent)
		*slash = '\0';
	else
		snprintf(w->parent, sizeof(w->parent), "/");
	slash = strrchr(w->dir, '/');
	w->dir_name = slash ? slash + 1 : w->dir;
}

static void watch_drain(struct daemon_watch *w)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));

	while (read(w->fd, buf, sizeof(buf)) > 0)
		;
}

/* Watches the run directory (or its parent); to be called before each connection attempt. */
static void watch_arm(struct daemon_watch *w)
{
	if (w->fd < 0)
		return;
	if (w->wd >= 0)
		inotify_rm_watch(w->fd, w->wd);
	w->wd = inotify_add_watch(w->fd, w->dir,
	                          IN_CREATE | IN_MOVED_TO | IN_ATTRIB | IN_DELETE_SELF |
	                              IN_MOVE_SELF | IN_ONLYDIR);
	w->on_parent = false;
	if (w->wd < 0) {
		w->wd = inotify_add_watch(w->fd, w->parent, IN_CREATE | IN_MOVED_TO | IN_ONLYDIR);
		w->on_parent = w->wd >= 0;
	}
	watch_drain(w);
}

/* Whether a batch of events says something about the daemon's socket. */
static bool watch_events_relevant(const struct daemon_watch *w, const char *buf, ssize_t len)
{
	for (ssize_t off = 0; off + (ssize_t)sizeof(struct inotify_event) <= len;) {
		const struct inotify_event *ev = (const struct inotify_event *)(buf + off);
		const char *want = w->on_parent ? w->dir_name : RT_APP_SOCK_NAME;

		if (ev->mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED | IN_Q_OVERFLOW))
			return true;
		if (ev->len > 0 && ev->wd == w->wd && strcmp(ev->name, want) == 0)
			return true;
		off += (ssize_t)sizeof(*ev) + ev->len;
	}
	return false;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Sleeps until the socket may have appeared, or timeout_ms. True when woken by an event. */
static bool watch_wait(struct daemon_watch *w, int timeout_ms)
{
	int64_t deadline = now_ms() + timeout_ms;

	for (;;) {
		char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
		struct pollfd pfd = {.fd = w->wd >= 0 ? w->fd : -1, .events = POLLIN};
		int64_t left = deadline - now_ms();
		ssize_t len;

		if (left <= 0)
			return false;
		if (poll(&pfd, 1, (int)left) <= 0 || !(pfd.revents & POLLIN))
			continue; /* timeout (left is then <= 0) or EINTR */
		len = read(w->fd, buf, sizeof(buf));
		if (len > 0 && watch_events_relevant(w, buf, len))
			return true;
	}
}

/* --- connection --- */

static int target_connect(struct rt_comm_target *target)
{
	int cmd_fd, notify_fd;

	cmd_fd = rt_comm_connect_and_register(target, UST_SOCKET_CMD);
	if (cmd_fd < 0)
		return cmd_fd;
	notify_fd = rt_comm_connect_and_register(target, UST_SOCKET_NOTIFY);
	if (notify_fd < 0) {
		close(cmd_fd);
		return notify_fd;
	}
	rt_comm_listener_lock();
	target->cmd_fd = cmd_fd;
	target->notify_fd = notify_fd;
	target->broken = false;
	target->registration_done = false;
	rt_ust_unlock();
	rt_comm_debug("%s: connected to the session daemon at %s", target->label,
	              target->sock_path);
	return 0;
}

static void target_disconnect(struct rt_comm_target *target)
{
	rt_comm_listener_lock();
	rt_comm_release_all(target);
	close(target->cmd_fd);
	close(target->notify_fd);
	target->cmd_fd = -1;
	target->notify_fd = -1;
	target->broken = false;
	rt_ust_unlock();
}

/* Serves commands until the connection must be dropped. */
static void target_serve(struct rt_comm_target *target)
{
	for (;;) {
		/* Unbounded idle wait; the socket timeouts then bound each message. */
		struct pollfd pfd = {.fd = target->cmd_fd, .events = POLLIN};
		int r;

		if (poll(&pfd, 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		r = rt_comm_handle_one_command(target);
		if (r < 0) {
			rt_comm_debug("%s: connection to the session daemon lost (%d)",
			              target->label, r);
			return;
		}
	}
}

static bool socket_identity(const char *path, dev_t *ret_dev, ino_t *ret_ino)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return false;
	*ret_dev = st.st_dev;
	*ret_ino = st.st_ino;
	return true;
}

static void *listener_main(void *arg)
{
	struct rt_comm_target *target = arg;
	struct daemon_watch watch;
	bool woken_by_event = false;

	pthread_setname_np(pthread_self(), target->root ? "rt-ust-root" : "rt-ust-user");
	watch_init(&watch, target);
	rt_comm_listener_lock();
	target->inotify_fd = watch.fd;
	rt_ust_unlock();
	for (;;) {
		dev_t dev = 0;
		ino_t ino = 0;
		bool known;
		int r;

		watch_arm(&watch);
		known = socket_identity(target->sock_path, &dev, &ino);
		r = target_connect(target);
		for (int i = 0; r == -ECONNREFUSED && woken_by_event && i < APPEAR_RETRIES; i++) {
			/* Socket just created: the daemon may not be listening yet. */
			poll(NULL, 0, APPEAR_RETRY_MS);
			r = target_connect(target);
		}
		if (r < 0) {
			rt_comm_target_done(target);
			woken_by_event = watch_wait(&watch, RT_COMM_RETRY_DELAY_MS);
			continue;
		}
		target_serve(target);
		target_disconnect(target);
		rt_comm_target_done(target);

		/*
		 * Reconnect at once only to a new socket (a restarted daemon);
		 * the one that just dropped us gets the slow retry.
		 */
		watch_arm(&watch);
		{
			dev_t dev2;
			ino_t ino2;

			if (known && socket_identity(target->sock_path, &dev2, &ino2) &&
			    dev2 == dev && ino2 == ino)
				woken_by_event = watch_wait(&watch, RT_COMM_RETRY_DELAY_MS);
			else
				woken_by_event = true;
		}
	}
	return NULL;
}

/* --- start-up --- */

static void target_configure(struct rt_comm_target *target)
{
	int r;

	target->enabled = false;
	if (!target->root) {
		/* A setuid/setgid app must not follow its caller's environment. */
		if (getuid() != geteuid() || getgid() != getegid())
			return;
	}
	r = rt_rundir_file(target->root, RT_APP_SOCK_NAME, target->sock_path);
	if (r < 0)
		return;
	target->enabled = true;
}

/* Starts the listener; constructor_waits: the constructor's semaphore counts this target. */
static bool target_start(struct rt_comm_target *target, bool constructor_waits)
{
	sigset_t all, saved;
	pthread_attr_t attr;
	pthread_t thread;
	int r;

	target->done_posted = !constructor_waits;
	target->inotify_fd = -1;
	target->cmd_fd = -1;
	target->notify_fd = -1;
	target->broken = false;
	if (!target->enabled)
		return false;
	if (pthread_attr_init(&attr) != 0)
		return false;
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	/* The thread starts with every signal blocked: the app's handlers never run on it. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &saved);
	r = pthread_create(&thread, &attr, listener_main, target);
	pthread_sigmask(SIG_SETMASK, &saved, NULL);
	pthread_attr_destroy(&attr);
	return r == 0;
}

static void wait_for_targets(unsigned nr_started)
{
	struct timespec deadline;

	if (register_timeout_ms == 0)
		return;
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += register_timeout_ms / 1000;
	deadline.tv_nsec += (long)(register_timeout_ms % 1000) * 1000000;
	if (deadline.tv_nsec >= 1000000000) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000;
	}
	for (unsigned i = 0; i < nr_started; i++) {
		int r;

		do {
			r = register_timeout_ms < 0
			        ? sem_wait(&init_sem)
			        : sem_clockwait(&init_sem, CLOCK_MONOTONIC, &deadline);
		} while (r < 0 && errno == EINTR);
		if (r < 0) {
			rt_comm_debug("timed out after %d ms waiting for the session daemon; "
			              "continuing, tracing may start late",
			              register_timeout_ms);
			return;
		}
	}
}

static unsigned start_all_targets(void)
{
	unsigned nr_started = 0;

	for (int i = 0; i < RT_COMM_NR_TARGETS; i++)
		if (target_start(&rt_comm_targets[i], true))
			nr_started++;
	return nr_started;
}

/*
 * In a fork child, as lttng-ust's fork child runs its constructor again:
 * the child registers and waits for it as a new app does, bounded by the
 * same timeout, so that the events it emits right after fork() are
 * recorded. The parent's threads do not exist here and nobody waits on
 * the semaphore: it is made anew (posts the parent had not consumed would
 * count for the child's registration).
 */
void rt_comm_restart_in_child(void)
{
	int saved_errno = errno;

	rt_comm_capture_procname();
	if (sem_init(&init_sem, 0, 0) < 0) {
		for (int i = 0; i < RT_COMM_NR_TARGETS; i++)
			target_start(&rt_comm_targets[i], false);
	} else {
		wait_for_targets(start_all_targets());
	}
	errno = saved_errno;
}

__attribute__((constructor)) static void rt_comm_init(void)
{
	const char *debug = getenv("RINGTRACE_DEBUG");
	int saved_errno = errno;

	debug_enabled = debug && *debug && strcmp(debug, "0") != 0;
	register_timeout_ms = parse_timeout_ms();
	if (sem_init(&init_sem, 0, 0) < 0)
		return;
	for (int i = 0; i < RT_COMM_NR_TARGETS; i++) {
		rt_comm_target_init_lists(&rt_comm_targets[i]);
		target_configure(&rt_comm_targets[i]);
	}
	rt_comm_capture_procname();
	rt_comm_sync_install_listener();
	rt_comm_fork_setup();
	wait_for_targets(start_all_targets());
	errno = saved_errno;
}

__attribute__((destructor)) static void rt_comm_exit(void)
{
	/*
	 * Listener threads may outlive us into the other libraries'
	 * destructors (liburcu-bp's among them): from now on they stop at
	 * their next lock (rt_comm_listener_lock) instead of touching anything.
	 */
	rt_ust_lock();
	rt_comm_exiting = true;
	rt_ust_unlock();
}

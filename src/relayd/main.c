/* SPDX-License-Identifier: MIT */
/*
 * ringtrace-relayd: see relayd.h for the design, options.c for the command
 * line. main() binds the three ports, detaches if asked (after binding, so
 * that a started daemon is already listening), then runs the epoll loop
 * until SIGTERM or SIGINT, when every connection is closed cleanly (files
 * written so far stay readable).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <urcu/list.h>

#include "common/log.h"
#include "common/paths.h"
#include "common/signals.h"
#include "connection.h"
#include "control.h"
#include "data.h"
#include "listener.h"
#include "live.h"
#include "options.h"
#include "relayd.h"
#include "session.h"

struct relayd_config relayd_config;

static const struct conn_ops *const kind_ops[_CONN_KIND_MAX] = {
    [CONN_CONTROL] = &control_conn_ops,
    [CONN_DATA] = &data_conn_ops,
    [CONN_LIVE] = &live_conn_ops,
};

static CDS_LIST_HEAD(connections);

static int setup_output_dir(const char *output)
{
	char home[PATH_MAX], dir[PATH_MAX];
	int r;

	if (output) {
		if (snprintf(dir, sizeof(dir), "%s", output) >= (int)sizeof(dir))
			return -ENAMETOOLONG;
	} else {
		r = rt_home_dir(home);
		if (r < 0) {
			log_error(
			    "neither RINGTRACE_HOME nor HOME is set: give the output directory "
			    "with -o DIR");
			return r;
		}
		if (snprintf(dir, sizeof(dir), "%s/%s", home, RT_TRACES_DIR_NAME) >=
		    (int)sizeof(dir))
			return -ENAMETOOLONG;
	}
	r = rt_mkdir_p(dir, 0770);
	if (r < 0) {
		log_error("cannot create output directory %s: %s", dir, strerror(-r));
		return r;
	}
	if (!realpath(dir, relayd_config.output_dir)) {
		r = -errno;
		log_error("output directory %s: %s", dir, strerror(errno));
		return r;
	}
	return 0;
}

/*
 * A descriptor kept open for the day the process runs out of them: closing
 * it lets accept() take the pending connection to close it at once, rather
 * than leaving it in the backlog, where it would wake the loop forever.
 */
static int reserve_fd = -1;

/* true when a pending connection was taken and closed. */
static bool refuse_one(struct relay_listener *listener)
{
	int fd;

	if (reserve_fd >= 0)
		close(reserve_fd);
	/* accept() fails with EMFILE before looking at the queue: it may be empty. */
	fd = accept4(listener->fd, NULL, NULL, SOCK_CLOEXEC);
	if (fd >= 0) {
		close(fd);
		log_error("out of file descriptors: a connection on %s was refused", listener->url);
	}
	reserve_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	return fd >= 0;
}

/*
 * --fd-pool-size: the soft RLIMIT_NOFILE becomes the pool's size, so that
 * every descriptor the daemon opens (sockets, trace files) counts against
 * it; past it, new peers are refused and the others go on.
 */
static int limit_fds(unsigned pool_size)
{
	struct rlimit limit;

	if (pool_size == 0)
		return 0;
	if (getrlimit(RLIMIT_NOFILE, &limit) < 0)
		return -errno;
	limit.rlim_cur = pool_size;
	if (setrlimit(RLIMIT_NOFILE, &limit) < 0) {
		log_error("cannot limit the file descriptors to %u: %s", pool_size,
		          strerror(errno));
		return -errno;
	}
	log_info("file descriptor pool: %u", pool_size);
	return 0;
}

static void accept_connections(int epoll_fd, struct relay_listener *listener)
{
	for (;;) {
		struct relay_conn *conn;
		int fd = accept4(listener->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		int r;

		if (fd < 0 && (errno == EMFILE || errno == ENFILE)) {
			if (refuse_one(listener))
				continue;
			return;
		}
		if (fd < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR &&
			    errno != ECONNABORTED)
				log_warn("accepting on %s: %s", listener->url, strerror(errno));
			return;
		}
		r = conn_create(epoll_fd, fd, listener->kind, kind_ops[listener->kind], &conn);
		if (r < 0) {
			log_error("cannot take a connection on %s: %s", listener->url,
			          strerror(-r));
			close(fd);
			continue;
		}
		cds_list_add(&conn->node, &connections);
		log_debug("%s: connected on %s", conn->peer, listener->url);
	}
}

static void close_connection(struct relay_conn *conn)
{
	cds_list_del(&conn->node);
	conn_destroy(conn);
}

static int run_loop(int epoll_fd, int signal_fd)
{
	struct epoll_event events[64];
	struct relay_conn *conn, *tmp;

	int timeout_ms = -1;

	for (;;) {
		int n = epoll_wait(epoll_fd, events, (int)(sizeof(events) / sizeof(events[0])),
		                   timeout_ms);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		for (int i = 0; i < n; i++) {
			struct loop_entry *entry = events[i].data.ptr;

			if (!entry) {
				log_info("terminating");
				goto out;
			}
			if (entry->type == LOOP_ENTRY_LISTENER) {
				accept_connections(epoll_fd, (struct relay_listener *)entry);
				continue;
			}
			conn = (struct relay_conn *)entry;
			if (conn_handle_events(epoll_fd, conn, events[i].events) < 0)
				close_connection(conn);
		}
		timeout_ms = session_sweep_lingering();
	}
out:
	(void)signal_fd;
	cds_list_for_each_entry_safe (conn, tmp, &connections, node)
		close_connection(conn);
	return 0;
}

int main(int argc, char **argv)
{
	static struct relay_listener listeners[_CONN_KIND_MAX];
	struct relayd_options opts;
	struct epoll_event ev = {.events = EPOLLIN};
	int epoll_fd, signal_fd, r;

	r = relayd_parse_options(argc, argv, &opts);
	if (r != 0)
		return r > 0 ? EXIT_SUCCESS : EXIT_FAILURE;
	log_setup(RELAYD_PROGRAM_NAME, opts.verbosity);
	relayd_config.group_by_session = opts.group_by_session;
	relayd_config.allow_clear = !opts.disallow_clear;
	if (setup_output_dir(opts.output) < 0 || limit_fds(opts.fd_pool_size) < 0)
		return EXIT_FAILURE;
	if (listener_open(&listeners[CONN_CONTROL], opts.control_url, CONN_CONTROL) < 0 ||
	    listener_open(&listeners[CONN_DATA], opts.data_url, CONN_DATA) < 0 ||
	    listener_open(&listeners[CONN_LIVE], opts.live_url, CONN_LIVE) < 0)
		return EXIT_FAILURE;
	if ((opts.daemonize || opts.background) && daemon(0, opts.background) < 0) {
		log_error("cannot detach: %s", strerror(errno));
		return EXIT_FAILURE;
	}
	if (opts.working_directory && chdir(opts.working_directory) < 0) {
		log_error("cannot change the working directory to %s: %s", opts.working_directory,
		          strerror(errno));
		return EXIT_FAILURE;
	}
	reserve_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	signal_fd = rt_signalfd_terminate();
	epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	if (signal_fd < 0 || epoll_fd < 0) {
		log_error("cannot set up the event loop: %s", strerror(errno));
		return EXIT_FAILURE;
	}
	ev.data.ptr = NULL;
	if (epoll_ctl(epoll_fd, EPOLL_CTL_ADD, signal_fd, &ev) < 0)
		return EXIT_FAILURE;
	for (int k = 0; k < _CONN_KIND_MAX; k++) {
		ev.data.ptr = &listeners[k].entry;
		if (epoll_ctl(epoll_fd, EPOLL_CTL_ADD, listeners[k].fd, &ev) < 0) {
			log_error("cannot watch %s: %s", listeners[k].url, strerror(errno));
			return EXIT_FAILURE;
		}
	}
	log_info("listening: control %s, data %s, live %s; output in %s", opts.control_url,
	         opts.data_url, opts.live_url, relayd_config.output_dir);
	r = run_loop(epoll_fd, signal_fd);
	if (r < 0) {
		log_error("event loop: %s", strerror(-r));
		return EXIT_FAILURE;
	}
	return EXIT_SUCCESS;
}

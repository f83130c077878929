/* SPDX-License-Identifier: MIT */
/*
 * Starting a session daemon on demand (lttng create's auto-spawn, ringtrace
 * record). The daemon runs `--daemonize`: the process we fork exits once
 * the daemon is ready to serve, so waiting for it is waiting for readiness.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/macros.h"
#include "common/paths.h"
#include "config.h"
#include "ctl-internal.h"

#define SESSIOND_BIN_NAME    "ringtrace-sessiond"
#define SPAWN_TIMEOUT_MS     10000
#define SPAWN_POLL_PERIOD_US 10000

static int copy_path(const char *path, char ret_path[RINGTRACE_PATH_MAX])
{
	if (snprintf(ret_path, RINGTRACE_PATH_MAX, "%s", path) >= RINGTRACE_PATH_MAX)
		return -RINGTRACE_ERR_INVALID;
	return 0;
}

int ringtrace_find_session_daemon(const char *explicit_path, char ret_path[RINGTRACE_PATH_MAX])
{
	const char *env = getenv("RINGTRACE_SESSIOND_PATH");

	if (explicit_path && *explicit_path)
		return copy_path(explicit_path, ret_path);
	if (env && *env)
		return copy_path(env, ret_path);
	if (rt_find_program_near_self(SESSIOND_BIN_NAME, "sessiond", ret_path))
		return 0;
	return copy_path(RINGTRACE_BINDIR "/" SESSIOND_BIN_NAME, ret_path);
}

static long elapsed_ms(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - start->tv_sec) * 1000 + (now.tv_nsec - start->tv_nsec) / 1000000;
}

/* In the child: exec the daemon; on failure report errno through the pipe. */
_Noreturn static void exec_daemon(const char *path, int error_fd)
{
	const char *base = strrchr(path, '/');
	int null_fd = open("/dev/null", O_RDWR);
	int e;

	/*
	 * The daemon must not keep the caller's stdio: a caller reading our
	 * output through a pipe would otherwise wait for the daemon's exit.
	 */
	if (null_fd >= 0) {
		dup2(null_fd, STDIN_FILENO);
		dup2(null_fd, STDOUT_FILENO);
		dup2(null_fd, STDERR_FILENO);
		if (null_fd > STDERR_FILENO)
			close(null_fd);
	}
	execl(path, base ? base + 1 : path, "--daemonize", (char *)NULL);
	e = errno;
	(void)!write(error_fd, &e, sizeof(e));
	_exit(127);
}

/* 0 once exec succeeded (the close-on-exec pipe closed), else -errno of exec. */
static int wait_exec(int error_fd)
{
	int e = 0;
	ssize_t n;

	do
		n = read(error_fd, &e, sizeof(e));
	while (n < 0 && errno == EINTR);
	return n == sizeof(e) ? -e : 0;
}

int ringtrace_spawn_session_daemon(const char *path)
{
	_cleanup_close_ int error_fd = -1;
	struct timespec start;
	bool child_running = true;
	int pipe_fds[2];
	pid_t pid;

	if (!path || !*path)
		return -RINGTRACE_ERR_INVALID;
	if (pipe2(pipe_fds, O_CLOEXEC) < 0)
		return -RINGTRACE_ERR_FATAL;
	pid = fork();
	if (pid < 0) {
		close(pipe_fds[0]);
		close(pipe_fds[1]);
		return -RINGTRACE_ERR_FATAL;
	}
	if (pid == 0) {
		close(pipe_fds[0]);
		exec_daemon(path, pipe_fds[1]);
	}
	close(pipe_fds[1]);
	error_fd = pipe_fds[0];
	if (wait_exec(error_fd) < 0) {
		waitpid(pid, NULL, 0);
		return -RINGTRACE_ERR_NO_SESSIOND;
	}

	clock_gettime(CLOCK_MONOTONIC, &start);
	while (elapsed_ms(&start) < SPAWN_TIMEOUT_MS) {
		if (child_running) {
			int status;
			pid_t w = waitpid(pid, &status, WNOHANG);

			if (w == pid) {
				child_running = false;
				if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
					return -RINGTRACE_ERR_NO_SESSIOND;
			} else if (w < 0) {
				child_running = false; /* SIGCHLD ignored by the caller */
			}
		}
		if (!child_running && ringtrace_session_daemon_alive())
			return 0;
		usleep(SPAWN_POLL_PERIOD_US);
	}
	/* A daemon that stayed in the foreground is taken as ready when it answers. */
	return ringtrace_session_daemon_alive() ? 0 : -RINGTRACE_ERR_NO_SESSIOND;
}

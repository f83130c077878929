/* SPDX-License-Identifier: MIT */
#include "signals.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <sys/signalfd.h>

int rt_signalfd_terminate(void)
{
	sigset_t blocked, terminate;
	int fd;

	sigemptyset(&terminate);
	sigaddset(&terminate, SIGTERM);
	sigaddset(&terminate, SIGINT);
	blocked = terminate;
	sigaddset(&blocked, SIGPIPE);
	if (pthread_sigmask(SIG_BLOCK, &blocked, NULL) != 0)
		return -EINVAL;
	fd = signalfd(-1, &terminate, SFD_CLOEXEC | SFD_NONBLOCK);
	return fd < 0 ? -errno : fd;
}

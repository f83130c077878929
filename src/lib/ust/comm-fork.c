/* SPDX-License-Identifier: MIT */
/*
 * fork() of an app. The child is a new app for the session daemon (new
 * pid): it must not act on the parent's connections, and the objects those
 * created (sessions, channels, recorders, mapped streams) are the parent's.
 * So, around fork:
 * - prepare: take rt_ust_lock (no command half-applied, no notify exchange
 *   in flight), the context providers' lock and urcu-bp's fork lock;
 * - parent: release them;
 * - child: only the forking thread exists. Drop the inherited objects
 *   without a grace period (no other reader can exist) and without writing
 *   to the shared buffers (unmapping only affects this process), close the
 *   inherited sockets (close, never shutdown: they are still the parent's
 *   connections), forget the cached context values (pid, tid...), then
 *   start fresh listener threads that register this process. A child
 *   that calls exec right away loses them harmlessly: every descriptor is
 *   close-on-exec.
 *
 * clone() without CLONE_VM also makes a new process but runs no atfork
 * handler: libringtrace-ust-fork.so runs the same three through the
 * exported ringtrace_ust_before_fork() / after_fork_*() (ust-fork.h). They
 * do nothing before the handlers were installed (the library's constructor
 * did not get that far): there is nothing to hand over then.
 */
#include "app-context.h"
#include "comm-conn.h"
#include "context.h"

#include <pthread.h>
#include <stdbool.h>
#include <unistd.h>
#include <urcu-bp.h>

#include <ringtrace/ust-fork.h>

static bool handlers_installed;

static void fork_prepare(void)
{
	rt_ust_lock();
	rt_ust_app_context_fork_prepare();
	urcu_bp_before_fork();
}

static void fork_parent(void)
{
	urcu_bp_after_fork_parent();
	rt_ust_app_context_fork_done();
	rt_ust_unlock();
}

static void close_inherited(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static void fork_child(void)
{
	urcu_bp_after_fork_child();
	rt_ust_app_context_fork_done();
	rt_ust_context_reset_after_fork();
	for (int i = 0; i < RT_COMM_NR_TARGETS; i++) {
		struct rt_comm_target *target = &rt_comm_targets[i];

		rt_comm_release_all(target);
		close_inherited(&target->cmd_fd);
		close_inherited(&target->notify_fd);
		close_inherited(&target->inotify_fd);
		target->broken = false;
	}
	rt_ust_unlock();
	if (!rt_comm_exiting)
		rt_comm_restart_in_child();
}

static void fork_register(void)
{
	if (pthread_atfork(fork_prepare, fork_parent, fork_child) == 0)
		__atomic_store_n(&handlers_installed, true, __ATOMIC_RELEASE);
}

void rt_comm_fork_setup(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, fork_register);
}

void ringtrace_ust_before_fork(void)
{
	if (__atomic_load_n(&handlers_installed, __ATOMIC_ACQUIRE))
		fork_prepare();
}

void ringtrace_ust_after_fork_parent(void)
{
	if (__atomic_load_n(&handlers_installed, __ATOMIC_ACQUIRE))
		fork_parent();
}

void ringtrace_ust_after_fork_child(void)
{
	if (__atomic_load_n(&handlers_installed, __ATOMIC_ACQUIRE))
		fork_child();
}

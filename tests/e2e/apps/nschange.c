/* SPDX-License-Identifier: MIT */
/*
 * nschange: changes its namespaces and ids step by step and emits
 * rt_test:tick with n = the step after each (for the fork preload tests,
 * tests/e2e/test_ust_fork_preload.py). After each step it prints
 *   step N <uts_ns> <net_ns> <mnt_ns> <uid> <euid> <suid> <gid> <egid> <sgid>
 * as the kernel reports them for the calling thread (after "pid <pid>"):
 *   0  nothing changed yet
 *   1  unshare(CLONE_NEWUTS | CLONE_NEWNET)
 *   2  setns() back into the first uts and net namespaces
 *   3  clone() without CLONE_VM: the child prints "clone <pid>", waits
 *      (at most 20 s) until rt_test:seq is enabled in it (registered with
 *      the session daemon, as a new app does after fork), emits rt_test:seq
 *      thread = 1, seq = k for k < 10, then returns (with
 *      the argument "exit": calls _exit(0), for lttng-ust's preload, whose
 *      tracer threads keep a child whose function returns alive); the
 *      parent waits
 *   4  setresgid(65534, 65534, 65534)
 *   5  setresuid(65534, 65534, 65534)
 * then "setns-bad <ret> <errno>" (setns(-1, 0), which fails),
 * "tracer-mapped <0|1>" (whether libringtrace-ust is in the process) and
 * "done".
 * Built a second time without the tracer (nschange-plain, NSCHANGE_PLAIN):
 * the same steps, nothing emitted.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifdef NSCHANGE_PLAIN
#define TICK(n)       ((void)(n))
#define SEQ(k)        ((void)(k))
#define SEQ_ENABLED() 1
#else
#include "rt_test_tp.h"
#define TICK(n)       lttng_ust_tracepoint(rt_test, tick, (n))
#define SEQ(k)        lttng_ust_tracepoint(rt_test, seq, 1, (k))
#define SEQ_ENABLED() lttng_ust_tracepoint_enabled(rt_test, seq)
#endif

static unsigned long ino_of(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (unsigned long)st.st_ino : 0;
}

static void step(int n)
{
	uid_t u[3];
	gid_t g[3];

	TICK(n);
	getresuid(&u[0], &u[1], &u[2]);
	getresgid(&g[0], &g[1], &g[2]);
	printf("step %d %lu %lu %lu %u %u %u %u %u %u\n", n, ino_of("/proc/thread-self/ns/uts"),
	       ino_of("/proc/thread-self/ns/net"), ino_of("/proc/self/ns/mnt"), u[0], u[1], u[2],
	       g[0], g[1], g[2]);
	fflush(stdout);
}

static int tracer_mapped(void)
{
	FILE *maps = fopen("/proc/self/maps", "r");
	char line[4096];
	int found = 0;

	while (maps && fgets(line, sizeof(line), maps))
		found |= strstr(line, "libringtrace-ust.so") != NULL;
	if (maps)
		fclose(maps);
	return found;
}

static int child_main(void *arg)
{
	struct timespec period = {0, 5 * 1000 * 1000};

	printf("clone %d\n", (int)getpid());
	fflush(stdout);
	for (int waited = 0; !SEQ_ENABLED() && waited < 4000; waited++)
		nanosleep(&period, NULL);
	for (int k = 0; k < 10; k++)
		SEQ(k);
	if (arg)
		_exit(0);
	return 0;
}

static int fail(const char *what)
{
	fprintf(stderr, "nschange: %s: errno %d\n", what, errno);
	return 1;
}

int main(int argc, char **argv)
{
	static char child_stack[1024 * 1024] __attribute__((aligned(16)));
	int uts_fd = open("/proc/thread-self/ns/uts", O_RDONLY | O_CLOEXEC);
	int net_fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	int status;
	pid_t child;

	if (uts_fd < 0 || net_fd < 0)
		return fail("open ns");
	printf("pid %d\n", (int)getpid());
	step(0);
	if (unshare(CLONE_NEWUTS | CLONE_NEWNET) != 0)
		return fail("unshare");
	step(1);
	if (setns(uts_fd, CLONE_NEWUTS) != 0 || setns(net_fd, CLONE_NEWNET) != 0)
		return fail("setns");
	step(2);
	child = clone(child_main, child_stack + sizeof(child_stack), SIGCHLD,
	              argc > 1 && strcmp(argv[1], "exit") == 0 ? argv[1] : NULL);
	if (child < 0)
		return fail("clone");
	if (waitpid(child, &status, 0) != child || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return fail("clone child");
	step(3);
	if (setresgid(65534, 65534, 65534) != 0)
		return fail("setresgid");
	step(4);
	if (setresuid(65534, 65534, 65534) != 0)
		return fail("setresuid");
	step(5);
	errno = 0;
	status = setns(-1, 0);
	printf("setns-bad %d %d\n", status, errno);
	printf("tracer-mapped %d\n", tracer_mapped());
	printf("done\n");
	return 0;
}

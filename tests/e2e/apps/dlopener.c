/* SPDX-License-Identifier: MIT */
/*
 * dlopener MODULE [FORKS]: dlopen()s the shared object MODULE, records
 * rt_test:tick with what its rt_dl_module_answer() returns, dlclose()s it.
 * Then, FORKS times (default 0), forks a child that dlopen()s and
 * dlclose()s MODULE again and exits; a child that does not exit within 10 s
 * (stuck on a lock its parent's threads held at the fork) fails the run.
 * Prints "ready" first; exits 1 when any step fails. For the state dump
 * and the dl preload's events (tests/e2e/test_statedump.py).
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rt_test_tp.h"

static int open_close(const char *path, int record)
{
	int (*answer)(void);
	void *module = dlopen(path, RTLD_NOW);

	if (!module) {
		fprintf(stderr, "dlopener: %s\n", dlerror());
		return -1;
	}
	answer = (int (*)(void))dlsym(module, "rt_dl_module_answer");
	if (!answer)
		return -1;
	if (record)
		lttng_ust_tracepoint(rt_test, tick, answer());
	return dlclose(module);
}

int main(int argc, char **argv)
{
	long forks = argc > 2 ? atol(argv[2]) : 0;

	if (argc < 2)
		return 1;
	printf("ready\n");
	fflush(stdout);
	if (open_close(argv[1], 1) < 0)
		return 1;
	for (long i = 0; i < forks; i++) {
		pid_t child = fork();
		int status;

		if (child < 0)
			return 1;
		if (child == 0) {
			alarm(10);
			_exit(open_close(argv[1], 0) < 0 ? 1 : 0);
		}
		if (waitpid(child, &status, 0) < 0 || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0) {
			fprintf(stderr, "dlopener: child %ld failed (status %#x)\n", i, status);
			return 1;
		}
	}
	return 0;
}

/* SPDX-License-Identifier: MIT */
/*
 * The instrumented app driven by test-ust-comm: linked with
 * libringtrace-ust, one provider (ust_comm_test:ping). Modes:
 *   quick          return at once
 *   fire N         N events, seq 0..N-1, msg "ping"
 *   run MS         one event every 5 ms for MS milliseconds
 *   fork MS        fork; the child sleeps MS ms and fires one event, the
 *                  parent waits for it; exit status: the child's
 * Prints nothing itself: the test checks that the library does not either.
 */
#define RINGTRACE_TRACEPOINT_DEFINE
#define RINGTRACE_TRACEPOINT_CREATE_PROBES
#include "test-ust-comm-tp.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "quick";
	long n = argc > 2 ? atol(argv[2]) : 0;

	if (strcmp(mode, "fire") == 0) {
		for (int i = 0; i < n; i++)
			ringtrace_tracepoint(ust_comm_test, ping, i, "ping");
	} else if (strcmp(mode, "run") == 0) {
		long end = now_ms() + n;

		for (int i = 0; now_ms() < end; i++) {
			ringtrace_tracepoint(ust_comm_test, ping, i, "run");
			usleep(5000);
		}
	} else if (strcmp(mode, "fork") == 0) {
		pid_t pid = fork();
		int status;

		if (pid < 0)
			return 3;
		if (pid == 0) {
			/* Never outlive the parent (the test kills it if anything hangs). */
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			usleep((useconds_t)n * 1000);
			ringtrace_tracepoint(ust_comm_test, ping, 1, "child");
			_exit(0);
		}
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
			return 4;
		return WEXITSTATUS(status);
	}
	return 0;
}

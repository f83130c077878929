/* SPDX-License-Identifier: MIT */
/*
 * The trace clock's source, chosen once per process, and its calibration
 * (clock.h).
 */
#include "clock.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/macros.h"

#define CLOCK_ENV            "RINGTRACE_CLOCK"
#define CPUINFO_PATH         "/proc/cpuinfo"
#define CURRENT_CLOCKSOURCE  "/sys/devices/system/clocksource/clocksource0/current_clocksource"
#define NR_SAMPLE_TRIES      10
#define NSEC_PER_SEC         1000000000ull
#define CPUINFO_READ_LIMIT   (64 * 1024) /* the first CPU's block is far smaller */
#define CLOCKSOURCE_NAME_MAX 64

int rt_clock_source_value;

const char *rt_clock_source_name(enum rt_clock_source source)
{
	return source == RT_CLOCK_SOURCE_TSC ? "tsc" : "monotonic";
}

#if defined(__x86_64__)
/* Does the whitespace-separated list `list` (up to its newline) hold `word`? */
static bool word_list_has(const char *list, const char *word)
{
	size_t len = strlen(word);

	for (const char *p = list; *p && *p != '\n';) {
		size_t n = strcspn(p, " \t\n");

		if (n == len && memcmp(p, word, len) == 0)
			return true;
		p += n;
		p += strspn(p, " \t");
	}
	return false;
}

/* The first "flags" line of /proc/cpuinfo: constant, non-stop and reliable TSC. */
static bool cpuinfo_has_reliable_tsc(void)
{
	FILE *f = fopen(CPUINFO_PATH, "re");
	char *line = NULL;
	size_t cap = 0, total = 0;
	bool found = false, reliable = false;
	ssize_t n;

	if (!f)
		return false;
	while (!found && total < CPUINFO_READ_LIMIT && (n = getline(&line, &cap, f)) > 0) {
		const char *colon = strchr(line, ':');

		total += (size_t)n;
		if (strncmp(line, "flags", 5) != 0 || !colon)
			continue;
		found = true;
		reliable = word_list_has(colon + 1, "constant_tsc") &&
		           word_list_has(colon + 1, "nonstop_tsc") &&
		           word_list_has(colon + 1, "tsc_reliable");
	}
	free(line);
	fclose(f);
	return reliable;
}

/* The kernel keeps the TSC as its clocksource only while it checks out across CPUs. */
static bool kernel_clocksource_is_tsc(void)
{
	_cleanup_close_ int fd = open(CURRENT_CLOCKSOURCE, O_RDONLY | O_CLOEXEC);
	char name[CLOCKSOURCE_NAME_MAX];
	ssize_t n;

	if (fd < 0)
		return false;
	do
		n = read(fd, name, sizeof(name) - 1);
	while (n < 0 && errno == EINTR);
	if (n <= 0)
		return false;
	name[n] = '\0';
	return strcmp(name, "tsc\n") == 0 || strcmp(name, "tsc") == 0;
}
#endif

/*
 * The TSC is used only where every CPU's counter runs at one constant rate,
 * through idle states, and in step with the others, since records of one
 * stream come from threads on any CPU: either the kernel itself uses it as
 * its clocksource (it verified synchronization at boot and its watchdog
 * would have switched away), or the CPU and kernel flag it constant,
 * non-stop and reliable (tsc_reliable: a hypervisor or the administrator
 * vouches for it). Only facts of the machine count, so every process of the
 * machine decides the same.
 */
static enum rt_clock_source rt_clock_source_detect(void)
{
	const char *forced = getenv(CLOCK_ENV);

	if (forced && strcmp(forced, "monotonic") == 0)
		return RT_CLOCK_SOURCE_MONOTONIC;
#if defined(__x86_64__)
	if (kernel_clocksource_is_tsc() || cpuinfo_has_reliable_tsc())
		return RT_CLOCK_SOURCE_TSC;
#endif
	return RT_CLOCK_SOURCE_MONOTONIC;
}

enum rt_clock_source rt_clock_init(void)
{
	int expected = RT_CLOCK_SOURCE_UNSET;
	int source = __atomic_load_n(&rt_clock_source_value, __ATOMIC_RELAXED);

	if (source != RT_CLOCK_SOURCE_UNSET)
		return (enum rt_clock_source)source;
	source = rt_clock_source_detect();
	/* Racing first readers: the first to store decides for the whole process. */
	if (!__atomic_compare_exchange_n(&rt_clock_source_value, &expected, source, false,
	                                 __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		source = expected;
	return (enum rt_clock_source)source;
}

/*
 * Before any tracepoint can fire: constructors of priority 101 run before
 * the unprioritized ones of the same object (libringtrace-ust's listener,
 * which is what lets a session enable anything), also when the object is
 * dlopen()ed; the objects this one depends on never trace through it.
 */
__attribute__((constructor(101))) static void rt_clock_constructor(void)
{
	rt_clock_init();
}

/* --- calibration --- */

static uint64_t timespec_ns(const struct timespec *ts)
{
	return (uint64_t)ts->tv_sec * NSEC_PER_SEC + (uint64_t)ts->tv_nsec;
}

int rt_clock_sample(clockid_t ref, struct rt_clock_sample *ret_sample)
{
	struct rt_clock_sample best = {0};
	uint64_t best_gap = UINT64_MAX;

	for (int i = 0; i < NR_SAMPLE_TRIES; i++) {
		struct timespec ts;
		uint64_t before, after;

		before = rt_clock_read();
		if (clock_gettime(ref, &ts) < 0)
			return -errno;
		after = rt_clock_read();
		/* A preempted try has a wide bracket: keep the tightest one. */
		if (after - before >= best_gap)
			continue;
		best_gap = after - before;
		best = (struct rt_clock_sample){
		    .clock = before + best_gap / 2,
		    .uncertainty = (best_gap + 1) / 2,
		    .ref_ns = timespec_ns(&ts),
		};
	}
	*ret_sample = best;
	return 0;
}

static struct rt_clock_calibration calibration;
static pthread_once_t calibration_once = PTHREAD_ONCE_INIT;

/* Sleeps at least ns nanoseconds of CLOCK_MONOTONIC. */
static void sleep_monotonic_ns(uint64_t ns)
{
	struct timespec until;

	clock_gettime(CLOCK_MONOTONIC, &until);
	ns += (uint64_t)until.tv_nsec;
	until.tv_sec += (time_t)(ns / NSEC_PER_SEC);
	until.tv_nsec = (long)(ns % NSEC_PER_SEC);
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL) == EINTR)
		;
}

/* ceil(a * b / c), c > 0, for error bounds. */
static uint64_t mul_div_ceil(uint64_t a, uint64_t b, uint64_t c)
{
	return (uint64_t)(((unsigned __int128)a * b + c - 1) / c);
}

/*
 * freq = clock ticks / CLOCK_MONOTONIC ns between two samples. Each end's
 * tick value is off by at most its uncertainty, so the tick count by at most
 * their sum u: a relative error of at most u / ticks, plus the rounding of
 * freq to whole hertz (0.5 / freq). freq_hz stays 0, which no metadata
 * accepts, if the clocks cannot be read or did not advance.
 */
static void calibrate(void)
{
	struct rt_clock_sample start, end;
	uint64_t ticks, ns, freq_hz;

	if (rt_clock_source() != RT_CLOCK_SOURCE_TSC) {
		calibration = (struct rt_clock_calibration){.freq_hz = NSEC_PER_SEC};
		return;
	}
	if (rt_clock_sample(CLOCK_MONOTONIC, &start) < 0)
		return;
	sleep_monotonic_ns(RT_CLOCK_CALIBRATION_NS);
	if (rt_clock_sample(CLOCK_MONOTONIC, &end) < 0)
		return;
	ticks = end.clock - start.clock;
	ns = end.ref_ns - start.ref_ns;
	if (ticks == 0 || ns == 0 || end.clock < start.clock || end.ref_ns < start.ref_ns)
		return;
	freq_hz = (uint64_t)(((unsigned __int128)ticks * NSEC_PER_SEC + ns / 2) / ns);
	if (freq_hz == 0)
		return;
	calibration = (struct rt_clock_calibration){
	    .freq_hz = freq_hz,
	    .error_ppb = mul_div_ceil(start.uncertainty + end.uncertainty, NSEC_PER_SEC, ticks) +
	                 mul_div_ceil(1, NSEC_PER_SEC, 2 * freq_hz),
	};
}

const struct rt_clock_calibration *rt_clock_calibration(void)
{
	pthread_once(&calibration_once, calibrate);
	return &calibration;
}

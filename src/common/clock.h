/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * The trace clock: what every timestamp of a trace counts, in every process
 * that writes one (apps: records, packet begin and end; consumerd: packet
 * ends on flush). It is one of
 *
 *  - the TSC, on x86-64, when the CPU has an invariant TSC that the kernel
 *    trusts across CPUs (see rt_clock_source_detect() in clock.c), read as
 *    "lfence; rdtsc";
 *  - CLOCK_MONOTONIC in nanoseconds (vDSO, no syscall) otherwise, or when the
 *    environment has RINGTRACE_CLOCK=monotonic.
 *
 * The choice is made once per process, before main() (a constructor in
 * clock.c; the first read makes it if some constructor traces earlier), from
 * facts of the machine only plus that variable, so that the applications,
 * the session daemon and the consumer daemon of a machine agree. The session
 * daemon describes the clock in the metadata (tsdl_clock_describe()): for
 * the TSC, with the frequency rt_clock_calibration() measures.
 *
 * Ordering (what the ring buffer's invariant I3 relies on): a read of the
 * trace clock takes place after every load that precedes it in program order
 * has completed, and before any store that follows it becomes visible. The
 * lfence gives the first half for the TSC (rdtsc alone may execute before an
 * earlier load has its value); the second holds because rdtsc reads the
 * counter when it executes, which is before it retires, and a store becomes
 * visible only after it retires, in order. The vDSO orders its own counter
 * read (lfence or rdtscp on x86, isb on arm64).
 *
 * Timeouts and intervals of the daemons are not trace timestamps: they use
 * rt_monotonic_ns().
 */

#include <stdint.h>
#include <time.h>

enum rt_clock_source {
	RT_CLOCK_SOURCE_UNSET = 0, /* not chosen yet */
	RT_CLOCK_SOURCE_MONOTONIC,
	RT_CLOCK_SOURCE_TSC,
	_RT_CLOCK_SOURCE_MAX,
};

/* Read-mostly: written once, by rt_clock_init(). Hidden: no GOT load in shared objects. */
extern int rt_clock_source_value __attribute__((visibility("hidden")));

/* Chooses the source if not done yet; returns the process's choice. */
enum rt_clock_source rt_clock_init(void);
/* "tsc" or "monotonic". */
const char *rt_clock_source_name(enum rt_clock_source source);

static inline enum rt_clock_source rt_clock_source(void)
{
	int source = __atomic_load_n(&rt_clock_source_value, __ATOMIC_RELAXED);

	if (__builtin_expect(source == RT_CLOCK_SOURCE_UNSET, 0))
		return rt_clock_init();
	return (enum rt_clock_source)source;
}

/* CLOCK_MONOTONIC in nanoseconds: for timeouts and intervals, never for timestamps. */
static inline uint64_t rt_monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

#if defined(__x86_64__)
static inline uint64_t rt_tsc_read_ordered(void)
{
	uint32_t low, high;

	__asm__ volatile("lfence\n\trdtsc" : "=a"(low), "=d"(high) : : "memory");
	return (uint64_t)high << 32 | low;
}
#endif

/* The trace clock, ordered as described above. One predicted branch on the TSC path. */
static inline uint64_t rt_clock_read(void)
{
#if defined(__x86_64__)
	int source = __atomic_load_n(&rt_clock_source_value, __ATOMIC_RELAXED);

	if (__builtin_expect(source == RT_CLOCK_SOURCE_TSC, 1))
		return rt_tsc_read_ordered();
	if (__builtin_expect(source == RT_CLOCK_SOURCE_UNSET, 0) &&
	    rt_clock_init() == RT_CLOCK_SOURCE_TSC)
		return rt_tsc_read_ordered();
#endif
	return rt_monotonic_ns(); /* the only source on other architectures */
}

/*
 * The trace clock without the ordering above: on the TSC path a bare rdtsc,
 * which the CPU may execute before earlier loads have their values (up to
 * its out-of-order window, tens of nanoseconds early). For the ring buffer,
 * which makes its timestamps monotonic per stream by itself (see its
 * invariant I3) and would otherwise pay for the lfence on every record.
 */
static inline uint64_t rt_clock_read_unordered(void)
{
#if defined(__x86_64__)
	int source = __atomic_load_n(&rt_clock_source_value, __ATOMIC_RELAXED);

	if (__builtin_expect(source == RT_CLOCK_SOURCE_TSC, 1))
		return __builtin_ia32_rdtsc();
#endif
	return rt_clock_read();
}

/*
 * Trace clock frequency, for the metadata. CLOCK_MONOTONIC: 1e9, exact. TSC:
 * measured once per process against CLOCK_MONOTONIC over
 * RT_CLOCK_CALIBRATION_NS; the first call takes that long (the session daemon
 * makes it at start). error_ppb bounds the sampling error of freq_hz,
 * |measured - rate of CLOCK_MONOTONIC| / rate, in parts per billion: each
 * end of the interval is known within half the width of its bracketing
 * reads (see rt_clock_sample()). It does not cover a change of the rate of
 * CLOCK_MONOTONIC itself during the interval (NTP slewing).
 */
#define RT_CLOCK_CALIBRATION_NS 100000000ull

struct rt_clock_calibration {
	uint64_t freq_hz;
	uint64_t error_ppb;
};

const struct rt_clock_calibration *rt_clock_calibration(void);

/*
 * Reads clock `ref` between two trace clock reads, best of a few tries:
 * ref_ns was the time of `ref` at trace clock value clock, within
 * +/- uncertainty trace clock units. -errno if `ref` cannot be read.
 */
struct rt_clock_sample {
	uint64_t clock;
	uint64_t uncertainty;
	uint64_t ref_ns;
};

int rt_clock_sample(clockid_t ref, struct rt_clock_sample *ret_sample);

/* SPDX-License-Identifier: MIT */
/*
 * Per-thread perf counters (perf-counter.h).
 *
 * Slots: `counters` is filled under rt_ust_lock() (add-context comes from
 * the comm thread); a slot is published by storing its `used` flag with
 * release after its type and config, and never changes afterwards. Probes
 * only ever read slots they reach through a channel, which was published
 * after the slot.
 *
 * Thread state: each thread has a lazily malloc'd array, one entry per
 * slot, only touched by that thread (and by its key destructor at exit).
 * An entry is opened once; a signal handler interrupting the opening sees
 * the entry still unopened and opens it itself; the outer call then finds
 * it open and closes its own descriptor rather than overwrite it.
 */
#include "lib/ust/perf-counter.h"

#include <errno.h>
#include <linux/perf_event.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#include <urcu/compiler.h>
#include <urcu/system.h>

#include "common/macros.h"
#include "common/perf-open.h"
#include "lib/ust/comm-conn.h"

struct rt_ust_perf_counter {
	bool used;
	bool open_failed_logged;
	uint32_t type;
	uint64_t config;
};

enum entry_state { ENTRY_UNOPENED = 0, ENTRY_OPEN, ENTRY_FAILED };

struct thread_entry {
	int state; /* enum entry_state */
	int fd;
	struct perf_event_mmap_page *page; /* NULL when it could not be mapped */
};

static struct rt_ust_perf_counter counters[RT_UST_PERF_MAX_COUNTERS];
static __thread struct thread_entry *thread_entries __attribute__((tls_model("initial-exec")));
static pthread_key_t thread_key;
static pthread_once_t thread_key_once = PTHREAD_ONCE_INIT;
static bool thread_key_ok;

static void thread_entries_free(struct thread_entry *entries)
{
	for (unsigned i = 0; i < RT_UST_PERF_MAX_COUNTERS; i++) {
		if (entries[i].state != ENTRY_OPEN)
			continue;
		if (entries[i].page)
			munmap(entries[i].page, (size_t)sysconf(_SC_PAGESIZE));
		close(entries[i].fd);
	}
	free(entries);
}

static void thread_exit(void *arg)
{
	thread_entries_free(arg);
	thread_entries = NULL;
}

static void thread_key_create(void)
{
	thread_key_ok = pthread_key_create(&thread_key, thread_exit) == 0;
}

int rt_ust_perf_counter_get(uint32_t type, uint64_t config, struct rt_ust_perf_counter **ret)
{
	pthread_once(&thread_key_once, thread_key_create);
	if (!thread_key_ok)
		return -ENOMEM;
	for (unsigned i = 0; i < RT_UST_PERF_MAX_COUNTERS; i++) {
		struct rt_ust_perf_counter *c = &counters[i];

		if (c->used && c->type == type && c->config == config) {
			*ret = c;
			return 0;
		}
		if (!c->used) {
			c->type = type;
			c->config = config;
			__atomic_store_n(&c->used, true, __ATOMIC_RELEASE);
			*ret = c;
			return 0;
		}
	}
	return -ENOSPC;
}

static struct thread_entry *thread_entries_get(void)
{
	struct thread_entry *entries = thread_entries;

	if (likely(entries))
		return entries;
	entries = calloc(RT_UST_PERF_MAX_COUNTERS, sizeof(*entries));
	if (!entries)
		return NULL;
	if (pthread_setspecific(thread_key, entries) != 0) {
		free(entries);
		return NULL;
	}
	thread_entries = entries;
	return entries;
}

static void entry_open(struct rt_ust_perf_counter *c, struct thread_entry *e)
{
	struct perf_event_mmap_page *page;
	int fd = perf_open_thread_counter(c->type, c->config);

	if (fd < 0) {
		if (e->state == ENTRY_UNOPENED)
			e->state = ENTRY_FAILED;
		if (!c->open_failed_logged) {
			c->open_failed_logged = true;
			rt_comm_debug("perf counter (type %u, config %#llx): perf_event_open "
			              "failed (errno %d); recording 0",
			              c->type, (unsigned long long)c->config, -fd);
		}
		return;
	}
	page = mmap(NULL, (size_t)sysconf(_SC_PAGESIZE), PROT_READ, MAP_SHARED, fd, 0);
	if (page == MAP_FAILED)
		page = NULL;
	cmm_barrier();
	if (e->state != ENTRY_UNOPENED) { /* opened meanwhile by a signal handler */
		if (page)
			munmap(page, (size_t)sysconf(_SC_PAGESIZE));
		close(fd);
		return;
	}
	e->fd = fd;
	e->page = page;
	cmm_barrier();
	e->state = ENTRY_OPEN;
}

#if defined(__x86_64__) || defined(__i386__)
static inline uint64_t rdpmc(uint32_t counter)
{
	uint32_t low, high;

	__asm__ volatile("rdpmc" : "=a"(low), "=d"(high) : "c"(counter));
	return (uint64_t)low | ((uint64_t)high << 32);
}

/*
 * The count from user space, following the seqlock protocol of the mmap
 * page (linux/perf_event.h); false when rdpmc cannot be used right now.
 */
static inline bool read_rdpmc(const struct perf_event_mmap_page *pc, uint64_t *ret)
{
	uint32_t seq, idx;
	uint64_t count;

	do {
		seq = CMM_LOAD_SHARED(pc->lock);
		cmm_barrier();
		idx = CMM_LOAD_SHARED(pc->index);
		if (!pc->cap_user_rdpmc || idx == 0)
			return false;
		count = (uint64_t)CMM_LOAD_SHARED(pc->offset);
		{
			uint16_t width = pc->pmc_width;
			int64_t pmc = (int64_t)rdpmc(idx - 1);

			pmc <<= 64 - width;
			pmc >>= 64 - width;
			count += (uint64_t)pmc;
		}
		cmm_barrier();
	} while (CMM_LOAD_SHARED(pc->lock) != seq);
	*ret = count;
	return true;
}
#else
static inline bool read_rdpmc(const struct perf_event_mmap_page *pc, uint64_t *ret)
{
	return false;
}
#endif

uint64_t rt_ust_perf_counter_read(struct rt_ust_perf_counter *c)
{
	struct thread_entry *entries = thread_entries_get();
	struct thread_entry *e;
	uint64_t v;

	if (unlikely(!entries))
		return 0;
	e = &entries[c - counters];
	if (unlikely(e->state == ENTRY_UNOPENED))
		entry_open(c, e);
	if (unlikely(e->state != ENTRY_OPEN))
		return 0;
	if (e->page && read_rdpmc(e->page, &v))
		return v;
	if (read(e->fd, &v, sizeof(v)) != (ssize_t)sizeof(v))
		return 0;
	return v;
}

void rt_ust_perf_reset_after_fork(void)
{
	struct thread_entry *entries = thread_entries;

	if (!entries)
		return;
	thread_entries = NULL;
	if (thread_key_ok)
		pthread_setspecific(thread_key, NULL);
	thread_entries_free(entries);
}

/* SPDX-License-Identifier: MIT */
/*
 * The built-in context table and its values (context.h).
 *
 * Caches. Values fixed for the life of a thread or process sit behind a
 * validity mask, one bit per context:
 * - thread_cache (vtid, procname): a thread fills its own slot, then sets
 *   the bit: a signal handler that interrupts the filling finds the bit
 *   clear and computes the value itself (the same value), so no reader ever
 *   sees a half-written slot marked valid. Compiler barriers order the two
 *   stores; nothing else reads thread-local data.
 * - process_cache (vpid): several threads may fill it at once; they all
 *   compute the same value. Each stores the value, then sets the bit with a
 *   release fetch-or; readers load the mask with acquire before the slot.
 * - reset (after fork, in the child, where only the forking thread
 *   exists) clears the masks; nothing runs concurrently.
 *
 * Values a running process can change (namespaces, user and group ids)
 * cannot use a mask: a reset clears bits while other threads record, and a
 * thread that read the old value just before the change would set its bit
 * again over a stale slot. They are kept as tagged words instead:
 *
 *   generation[group]   u32, odd, starts at 1, += 2 per reset of the group
 *                       (so never 0, also after wrapping)
 *   slot                u64 = generation << 32 | value (32 bits)
 *
 * - a slot is valid iff its tag equals the group's current generation;
 *   zeroed memory (new thread, tag 0) is never valid;
 * - a filler loads the generation (acquire) BEFORE reading the value from
 *   the kernel, then stores tag and value in one relaxed 64-bit store. So a
 *   value tagged g was read after generation g was published: it is at
 *   least as new as the change that published g. A filler that raced with
 *   a reset tags its (possibly stale) value with the older generation: the
 *   next reader finds it invalid and reads again. Tag and value can never
 *   be seen apart, neither by another thread nor by a signal handler.
 * - a reset (ringtrace_ust_after_*(), called by the thread that made the
 *   change, once the change is done) bumps the generation with a release
 *   fetch-add. The calling thread's next read sees the new value; a thread
 *   recording concurrently with the change may still record the old one
 *   (there is no order between the two), as with lttng-ust.
 * - the namespace ids of the thread (cgroup, ipc, net, time, uts) are
 *   tagged words in thread_cache, the process-wide ones (mnt, pid, user)
 *   and the six ids in process_cache; one generation per group of values
 *   a call can change (namespaces, uids, gids). lttng-ust resets only the
 *   calling thread's cache of a thread's namespaces: here every thread
 *   reads its own once more, and finds the same value.
 * A namespace inode number is an `unsigned int` in the kernel (struct
 * ns_common), so 32 bits of value suffice; one that does not fit would be
 * read anew every time, never truncated.
 */
#include "lib/ust/context.h"

#include <errno.h>
#include <pthread.h>
#include <ringtrace/ust-fork.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/macros.h"
#include "lib/ust/cpu.h"
#include "lib/ust/perf-counter.h"
#include "lib/ust/ust-objects.h"

#define INT_CTX(ident, str, bytes, sign, type)                                                     \
	[ident] = {.name = str,                                                                    \
	           .id = ident,                                                                    \
	           .value_type = type,                                                             \
	           .size_bytes = bytes,                                                            \
	           .is_text = 0,                                                                   \
	           .is_signed = sign}
#define S32_CTX(ident, str) INT_CTX(ident, str, 4, 1, RT_CTX_VALUE_S64)
#define U32_CTX(ident, str) INT_CTX(ident, str, 4, 0, RT_CTX_VALUE_U64)
#define U64_CTX(ident, str) INT_CTX(ident, str, 8, 0, RT_CTX_VALUE_U64)

STATIC_ASSERT(sizeof(pid_t) == 4 && sizeof(uid_t) == 4 && sizeof(gid_t) == 4 && sizeof(int) == 4,
              "ids are recorded as 32-bit integers");
STATIC_ASSERT(sizeof(ino_t) == 8 && sizeof(unsigned long) == 8 && sizeof(void *) == 8,
              "namespace ids, pthread ids and addresses are recorded as 64-bit integers");

static const struct rt_ust_context contexts[_RT_UST_CTX_MAX] = {
    S32_CTX(RT_UST_CTX_VPID, "vpid"),
    S32_CTX(RT_UST_CTX_VTID, "vtid"),
    [RT_UST_CTX_PROCNAME] = {.name = "procname",
                             .id = RT_UST_CTX_PROCNAME,
                             .value_type = RT_CTX_VALUE_STRING,
                             .size_bytes = RT_UST_CONTEXT_PROCNAME_LEN,
                             .is_text = 1,
                             .is_signed = 1},
    U64_CTX(RT_UST_CTX_PTHREAD_ID, "pthread_id"),
    S32_CTX(RT_UST_CTX_CPU_ID, "cpu_id"),
    U64_CTX(RT_UST_CTX_IP, "ip"),
    U64_CTX(RT_UST_CTX_CGROUP_NS, "cgroup_ns"),
    U64_CTX(RT_UST_CTX_IPC_NS, "ipc_ns"),
    U64_CTX(RT_UST_CTX_MNT_NS, "mnt_ns"),
    U64_CTX(RT_UST_CTX_NET_NS, "net_ns"),
    U64_CTX(RT_UST_CTX_PID_NS, "pid_ns"),
    U64_CTX(RT_UST_CTX_TIME_NS, "time_ns"),
    U64_CTX(RT_UST_CTX_USER_NS, "user_ns"),
    U64_CTX(RT_UST_CTX_UTS_NS, "uts_ns"),
    U32_CTX(RT_UST_CTX_VUID, "vuid"),
    U32_CTX(RT_UST_CTX_VEUID, "veuid"),
    U32_CTX(RT_UST_CTX_VSUID, "vsuid"),
    U32_CTX(RT_UST_CTX_VGID, "vgid"),
    U32_CTX(RT_UST_CTX_VEGID, "vegid"),
    U32_CTX(RT_UST_CTX_VSGID, "vsgid"),
};

/* --- caches ---------------------------------------------------------------------------- */

/* Namespaces a thread may change alone (setns/unshare act on the caller). */
static const char *const thread_ns_names[] = {
    [RT_UST_CTX_CGROUP_NS - RT_UST_CTX_CGROUP_NS] = "cgroup",
    [RT_UST_CTX_IPC_NS - RT_UST_CTX_CGROUP_NS] = "ipc",
    [RT_UST_CTX_NET_NS - RT_UST_CTX_CGROUP_NS] = "net",
    [RT_UST_CTX_TIME_NS - RT_UST_CTX_CGROUP_NS] = "time",
    [RT_UST_CTX_UTS_NS - RT_UST_CTX_CGROUP_NS] = "uts",
};

/* Groups of values reset together (see top): one generation each. */
enum reset_group {
	RESET_NAMESPACES,
	RESET_UIDS,
	RESET_GIDS,
	_RESET_GROUP_MAX,
};

struct thread_cache {
	uint32_t valid; /* bit (1 << context id), vtid and procname */
	pid_t vtid;
	uint64_t ns[ARRAY_SIZE(thread_ns_names)]; /* tagged words (RESET_NAMESPACES) */
	char procname[RT_UST_CONTEXT_PROCNAME_LEN];
};

struct process_cache {
	uint32_t valid; /* bit (1 << RT_UST_CTX_VPID); release/acquire, see top */
	pid_t vpid;
	uint64_t mnt_ns, pid_ns, user_ns;                     /* tagged words (RESET_NAMESPACES) */
	uint64_t ids[RT_UST_CTX_VSGID - RT_UST_CTX_VUID + 1]; /* vuid..vsgid: tagged words */
};

STATIC_ASSERT(_RT_UST_CTX_MAX <= 32, "one validity bit per context");

/*
 * Initial-exec: a fixed offset from the thread pointer, no __tls_get_addr()
 * per read, also when the library is dlopen()ed (glibc keeps static TLS
 * surplus for that; this block is under 100 bytes).
 */
static __thread struct thread_cache thread_cache __attribute__((tls_model("initial-exec")));
static struct process_cache process_cache;
static uint32_t generation[_RESET_GROUP_MAX] = {1, 1, 1};

static inline bool thread_cached(enum rt_ust_context_id id)
{
	return thread_cache.valid & (1u << id);
}

static inline void thread_cache_set_valid(enum rt_ust_context_id id)
{
	__atomic_signal_fence(__ATOMIC_RELEASE);
	thread_cache.valid |= 1u << id;
}

static inline bool process_cached(enum rt_ust_context_id id)
{
	return __atomic_load_n(&process_cache.valid, __ATOMIC_ACQUIRE) & (1u << id);
}

static inline void process_cache_set_valid(enum rt_ust_context_id id)
{
	__atomic_fetch_or(&process_cache.valid, 1u << id, __ATOMIC_RELEASE);
}

/*
 * The value in a tagged word, read anew with read_value(arg) when the
 * word's tag is not the group's current generation (see top).
 */
static inline uint64_t tagged_value(uint64_t *slot, enum reset_group group,
                                    uint64_t (*read_value)(const void *arg), const void *arg)
{
	/* Before the read: a value tagged gen was read after gen was published. */
	uint32_t gen = __atomic_load_n(&generation[group], __ATOMIC_ACQUIRE);
	uint64_t word = __atomic_load_n(slot, __ATOMIC_RELAXED);
	uint64_t v;

	if (likely((uint32_t)(word >> 32) == gen))
		return (uint32_t)word;
	v = read_value(arg);
	if (v <= UINT32_MAX)
		__atomic_store_n(slot, (uint64_t)gen << 32 | v, __ATOMIC_RELAXED);
	return v;
}

/* The inode number of the namespace file at path, 0 when it cannot be read. */
static uint64_t ns_inode(const void *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (uint64_t)st.st_ino : 0;
}

/* The inode of one of the calling thread's namespaces; arg is its index in thread_ns_names. */
static uint64_t read_thread_ns(const void *arg)
{
	size_t slot = *(const size_t *)arg;
	char path[64];
	uint64_t ino;

	snprintf(path, sizeof(path), "/proc/thread-self/ns/%s", thread_ns_names[slot]);
	ino = ns_inode(path);
	if (ino == 0) { /* kernels before 3.17 have no /proc/thread-self */
		snprintf(path, sizeof(path), "/proc/self/task/%d/ns/%s", (int)gettid(),
		         thread_ns_names[slot]);
		ino = ns_inode(path);
	}
	return ino;
}

static uint64_t thread_ns(enum rt_ust_context_id id)
{
	size_t slot = (size_t)(id - RT_UST_CTX_CGROUP_NS);

	return tagged_value(&thread_cache.ns[slot], RESET_NAMESPACES, read_thread_ns, &slot);
}

static uint64_t process_ns(uint64_t *slot, const char *path)
{
	return tagged_value(slot, RESET_NAMESPACES, ns_inode, path);
}

static inline pid_t cached_vpid(void)
{
	if (likely(process_cached(RT_UST_CTX_VPID)))
		return process_cache.vpid;
	__atomic_store_n(&process_cache.vpid, getpid(), __ATOMIC_RELAXED);
	process_cache_set_valid(RT_UST_CTX_VPID);
	return process_cache.vpid;
}

static inline pid_t cached_vtid(void)
{
	if (likely(thread_cached(RT_UST_CTX_VTID)))
		return thread_cache.vtid;
	thread_cache.vtid = gettid();
	thread_cache_set_valid(RT_UST_CTX_VTID);
	return thread_cache.vtid;
}

static inline const char *cached_procname(void)
{
	if (likely(thread_cached(RT_UST_CTX_PROCNAME)))
		return thread_cache.procname;
	memset(thread_cache.procname, 0, sizeof(thread_cache.procname));
	if (prctl(PR_GET_NAME, thread_cache.procname) != 0)
		strcpy(thread_cache.procname, "<unknown>");
	thread_cache.procname[RT_UST_CONTEXT_PROCNAME_LEN - 1] = '\0';
	thread_cache_set_valid(RT_UST_CTX_PROCNAME);
	return thread_cache.procname;
}

/*
 * The real, effective or saved user or group id, as getresuid()/getresgid()
 * report it; arg points to its context id.
 */
static uint64_t read_id(const void *arg)
{
	enum rt_ust_context_id id = *(const enum rt_ust_context_id *)arg;
	uid_t uids[3] = {0, 0, 0};
	gid_t gids[3] = {0, 0, 0};

	if (id <= RT_UST_CTX_VSUID) {
		if (getresuid(&uids[0], &uids[1], &uids[2]) != 0)
			return (uint32_t)-1;
		return uids[id - RT_UST_CTX_VUID];
	}
	if (getresgid(&gids[0], &gids[1], &gids[2]) != 0)
		return (uint32_t)-1;
	return gids[id - RT_UST_CTX_VGID];
}

static uint32_t cached_id(enum rt_ust_context_id id)
{
	enum reset_group group = id <= RT_UST_CTX_VSUID ? RESET_UIDS : RESET_GIDS;

	return (uint32_t)tagged_value(&process_cache.ids[id - RT_UST_CTX_VUID], group, read_id,
	                              &id);
}

/* Every integer context, widened. */
static inline __attribute__((always_inline)) uint64_t integer_value(enum rt_ust_context_id id,
                                                                    const void *ip)
{
	switch (id) {
	case RT_UST_CTX_VPID:
		return (uint64_t)(int64_t)cached_vpid();
	case RT_UST_CTX_VTID:
		return (uint64_t)(int64_t)cached_vtid();
	case RT_UST_CTX_PTHREAD_ID:
		return (uint64_t)pthread_self();
	case RT_UST_CTX_CPU_ID:
		return (uint64_t)(int64_t)rt_ust_current_cpu();
	case RT_UST_CTX_IP:
		return (uint64_t)(uintptr_t)ip;
	case RT_UST_CTX_CGROUP_NS:
	case RT_UST_CTX_IPC_NS:
	case RT_UST_CTX_NET_NS:
	case RT_UST_CTX_TIME_NS:
	case RT_UST_CTX_UTS_NS:
		return thread_ns(id);
	case RT_UST_CTX_MNT_NS:
		return process_ns(&process_cache.mnt_ns, "/proc/self/ns/mnt");
	case RT_UST_CTX_PID_NS:
		return process_ns(&process_cache.pid_ns, "/proc/self/ns/pid");
	case RT_UST_CTX_USER_NS:
		return process_ns(&process_cache.user_ns, "/proc/self/ns/user");
	case RT_UST_CTX_VUID:
	case RT_UST_CTX_VEUID:
	case RT_UST_CTX_VSUID:
	case RT_UST_CTX_VGID:
	case RT_UST_CTX_VEGID:
	case RT_UST_CTX_VSGID:
		return cached_id(id);
	case RT_UST_CTX_PROCNAME:
	case _RT_UST_CTX_MAX:
		break;
	}
	return 0;
}

/* --- API ------------------------------------------------------------------------------- */

const struct rt_ust_context *rt_ust_context_find(const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < ARRAY_SIZE(contexts); i++)
		if (strcmp(contexts[i].name, name) == 0)
			return &contexts[i];
	return NULL;
}

const struct rt_ust_context *rt_ust_context_get(enum rt_ust_context_id id)
{
	if ((unsigned)id >= ARRAY_SIZE(contexts))
		return NULL;
	return &contexts[id];
}

int rt_ust_context_get_value_at(const struct rt_ust_context *ctx, const void *ip,
                                struct rt_ctx_value *ret)
{
	uint64_t v;

	if (!ctx || !ret)
		return -EINVAL;
	if (ctx->is_text) {
		ret->type = RT_CTX_VALUE_STRING;
		ret->u.str = cached_procname();
		return 0;
	}
	v = integer_value(ctx->id, ip);
	ret->type = ctx->value_type;
	if (ctx->value_type == RT_CTX_VALUE_S64)
		ret->u.s64 = (int64_t)v;
	else
		ret->u.u64 = v;
	return 0;
}

int rt_ust_context_get_value(const struct rt_ust_context *ctx, struct rt_ctx_value *ret)
{
	return rt_ust_context_get_value_at(ctx, NULL, ret);
}

static inline char *context_write(const struct rt_ust_context *ctx, char *p, const void *ip)
{
	uint64_t v;

	if (ctx->is_text) {
		/* The cache is NUL-padded to its full length (see cached_procname()). */
		memcpy(p, cached_procname(), RT_UST_CONTEXT_PROCNAME_LEN);
		return p + RT_UST_CONTEXT_PROCNAME_LEN;
	}
	v = integer_value(ctx->id, ip);
	if (ctx->size_bytes == 4) {
		uint32_t v32 = (uint32_t)v;

		memcpy(p, &v32, sizeof(v32));
	} else {
		memcpy(p, &v, sizeof(v));
	}
	return p + ctx->size_bytes;
}

char *rt_ust_context_write(const struct rt_ust_context *ctx, char *p, const void *ip)
{
	return context_write(ctx, p, ip);
}

char *rt_ust_contexts_write(const struct rt_ust_channel_context *fields, uint32_t n, char *p,
                            const void *ip)
{
	for (uint32_t i = 0; i < n; i++) {
		const struct rt_ust_channel_context *c = &fields[i];

		if (likely(c->builtin)) {
			p = context_write(c->builtin, p, ip);
		} else {
			uint64_t v = rt_ust_perf_counter_read(c->perf);

			memcpy(p, &v, sizeof(v));
			p += sizeof(v);
		}
	}
	return p;
}

/* Makes every tagged word of group stale, in every thread (see top). */
static void reset_group(enum reset_group group)
{
	__atomic_fetch_add(&generation[group], 2, __ATOMIC_RELEASE);
}

/*
 * Namespaces, uids and gids: after fork, and after setns() and unshare(),
 * which may enter a user namespace and so map the ids anew.
 */
static void reset_all_groups(void)
{
	for (int group = 0; group < _RESET_GROUP_MAX; group++)
		reset_group(group);
}

void rt_ust_context_reset_after_fork(void)
{
	thread_cache.valid = 0;
	__atomic_store_n(&process_cache.valid, 0, __ATOMIC_RELAXED);
	reset_all_groups();
	rt_ust_perf_reset_after_fork();
}

void ringtrace_ust_after_setns(void)
{
	reset_all_groups();
}

void ringtrace_ust_after_unshare(void)
{
	reset_all_groups();
}

void ringtrace_ust_after_setuid(void)
{
	reset_group(RESET_UIDS);
}

void ringtrace_ust_after_setgid(void)
{
	reset_group(RESET_GIDS);
}

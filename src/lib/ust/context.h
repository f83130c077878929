/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * The built-in contexts of libringtrace-ust: values describing the thread
 * or process that emits an event, recorded after the event header of every
 * event of a channel they were added to (`add-context -u -t NAME`) and read
 * by filters as `$ctx.NAME`. Names, recorded types and caching follow
 * lttng-ust 2.13:
 *
 *   name                        recorded as                    cached
 *   vpid, vtid                  int32                          process / thread
 *   procname                    17 chars of text (NUL-padded)  thread
 *   pthread_id                  uint64 (unsigned long)         no
 *   cpu_id                      int32 (int)                    no
 *   ip                          uint64 (the call site address) no
 *   cgroup_ns ipc_ns net_ns
 *   time_ns uts_ns              uint64 (ino_t)                 thread
 *   mnt_ns pid_ns user_ns       uint64 (ino_t)                 process
 *   vuid veuid vsuid
 *   vgid vegid vsgid            uint32                         process
 *
 * A namespace id is the inode number of /proc/.../ns/NAME, 0 when it cannot
 * be read. procname is read once per thread: a name set with
 * prctl()/pthread_setname_np() after the thread's first event is not seen,
 * as with lttng-ust.
 *
 * Reset contract. Caches are filled on first use and forgotten:
 *   after fork(), in the child         everything (rt_ust_context_reset_after_fork())
 *   ringtrace_ust_after_setns(),
 *   ringtrace_ust_after_unshare()      the 8 namespace ids, vuid..vsgid
 *   ringtrace_ust_after_setuid()       vuid, veuid, vsuid
 *   ringtrace_ust_after_setgid()       vgid, vegid, vsgid
 * (<ringtrace/ust-fork.h>; called by libringtrace-ust-fork.so after each
 * wrapped call that succeeded: lttng-ust's liblttng-ust-fork.so resets the
 * same values, after failed calls too). A reset is one atomic add per
 * group of values, lock-free and async-signal-safe, and may run
 * while other threads record: it holds for every value read after it by
 * the thread that called it, and for every thread's values read after it
 * in happens-before order; a thread recording concurrently with the change
 * may record the old value once. Without these calls (no preload), values
 * cached before a setns()/unshare()/setuid()... stay as they were, as with
 * lttng-ust without its preload library. context.c explains how.
 *
 * Every function below is async-signal-safe once the caches are filled and
 * may run in probes (inside an RCU read-side critical section).
 */

#include <stddef.h>
#include <stdint.h>

enum rt_ctx_value_type {
	RT_CTX_VALUE_S64,
	RT_CTX_VALUE_U64,
	RT_CTX_VALUE_DOUBLE,
	RT_CTX_VALUE_STRING,
};

struct rt_ctx_value {
	enum rt_ctx_value_type type;
	union {
		int64_t s64;
		uint64_t u64;
		double d;
		const char *str; /* the thread's cached copy: valid until it exits or forks */
	} u;
};

enum rt_ust_context_id {
	RT_UST_CTX_VPID,
	RT_UST_CTX_VTID,
	RT_UST_CTX_PROCNAME,
	RT_UST_CTX_PTHREAD_ID,
	RT_UST_CTX_CPU_ID,
	RT_UST_CTX_IP,
	RT_UST_CTX_CGROUP_NS,
	RT_UST_CTX_IPC_NS,
	RT_UST_CTX_MNT_NS,
	RT_UST_CTX_NET_NS,
	RT_UST_CTX_PID_NS,
	RT_UST_CTX_TIME_NS,
	RT_UST_CTX_USER_NS,
	RT_UST_CTX_UTS_NS,
	RT_UST_CTX_VUID,
	RT_UST_CTX_VEUID,
	RT_UST_CTX_VSUID,
	RT_UST_CTX_VGID,
	RT_UST_CTX_VEGID,
	RT_UST_CTX_VSGID,
	_RT_UST_CTX_MAX,
};

/* Bytes of text recorded for procname, as lttng-ust 2.13 (one more than TASK_COMM_LEN). */
#define RT_UST_CONTEXT_PROCNAME_LEN 17

/* One built-in context: what it is called and how it is recorded. */
struct rt_ust_context {
	const char *name; /* as `add-context -t` and `$ctx.` spell it */
	enum rt_ust_context_id id;
	enum rt_ctx_value_type value_type;
	uint32_t size_bytes; /* bytes recorded in each event */
	/* Recorded as text (array of size_bytes chars), else as an integer: */
	uint8_t is_text;
	uint8_t is_signed; /* of the integer, or of the text's chars (signed, as C char) */
};

/* The built-in context named name, NULL if none. */
const struct rt_ust_context *rt_ust_context_find(const char *name);
/* The built-in context of id, NULL when id is out of range. */
const struct rt_ust_context *rt_ust_context_get(enum rt_ust_context_id id);

/*
 * The value of ctx for the calling thread. `ip` has no call site here and
 * reads 0: use rt_ust_context_get_value_at(). 0, or -EINVAL (ctx or ret NULL).
 */
int rt_ust_context_get_value(const struct rt_ust_context *ctx, struct rt_ctx_value *ret);
/* Same, with ip the address of the tracepoint call site being recorded. */
int rt_ust_context_get_value_at(const struct rt_ust_context *ctx, const void *ip,
                                struct rt_ctx_value *ret);

/*
 * Writes ctx's value for the calling thread at p as recorded in an event:
 * ctx->size_bytes bytes, host byte order, no padding. ip as above. Returns
 * p + ctx->size_bytes.
 */
char *rt_ust_context_write(const struct rt_ust_context *ctx, char *p, const void *ip);

struct rt_ust_channel_context;

/*
 * Writes the n contexts of a channel at p, in order (the record path), and
 * returns the position after them.
 */
char *rt_ust_contexts_write(const struct rt_ust_channel_context *contexts, uint32_t n, char *p,
                            const void *ip);

/*
 * In the child after fork(): forgets every cached value (new pid, tid,
 * and, after clone flags or an earlier unshare(), namespaces and ids) and
 * the perf counters the forking thread had opened.
 * Called from the library's pthread_atfork child handler.
 */
void rt_ust_context_reset_after_fork(void);

/* Bytes a perf counter context takes in a record (uint64). */
#define RT_UST_PERF_CONTEXT_LEN 8
/* Bound of a channel's event context: 64 contexts of at most 17 bytes each. */
#define RT_UST_MAX_CONTEXT_LEN (64u * 17u)

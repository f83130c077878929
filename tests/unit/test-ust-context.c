/* SPDX-License-Identifier: MIT */
/*
 * The built-in context table of libringtrace-ust: names, recorded layout,
 * values read back against what the kernel reports, per-thread and
 * per-process caching, reset after fork and after the calls
 * <ringtrace/ust-fork.h> names.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/ust/context.h"

#include <ringtrace/ust-fork.h>

static const char *const lttng_names[] = {
    "vpid",   "vtid",   "procname", "pthread_id", "cpu_id",  "ip",      "cgroup_ns",
    "ipc_ns", "mnt_ns", "net_ns",   "pid_ns",     "time_ns", "user_ns", "uts_ns",
    "vuid",   "veuid",  "vsuid",    "vgid",       "vegid",   "vsgid",
};

static uint64_t value_u64(const char *name)
{
	struct rt_ctx_value v;

	assert_int_equal(rt_ust_context_get_value(rt_ust_context_find(name), &v), 0);
	assert_int_equal(v.type, RT_CTX_VALUE_U64);
	return v.u.u64;
}

static int64_t value_s64(const char *name)
{
	struct rt_ctx_value v;

	assert_int_equal(rt_ust_context_get_value(rt_ust_context_find(name), &v), 0);
	assert_int_equal(v.type, RT_CTX_VALUE_S64);
	return v.u.s64;
}

static uint64_t ns_of(const char *path)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	return st.st_ino;
}

static void test_names(void **state)
{
	(void)state;
	assert_int_equal(sizeof(lttng_names) / sizeof(lttng_names[0]), _RT_UST_CTX_MAX);
	for (size_t i = 0; i < sizeof(lttng_names) / sizeof(lttng_names[0]); i++) {
		const struct rt_ust_context *ctx = rt_ust_context_find(lttng_names[i]);

		assert_non_null(ctx);
		assert_string_equal(ctx->name, lttng_names[i]);
		assert_ptr_equal(rt_ust_context_get(ctx->id), ctx);
	}
	assert_null(rt_ust_context_find("perf:thread:cycles"));
	assert_null(rt_ust_context_find("VPID"));
	assert_null(rt_ust_context_find("vpi"));
	assert_null(rt_ust_context_find(""));
	assert_null(rt_ust_context_find(NULL));
	assert_null(rt_ust_context_get(_RT_UST_CTX_MAX));
	assert_null(rt_ust_context_get((enum rt_ust_context_id) - 1));
}

/* What lttng-ust 2.13 records for each context on x86-64. */
static void test_layout(void **state)
{
	static const struct {
		const char *name;
		uint32_t size;
		uint8_t is_signed, is_text;
		enum rt_ctx_value_type type;
	} expected[] = {
	    {"vpid", 4, 1, 0, RT_CTX_VALUE_S64},         {"vtid", 4, 1, 0, RT_CTX_VALUE_S64},
	    {"procname", 17, 1, 1, RT_CTX_VALUE_STRING}, {"pthread_id", 8, 0, 0, RT_CTX_VALUE_U64},
	    {"cpu_id", 4, 1, 0, RT_CTX_VALUE_S64},       {"ip", 8, 0, 0, RT_CTX_VALUE_U64},
	    {"net_ns", 8, 0, 0, RT_CTX_VALUE_U64},       {"pid_ns", 8, 0, 0, RT_CTX_VALUE_U64},
	    {"vuid", 4, 0, 0, RT_CTX_VALUE_U64},         {"vsgid", 4, 0, 0, RT_CTX_VALUE_U64},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(expected) / sizeof(expected[0]); i++) {
		const struct rt_ust_context *ctx = rt_ust_context_find(expected[i].name);

		assert_non_null(ctx);
		assert_int_equal(ctx->size_bytes, expected[i].size);
		assert_int_equal(ctx->is_signed, expected[i].is_signed);
		assert_int_equal(ctx->is_text, expected[i].is_text);
		assert_int_equal(ctx->value_type, expected[i].type);
	}
}

static void test_bad_args(void **state)
{
	struct rt_ctx_value v;

	(void)state;
	assert_int_equal(rt_ust_context_get_value(NULL, &v), -EINVAL);
	assert_int_equal(rt_ust_context_get_value(rt_ust_context_find("vpid"), NULL), -EINVAL);
}

static void test_process_values(void **state)
{
	static const char *const process_ns[] = {"mnt", "pid", "user"};
	static const char *const thread_ns[] = {"cgroup", "ipc", "net", "time", "uts"};
	uid_t uid[3];
	gid_t gid[3];

	(void)state;
	assert_int_equal(getresuid(&uid[0], &uid[1], &uid[2]), 0);
	assert_int_equal(getresgid(&gid[0], &gid[1], &gid[2]), 0);
	assert_int_equal(value_s64("vpid"), getpid());
	assert_int_equal(value_s64("vtid"), gettid());
	assert_int_equal(value_u64("pthread_id"), (uint64_t)pthread_self());
	assert_int_equal(value_u64("vuid"), uid[0]);
	assert_int_equal(value_u64("veuid"), uid[1]);
	assert_int_equal(value_u64("vsuid"), uid[2]);
	assert_int_equal(value_u64("vgid"), gid[0]);
	assert_int_equal(value_u64("vegid"), gid[1]);
	assert_int_equal(value_u64("vsgid"), gid[2]);
	for (size_t i = 0; i < 3; i++) {
		char path[64], name[32];

		snprintf(path, sizeof(path), "/proc/self/ns/%s", process_ns[i]);
		snprintf(name, sizeof(name), "%s_ns", process_ns[i]);
		assert_int_equal(value_u64(name), ns_of(path));
	}
	for (size_t i = 0; i < 5; i++) {
		char path[64], name[32];

		snprintf(path, sizeof(path), "/proc/thread-self/ns/%s", thread_ns[i]);
		snprintf(name, sizeof(name), "%s_ns", thread_ns[i]);
		if (access(path, F_OK) != 0) /* e.g. time namespaces before 5.6 */
			assert_int_equal(value_u64(name), 0);
		else
			assert_int_equal(value_u64(name), ns_of(path));
	}
}

static void test_cpu_id(void **state)
{
	int64_t cpu;

	(void)state;
	cpu = value_s64("cpu_id");
	assert_true(cpu >= 0);
	assert_true(cpu < sysconf(_SC_NPROCESSORS_CONF));
}

static void test_ip(void **state)
{
	const struct rt_ust_context *ip = rt_ust_context_find("ip");
	struct rt_ctx_value v;
	char buf[8];
	uint64_t recorded;

	(void)state;
	assert_int_equal(rt_ust_context_get_value_at(ip, (const void *)0x401234, &v), 0);
	assert_int_equal(v.type, RT_CTX_VALUE_U64);
	assert_int_equal(v.u.u64, 0x401234);
	assert_int_equal(value_u64("ip"), 0);
	assert_ptr_equal(rt_ust_context_write(ip, buf, (const void *)0x7f00deadbeef), buf + 8);
	memcpy(&recorded, buf, 8);
	assert_int_equal(recorded, 0x7f00deadbeef);
}

static void test_write(void **state)
{
	char buf[64];
	char *p = buf;
	int32_t vpid, vtid;
	uint32_t vuid;

	(void)state;
	memset(buf, 0x55, sizeof(buf));
	p = rt_ust_context_write(rt_ust_context_find("vpid"), p, NULL);
	p = rt_ust_context_write(rt_ust_context_find("procname"), p, NULL);
	p = rt_ust_context_write(rt_ust_context_find("vtid"), p, NULL);
	p = rt_ust_context_write(rt_ust_context_find("vuid"), p, NULL);
	assert_ptr_equal(p, buf + 4 + 17 + 4 + 4);
	assert_int_equal((unsigned char)*p, 0x55); /* nothing past the end */
	memcpy(&vpid, buf, 4);
	memcpy(&vtid, buf + 21, 4);
	memcpy(&vuid, buf + 25, 4);
	assert_int_equal(vpid, getpid());
	assert_int_equal(vtid, gettid());
	assert_int_equal(vuid, getuid());
}

struct thread_result {
	pid_t tid;
	int64_t vtid;
	uint64_t pthread_id;
	char procname[16];
	char recorded_procname[17];
};

static void *thread_main(void *arg)
{
	struct thread_result *r = arg;
	struct rt_ctx_value v;

	prctl(PR_SET_NAME, "ctx-worker");
	r->tid = gettid();
	r->vtid = value_s64("vtid");
	r->pthread_id = value_u64("pthread_id");
	if (rt_ust_context_get_value(rt_ust_context_find("procname"), &v) == 0)
		snprintf(r->procname, sizeof(r->procname), "%s", v.u.str);
	rt_ust_context_write(rt_ust_context_find("procname"), r->recorded_procname, NULL);
	return NULL;
}

/* vtid and procname are per thread: another thread gets its own, not ours. */
static void test_per_thread(void **state)
{
	struct thread_result r;
	struct rt_ctx_value v;
	char comm[16] = {0};
	char expected[17] = "ctx-worker";
	pthread_t th;

	(void)state;
	memset(&r, 0, sizeof(r));
	assert_int_equal(value_s64("vtid"), gettid()); /* fills this thread's cache */
	assert_int_equal(pthread_create(&th, NULL, thread_main, &r), 0);
	assert_int_equal(pthread_join(th, NULL), 0);
	assert_int_equal(r.vtid, r.tid);
	assert_int_not_equal(r.tid, gettid());
	assert_int_equal(r.pthread_id, (uint64_t)th);
	assert_string_equal(r.procname, "ctx-worker");
	assert_memory_equal(r.recorded_procname, expected, 17); /* NUL-padded */

	assert_int_equal(prctl(PR_GET_NAME, comm), 0);
	assert_int_equal(rt_ust_context_get_value(rt_ust_context_find("procname"), &v), 0);
	assert_int_equal(v.type, RT_CTX_VALUE_STRING);
	assert_string_equal(v.u.str, comm);
	assert_int_equal(value_s64("vtid"), gettid());
}

/*
 * The child of fork() gets its own pid and tid, not the parent's cached ones:
 * the library's pthread_atfork handler resets the caches.
 */
static void test_fork_reset(void **state)
{
	int status;
	pid_t child;

	(void)state;
	assert_int_equal(value_s64("vpid"), getpid()); /* cached in the parent */
	assert_int_equal(value_s64("vtid"), gettid());
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		struct rt_ctx_value pid, tid;
		int ok;

		rt_ust_context_get_value(rt_ust_context_find("vpid"), &pid);
		rt_ust_context_get_value(rt_ust_context_find("vtid"), &tid);
		ok = pid.u.s64 == getpid() && tid.u.s64 == gettid();
		_exit(ok ? 0 : 1);
	}
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_equal(value_s64("vpid"), getpid());
}

/* Runs body in a child process (it changes namespaces and ids) and checks it exited 0. */
static void in_child(int (*body)(void))
{
	int status;
	pid_t child = fork();

	assert_true(child >= 0);
	if (child == 0)
		_exit(body());
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

/* Line of the first check that failed, 0 when all held (cmocka asserts do not cross fork). */
#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #cond);                 \
			return 1;                                                                  \
		}                                                                                  \
	} while (0)

static uint64_t ctx_u64(const char *name)
{
	struct rt_ctx_value v;

	rt_ust_context_get_value(rt_ust_context_find(name), &v);
	return v.u.u64;
}

static uint64_t ino_of(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? st.st_ino : 0;
}

static void *read_uts_ns(void *arg)
{
	*(uint64_t *)arg = ctx_u64("uts_ns");
	return NULL;
}

/*
 * unshare() changes namespaces: cached values stay until
 * ringtrace_ust_after_unshare(), then read the new ones.
 */
static int unshare_body(void)
{
	uint64_t uts = ctx_u64("uts_ns"), mnt = ctx_u64("mnt_ns");
	uint64_t other_uts = 0;
	pthread_t t;

	CHECK(uts == ino_of("/proc/thread-self/ns/uts") && mnt == ino_of("/proc/self/ns/mnt"));
	CHECK(unshare(CLONE_NEWUTS | CLONE_NEWNS) == 0);
	CHECK(ino_of("/proc/thread-self/ns/uts") != uts && ino_of("/proc/self/ns/mnt") != mnt);
	CHECK(ctx_u64("uts_ns") == uts && ctx_u64("mnt_ns") == mnt); /* not told yet */
	ringtrace_ust_after_unshare();
	CHECK(ctx_u64("uts_ns") == ino_of("/proc/thread-self/ns/uts"));
	CHECK(ctx_u64("mnt_ns") == ino_of("/proc/self/ns/mnt"));
	pthread_create(&t, NULL, read_uts_ns, &other_uts);
	pthread_join(t, NULL);
	CHECK(other_uts == ctx_u64("uts_ns")); /* created after: inherits the new one */
	return 0;
}

/*
 * A new user namespace without an id map shows the overflow ids: the reset
 * after unshare() picks them up with the new user_ns. Runs in the child of
 * a clone() (not fork(): no listener thread), as unshare(CLONE_NEWUSER)
 * wants a single-threaded process; the values cached by the parent are
 * inherited.
 */
static int user_ns_body(void *arg)
{
	uint64_t user = ctx_u64("user_ns");

	(void)arg;
	CHECK(ctx_u64("vuid") == getuid() && ctx_u64("vgid") == getgid());
	CHECK(unshare(CLONE_NEWUSER) == 0);
	CHECK(getuid() != 0 && ctx_u64("vuid") == 0 && ctx_u64("user_ns") == user);
	ringtrace_ust_after_unshare();
	CHECK(ctx_u64("vuid") == getuid() && ctx_u64("vgid") == getgid());
	CHECK(ctx_u64("user_ns") == ino_of("/proc/self/ns/user") && ctx_u64("user_ns") != user);
	return 0;
}

static void test_reset_after_unshare_user(void **state)
{
	static char stack[256 * 1024] __attribute__((aligned(16)));
	int status;
	pid_t child;

	(void)state;
	if (geteuid() != 0)
		skip();
	assert_int_equal(ctx_u64("vuid"), 0); /* cached here, inherited by the child */
	child = clone(user_ns_body, stack + sizeof(stack), SIGCHLD, NULL);
	assert_true(child > 0);
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

static void test_reset_after_unshare(void **state)
{
	(void)state;
	if (geteuid() != 0)
		skip(); /* new namespaces need CAP_SYS_ADMIN */
	in_child(unshare_body);
}

/*
 * A thread's namespace is its own: after setns() in one thread, another
 * thread records its own (unchanged) one, also after the reset.
 */
static void *enter_new_uts(void *arg)
{
	uint64_t *ret = arg;

	ret[0] = ctx_u64("uts_ns");
	if (unshare(CLONE_NEWUTS) != 0)
		return NULL;
	ringtrace_ust_after_unshare();
	ret[1] = ctx_u64("uts_ns");
	ret[2] = ino_of("/proc/thread-self/ns/uts");
	return NULL;
}

static int thread_ns_body(void)
{
	uint64_t mine = ctx_u64("uts_ns"), theirs[3] = {0, 0, 0};
	pthread_t t;

	pthread_create(&t, NULL, enter_new_uts, theirs);
	pthread_join(t, NULL);
	CHECK(theirs[0] == mine && theirs[1] == theirs[2] && theirs[1] != mine);
	CHECK(ctx_u64("uts_ns") == mine && ino_of("/proc/thread-self/ns/uts") == mine);
	return 0;
}

static void test_thread_namespaces(void **state)
{
	(void)state;
	if (geteuid() != 0)
		skip();
	in_child(thread_ns_body);
}

/*
 * setuid family -> uids only, setgid family -> gids only; values cached by
 * another thread are reset too (they are process-wide).
 */
static void *read_ids(void *arg)
{
	uint64_t *ret = arg;

	ret[0] = ctx_u64("vuid");
	ret[1] = ctx_u64("vsgid");
	return NULL;
}

static int setid_body(void)
{
	uint64_t seen[2];
	pthread_t t;

	for (const char *const *id =
	         (const char *const[]){"vuid", "veuid", "vsuid", "vgid", "vegid", "vsgid", NULL};
	     *id; id++)
		CHECK(ctx_u64(*id) == 0);
	CHECK(setresgid(1, 2, 3) == 0 && setresuid(4, 5, 6) == 0);
	CHECK(ctx_u64("vgid") == 0 && ctx_u64("vuid") == 0); /* not told yet */
	ringtrace_ust_after_setgid();
	CHECK(ctx_u64("vgid") == 1 && ctx_u64("vegid") == 2 && ctx_u64("vsgid") == 3);
	CHECK(ctx_u64("vuid") == 0 && ctx_u64("veuid") == 0); /* still cached */
	ringtrace_ust_after_setuid();
	CHECK(ctx_u64("vuid") == 4 && ctx_u64("veuid") == 5 && ctx_u64("vsuid") == 6);
	pthread_create(&t, NULL, read_ids, seen);
	pthread_join(t, NULL);
	CHECK(seen[0] == 4 && seen[1] == 3);
	return 0;
}

static void test_reset_after_setid(void **state)
{
	(void)state;
	if (geteuid() != 0)
		skip();
	in_child(setid_body);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_names),
	    cmocka_unit_test(test_layout),
	    cmocka_unit_test(test_bad_args),
	    cmocka_unit_test(test_process_values),
	    cmocka_unit_test(test_cpu_id),
	    cmocka_unit_test(test_ip),
	    cmocka_unit_test(test_write),
	    cmocka_unit_test(test_per_thread),
	    cmocka_unit_test(test_fork_reset),
	    cmocka_unit_test(test_reset_after_unshare),
	    cmocka_unit_test(test_reset_after_unshare_user),
	    cmocka_unit_test(test_thread_namespaces),
	    cmocka_unit_test(test_reset_after_setid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

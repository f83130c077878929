/* SPDX-License-Identifier: MIT */
/*
 * libringtrace-ust-fork.so, lttng-ust's liblttng-ust-fork.so for ringtrace:
 * preloaded (LD_PRELOAD), it stands in for the C library's fork(),
 * daemon(), clone(), setns(), unshare() and the setuid()/setgid() family,
 * calls the real function, and tells libringtrace-ust what changed
 * (<ringtrace/ust-fork.h>) so that the contexts it records stay right:
 *
 *   setns(), unshare()                       ringtrace_ust_after_setns/unshare()
 *   setuid seteuid setreuid setresuid        ringtrace_ust_after_setuid()
 *   setgid setegid setregid setresgid        ringtrace_ust_after_setgid()
 *   clone() without CLONE_VM                 before_fork(), after_fork_parent()
 *                                            and, in the child, after_fork_child()
 *   clone() with CLONE_VM (a thread)         nothing
 *   fork(), daemon()                         nothing: the library's own
 *                                            pthread_atfork handlers run
 *
 * The hooks run only after a successful call. Around fork(), daemon() and
 * a process-creating clone() every signal is blocked, until the child (or
 * the parent) is set up again, so that no handler records an event in a
 * child that still holds its parent's tracer state.
 *
 * The program need not use libringtrace-ust: the hooks are looked up in
 * the global scope at each call until found (the library may come later
 * with dlopen(); it is never unloaded once there), and without them every
 * wrapper is the C library's function. Nothing here changes what the
 * program sees: the C library's result and errno are returned as they were.
 */
#include <dlfcn.h>
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/types.h>
#include <unistd.h>

#include <ringtrace/ust-fork.h>

/* --- the C library's functions --------------------------------------------------------- */

enum libc_func {
	LIBC_FORK,
	LIBC_DAEMON,
	LIBC_CLONE,
	LIBC_SETNS,
	LIBC_UNSHARE,
	LIBC_SETUID,
	LIBC_SETEUID,
	LIBC_SETREUID,
	LIBC_SETRESUID,
	LIBC_SETGID,
	LIBC_SETEGID,
	LIBC_SETREGID,
	LIBC_SETRESGID,
	_LIBC_FUNC_MAX,
};

static const char *const libc_names[_LIBC_FUNC_MAX] = {
    [LIBC_FORK] = "fork",           [LIBC_DAEMON] = "daemon",     [LIBC_CLONE] = "clone",
    [LIBC_SETNS] = "setns",         [LIBC_UNSHARE] = "unshare",   [LIBC_SETUID] = "setuid",
    [LIBC_SETEUID] = "seteuid",     [LIBC_SETREUID] = "setreuid", [LIBC_SETRESUID] = "setresuid",
    [LIBC_SETGID] = "setgid",       [LIBC_SETEGID] = "setegid",   [LIBC_SETREGID] = "setregid",
    [LIBC_SETRESGID] = "setresgid",
};

/*
 * Found by the constructor, or at first use when the program's libraries
 * call one from their own constructors before ours ran (RTLD_NEXT: the
 * next object after us in the lookup order).
 */
static void *libc_funcs[_LIBC_FUNC_MAX];

static void *libc_func(enum libc_func f)
{
	void *sym = __atomic_load_n(&libc_funcs[f], __ATOMIC_ACQUIRE);

	if (sym)
		return sym;
	sym = dlsym(RTLD_NEXT, libc_names[f]);
	if (!sym) {
		fprintf(stderr, "libringtrace-ust-fork: %s not found in the C library: %s\n",
		        libc_names[f], dlerror());
		errno = ENOSYS;
		return NULL;
	}
	__atomic_store_n(&libc_funcs[f], sym, __ATOMIC_RELEASE);
	return sym;
}

/* --- libringtrace-ust's hooks ---------------------------------------------------------- */

enum hook {
	HOOK_AFTER_SETNS,
	HOOK_AFTER_UNSHARE,
	HOOK_AFTER_SETUID,
	HOOK_AFTER_SETGID,
	HOOK_BEFORE_FORK,
	HOOK_AFTER_FORK_PARENT,
	HOOK_AFTER_FORK_CHILD,
	_HOOK_MAX,
};

static const char *const hook_names[_HOOK_MAX] = {
    [HOOK_AFTER_SETNS] = "ringtrace_ust_after_setns",
    [HOOK_AFTER_UNSHARE] = "ringtrace_ust_after_unshare",
    [HOOK_AFTER_SETUID] = "ringtrace_ust_after_setuid",
    [HOOK_AFTER_SETGID] = "ringtrace_ust_after_setgid",
    [HOOK_BEFORE_FORK] = "ringtrace_ust_before_fork",
    [HOOK_AFTER_FORK_PARENT] = "ringtrace_ust_after_fork_parent",
    [HOOK_AFTER_FORK_CHILD] = "ringtrace_ust_after_fork_child",
};

/*
 * All set, or all NULL: set at once when libringtrace-ust is found (the
 * fork hooks go in threes). Written with release before `hooks_found`,
 * read after it with acquire; the library is linked with -z nodelete, so
 * the addresses stay valid.
 */
static void (*hooks[_HOOK_MAX])(void);
static int hooks_found;

/* Whether libringtrace-ust is in the process: looks for it again until it is. */
static int find_hooks(void)
{
	void (*found[_HOOK_MAX])(void);

	if (__atomic_load_n(&hooks_found, __ATOMIC_ACQUIRE))
		return 1;
	for (int h = 0; h < _HOOK_MAX; h++) {
		found[h] = (void (*)(void))dlsym(RTLD_DEFAULT, hook_names[h]);
		if (!found[h])
			return 0;
	}
	for (int h = 0; h < _HOOK_MAX; h++)
		__atomic_store_n(&hooks[h], found[h], __ATOMIC_RELAXED);
	__atomic_store_n(&hooks_found, 1, __ATOMIC_RELEASE);
	return 1;
}

static void run_hook(enum hook h)
{
	int saved_errno = errno;

	if (find_hooks())
		hooks[h]();
	errno = saved_errno;
}

__attribute__((constructor)) static void ust_fork_init(void)
{
	int saved_errno = errno;

	for (int f = 0; f < _LIBC_FUNC_MAX; f++)
		libc_func(f);
	find_hooks();
	errno = saved_errno;
}

/* --- fork, daemon ---------------------------------------------------------------------- */

static void block_signals(sigset_t *ret_saved)
{
	sigset_t all;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, ret_saved);
}

static void restore_signals(const sigset_t *saved)
{
	pthread_sigmask(SIG_SETMASK, saved, NULL);
}

pid_t fork(void)
{
	pid_t (*real)(void) = (pid_t(*)(void))libc_func(LIBC_FORK);
	sigset_t saved;
	pid_t pid;
	int saved_errno;

	if (!real)
		return -1;
	block_signals(&saved);
	pid = real();
	saved_errno = errno;
	restore_signals(&saved);
	errno = saved_errno;
	return pid;
}

int daemon(int nochdir, int noclose)
{
	int (*real)(int, int) = (int (*)(int, int))libc_func(LIBC_DAEMON);
	sigset_t saved;
	int ret, saved_errno;

	if (!real)
		return -1;
	block_signals(&saved);
	ret = real(nochdir, noclose); /* the parent _exit()s in there */
	saved_errno = errno;
	restore_signals(&saved);
	errno = saved_errno;
	return ret;
}

/* --- clone ----------------------------------------------------------------------------- */

/* What the child of a process-creating clone() runs first (its own copy of the parent's). */
struct clone_child {
	int (*fn)(void *);
	void *arg;
	sigset_t saved;
	int traced; /* the parent ran before_fork(): no lookup (dlsym) in the child */
};

/*
 * When fn returns, the C library ends the child with the exit system call,
 * which ends only the calling thread: the tracer's threads started by
 * after_fork_child() would keep the child alive. _exit() ends them all,
 * as the C library's return would have ended the child without them.
 * Untraced, the child returns as it would have.
 */
static int clone_child_start(void *arg)
{
	struct clone_child *child = arg;
	int status;

	if (child->traced)
		hooks[HOOK_AFTER_FORK_CHILD]();
	restore_signals(&child->saved);
	status = child->fn(child->arg);
	if (child->traced)
		_exit(status);
	return status;
}

typedef int (*clone_func)(int (*fn)(void *), void *stack, int flags, void *arg, pid_t *parent_tid,
                          void *tls, pid_t *child_tid);

/*
 * The optional arguments are read whatever the flags, as the C library
 * passes them on: the kernel reads only those the flags name.
 */
int clone(int (*fn)(void *), void *stack, int flags, void *arg, ...)
{
	clone_func real = (clone_func)libc_func(LIBC_CLONE);
	struct clone_child child = {.fn = fn, .arg = arg};
	pid_t *parent_tid, *child_tid;
	void *tls;
	va_list ap;
	int ret, saved_errno;

	va_start(ap, arg);
	parent_tid = va_arg(ap, pid_t *);
	tls = va_arg(ap, void *);
	child_tid = va_arg(ap, pid_t *);
	va_end(ap);
	if (!real)
		return -1;
	if (flags & CLONE_VM)
		return real(fn, stack, flags, arg, parent_tid, tls, child_tid);
	block_signals(&child.saved);
	child.traced = find_hooks();
	if (child.traced)
		hooks[HOOK_BEFORE_FORK]();
	ret = real(clone_child_start, stack, flags, &child, parent_tid, tls, child_tid);
	saved_errno = errno;
	if (child.traced)
		hooks[HOOK_AFTER_FORK_PARENT]();
	restore_signals(&child.saved);
	errno = saved_errno;
	return ret;
}

/* --- setns, unshare, the setuid and setgid family -------------------------------------- */

/* A wrapper that calls the C library's name, then hook if it succeeded. */
#define WRAP_AND_RESET(name, func, hook, params, args)                                             \
	int name params                                                                            \
	{                                                                                          \
		int(*real) params = (int(*) params)libc_func(func);                                \
		int ret;                                                                           \
                                                                                                   \
		if (!real)                                                                         \
			return -1;                                                                 \
		ret = real args;                                                                   \
		if (ret == 0)                                                                      \
			run_hook(hook);                                                            \
		return ret;                                                                        \
	}

WRAP_AND_RESET(setns, LIBC_SETNS, HOOK_AFTER_SETNS, (int fd, int nstype), (fd, nstype))
WRAP_AND_RESET(unshare, LIBC_UNSHARE, HOOK_AFTER_UNSHARE, (int flags), (flags))
WRAP_AND_RESET(setuid, LIBC_SETUID, HOOK_AFTER_SETUID, (uid_t uid), (uid))
WRAP_AND_RESET(seteuid, LIBC_SETEUID, HOOK_AFTER_SETUID, (uid_t euid), (euid))
WRAP_AND_RESET(setreuid, LIBC_SETREUID, HOOK_AFTER_SETUID, (uid_t ruid, uid_t euid), (ruid, euid))
WRAP_AND_RESET(setresuid, LIBC_SETRESUID, HOOK_AFTER_SETUID, (uid_t ruid, uid_t euid, uid_t suid),
               (ruid, euid, suid))
WRAP_AND_RESET(setgid, LIBC_SETGID, HOOK_AFTER_SETGID, (gid_t gid), (gid))
WRAP_AND_RESET(setegid, LIBC_SETEGID, HOOK_AFTER_SETGID, (gid_t egid), (egid))
WRAP_AND_RESET(setregid, LIBC_SETREGID, HOOK_AFTER_SETGID, (gid_t rgid, gid_t egid), (rgid, egid))
WRAP_AND_RESET(setresgid, LIBC_SETRESGID, HOOK_AFTER_SETGID, (gid_t rgid, gid_t egid, gid_t sgid),
               (rgid, egid, sgid))

/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Telling libringtrace-ust that the process changed under it
 * (lttng-ust 2.13's <lttng/ust-fork.h>, under ringtrace's names).
 *
 * The tracer caches what its contexts record (vpid, vtid, the namespace
 * ids, vuid..vsgid). fork() is handled by the library itself
 * (pthread_atfork); the other calls below are not seen by it: a program
 * calls the matching function right after the call succeeded, or runs with
 * LD_PRELOAD=libringtrace-ust-fork.so, which wraps the C library's
 * functions and does it for every call. What each one forgets:
 *
 *   after_setns(), after_unshare()  the 8 namespace ids and vuid..vsgid
 *                                   (a new user namespace maps the ids anew)
 *   after_setuid()                  vuid, veuid, vsuid: after setuid(),
 *                                   seteuid(), setreuid(), setresuid()
 *   after_setgid()                  vgid, vegid, vsgid: after setgid(),
 *                                   setegid(), setregid(), setresgid()
 *
 * The next event of the calling thread records the new values; other
 * threads read theirs again at their next event. Each is
 * async-signal-safe, takes no lock and costs one atomic add per group of
 * values.
 *
 * A process created by clone() without CLONE_VM gets none of the library's
 * fork handling: the caller brackets the call with before_fork() and
 * after_fork_parent() in the parent, the child calls after_fork_child()
 * first (it registers as a new application, as after fork()). Signals
 * must be blocked from before_fork() until the child or the parent has
 * returned from its after_fork_*(). before_fork() takes the library's
 * locks: no other tracer call may come in between. Never around fork()
 * or daemon(): the library's atfork handlers run there already and would
 * wait for the locks before_fork() holds. After clone() with CLONE_VM (a
 * thread), nothing is needed.
 */

void ringtrace_ust_after_setns(void);
void ringtrace_ust_after_unshare(void);
void ringtrace_ust_after_setuid(void);
void ringtrace_ust_after_setgid(void);

void ringtrace_ust_before_fork(void);
void ringtrace_ust_after_fork_parent(void);
void ringtrace_ust_after_fork_child(void);

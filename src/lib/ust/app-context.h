/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Application contexts in libringtrace-ust (<ringtrace/context-provider.h>):
 * the registered providers, and one slot per "$app.PROVIDER:CTX" name a
 * channel records or a filter reads.
 *
 * A slot lives until the process exits (there are at most
 * RT_UST_MAX_APP_CONTEXTS of them) and points to the provider of its
 * PROVIDER, or to none. The pointer is published with rcu_assign_pointer()
 * when a provider registers and cleared when it unregisters, followed by a
 * grace period: a reader (a probe, under the call site's RCU read lock)
 * loads it once per event with rcu_dereference() and may use the provider
 * until its read-side critical section ends.
 */

#include <ringtrace/context-provider.h>
#include <stdint.h>

#define RT_UST_MAX_APP_CONTEXTS 1024
/* Longest "$app.PROVIDER:CTX" name, NUL excluded (it travels in a RINGTRACE_SYM_NAME_LEN array). */
#define RT_UST_APP_CONTEXT_NAME_MAX 255

struct rt_ust_app_context;

/*
 * The slot of name ("$app.PROVIDER:CTX", PROVIDER and CTX non-empty), made
 * when missing. -EINVAL (bad name), -E2BIG (too many slots), -ENOMEM.
 */
int rt_ust_app_context_get(const char *name, struct rt_ust_app_context **ret);

/* Its provider now (under RCU read lock), NULL when none is registered. */
const struct ringtrace_context_provider *
rt_ust_app_context_provider(const struct rt_ust_app_context *ctx);

/*
 * Bytes the context takes in a record at offset with provider p (as loaded
 * by rt_ust_app_context_provider() for this event): 1 without provider.
 */
uint64_t rt_ust_app_context_size(struct rt_ust_app_context *ctx,
                                 const struct ringtrace_context_provider *p, const void *ip,
                                 uint64_t offset);

/* Writes the context with p in [pos, pos + len) (len from rt_ust_app_context_size()). */
void rt_ust_app_context_write(struct rt_ust_app_context *ctx,
                              const struct ringtrace_context_provider *p, const void *ip, char *pos,
                              uint64_t len);

/* The value for filters (NONE without provider). */
void rt_ust_app_context_value(struct rt_ust_app_context *ctx, struct ringtrace_ctx_value *ret);

/*
 * Around fork(), after rt_ust_lock() (the order every thread takes them
 * in): no provider or slot is half-registered in the child.
 */
void rt_ust_app_context_fork_prepare(void);
void rt_ust_app_context_fork_done(void);

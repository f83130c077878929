/* SPDX-License-Identifier: MIT */
/*
 * Registry of tracepoint providers. A provider is registered by the
 * constructor generated in its object and unregistered by the destructor;
 * both run under the dynamic loader's lock, the rest of the library under
 * rt_ust_lock(), which this file owns.
 *
 * Registration gives each event its runtime (the RCU list of its
 * recorders), connects the call sites, then tells the listener. Unregistration
 * tells the listener, unpublishes the runtimes and disconnects the call
 * sites, waits for a grace period (no probe of the provider can still be
 * running, nor a reader be in one of its recorder lists), then frees what
 * was left: the object holding the probes may be unmapped right after.
 */
#define _LGPL_SOURCE
#include "lib/ust/probes.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <urcu-bp.h>
#include <urcu/list.h>

#include "common/log.h"
#include "lib/ust/record.h"
#include "lib/ust/ust-objects.h"

struct registered_probe {
	const struct ringtrace_probe_desc *desc;
	struct cds_list_head node; /* in probes */
	/* Per event, allocated up front so that unregistration cannot fail. */
	struct ringtrace_event_runtime **runtimes;
	struct ringtrace_tracepoint_probe **old_probes;
};

/*
 * rt_ust_lock() nests: a plain mutex, its owner and depth. Not a
 * PTHREAD_MUTEX_RECURSIVE one, which records its owner's kernel thread id:
 * in the child of a fork() that happened with the lock held (the comm
 * code's atfork handlers take it), the only thread has a new id and would
 * wait for "another" owner forever. pthread_self() survives fork(). (Nor a
 * thread-local depth: LeakSanitizer crashes on the dynamic TLS of a
 * dlopen()ed library.) The owner is written only by the thread holding the
 * mutex, so a thread reading its own id there holds the lock.
 */
static pthread_mutex_t ust_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_t ust_owner;
static unsigned int ust_depth; /* only touched by the owner */
static CDS_LIST_HEAD(probes);
static rt_probe_listener_fn listener_on_register;
static rt_probe_listener_fn listener_on_unregister;

void rt_ust_lock(void)
{
	pthread_t self = pthread_self();

	if (__atomic_load_n(&ust_owner, __ATOMIC_RELAXED) != self) {
		pthread_mutex_lock(&ust_mutex);
		__atomic_store_n(&ust_owner, self, __ATOMIC_RELAXED);
	}
	ust_depth++;
}

void rt_ust_unlock(void)
{
	if (--ust_depth)
		return;
	__atomic_store_n(&ust_owner, (pthread_t)0, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&ust_mutex);
}

void rt_probes_set_listener(rt_probe_listener_fn on_register, rt_probe_listener_fn on_unregister)
{
	rt_ust_lock();
	listener_on_register = on_register;
	listener_on_unregister = on_unregister;
	rt_ust_unlock();
}

static struct registered_probe *probe_find(const char *provider_name)
{
	struct registered_probe *p;

	cds_list_for_each_entry (p, &probes, node)
		if (strcmp(p->desc->provider_name, provider_name) == 0)
			return p;
	return NULL;
}

int rt_probes_for_each_event(int (*fn)(const struct ringtrace_event_desc *desc, void *arg),
                             void *arg)
{
	struct registered_probe *p;
	int r = 0;

	rt_ust_lock();
	cds_list_for_each_entry (p, &probes, node) {
		for (uint32_t i = 0; i < p->desc->nr_events && r == 0; i++)
			r = fn(p->desc->events[i], arg);
		if (r)
			break;
	}
	rt_ust_unlock();
	return r;
}

int rt_probes_for_each_event_newest_first(int (*fn)(const struct ringtrace_event_desc *desc,
                                                    void *arg),
                                          void *arg)
{
	struct registered_probe *p;
	int r = 0;

	rt_ust_lock();
	cds_list_for_each_entry_reverse (p, &probes, node) {
		for (uint32_t i = p->desc->nr_events; i > 0 && r == 0; i--)
			r = fn(p->desc->events[i - 1], arg);
		if (r)
			break;
	}
	rt_ust_unlock();
	return r;
}

const struct ringtrace_event_desc *rt_probes_find_event(const char *provider, const char *event)
{
	const struct ringtrace_event_desc *found = NULL;
	struct registered_probe *p;

	rt_ust_lock();
	p = probe_find(provider);
	for (uint32_t i = 0; p && i < p->desc->nr_events; i++) {
		if (strcmp(p->desc->events[i]->event_name, event) == 0) {
			found = p->desc->events[i];
			break;
		}
	}
	rt_ust_unlock();
	return found;
}

static bool event_desc_valid(const struct ringtrace_probe_desc *probe,
                             const struct ringtrace_event_desc *ev)
{
	return ev && ev->provider_name && ev->event_name && ev->runtime && !*ev->runtime &&
	       ev->probe_callback && ev->signature && (ev->fields || ev->nr_fields == 0) &&
	       strcmp(ev->provider_name, probe->provider_name) == 0 &&
	       strlen(ev->provider_name) + 1 + strlen(ev->event_name) < RINGTRACE_SYM_NAME_LEN;
}

static int probe_desc_validate(const struct ringtrace_probe_desc *desc)
{
	if (desc->abi_version != RINGTRACE_PROBE_ABI_VERSION) {
		log_error(
		    "tracepoint provider \"%s\" was built for probe ABI %u, this libringtrace-ust "
		    "has ABI %u: rebuild the provider; its events are not available",
		    desc->provider_name, desc->abi_version, RINGTRACE_PROBE_ABI_VERSION);
		return -EINVAL;
	}
	for (uint32_t i = 0; i < desc->nr_events; i++) {
		if (!event_desc_valid(desc, desc->events[i])) {
			log_error(
			    "tracepoint provider \"%s\": event #%u has a malformed descriptor; "
			    "provider not registered",
			    desc->provider_name, i);
			return -EINVAL;
		}
	}
	return 0;
}

static void registered_probe_free(struct registered_probe *reg)
{
	if (!reg)
		return;
	free(reg->runtimes);
	free(reg->old_probes);
	free(reg);
}

/*
 * Unpublishes the runtimes of the first n events of reg, then after a grace
 * period frees them with their recorders, and the call sites' old probe arrays.
 */
static void runtimes_release(struct registered_probe *reg, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		rcu_assign_pointer(*reg->desc->events[i]->runtime, NULL);
	synchronize_rcu();
	for (uint32_t i = 0; i < n; i++) {
		rt_ust_event_runtime_free(reg->runtimes[i]);
		free(reg->old_probes[i]);
		reg->runtimes[i] = NULL;
		reg->old_probes[i] = NULL;
	}
}

int ringtrace_probe_register(const struct ringtrace_probe_desc *desc)
{
	struct registered_probe *reg = NULL;
	uint32_t i, n;
	int r;

	if (!desc || !desc->provider_name || (!desc->events && desc->nr_events))
		return -EINVAL;
	rt_ust_lock();
	if (probe_find(desc->provider_name)) {
		log_warn("tracepoint provider \"%s\" is already registered (loaded twice, e.g. "
		         "linked into the program and preloaded): this copy is ignored",
		         desc->provider_name);
		r = -EEXIST;
		goto out;
	}
	r = probe_desc_validate(desc);
	if (r < 0)
		goto out;
	n = desc->nr_events;
	reg = calloc(1, sizeof(*reg));
	if (reg) {
		reg->desc = desc;
		reg->runtimes = calloc(n ? n : 1, sizeof(*reg->runtimes));
		reg->old_probes = calloc(n ? n : 1, sizeof(*reg->old_probes));
	}
	if (!reg || !reg->runtimes || !reg->old_probes) {
		r = -ENOMEM;
		goto out;
	}
	for (i = 0; i < n; i++) {
		reg->runtimes[i] = rt_ust_event_runtime_new(desc->events[i]);
		if (!reg->runtimes[i])
			break;
		rcu_assign_pointer(*desc->events[i]->runtime, reg->runtimes[i]);
	}
	if (i < n) {
		runtimes_release(reg, i);
		r = -ENOMEM;
		goto out;
	}
	cds_list_add_tail(&reg->node, &probes);
	for (i = 0; i < n; i++) {
		if (rt_tracepoint_probe_connect(desc->events[i]) < 0)
			log_warn(
			    "tracepoint %s:%s: out of memory, its call sites stay disconnected",
			    desc->provider_name, desc->events[i]->event_name);
	}
	if (listener_on_register)
		listener_on_register(desc);
	reg = NULL;
	r = 0;
out:
	rt_ust_unlock();
	registered_probe_free(reg);
	if (r == -ENOMEM)
		log_error("tracepoint provider \"%s\" not registered: out of memory",
		          desc->provider_name);
	return r;
}

void ringtrace_probe_unregister(const struct ringtrace_probe_desc *desc)
{
	struct registered_probe *reg;

	if (!desc || !desc->provider_name)
		return;
	rt_ust_lock();
	reg = probe_find(desc->provider_name);
	if (!reg || reg->desc != desc) {
		rt_ust_unlock();
		return;
	}
	if (listener_on_unregister)
		listener_on_unregister(desc);
	cds_list_del(&reg->node);
	for (uint32_t i = 0; i < desc->nr_events; i++)
		reg->old_probes[i] = rt_tracepoint_probe_disconnect(desc->events[i]);
	runtimes_release(reg, desc->nr_events);
	rt_ust_unlock();
	registered_probe_free(reg);
}

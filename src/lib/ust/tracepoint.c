/* SPDX-License-Identifier: MIT */
/*
 * Call sites: every instrumented module hands its array of struct
 * ringtrace_tracepoint pointers to ringtrace_tracepoint_module_register()
 * from a constructor (<ringtrace/tracepoint.h>). Call sites are matched to
 * registered events by name, "provider:event", in a table of names whose
 * entries exist as long as a call site or an event of that name does; a
 * call site whose signature (the text of its argument list) differs from
 * the event's is left disconnected, as a probe would read its arguments
 * wrongly.
 *
 * Publication to the fast path (readers hold the RCU read lock of
 * ringtrace_tracepoint_read_lock()):
 * - connect: site->probes is published (rcu_assign_pointer) before
 *   site->state may be set;
 * - site->state follows the event's recorders (rt_tracepoint_sync_event);
 *   it is a hint: a reader that saw it set finds an empty recorder list at
 *   worst;
 * - disconnect: state cleared, probes set to NULL; the caller frees the old
 *   probe array after a grace period.
 * Everything else is under rt_ust_lock().
 */
/*
 * liburcu-bp's read lock and unlock are inlined (the fast path takes them for
 * every recorded event), except under UBSan: liburcu-bp does not allocate its
 * reader structs with the cache-line alignment their type declares, and the
 * inlined code, unlike the library's, is instrumented and reports it.
 */
#ifndef RT_UST_NO_INLINE_RCU
#define _LGPL_SOURCE
#endif
#include <ringtrace/tracepoint.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <urcu-bp.h>
#include <urcu/hlist.h>
#include <urcu/list.h>

#ifndef RT_UST_NO_INLINE_RCU
/*
 * liburcu-bp comes with this library (DT_NEEDED), so its thread-local reader
 * pointer sits in the static TLS block, also when the library is dlopen()ed
 * (from the surplus glibc keeps for that): the initial-exec model spares the
 * read lock and unlock of every recorded event a __tls_get_addr() call.
 */
extern DECLARE_URCU_TLS(struct urcu_bp_reader *, urcu_bp_reader)
    __attribute__((tls_model("initial-exec")));
#endif

#include "common/log.h"
#include "lib/ust/probes.h"
#include "lib/ust/ust-objects.h"

#define NAME_TABLE_BITS 10
#define NAME_TABLE_SIZE (1u << NAME_TABLE_BITS)

struct tp_name {
	struct cds_hlist_node node;
	const struct ringtrace_event_desc *desc;   /* the registered event, or NULL */
	struct ringtrace_tracepoint_probe *probes; /* what connected sites point to */
	int state;
	struct ringtrace_tracepoint **sites;
	size_t nr_sites;
	size_t alloc_sites;
	char name[];
};

struct tp_module {
	struct ringtrace_tracepoint *const *start;
	int count;
	struct cds_list_head node; /* in modules */
};

static struct cds_hlist_head name_table[NAME_TABLE_SIZE];
static CDS_LIST_HEAD(modules);

void ringtrace_tracepoint_read_lock(void)
{
	rcu_read_lock();
}

void ringtrace_tracepoint_read_unlock(void)
{
	rcu_read_unlock();
}

/* FNV-1a */
static uint32_t name_hash(const char *name)
{
	uint32_t h = 2166136261u;

	for (; *name; name++)
		h = (h ^ (uint8_t)*name) * 16777619u;
	return h;
}

static struct tp_name *name_find(const char *name, bool create)
{
	struct cds_hlist_head *bucket = &name_table[name_hash(name) & (NAME_TABLE_SIZE - 1)];
	struct tp_name *e;
	size_t len;

	cds_hlist_for_each_entry_2(e, bucket, node) if (strcmp(e->name, name) == 0) return e;
	if (!create)
		return NULL;
	len = strlen(name) + 1;
	e = calloc(1, sizeof(*e) + len);
	if (!e)
		return NULL;
	memcpy(e->name, name, len);
	cds_hlist_add_head(&e->node, bucket);
	return e;
}

static void name_put(struct tp_name *e)
{
	if (e->desc || e->nr_sites)
		return;
	cds_hlist_del(&e->node);
	free(e->sites);
	free(e);
}

static int event_full_name(const struct ringtrace_event_desc *desc, char *buf, size_t size)
{
	int n = snprintf(buf, size, "%s:%s", desc->provider_name, desc->event_name);

	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

static void site_connect(const struct tp_name *e, struct ringtrace_tracepoint *site)
{
	if (strcmp(site->signature, e->desc->signature) != 0) {
		log_warn("tracepoint %s: call site arguments (%s) differ from the provider's (%s): "
		         "this call site is not connected; rebuild it with the provider's header",
		         e->name, site->signature, e->desc->signature);
		return;
	}
	rcu_assign_pointer(site->probes, e->probes);
	__atomic_store_n(&site->state, e->state, __ATOMIC_RELEASE);
}

static void site_disconnect(struct ringtrace_tracepoint *site)
{
	__atomic_store_n(&site->state, 0, __ATOMIC_RELAXED);
	rcu_assign_pointer(site->probes, NULL);
}

static int site_add(struct tp_name *e, struct ringtrace_tracepoint *site)
{
	if (e->nr_sites == e->alloc_sites) {
		size_t n = e->alloc_sites ? 2 * e->alloc_sites : 4;
		struct ringtrace_tracepoint **sites = realloc(e->sites, n * sizeof(*sites));

		if (!sites)
			return -ENOMEM;
		e->sites = sites;
		e->alloc_sites = n;
	}
	e->sites[e->nr_sites++] = site;
	if (e->desc)
		site_connect(e, site);
	return 0;
}

static void site_remove(struct tp_name *e, const struct ringtrace_tracepoint *site)
{
	for (size_t i = 0; i < e->nr_sites; i++) {
		if (e->sites[i] == site) {
			e->sites[i] = e->sites[--e->nr_sites];
			return;
		}
	}
}

/* Sites of modules built against an older, smaller struct are not supported. */
static bool site_usable(const struct ringtrace_tracepoint *site)
{
	return site && site->struct_size >= sizeof(struct ringtrace_tracepoint) && site->name &&
	       site->signature;
}

int ringtrace_tracepoint_module_register(struct ringtrace_tracepoint *const *start, int count)
{
	struct tp_module *mod;

	if (!start || count < 0)
		return -EINVAL;
	mod = calloc(1, sizeof(*mod));
	if (!mod)
		return -ENOMEM;
	mod->start = start;
	mod->count = count;
	rt_ust_lock();
	cds_list_add_tail(&mod->node, &modules);
	for (int i = 0; i < count; i++) {
		struct ringtrace_tracepoint *site = start[i];
		struct tp_name *e;

		if (!site_usable(site))
			continue;
		e = name_find(site->name, true);
		if (!e || site_add(e, site) < 0) {
			log_warn("tracepoint %s: out of memory, this call site stays disabled",
			         site->name);
			if (e)
				name_put(e);
		}
	}
	rt_ust_unlock();
	return 0;
}

int ringtrace_tracepoint_module_unregister(struct ringtrace_tracepoint *const *start)
{
	struct tp_module *mod, *tmp;
	int r = -ENOENT;

	rt_ust_lock();
	cds_list_for_each_entry_safe(mod, tmp, &modules, node)
	{
		if (mod->start != start)
			continue;
		for (int i = 0; i < mod->count; i++) {
			struct ringtrace_tracepoint *site = start[i];
			struct tp_name *e;

			if (!site_usable(site))
				continue;
			e = name_find(site->name, false);
			if (!e)
				continue;
			site_remove(e, site);
			site_disconnect(site);
			name_put(e);
		}
		cds_list_del(&mod->node);
		free(mod);
		r = 0;
		break;
	}
	rt_ust_unlock();
	return r;
}

int rt_tracepoint_probe_connect(const struct ringtrace_event_desc *desc)
{
	char name[RINGTRACE_SYM_NAME_LEN];
	struct tp_name *e;
	int r = 0;

	if (event_full_name(desc, name, sizeof(name)) < 0)
		return -ENAMETOOLONG;
	rt_ust_lock();
	e = name_find(name, true);
	if (!e) {
		r = -ENOMEM;
		goto out;
	}
	if (e->desc) {
		r = -EEXIST;
		goto out;
	}
	e->probes = calloc(2, sizeof(*e->probes));
	if (!e->probes) {
		name_put(e);
		r = -ENOMEM;
		goto out;
	}
	e->probes[0].func = desc->probe_callback;
	e->probes[0].data = (void *)desc;
	e->desc = desc;
	e->state = 0;
	for (size_t i = 0; i < e->nr_sites; i++)
		site_connect(e, e->sites[i]);
out:
	rt_ust_unlock();
	return r;
}

struct ringtrace_tracepoint_probe *
rt_tracepoint_probe_disconnect(const struct ringtrace_event_desc *desc)
{
	struct ringtrace_tracepoint_probe *old = NULL;
	char name[RINGTRACE_SYM_NAME_LEN];
	struct tp_name *e;

	if (event_full_name(desc, name, sizeof(name)) < 0)
		return NULL;
	rt_ust_lock();
	e = name_find(name, false);
	if (e && e->desc == desc) {
		for (size_t i = 0; i < e->nr_sites; i++)
			site_disconnect(e->sites[i]);
		old = e->probes;
		e->probes = NULL;
		e->desc = NULL;
		e->state = 0;
		name_put(e);
	}
	rt_ust_unlock();
	return old;
}

static bool event_has_enabled_recorder(const struct ringtrace_event_desc *desc)
{
	const struct ringtrace_event_runtime *rt = *desc->runtime;
	const struct rt_ust_recorder *r;

	if (!rt)
		return false;
	cds_list_for_each_entry(r, &rt->recorders,
	                        node) if (CMM_LOAD_SHARED(r->enabled)) return true;
	return false;
}

void rt_tracepoint_sync_event(const struct ringtrace_event_desc *desc)
{
	char name[RINGTRACE_SYM_NAME_LEN];
	struct tp_name *e;

	if (event_full_name(desc, name, sizeof(name)) < 0)
		return;
	rt_ust_lock();
	e = name_find(name, false);
	if (e && e->desc == desc) {
		e->state = event_has_enabled_recorder(desc);
		for (size_t i = 0; i < e->nr_sites; i++) {
			struct ringtrace_tracepoint *site = e->sites[i];

			if (site->probes == e->probes)
				__atomic_store_n(&site->state, e->state, __ATOMIC_RELEASE);
		}
	}
	rt_ust_unlock();
}

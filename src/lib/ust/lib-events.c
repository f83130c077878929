/* SPDX-License-Identifier: MIT */
/*
 * lttng_ust_lib:load/build_id/debug_link/unload (tp-lib.h): after each
 * dlopen()/dlclose() of the program, libringtrace-ust-dl.so calls
 * ringtrace_ust_dl_update(), which compares the loaded objects with those
 * it knew (same base address and path) and records a load for each new one
 * (its ELF facts read then, once) and an unload for each one gone, as
 * lttng-ust's own mark-and-sweep does. The first call only learns what is
 * loaded: libringtrace-ust-dl.so makes it from its constructor, so a
 * program that does not preload it never pays for the listing.
 *
 * Called from the program's threads (a constructor's dlopen too, the
 * loader's lock then held: dl_iterate_phdr takes another lock of the
 * loader's): the listing lock (loaded-objects.h) serializes the calls, so
 * that each compares a listing with the one before, and keeps a fork from
 * copying it held.
 */
#include "lib/ust/lib-events.h"

#include <stdbool.h>
#include <string.h>

#include "lib/ust/comm-conn.h"
#include "lib/ust/loaded-objects.h"
#include "lib/ust/statedump.h"

#define RINGTRACE_TRACEPOINT_CREATE_PROBES
#define RINGTRACE_TRACEPOINT_DEFINE
#define RINGTRACE_TRACEPOINT_HIDDEN_DEFINITION
#define RINGTRACE_TRACEPOINT_PROVIDER_HIDDEN_DEFINITION
#define RINGTRACE_TP_IP_PARAM         ip
#define RINGTRACE_TRACEPOINT_PROVIDER lttng_ust_lib
#define RINGTRACE_TRACEPOINT_INCLUDE  "lib/ust/tp-lib.h"
#include "lib/ust/tp-lib.h"
#include <ringtrace/tracepoint-event.h>

static struct rt_loaded_objects known; /* [listing lock] */
static bool known_listed;              /* [listing lock] the first listing was made */

static bool same_object(const struct rt_loaded_object *a, const struct rt_loaded_object *b)
{
	return a->baddr == b->baddr && strcmp(a->path, b->path) == 0;
}

static bool listed_in(const struct rt_loaded_objects *list, const struct rt_loaded_object *obj)
{
	for (size_t i = 0; i < list->count; i++)
		if (same_object(&list->objects[i], obj))
			return true;
	return false;
}

static void record_load(const void *ip, const struct rt_loaded_object *obj)
{
	const struct rt_elf_info *elf = &obj->elf;

	ringtrace_tracepoint(lttng_ust_lib, load, ip, obj->baddr, obj->path, elf->memsz,
	                     elf->build_id != NULL, elf->debug_link != NULL);
	if (elf->build_id)
		ringtrace_tracepoint(lttng_ust_lib, build_id, ip, obj->baddr, elf->build_id,
		                     elf->build_id_len);
	if (elf->debug_link)
		ringtrace_tracepoint(lttng_ust_lib, debug_link, ip, obj->baddr, elf->debug_link,
		                     elf->debug_link_crc);
}

/* Objects of known no longer loaded: recorded as unloaded, forgotten. */
static void sweep_unloaded(const void *ip, const struct rt_loaded_objects *now)
{
	for (size_t i = 0; i < known.count;) {
		if (listed_in(now, &known.objects[i])) {
			i++;
			continue;
		}
		ringtrace_tracepoint(lttng_ust_lib, unload, ip, known.objects[i].baddr);
		rt_loaded_object_clear(&known.objects[i]);
		rt_loaded_objects_remove(&known, i);
	}
}

/* Objects of now not known yet: recorded as loaded (when listed before), moved to known. */
static void add_loaded(const void *ip, struct rt_loaded_objects *now)
{
	for (size_t i = 0; i < now->count; i++) {
		struct rt_loaded_object *obj = &now->objects[i];

		if (listed_in(&known, obj) || rt_loaded_object_read_elf(obj) < 0)
			continue;
		if (rt_loaded_objects_append(&known, obj) < 0) {
			rt_comm_debug("lib events: out of memory, %s not followed", obj->path);
			continue;
		}
		if (known_listed)
			record_load(ip, &known.objects[known.count - 1]);
	}
}

void ringtrace_ust_dl_update(const void *ip)
{
	struct rt_loaded_objects now = {0};

	if (!rt_statedump_baddr_enabled())
		return;
	rt_loaded_objects_lock();
	if (rt_loaded_objects_list(&now) < 0) {
		rt_comm_debug("lib events: cannot list the loaded objects: out of memory");
	} else {
		sweep_unloaded(ip, &now);
		add_loaded(ip, &now);
		known_listed = true;
	}
	rt_loaded_objects_unlock();
	rt_loaded_objects_clear(&now);
}

/* SPDX-License-Identifier: MIT */
/*
 * State dumps (statedump.h) and the lttng_ust_statedump provider.
 *
 * A dump goes in three steps, all on the listener thread of the target:
 *  1. under rt_ust_lock: take the target's pending sessions, keep those that
 *     record a statedump event (nothing more is done for the others: a
 *     session without statedump events costs a list walk), record start and
 *     procname into them;
 *  2. without rt_ust_lock: list the loaded objects and read their ELF facts
 *     (loaded-objects.h: the loader's lock is never taken inside
 *     rt_ust_lock);
 *  3. under rt_ust_lock: record the objects and end into each kept session.
 * As with lttng-ust, start and end thus enclose the whole work of a dump.
 * Sessions cannot go away between 1 and 3: only this thread applies the
 * commands of the target, and it applies none meanwhile.
 */
#include "lib/ust/statedump.h"

#include <stdint.h>
#include <stdlib.h>
#include <urcu/list.h>
#include <urcu/system.h>

#include "common/macros.h"
#include "lib/ust/comm-conn.h"
#include "lib/ust/loaded-objects.h"
#include "lib/ust/record.h"

/*
 * The probes generated below record into the session passed to them only
 * (lttng-ust's session check): their reserve and commit calls are the
 * per-session ones of record.h. `session` names the probe's first
 * parameter, which every event of the provider has.
 */
#include <ringtrace/tp-record.h>
#define ringtrace_record_reserve(desc, len, rec)                                                   \
	rt_ust_record_reserve_in_session(desc, session, len, rec)
#define ringtrace_record_commit_next(len, rec)                                                     \
	rt_ust_record_commit_next_in_session(session, len, rec)
#define ringtrace_record_select(desc, rec) rt_ust_record_select_in_session(desc, session, rec)
#define ringtrace_record_reserve_selected(len, rec)                                                \
	rt_ust_record_reserve_selected_in_session(session, len, rec)

#define RINGTRACE_TRACEPOINT_CREATE_PROBES
#define RINGTRACE_TRACEPOINT_DEFINE
#define RINGTRACE_TRACEPOINT_HIDDEN_DEFINITION
#define RINGTRACE_TRACEPOINT_PROVIDER_HIDDEN_DEFINITION
#define RINGTRACE_TRACEPOINT_PROVIDER lttng_ust_statedump
#define RINGTRACE_TRACEPOINT_INCLUDE  "lib/ust/tp-statedump.h"
#include "lib/ust/tp-statedump.h"
#include <ringtrace/tracepoint-event.h>

STATIC_ASSERT(RT_STATEDUMP_PROCNAME_LEN == UST_PROCNAME_LEN + 1,
              "the procname event records the registration name and its NUL");

static bool without_procname; /* set by the constructor, before any listener thread */
static bool without_baddr;

/* Whether the session records some statedump event (rt_ust_lock held). */
static bool session_records_statedump(const struct rt_ust_session *session)
{
	const struct ringtrace_probe_desc *provider = &ringtrace__probe_desc___lttng_ust_statedump;

	if (!CMM_LOAD_SHARED(session->active))
		return false;
	for (uint32_t i = 0; i < provider->nr_events; i++) {
		const struct ringtrace_event_runtime *rt = *provider->events[i]->runtime;
		const struct rt_ust_recorder *r;

		if (!rt)
			continue;
		cds_list_for_each_entry (r, &rt->recorders, node) {
			if (r->enabled && r->chan->enabled && r->chan->session == session)
				return true;
		}
	}
	return false;
}

static void dump_objects(const struct rt_ust_session *session, const struct rt_loaded_objects *list)
{
	for (size_t i = 0; i < list->count; i++) {
		const struct rt_loaded_object *obj = &list->objects[i];
		const struct rt_elf_info *elf = &obj->elf;

		ringtrace_tracepoint(lttng_ust_statedump, bin_info, session, obj->baddr, obj->path,
		                     elf->memsz, elf->is_pic, elf->build_id != NULL,
		                     elf->debug_link != NULL);
		if (elf->build_id)
			ringtrace_tracepoint(lttng_ust_statedump, build_id, session, obj->baddr,
			                     elf->build_id, elf->build_id_len);
		if (elf->debug_link)
			ringtrace_tracepoint(lttng_ust_statedump, debug_link, session, obj->baddr,
			                     elf->debug_link, elf->debug_link_crc);
	}
}

/* The start of one dump into one session (rt_ust_lock held). */
static void dump_start(const struct rt_ust_session *session, const char *procname)
{
	ringtrace_tracepoint(lttng_ust_statedump, start, session);
	if (!without_procname)
		ringtrace_tracepoint(lttng_ust_statedump, procname, session, procname);
}

/* The rest of it (rt_ust_lock held). */
static void dump_end(const struct rt_ust_session *session, const struct rt_loaded_objects *list)
{
	dump_objects(session, list);
	ringtrace_tracepoint(lttng_ust_statedump, end, session);
}

/* Step 1: the sessions to dump, their pending flags cleared. */
static size_t take_pending(struct rt_comm_target *target, struct rt_comm_session ***ret_sessions)
{
	struct rt_comm_session *session, **sessions = NULL;
	size_t count = 0, capacity = 0;

	cds_list_for_each_entry (session, &target->sessions, node) {
		if (!session->statedump_pending)
			continue;
		session->statedump_pending = false;
		if (!session_records_statedump(session->obj))
			continue;
		if (count == capacity) {
			size_t more = capacity ? capacity * 2 : 4;
			struct rt_comm_session **p = reallocarray(sessions, more, sizeof(*p));

			if (!p) {
				rt_comm_debug("statedump: out of memory, %s sessions not dumped",
				              target->label);
				break;
			}
			sessions = p;
			capacity = more;
		}
		sessions[count++] = session;
	}
	*ret_sessions = sessions;
	return count;
}

void rt_statedump_run_pending(struct rt_comm_target *target)
{
	_cleanup_free_ struct rt_comm_session **sessions = NULL;
	struct rt_loaded_objects list = {0};
	char procname[UST_PROCNAME_LEN + 1];
	size_t count = 0;

	rt_comm_get_procname(procname);
	rt_comm_listener_lock();
	if (target->registration_done)
		count = take_pending(target, &sessions);
	for (size_t i = 0; i < count; i++)
		dump_start(sessions[i]->obj, procname);
	rt_ust_unlock();
	if (count == 0)
		return;
	if (!without_baddr) {
		rt_loaded_objects_lock();
		if (rt_loaded_objects_list(&list) < 0)
			rt_comm_debug("statedump: cannot list the loaded objects: out of memory");
		rt_loaded_objects_unlock();
		rt_loaded_objects_read_elf(&list);
	}
	rt_comm_listener_lock();
	for (size_t i = 0; i < count; i++)
		dump_end(sessions[i]->obj, &list);
	rt_ust_unlock();
	rt_loaded_objects_clear(&list);
}

bool rt_statedump_baddr_enabled(void)
{
	return !without_baddr;
}

/* --- set-up --- */

static bool env_set(const char *lttng_name, const char *our_name)
{
	return getenv(lttng_name) || getenv(our_name);
}

/*
 * Before the listener threads start: libringtrace-ust's objects are linked
 * with this one ahead of listener.c (src/lib/ust/meson.build), so that its
 * constructors, this one and the provider's registration, run first.
 */
__attribute__((constructor)) static void statedump_init(void)
{
	without_procname =
	    env_set("LTTNG_UST_WITHOUT_PROCNAME_STATEDUMP", "RINGTRACE_WITHOUT_PROCNAME_STATEDUMP");
	without_baddr =
	    env_set("LTTNG_UST_WITHOUT_BADDR_STATEDUMP", "RINGTRACE_WITHOUT_BADDR_STATEDUMP");
}

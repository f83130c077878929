/* SPDX-License-Identifier: MIT */
/*
 * The tracer objects one daemon connection created: our per-connection
 * references (handles are only unique per connection), on top of the
 * tracer's objects and their RCU-safe life cycle (record.h). Enablers are
 * ours alone and never read by the fast path.
 *
 * Tear-down order: make the objects inert first (session inactive, channel
 * disabled), so no new record starts while the rest is dismantled; then
 * rt_ust_channel_destroy() unlinks the channel's recorders, waits for a
 * grace period and only then unmaps the streams and frees the memory.
 */
#include "comm-conn.h"
#include "lib/ust/probes.h"
#include "lib/ust/record.h"

#include <errno.h>
#include <stdlib.h>
#include <urcu/arch.h>

void rt_comm_target_init_lists(struct rt_comm_target *target)
{
	CDS_INIT_LIST_HEAD(&target->sessions);
	CDS_INIT_LIST_HEAD(&target->channels);
	CDS_INIT_LIST_HEAD(&target->enablers);
}

struct rt_comm_session *rt_comm_find_session(const struct rt_comm_target *target, uint32_t handle)
{
	struct rt_comm_session *session;

	cds_list_for_each_entry (session, &target->sessions, node) {
		if (session->obj->handle == handle)
			return session;
	}
	return NULL;
}

struct rt_comm_channel *rt_comm_find_channel(const struct rt_comm_target *target, uint32_t handle)
{
	struct rt_comm_channel *chan;

	cds_list_for_each_entry (chan, &target->channels, node) {
		if (chan->obj->handle == handle)
			return chan;
	}
	return NULL;
}

struct rt_ust_enabler *rt_comm_find_enabler(const struct rt_comm_target *target, uint32_t handle)
{
	struct rt_ust_enabler *enabler;

	cds_list_for_each_entry (enabler, &target->enablers, node) {
		if (enabler->handle == handle)
			return enabler;
	}
	return NULL;
}

bool rt_comm_handle_in_use(const struct rt_comm_target *target, uint32_t handle)
{
	return rt_comm_find_session(target, handle) || rt_comm_find_channel(target, handle) ||
	       rt_comm_find_enabler(target, handle);
}

int rt_comm_add_session(struct rt_comm_target *target, uint32_t handle)
{
	struct rt_comm_session *session;
	int r;

	if (rt_comm_handle_in_use(target, handle))
		return -EEXIST;
	session = calloc(1, sizeof(*session));
	if (!session)
		return -ENOMEM;
	r = rt_ust_session_create(handle, &session->obj);
	if (r < 0) {
		free(session);
		return r;
	}
	cds_list_add_tail(&session->node, &target->sessions);
	return 0;
}

int rt_comm_add_channel(struct rt_comm_target *target, struct rt_comm_session *session,
                        uint32_t handle, uint32_t stream_id, uint32_t nr_streams)
{
	struct rt_comm_channel *chan;
	int r;

	if (rt_comm_handle_in_use(target, handle))
		return -EEXIST;
	chan = calloc(1, sizeof(*chan));
	if (!chan)
		return -ENOMEM;
	r = rt_ust_channel_create(session->obj, handle, stream_id, nr_streams, &chan->obj);
	if (r < 0) {
		free(chan);
		return r;
	}
	chan->session = session;
	/* A channel records as soon as its session is active, until disabled. */
	rt_comm_set_channel_enabled(chan, true);
	cds_list_add_tail(&chan->node, &target->channels);
	return 0;
}

void rt_comm_set_session_active(struct rt_comm_session *session, bool active)
{
	cmm_smp_wmb(); /* orders every earlier object update before the flag */
	rt_ust_session_set_active(session->obj, active);
}

void rt_comm_set_channel_enabled(struct rt_comm_channel *chan, bool enabled)
{
	cmm_smp_wmb();
	rt_ust_channel_set_enabled(chan->obj, enabled);
}

void rt_comm_release_channel(struct rt_comm_target *target, struct rt_comm_channel *chan)
{
	struct rt_ust_enabler *enabler, *tmp;

	rt_comm_set_channel_enabled(chan, false);
	cds_list_for_each_entry_safe (enabler, tmp, &target->enablers, node) {
		if (enabler->chan != chan->obj)
			continue;
		cds_list_del(&enabler->node);
		rt_enabler_free(enabler);
	}
	cds_list_del(&chan->node);
	rt_ust_channel_destroy(chan->obj);
	free(chan);
}

void rt_comm_release_session(struct rt_comm_target *target, struct rt_comm_session *session)
{
	struct rt_comm_channel *chan, *tmp;

	rt_comm_set_session_active(session, false);
	cds_list_for_each_entry_safe (chan, tmp, &target->channels, node) {
		if (chan->session == session)
			rt_comm_release_channel(target, chan);
	}
	cds_list_del(&session->node);
	rt_ust_session_destroy(session->obj);
	free(session);
}

void rt_comm_release_enabler(struct rt_comm_target *target, struct rt_ust_enabler *enabler)
{
	cds_list_del(&enabler->node);
	rt_enabler_free(enabler);
	/*
	 * Recorders it alone covered are disabled, not removed: sessiond keeps
	 * their event ids, and a later matching rule enables them again.
	 */
	(void)rt_comm_sync_target(target);
}

void rt_comm_release_all(struct rt_comm_target *target)
{
	struct rt_comm_session *session, *stmp;
	struct rt_ust_enabler *enabler, *etmp;

	/* Stop recording everywhere before dismantling anything. */
	cds_list_for_each_entry (session, &target->sessions, node) {
		rt_comm_set_session_active(session, false);
	}
	cds_list_for_each_entry_safe (session, stmp, &target->sessions, node) {
		rt_comm_release_session(target, session);
	}
	/* Every channel belongs to a session, every enabler to a channel: both lists are empty. */
	cds_list_for_each_entry_safe (enabler, etmp, &target->enablers, node) {
		cds_list_del(&enabler->node);
		rt_enabler_free(enabler);
	}
}

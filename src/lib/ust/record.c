/* SPDX-License-Identifier: MIT */
/*
 * The record path and the session/channel/recorder objects (record.h).
 *
 * Readers (probes, under the call site's RCU read lock) follow
 * *desc->runtime -> recorder list -> recorder -> channel -> session and
 * channel->streams[cpu]. Writers hold rt_ust_lock(); they publish with
 * rcu_assign_pointer()/cds_list_add_rcu() and free only after a grace
 * period once nothing published points to the object any more. The flags
 * (recorder, channel, session) are plain loads and stores: turning one off
 * may let records already reserved complete.
 */
#define _LGPL_SOURCE
#include "lib/ust/record.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <urcu-bp.h>
#include <urcu/list.h>
#include <urcu/rculist.h>

#include "common/comm/ust-msg.h"
#include "common/macros.h"
#include "ctf/packet.h"
#include "lib/ust/app-context.h"
#include "lib/ust/context.h"
#include "lib/ust/cpu.h"
#include "lib/ust/perf-counter.h"
#include "lib/ust/probes.h"
#include "lib/ust/recorder-filter.h"
#include "ringbuffer/ringbuffer.h"

/* What the library keeps in struct ringtrace_record between reserve and commit. */
struct record_private {
	struct rb_reserve_ctx rb;
	const struct cds_list_head *head; /* the event's recorder list */
};

STATIC_ASSERT(UST_MAX_CONTEXTS *RT_UST_CONTEXT_PROCNAME_LEN <= RT_UST_MAX_CONTEXT_LEN &&
                  RT_UST_PERF_CONTEXT_LEN <= RT_UST_CONTEXT_PROCNAME_LEN,
              "the event context of a channel fits RT_UST_MAX_CONTEXT_LEN");
STATIC_ASSERT(RT_UST_MAX_CONTEXT_LEN < RT_UST_CONTEXTS_LEN_VARIES,
              "no fixed event context takes the length that means \"varies\"");
STATIC_ASSERT(sizeof(struct record_private) <= sizeof(((struct ringtrace_record *)0)->reserved),
              "struct ringtrace_record has no room for the reservation");

/* A recorder and the event it records (struct rt_ust_recorder has no room for it). */
struct recorder {
	struct rt_ust_recorder pub;
	const struct ringtrace_event_desc *desc;
	/* Once unlinked: readers may still follow pub.node until a grace period. */
	struct cds_list_head unlinked;
};

static CDS_LIST_HEAD(sessions);
static CDS_LIST_HEAD(channels);

static inline struct record_private *record_private(struct ringtrace_record *rec)
{
	return (struct record_private *)rec->reserved;
}

static inline struct rb_stream *channel_stream(const struct rt_ust_channel *chan)
{
	uint32_t n = chan->nr_streams;
	int cpu = rt_ust_current_cpu();
	uint32_t i = cpu < 0 ? 0 : (uint32_t)cpu;
	struct rb_stream *stream;

	if (unlikely(n == 0))
		return NULL;
	if (likely(i < n)) {
		stream = rcu_dereference(chan->streams[i]);
		if (likely(stream))
			return stream;
	}
	return rcu_dereference(chan->streams[i % n]);
}

/* The recorder's own, its channel's and its session's flags. */
static inline bool recorder_is_on(const struct rt_ust_recorder *r)
{
	const struct rt_ust_channel *chan = r->chan;

	return CMM_LOAD_SHARED(r->enabled) && CMM_LOAD_SHARED(chan->enabled) &&
	       CMM_LOAD_SHARED(chan->session->active);
}

/*
 * The record path of a channel with application contexts, out of line so
 * that other channels do not pay for it: each provider is loaded once, so
 * that the size reserved and the bytes written come from the same one
 * (see app-context.h), then the record is reserved and its contexts are
 * written as the channel lists them. false when nothing was reserved.
 */
static bool reserve_with_app_contexts(const struct rt_ust_channel *chan, struct rb_stream *stream,
                                      uint32_t event_id, size_t payload_len,
                                      struct ringtrace_record *rec)
{
	const struct ringtrace_context_provider *providers[UST_MAX_CONTEXTS];
	uint64_t sizes[UST_MAX_CONTEXTS];
	struct record_private *priv = record_private(rec);
	uint64_t ctx_len = 0;
	uint32_t header_len;
	char *p;

	for (uint32_t i = 0; i < chan->nr_contexts; i++) {
		const struct rt_ust_channel_context *c = &chan->contexts[i];

		if (c->app) {
			providers[i] = rt_ust_app_context_provider(c->app);
			sizes[i] = rt_ust_app_context_size(c->app, providers[i], rec->ip, ctx_len);
		} else {
			sizes[i] = c->builtin ? c->builtin->size_bytes : RT_UST_PERF_CONTEXT_LEN;
		}
		ctx_len += sizes[i];
		if (ctx_len > UINT32_MAX - payload_len)
			return false;
	}
	if (rb_reserve(stream, (uint32_t)(payload_len + ctx_len),
	               ctf_event_id_needs_extended(event_id), &priv->rb) < 0)
		return false;
	header_len = ctf_event_header_write(priv->rb.record, event_id, priv->rb.timestamp,
	                                    priv->rb.long_header);
	p = (char *)priv->rb.record + header_len;
	for (uint32_t i = 0; i < chan->nr_contexts; i++) {
		const struct rt_ust_channel_context *c = &chan->contexts[i];

		if (c->app)
			rt_ust_app_context_write(c->app, providers[i], rec->ip, p, sizes[i]);
		else
			rt_ust_contexts_write(c, 1, p, rec->ip);
		p += sizes[i];
	}
	rec->payload = p;
	return true;
}

static int record_reserve_app(const struct cds_list_head *pos, const struct rt_ust_session *only,
                              struct rb_stream *stream, size_t payload_len,
                              struct ringtrace_record *rec);

/*
 * Reserves in the first recorder from pos on that is on and whose filters
 * accept (and, when only is set, whose channel belongs to that session);
 * accepted (or NULL) is one that a selection found accepting already, whose
 * filters are not run again. The list is the event's, read under the
 * caller's RCU read lock. The fast path passes a constant NULL only:
 * inlined, the session test disappears from it.
 */
static inline int record_reserve_from(const struct cds_list_head *pos,
                                      const struct rt_ust_session *only,
                                      const struct cds_list_head *accepted, size_t payload_len,
                                      struct ringtrace_record *rec)
{
	struct record_private *priv = record_private(rec);

	for (; pos != priv->head; pos = rcu_dereference(pos->next)) {
		const struct rt_ust_recorder *r =
		    caa_container_of(pos, struct rt_ust_recorder, node);
		const struct rt_ust_channel *chan = r->chan;
		struct rb_stream *stream;
		uint32_t header_len, contexts_len;

		const struct rt_ust_filter_set *filters;

		if (!recorder_is_on(r))
			continue;
		if (only && chan->session != only)
			continue;
		filters = rcu_dereference(r->filters);
		if (unlikely(filters) && pos != accepted &&
		    !rt_ust_filter_set_accepts(filters, rec->filter_values))
			continue;
		stream = channel_stream(chan);
		if (unlikely(!stream))
			continue;
		contexts_len = chan->contexts_len;
		if (unlikely(contexts_len == RT_UST_CONTEXTS_LEN_VARIES))
			return record_reserve_app(pos, only, stream, payload_len, rec);
		if (rb_reserve(stream, (uint32_t)payload_len + contexts_len,
		               ctf_event_id_needs_extended(r->event_id), &priv->rb) < 0)
			continue;
		header_len = ctf_event_header_write(priv->rb.record, r->event_id,
		                                    priv->rb.timestamp, priv->rb.long_header);
		rec->payload = (char *)priv->rb.record + header_len;
		if (unlikely(chan->nr_contexts))
			rec->payload = rt_ust_contexts_write(chan->contexts, chan->nr_contexts,
			                                     rec->payload, rec->ip);
		rec->cursor = pos;
		return 1;
	}
	return 0;
}

/*
 * The recorder at pos is on and its channel has application contexts:
 * reserves there, or goes on with the next recorders.
 */
static __attribute__((noinline)) int
record_reserve_app(const struct cds_list_head *pos, const struct rt_ust_session *only,
                   struct rb_stream *stream, size_t payload_len, struct ringtrace_record *rec)
{
	const struct rt_ust_recorder *r = caa_container_of(pos, struct rt_ust_recorder, node);

	if (reserve_with_app_contexts(r->chan, stream, r->event_id, payload_len, rec)) {
		rec->cursor = pos;
		return 1;
	}
	return record_reserve_from(rcu_dereference(pos->next), only, NULL, payload_len, rec);
}

/*
 * The two calls of every event. flatten: the whole path, ring-buffer fast
 * path included, is inlined into each, leaving only the ring buffer's slow
 * paths as calls.
 */
__attribute__((flatten)) int ringtrace_record_reserve(const struct ringtrace_event_desc *desc,
                                                      size_t payload_len,
                                                      struct ringtrace_record *rec)
{
	struct ringtrace_event_runtime *rt = rcu_dereference(*desc->runtime);

	/* Room left for the event context (RT_UST_MAX_CONTEXT_LEN) in a 32-bit record length. */
	if (unlikely(!rt || payload_len > UINT32_MAX - RT_UST_MAX_CONTEXT_LEN))
		return 0;
	record_private(rec)->head = &rt->recorders;
	return record_reserve_from(rcu_dereference(rt->recorders.next), NULL, NULL, payload_len,
	                           rec);
}

/*
 * Filtered events (tp-record.h). Selecting walks the recorders from pos on
 * for the first that is on and whose filters accept; the entry point
 * evaluates in place the filter sets whose clause graphs read integers only
 * (filter-clauses.h), and hands the walk over to the out-of-line version at
 * the first set that needs more (strings, floats, the interpreter), so that
 * it makes no call itself.
 */
static __attribute__((noinline)) int record_select_from(const struct cds_list_head *pos,
                                                        const struct rt_ust_session *only,
                                                        struct ringtrace_record *rec)
{
	const struct cds_list_head *head = record_private(rec)->head;

	for (; pos != head; pos = rcu_dereference(pos->next)) {
		const struct rt_ust_recorder *r =
		    caa_container_of(pos, struct rt_ust_recorder, node);
		const struct rt_ust_filter_set *filters;

		if (!recorder_is_on(r) || (only && r->chan->session != only))
			continue;
		filters = rcu_dereference(r->filters);
		if (!filters || rt_ust_filter_set_accepts_inline(filters, rec->filter_values)) {
			rec->cursor = pos;
			return 1;
		}
	}
	return 0;
}

int ringtrace_record_select(const struct ringtrace_event_desc *desc, struct ringtrace_record *rec)
{
	struct ringtrace_event_runtime *rt = rcu_dereference(*desc->runtime);
	const struct cds_list_head *pos;

	if (unlikely(!rt))
		return 0;
	record_private(rec)->head = &rt->recorders;
	for (pos = rcu_dereference(rt->recorders.next); pos != &rt->recorders;
	     pos = rcu_dereference(pos->next)) {
		const struct rt_ust_recorder *r =
		    caa_container_of(pos, struct rt_ust_recorder, node);
		const struct rt_ust_filter_set *filters;

		if (!recorder_is_on(r))
			continue;
		filters = rcu_dereference(r->filters);
		if (filters && !filters->in_place)
			return record_select_from(pos, NULL, rec);
		if (!filters || rt_ust_filter_set_accepts_in_place(filters, rec->filter_values)) {
			rec->cursor = pos;
			return 1;
		}
	}
	return 0;
}

__attribute__((flatten)) int ringtrace_record_reserve_selected(size_t payload_len,
                                                               struct ringtrace_record *rec)
{
	if (unlikely(payload_len > UINT32_MAX - RT_UST_MAX_CONTEXT_LEN))
		return 0;
	return record_reserve_from(rec->cursor, NULL, rec->cursor, payload_len, rec);
}

/* A second recorder of the same event: rare, kept out of the commit. */
static __attribute__((noinline)) int record_reserve_next(const struct cds_list_head *pos,
                                                         size_t payload_len,
                                                         struct ringtrace_record *rec)
{
	return record_reserve_from(pos, NULL, NULL, payload_len, rec);
}

__attribute__((flatten)) int ringtrace_record_commit_next(size_t payload_len,
                                                          struct ringtrace_record *rec)
{
	struct record_private *priv = record_private(rec);
	const struct cds_list_head *next;

	rb_commit(&priv->rb);
	next = rcu_dereference(((const struct cds_list_head *)rec->cursor)->next);
	if (likely(next == priv->head))
		return 0;
	return record_reserve_next(next, payload_len, rec);
}

int rt_ust_record_reserve_in_session(const struct ringtrace_event_desc *desc,
                                     const struct rt_ust_session *session, size_t payload_len,
                                     struct ringtrace_record *rec)
{
	struct ringtrace_event_runtime *rt = rcu_dereference(*desc->runtime);

	if (!rt || payload_len > UINT32_MAX - RT_UST_MAX_CONTEXT_LEN)
		return 0;
	record_private(rec)->head = &rt->recorders;
	return record_reserve_from(rcu_dereference(rt->recorders.next), session, NULL, payload_len,
	                           rec);
}

int rt_ust_record_select_in_session(const struct ringtrace_event_desc *desc,
                                    const struct rt_ust_session *session,
                                    struct ringtrace_record *rec)
{
	struct ringtrace_event_runtime *rt = rcu_dereference(*desc->runtime);

	if (!rt)
		return 0;
	record_private(rec)->head = &rt->recorders;
	return record_select_from(rcu_dereference(rt->recorders.next), session, rec);
}

int rt_ust_record_reserve_selected_in_session(const struct rt_ust_session *session,
                                              size_t payload_len, struct ringtrace_record *rec)
{
	if (payload_len > UINT32_MAX - RT_UST_MAX_CONTEXT_LEN)
		return 0;
	return record_reserve_from(rec->cursor, session, rec->cursor, payload_len, rec);
}

int rt_ust_record_commit_next_in_session(const struct rt_ust_session *session, size_t payload_len,
                                         struct ringtrace_record *rec)
{
	struct record_private *priv = record_private(rec);

	rb_commit(&priv->rb);
	return record_reserve_from(
	    rcu_dereference(((const struct cds_list_head *)rec->cursor)->next), session, NULL,
	    payload_len, rec);
}

/* --- objects (slow path, rt_ust_lock() held) --- */

int rt_ust_session_create(uint32_t handle, struct rt_ust_session **ret_session)
{
	struct rt_ust_session *session = calloc(1, sizeof(*session));

	if (!session)
		return -ENOMEM;
	session->handle = handle;
	cds_list_add_tail(&session->node, &sessions);
	*ret_session = session;
	return 0;
}

void rt_ust_session_set_active(struct rt_ust_session *session, bool active)
{
	CMM_STORE_SHARED(session->active, active);
}

void rt_ust_session_destroy(struct rt_ust_session *session)
{
	struct rt_ust_channel *chan, *tmp;

	cds_list_for_each_entry_safe (chan, tmp, &channels, node)
		if (chan->session == session)
			rt_ust_channel_destroy(chan);
	cds_list_del(&session->node);
	free(session);
}

int rt_ust_channel_create(struct rt_ust_session *session, uint32_t handle, uint32_t stream_id,
                          uint32_t nr_streams, struct rt_ust_channel **ret_channel)
{
	struct rt_ust_channel *chan;

	if (nr_streams == 0)
		return -EINVAL;
	chan = calloc(1, sizeof(*chan));
	if (!chan)
		return -ENOMEM;
	chan->streams = calloc(nr_streams, sizeof(*chan->streams));
	if (!chan->streams) {
		free(chan);
		return -ENOMEM;
	}
	chan->handle = handle;
	chan->stream_id = stream_id;
	chan->session = session;
	chan->nr_streams = nr_streams;
	cds_list_add_tail(&chan->node, &channels);
	*ret_channel = chan;
	return 0;
}

/* Read once: an application allows blocking for its whole life or not at all. */
static bool app_allows_blocking(void)
{
	static int allowed = -1;

	if (allowed < 0)
		allowed = secure_getenv("LTTNG_UST_ALLOW_BLOCKING") ||
		          secure_getenv("RINGTRACE_ALLOW_BLOCKING");
	return allowed;
}

void rt_ust_channel_set_blocking_timeout(struct rt_ust_channel *chan, int64_t timeout_us)
{
	chan->blocking_timeout_us = app_allows_blocking() ? timeout_us : 0;
}

int rt_ust_channel_set_stream(struct rt_ust_channel *chan, uint32_t cpu, struct rb_stream *stream)
{
	struct rb_stream *old;

	if (cpu >= chan->nr_streams)
		return -EINVAL;
	/* Before publication: no producer reserves in it yet. */
	rb_stream_set_blocking_timeout(stream, chan->blocking_timeout_us);
	old = chan->streams[cpu];
	rcu_assign_pointer(chan->streams[cpu], stream);
	if (old) {
		synchronize_rcu();
		rb_stream_unmap(old);
	}
	return 0;
}

void rt_ust_channel_set_enabled(struct rt_ust_channel *chan, bool enabled)
{
	CMM_STORE_SHARED(chan->enabled, enabled);
}

static bool channel_has_stream(const struct rt_ust_channel *chan)
{
	for (uint32_t i = 0; i < chan->nr_streams; i++)
		if (chan->streams[i])
			return true;
	return false;
}

static int channel_context_resolve(uint32_t kind, const char *name, uint32_t perf_type,
                                   uint64_t perf_config, struct rt_ust_channel_context *ret,
                                   uint32_t *ret_len)
{
	int r;

	switch (kind) {
	case UST_CONTEXT_BUILTIN:
		ret->builtin = rt_ust_context_find(name);
		ret->perf = NULL;
		if (!ret->builtin)
			return -EINVAL;
		*ret_len = ret->builtin->size_bytes;
		return 0;
	case UST_CONTEXT_PERF_THREAD:
		ret->builtin = NULL;
		r = rt_ust_perf_counter_get(perf_type, perf_config, &ret->perf);
		if (r < 0)
			return r;
		*ret_len = RT_UST_PERF_CONTEXT_LEN;
		return 0;
	case UST_CONTEXT_APP:
		r = rt_ust_app_context_get(name, &ret->app);
		if (r < 0)
			return r;
		*ret_len = 0; /* known per record */
		return 0;
	default:
		return -EINVAL;
	}
}

int rt_ust_channel_add_context(struct rt_ust_channel *chan, uint32_t kind, const char *name,
                               uint32_t perf_type, uint64_t perf_config)
{
	struct rt_ust_channel_context ctx, *grown;
	uint32_t len;
	int r;

	if (channel_has_stream(chan))
		return -EBUSY;
	if (chan->nr_contexts >= UST_MAX_CONTEXTS)
		return -E2BIG;
	memset(&ctx, 0, sizeof(ctx));
	r = channel_context_resolve(kind, name, perf_type, perf_config, &ctx, &len);
	if (r < 0)
		return r;
	/* A perf counter may appear under two names (cycles, cpu-cycles), as with lttng. */
	for (uint32_t i = 0; i < chan->nr_contexts; i++)
		if ((ctx.builtin && chan->contexts[i].builtin == ctx.builtin) ||
		    (ctx.app && chan->contexts[i].app == ctx.app))
			return -EEXIST;
	/* No record reads the array yet: no stream is published (see ust-objects.h). */
	grown = reallocarray(chan->contexts, chan->nr_contexts + 1, sizeof(*grown));
	if (!grown)
		return -ENOMEM;
	grown[chan->nr_contexts] = ctx;
	chan->contexts = grown;
	chan->nr_contexts++;
	if (ctx.app || chan->contexts_len == RT_UST_CONTEXTS_LEN_VARIES)
		chan->contexts_len = RT_UST_CONTEXTS_LEN_VARIES;
	else
		chan->contexts_len += len;
	return 0;
}

static struct recorder *recorder_of(struct rt_ust_recorder *r)
{
	return caa_container_of(r, struct recorder, pub);
}

struct ringtrace_event_runtime *rt_ust_event_runtime_new(const struct ringtrace_event_desc *desc)
{
	struct ringtrace_event_runtime *rt = calloc(1, sizeof(*rt));

	if (!rt)
		return NULL;
	rt->desc = desc;
	CDS_INIT_LIST_HEAD(&rt->recorders);
	return rt;
}

void rt_ust_event_runtime_free(struct ringtrace_event_runtime *rt)
{
	struct rt_ust_recorder *r, *tmp;

	if (!rt)
		return;
	cds_list_for_each_entry_safe (r, tmp, &rt->recorders, node) {
		rt_ust_filter_set_free(r->filters);
		free(recorder_of(r));
	}
	free(rt);
}

struct channel_unlink {
	const struct rt_ust_channel *chan;
	struct cds_list_head unlinked; /* struct recorder, by .unlinked */
};

/* Unlinks from desc's runtime the recorders of a channel (rt_probes_for_each_event() callback). */
static int event_unlink_channel(const struct ringtrace_event_desc *desc, void *arg)
{
	struct channel_unlink *ctx = arg;
	struct ringtrace_event_runtime *rt = *desc->runtime;
	struct rt_ust_recorder *r, *tmp;
	bool changed = false;

	cds_list_for_each_entry_safe (r, tmp, &rt->recorders, node) {
		if (r->chan != ctx->chan)
			continue;
		cds_list_del_rcu(&r->node);
		cds_list_add(&recorder_of(r)->unlinked, &ctx->unlinked);
		changed = true;
	}
	if (changed) {
		rt_ust_event_update_filtered(rt);
		rt_tracepoint_sync_event(desc);
	}
	return 0;
}

void rt_ust_channel_destroy(struct rt_ust_channel *chan)
{
	struct channel_unlink ctx = {.chan = chan};
	struct recorder *rec, *tmp;

	CDS_INIT_LIST_HEAD(&ctx.unlinked);
	rt_probes_for_each_event(event_unlink_channel, &ctx);
	cds_list_del(&chan->node);
	synchronize_rcu();
	cds_list_for_each_entry_safe (rec, tmp, &ctx.unlinked, unlinked) {
		rt_ust_filter_set_free(rec->pub.filters);
		free(rec);
	}
	for (uint32_t i = 0; i < chan->nr_streams; i++)
		if (chan->streams[i])
			rb_stream_unmap(chan->streams[i]);
	free(chan->streams);
	free(chan->contexts);
	free(chan);
}

int rt_ust_recorder_attach(const struct ringtrace_event_desc *desc, struct rt_ust_channel *chan,
                           uint32_t event_id, struct rt_ust_recorder **ret_recorder)
{
	struct ringtrace_event_runtime *rt = *desc->runtime;
	struct rt_ust_recorder *r;
	struct recorder *rec;

	if (!rt)
		return -ENOENT;
	cds_list_for_each_entry (r, &rt->recorders, node)
		if (r->chan == chan)
			return -EEXIST;
	rec = calloc(1, sizeof(*rec));
	if (!rec)
		return -ENOMEM;
	rec->pub.chan = chan;
	rec->pub.event_id = event_id;
	rec->desc = desc;
	cds_list_add_tail_rcu(&rec->pub.node, &rt->recorders);
	*ret_recorder = &rec->pub;
	return 0;
}

void rt_ust_recorder_set_enabled(struct rt_ust_recorder *recorder, bool enabled)
{
	CMM_STORE_SHARED(recorder->enabled, enabled);
	rt_tracepoint_sync_event(recorder_of(recorder)->desc);
}

void rt_ust_recorder_detach(struct rt_ust_recorder *recorder)
{
	cds_list_del_rcu(&recorder->node);
	rt_ust_event_update_filtered(*recorder_of(recorder)->desc->runtime);
	rt_tracepoint_sync_event(recorder_of(recorder)->desc);
	synchronize_rcu();
	rt_ust_filter_set_free(recorder->filters);
	free(recorder_of(recorder));
}

const struct ringtrace_event_desc *rt_ust_recorder_event(const struct rt_ust_recorder *recorder)
{
	return caa_container_of(recorder, const struct recorder, pub)->desc;
}

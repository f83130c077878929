/* SPDX-License-Identifier: MIT */
/*
 * Keeping recorders in line with enablers.
 *
 * For an event E and a channel C of a connection, the wanted state is:
 *   covered(E, C) = some enabled enabler of C matches E.
 * A recorder (E, C) is created the first time E is covered (the event is
 * then registered with sessiond, which assigns its id in C); afterwards its
 * enabled flag follows covered(E, C), and its filters are those of the
 * enabled enablers of C that match E, or none as soon as one of them has
 * no filter (recorder-filter.h). Filters are in place before a recorder is
 * enabled. Recorders are not removed when their
 * rules go: sessiond keeps the event id, and the recorder costs nothing
 * while disabled. They go with their channel.
 *
 * This runs on every command that changes enablers (listener thread) and
 * when a provider registers after the connection was set up (the
 * registering app thread, so that the provider's tracepoints record as soon
 * as its registration returns). Both hold rt_ust_lock, which also
 * serializes the use of the notify socket.
 */
#include "comm-conn.h"

#include "common/comm/ust-wire.h"
#include "lib/ust/probes.h"
#include "lib/ust/record.h"
#include "lib/ust/recorder-filter.h"

#include <errno.h>
#include <stdlib.h>

struct sync_ctx {
	struct rt_comm_target *target;
	int error; /* first error that broke the connection */
	struct rt_ust_filter_set *free_list; /* replaced filter sets */
};

/* What the enabled enablers of a channel say of one event. */
struct coverage {
	bool covered;
	uint32_t nr_filters; /* 0: record every call */
	const struct rt_ust_bytecode **filters;
};

static struct rt_ust_recorder *find_recorder(const struct ringtrace_event_desc *desc,
                                             const struct rt_comm_channel *chan)
{
	struct ringtrace_event_runtime *runtime = *desc->runtime;
	struct rt_ust_recorder *rec;

	if (!runtime)
		return NULL;
	cds_list_for_each_entry (rec, &runtime->recorders, node) {
		if (rec->chan == chan->obj)
			return rec;
	}
	return NULL;
}

static int channel_coverage(const struct rt_comm_target *target, const struct rt_comm_channel *chan,
                            const char *name, int32_t loglevel, struct coverage *ret)
{
	const struct rt_ust_enabler *enabler;
	bool unfiltered = false;
	uint32_t n = 0;

	*ret = (struct coverage){0};
	cds_list_for_each_entry (enabler, &target->enablers, node) {
		if (enabler->chan != chan->obj || !enabler->enabled ||
		    !rt_enabler_match_name(enabler, name, loglevel))
			continue;
		ret->covered = true;
		if (!enabler->filter)
			unfiltered = true;
		n++;
	}
	if (!ret->covered || unfiltered)
		return 0;
	ret->filters = malloc(n * sizeof(*ret->filters));
	if (!ret->filters)
		return -ENOMEM;
	cds_list_for_each_entry (enabler, &target->enablers, node) {
		if (enabler->chan == chan->obj && enabler->enabled &&
		    rt_enabler_match_name(enabler, name, loglevel))
			ret->filters[ret->nr_filters++] = enabler->filter;
	}
	return 0;
}

/* Gives the recorder the coverage's filters unless it has them already. */
static int recorder_sync_filters(struct sync_ctx *ctx, struct rt_ust_recorder *rec,
                                 const struct coverage *cov)
{
	const struct rt_ust_bytecode *const *filters = cov->filters;

	if (rt_ust_recorder_filters_are(rec, filters, cov->nr_filters))
		return 0;
	return rt_ust_recorder_set_filters(rec, filters, cov->nr_filters, &ctx->free_list);
}

static int recorder_create(struct sync_ctx *ctx, const struct ringtrace_event_desc *desc,
                           struct rt_comm_channel *chan, const struct coverage *cov)
{
	struct rt_ust_recorder *rec;
	uint32_t event_id;
	int r;

	r = rt_comm_notify_register_event(ctx->target, desc, chan, &event_id);
	if (r < 0) {
		if (ctx->target->broken)
			ctx->error = r;
		return r;
	}
	r = rt_ust_recorder_attach(desc, chan->obj, event_id, &rec);
	if (r < 0)
		return r;
	r = recorder_sync_filters(ctx, rec, cov);
	if (r < 0)
		return r; /* stays disabled: a later synchronization retries */
	rt_ust_recorder_set_enabled(rec, true);
	return 0;
}

static void sync_event_channel(struct sync_ctx *ctx, const struct ringtrace_event_desc *desc,
                               const char *name, struct rt_comm_channel *chan)
{
	struct rt_ust_recorder *rec = find_recorder(desc, chan);
	struct coverage cov;
	bool covered;

	if (channel_coverage(ctx->target, chan, name, desc->loglevel, &cov) < 0) {
		rt_comm_debug("%s: event %s: out of memory for its filters", ctx->target->label,
		              name);
		return;
	}
	covered = cov.covered;
	if (!rec) {
		/* After a broken notify exchange, only disabling is still possible. */
		if (covered && !ctx->error && recorder_create(ctx, desc, chan, &cov) < 0)
			rt_comm_debug("%s: event %s not recorded in channel %u", ctx->target->label,
			              name, chan->obj->handle);
		free(cov.filters);
		return;
	}
	if (covered && recorder_sync_filters(ctx, rec, &cov) < 0) {
		rt_comm_debug("%s: event %s: out of memory for its filters", ctx->target->label,
		              name);
		covered = false; /* never record without the filters it needs */
	}
	free(cov.filters);
	if ((rec->enabled != 0) != covered)
		rt_ust_recorder_set_enabled(rec, covered);
}

static int sync_event(const struct ringtrace_event_desc *desc, void *data)
{
	struct sync_ctx *ctx = data;
	char name[RINGTRACE_SYM_NAME_LEN];
	struct rt_comm_channel *chan;

	if (ust_wire_event_name(desc, name) < 0)
		return 0; /* not expressible on the wire: never recorded */
	cds_list_for_each_entry (chan, &ctx->target->channels, node) {
		sync_event_channel(ctx, desc, name, chan);
	}
	return 0; /* after an error, go on: disabling needs no I/O */
}

int rt_comm_sync_target(struct rt_comm_target *target)
{
	struct sync_ctx ctx = {.target = target};

	if (cds_list_empty(&target->channels))
		return 0;
	rt_probes_for_each_event(sync_event, &ctx);
	rt_ust_filter_sets_free_after_grace_period(ctx.free_list);
	return ctx.error;
}

/* A provider registered: give its events the recorders existing rules call for. */
static void on_probe_registered(const struct ringtrace_probe_desc *probe)
{
	if (rt_comm_exiting)
		return;
	for (int i = 0; i < RT_COMM_NR_TARGETS; i++) {
		struct rt_comm_target *target = &rt_comm_targets[i];
		struct sync_ctx ctx = {.target = target};

		if (target->notify_fd < 0 || target->broken || cds_list_empty(&target->enablers))
			continue;
		for (uint32_t e = 0; e < probe->nr_events; e++)
			sync_event(probe->events[e], &ctx);
		rt_ust_filter_sets_free_after_grace_period(ctx.free_list);
	}
}

void rt_comm_sync_install_listener(void)
{
	/* Unregistration needs nothing from us: the registry frees the recorders it drops. */
	rt_probes_set_listener(on_probe_registered, NULL);
}

/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Tracer-side objects of libringtrace-ust, created by the commands the
 * session daemon sends (comm thread) and read by the tracepoint fast path.
 *
 * Concurrency: the fast path runs under rcu_read_lock() (liburcu-bp, no
 * registration needed). Recorder lists are RCU lists: writers (the comm
 * thread, holding rt_ust_lock()) publish with rcu_assign_pointer /
 * cds_list_add_rcu and free after synchronize_rcu(). Channels and sessions
 * are freed only after every recorder pointing at them is gone and a grace
 * period has elapsed.
 */

#include <ringtrace/event-desc.h>
#include <ringtrace/tp-record.h>
#include <stdbool.h>
#include <stdint.h>
#include <urcu/list.h>

struct rb_stream;
struct rt_ust_app_context;
struct rt_ust_context;
struct rt_ust_perf_counter;

/*
 * One context a channel records after the event header: a built-in one, a
 * perf counter or an application context (exactly one pointer is set).
 */
struct rt_ust_channel_context {
	const struct rt_ust_context *builtin;
	struct rt_ust_perf_counter *perf;
	struct rt_ust_app_context *app;
};

#define RT_UST_CONTEXTS_LEN_VARIES 0x80000000u

struct rt_ust_session {
	uint32_t handle;           /* sessiond's object handle */
	int active;                /* read by the fast path (CMM_LOAD_SHARED) */
	struct cds_list_head node; /* in the global session list */
};

struct rt_ust_channel {
	uint32_t handle;
	uint32_t stream_id; /* CTF stream class id (registry channel id) */
	struct rt_ust_session *session;
	int enabled;                /* read by the fast path */
	uint32_t nr_streams;        /* one per possible CPU */
	struct rb_stream **streams; /* indexed by CPU; NULL until received */
	/*
	 * Event context, in record order. Set before the first stream is
	 * published (rt_ust_channel_add_context()), constant afterwards:
	 * the fast path reads it only once it found a stream.
	 */
	uint32_t nr_contexts;
	/*
	 * Bytes they take in every record, or RT_UST_CONTEXTS_LEN_VARIES when
	 * an application context among them makes it vary per record. One
	 * field, loaded anyway to size the record: other channels pay no
	 * extra load to learn that they have no application context.
	 */
	uint32_t contexts_len;
	struct rt_ust_channel_context *contexts;
	int64_t blocking_timeout_us; /* given to each stream if the app allows blocking */
	struct cds_list_head node;
};

struct rt_ust_filter_set; /* recorder-filter.h */

/* One (event, channel) pair being recorded: the event's id in that channel. */
struct rt_ust_recorder {
	struct rt_ust_channel *chan;
	uint32_t event_id;         /* assigned by sessiond at event registration */
	int enabled;               /* read by the fast path */
	/* RCU: NULL = record every call; else record when one of them accepts. */
	struct rt_ust_filter_set *filters;
	struct cds_list_head node; /* in ringtrace_event_runtime.recorders (RCU) */
};

/* Mutable per-event state behind ringtrace_event_desc.runtime. */
struct ringtrace_event_runtime {
	/* First: read by the probes (<ringtrace/tp-record.h>); filtered = some recorder has filters. */
	struct ringtrace_event_runtime_head head;
	const struct ringtrace_event_desc *desc;
	struct cds_list_head recorders; /* RCU list of struct rt_ust_recorder */
};

/* Serializes every writer of the objects above (comm thread, probe registration). */
void rt_ust_lock(void);
void rt_ust_unlock(void);

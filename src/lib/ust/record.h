/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * The per-event record path of libringtrace-ust and the objects it reads.
 *
 * Fast path (ringtrace_record_reserve/commit_next, declared with the
 * per-field serialization helpers in <ringtrace/tp-record.h> because the
 * probes that call them are compiled into the instrumented program): walk
 * the event's RCU recorder list; for a recorder whose own, channel and
 * session flags are on, reserve in the channel's stream for the current CPU
 * (sched_getcpu(), rseq-backed), write the CTF large event header, let the
 * probe write the payload, commit. No lock, no system call, no allocation.
 *
 * Slow path (everything below): the comm code builds sessions, channels and
 * recorders from the session daemon's commands. Every function here must
 * be called with rt_ust_lock() held; those that unpublish something wait
 * for an RCU grace period before freeing it, so they must not be called
 * from inside an RCU read-side critical section (i.e. from a probe).
 */

#include <ringtrace/tp-record.h>
#include <stdbool.h>
#include <stdint.h>

#include "lib/ust/ust-objects.h"

struct rb_stream;

/*
 * ringtrace_record_reserve() / ringtrace_record_commit_next() (and the
 * select / reserve_selected pair of filtered events) for the recorders of
 * one session only: what the library's statedump provider
 * records with (statedump.c), as lttng-ust's session check. Same contract
 * otherwise (inside an RCU read-side critical section).
 */
int rt_ust_record_reserve_in_session(const struct ringtrace_event_desc *desc,
                                     const struct rt_ust_session *session, size_t payload_len,
                                     struct ringtrace_record *rec);
int rt_ust_record_select_in_session(const struct ringtrace_event_desc *desc,
                                    const struct rt_ust_session *session,
                                    struct ringtrace_record *rec);
int rt_ust_record_reserve_selected_in_session(const struct rt_ust_session *session,
                                              size_t payload_len, struct ringtrace_record *rec);
int rt_ust_record_commit_next_in_session(const struct rt_ust_session *session, size_t payload_len,
                                         struct ringtrace_record *rec);

/* A new, inactive session. -ENOMEM. */
int rt_ust_session_create(uint32_t handle, struct rt_ust_session **ret_session);
void rt_ust_session_set_active(struct rt_ust_session *session, bool active);
/* Destroys the session's channels (see rt_ust_channel_destroy), then the session. */
void rt_ust_session_destroy(struct rt_ust_session *session);

/*
 * A new, disabled channel of session with room for nr_streams per-CPU
 * streams (nr_streams >= 1). -EINVAL, -ENOMEM.
 */
int rt_ust_channel_create(struct rt_ust_session *session, uint32_t handle, uint32_t stream_id,
                          uint32_t nr_streams, struct rt_ust_channel **ret_channel);
/*
 * Gives the channel its mapped stream for cpu; the channel owns it from now
 * on (rb_stream_unmap() at destruction, or when replaced). -EINVAL when cpu
 * is out of range.
 */
int rt_ust_channel_set_stream(struct rt_ust_channel *chan, uint32_t cpu, struct rb_stream *stream);
void rt_ust_channel_set_enabled(struct rt_ust_channel *chan, bool enabled);
/*
 * Appends a context to the channel's event context: kind UST_CONTEXT_BUILTIN
 * with name a built-in context (context.h), UST_CONTEXT_PERF_THREAD with
 * a perf counter's type and config, or UST_CONTEXT_APP with name
 * "$app.PROVIDER:CTX" (app-context.h). -EBUSY once the channel has a stream
 * (records may exist), -EINVAL unknown kind or name, -EEXIST a built-in or
 * application context already there,
 * -E2BIG beyond UST_MAX_CONTEXTS, -ENOSPC too many perf counters, -ENOMEM.
 */
int rt_ust_channel_add_context(struct rt_ust_channel *chan, uint32_t kind, const char *name,
                               uint32_t perf_type, uint64_t perf_config);

/*
 * The channel's --blocking-timeout (us, -1 forever, 0 none), applied to its
 * streams mapped from now on, and only if the application's environment
 * allows blocking (LTTNG_UST_ALLOW_BLOCKING or RINGTRACE_ALLOW_BLOCKING set,
 * ignored in set-user-ID/set-group-ID programs, as lttng-ust does).
 */
void rt_ust_channel_set_blocking_timeout(struct rt_ust_channel *chan, int64_t timeout_us);
/* Detaches every recorder of the channel, then unmaps its streams and frees it. */
void rt_ust_channel_destroy(struct rt_ust_channel *chan);

/*
 * Records event desc (registered) into chan with the id sessiond assigned to
 * it in that channel. The recorder starts disabled. -ENOENT (provider not
 * registered), -EEXIST (already recorded in this channel), -ENOMEM.
 */
int rt_ust_recorder_attach(const struct ringtrace_event_desc *desc, struct rt_ust_channel *chan,
                           uint32_t event_id, struct rt_ust_recorder **ret_recorder);
/* Updates the recorder's flag and its event's call sites. */
void rt_ust_recorder_set_enabled(struct rt_ust_recorder *recorder, bool enabled);
void rt_ust_recorder_detach(struct rt_ust_recorder *recorder);
const struct ringtrace_event_desc *rt_ust_recorder_event(const struct rt_ust_recorder *recorder);

/* For the provider registry (probes.c). */
struct ringtrace_event_runtime *rt_ust_event_runtime_new(const struct ringtrace_event_desc *desc);
/* Frees the runtime and the recorders still in it; no reader may see it any more. */
void rt_ust_event_runtime_free(struct ringtrace_event_runtime *rt);

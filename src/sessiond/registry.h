/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Metadata registry of one per-UID buffer (session x uid x bitness) or
 * per-PID buffer (session x app): the trace uuid, the TSDL text (preamble,
 * one stream block per channel, one event block per registered event) and
 * the event ids. The text is append-only; every append is pushed to the
 * consumer's metadata channel at its offset, under the registry lock so
 * pushes stay in order.
 *
 * Thread safety: every function may be called from any thread. A registry
 * is reference counted: the owning buffer holds one reference and every app
 * session using it another, so the notify thread can finish an event
 * registration while the session is being destroyed (pushes stop once
 * ust_registry_close_metadata() has run).
 */

#include <ringtrace/event-desc.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "uuid.h"

struct session_context;
struct ust_registry;
struct ust_wire_event;

struct ust_registry_params {
	uint32_t uid;           /* tracer_buffering_id of per-UID registries */
	uint32_t bits_per_long; /* 64 or 32, from the apps' registration */
	uint32_t uint8_align_bits;
	uint32_t uint16_align_bits;
	uint32_t uint32_align_bits;
	uint32_t uint64_align_bits;
	uint32_t long_align_bits;
	const char *session_name;
	bool auto_named;      /* trace_name "auto" */
	time_t creation_time; /* session creation, trace_creation_datetime */
	/* Per-PID registries: scheme "pid", buffering id and env keys of the app. */
	bool per_pid;
	int32_t pid;
	const char *procname;
	time_t registration_time; /* vpid_datetime */
};

/* A new registry (random uuid) holding the preamble; nothing pushed yet. */
int ust_registry_create(const struct ust_registry_params *params, struct ust_registry **ret_reg);
struct ust_registry *ust_registry_get(struct ust_registry *reg);
void ust_registry_put(struct ust_registry *reg);

const uint8_t *ust_registry_uuid(const struct ust_registry *reg);

/*
 * Binds the registry to the consumer metadata channel `key` and pushes all
 * the text so far. Later appends are pushed as they happen.
 */
int ust_registry_attach_metadata(struct ust_registry *reg, uint64_t key);
/*
 * Rewrites the preamble (the clock offset sampled again, as lttng's
 * regeneration) in front of the stream and event blocks, increments the
 * metadata version and pushes the whole text again from offset 0: the
 * consumer starts its metadata over. 0 or a negative errno.
 */
int ust_registry_regenerate_metadata(struct ust_registry *reg);
/*
 * Moves the metadata channel to path (consumer ROTATE_CHANNEL) and pushes
 * the whole text again there, with no push of another thread in between.
 * An empty path moves it to no trace chunk: nothing is pushed until the
 * next rotation to a path.
 */
int ust_registry_rotate_metadata(struct ust_registry *reg, const char *path);
/* Pushes what the consumer has not taken yet (a push that failed, disk full). */
int ust_registry_push_pending(struct ust_registry *reg);
/* Stops pushing (the metadata channel is about to be closed). */
void ust_registry_close_metadata(struct ust_registry *reg);

/*
 * Declares the next channel (stream block, with its event.context when it
 * has contexts); its id, 0, 1, 2... in *ret_chan_id.
 */
int ust_registry_add_channel(struct ust_registry *reg, const struct session_context *contexts,
                             uint32_t nr_contexts, uint32_t *ret_chan_id);

/*
 * Registers a decoded event (ust-wire.h) of channel chan_id and returns its
 * id in *ret_event_id. A new event is kept by the registry: *event is taken
 * (set to NULL). An event already registered under the same name with the
 * same fields gets its existing id and *event is left to the caller.
 * Errors (for the app's reply): -ENOENT unknown channel, -EEXIST same name
 * with different fields, -EINVAL description the TSDL writer refuses,
 * -ENOSPC too many events in the channel, -ENOMEM.
 */
int ust_registry_register_event(struct ust_registry *reg, uint32_t chan_id,
                                struct ust_wire_event **event, uint32_t *ret_event_id);

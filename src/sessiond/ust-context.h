/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * The contexts of the user space domain as the session daemon knows them:
 * which add-context types apps can record, under which field name and
 * with which TSDL type (those lttng-sessiond 2.13 declares for lttng-ust's
 * fields), and what is sent to the apps (ust-msg.h, UST_CMD_ADD_CONTEXT).
 */

#include <ringtrace/ctl.h>
#include <stdint.h>

#include "ctf/tsdl.h"

/* One context of a channel. */
struct session_context {
	uint32_t type; /* enum ringtrace_event_context_type */
	/*
	 * Field name: "vpid"..., "perf_thread_<counter>" ([A-Za-z0-9_]), or
	 * "$app.PROVIDER:CTX" for an application context.
	 */
	char name[RINGTRACE_SYMBOL_NAME_LEN];
	uint32_t perf_type; /* PERF_THREAD_COUNTER only */
	uint64_t perf_config;
};

/*
 * The channel context for a request: -RINGTRACE_ERR_UST_CONTEXT_INVAL for a
 * type the user space domain does not have (kernel-only, per-CPU perf
 * counters, unknown numbers) and for a perf counter whose name is not a
 * valid field name; -RINGTRACE_ERR_CONTEXT_UNAVAILABLE for a perf counter
 * this kernel refuses to open for the calling thread (the reason is logged).
 * An application context: UST_CONTEXT_INVAL when a name is empty or
 * unterminated or the provider's has a ':', APP_CONTEXT_NAME_TOO_LONG
 * when "$app.PROVIDER:CTX" does not fit RINGTRACE_APP_CONTEXT_NAME_MAX.
 */
int ust_context_from_request(const struct ringtrace_event_context *req,
                             struct session_context *ret);

/* The event.context field declaring ctx in TSDL (name points into ctx). */
void ust_context_tsdl_field(const struct session_context *ctx, struct tsdl_context_field *ret);

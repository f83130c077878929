/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * `$ctx.NAME` in filters: the built-in contexts (context.h), whether or not
 * they were added to the channel, as lttng-ust 2.13 resolves them: all but
 * `ip` (lttng-ust's filters do not know it either). Integer contexts read
 * as signed 64-bit values, procname as a string.
 *
 * `$app.PROVIDER:CTX`: the application context (app-context.h), whether
 * or not a channel records it and a provider is registered; its value is
 * read per event, and only S64, DOUBLE and STRING values compare (any
 * other, or none, rejects the event), as lttng-ust 2.13's GET_CONTEXT_REF.
 */

#include "filter/filter-interp.h"

extern const struct filter_ctx_ops rt_ust_filter_context_ops;

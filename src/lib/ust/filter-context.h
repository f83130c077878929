/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * `$ctx.NAME` in filters: the built-in contexts (context.h), whether or not
 * they were added to the channel, as lttng-ust 2.13 resolves them: all but
 * `ip` (lttng-ust's filters do not know it either). Integer contexts read
 * as signed 64-bit values, procname as a string.
 */

#include "filter/filter-interp.h"

extern const struct filter_ctx_ops rt_ust_filter_context_ops;

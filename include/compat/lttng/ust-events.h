/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * lttng-ust 2.13's <lttng/ust-events.h>, the part a context provider uses:
 * struct lttng_ust_probe_ctx and struct lttng_ust_channel_buffer with its
 * ops->event_write() (<lttng/ust-context-provider.h> maps them onto
 * <ringtrace/context-provider.h>). The tracer's internal event, channel and
 * session structures it also declares in lttng-ust have no counterpart.
 */

#include <lttng/ust-context-provider.h>

/* SPDX-License-Identifier: MIT */
/*
 * lttng-ust 2.13 source compatibility: <lttng/tracef.h>.
 * lttng_ust_tracef() / tracef() record "lttng_ust_tracef:event" as lttng-ust does.
 */
#ifndef RINGTRACE_COMPAT_LTTNG_TRACEF_H
#define RINGTRACE_COMPAT_LTTNG_TRACEF_H

#include <lttng/tracepoint.h>
#include <lttng/ust-api-compat.h>
#include <ringtrace/tracef.h>

#define lttng_ust_tracef  ringtrace_tracef
#define lttng_ust_vtracef ringtrace_vtracef
/* Unchecked entry points, called directly by some programs. */
#define lttng_ust__tracef  ringtrace__tracef
#define lttng_ust__vtracef ringtrace__vtracef

#if LTTNG_UST_COMPAT_API(0)
#define tracef lttng_ust_tracef
#endif

#endif /* RINGTRACE_COMPAT_LTTNG_TRACEF_H */

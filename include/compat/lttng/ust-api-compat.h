/* SPDX-License-Identifier: MIT */
/*
 * lttng-ust 2.13 source compatibility: <lttng/ust-api-compat.h>.
 * A program may define LTTNG_UST_COMPAT_API_VERSION to N to drop the
 * compatibility names of API versions older than N; the default keeps them
 * all (version 0: the unprefixed tracepoint(), TRACEPOINT_EVENT, ctf_*...).
 */
#ifndef RINGTRACE_COMPAT_LTTNG_UST_API_COMPAT_H
#define RINGTRACE_COMPAT_LTTNG_UST_API_COMPAT_H

#ifndef LTTNG_UST_COMPAT_API_VERSION
#define LTTNG_UST_COMPAT_API_VERSION 0
#endif

#define LTTNG_UST_COMPAT_API(major) (LTTNG_UST_COMPAT_API_VERSION <= (major))

#endif /* RINGTRACE_COMPAT_LTTNG_UST_API_COMPAT_H */

/* SPDX-License-Identifier: MIT */
/*
 * Included at the end of a provider header (no include guard). When the
 * compile unit defined RINGTRACE_TRACEPOINT_CREATE_PROBES, generates the
 * provider from the header named by RINGTRACE_TRACEPOINT_INCLUDE, which it
 * reads once per pass (see tp-probe.h), then puts the call-site meaning of
 * the provider macros back. Otherwise does nothing.
 */

#ifdef RINGTRACE_TRACEPOINT_CREATE_PROBES

#ifndef RINGTRACE_TRACEPOINT_PROVIDER
#error "RINGTRACE_TRACEPOINT_PROVIDER must name the provider before <ringtrace/tracepoint-event.h>"
#endif
#ifndef RINGTRACE_TRACEPOINT_INCLUDE
#error                                                                                             \
    "RINGTRACE_TRACEPOINT_INCLUDE must name the provider header before <ringtrace/tracepoint-event.h>"
#endif

#undef RINGTRACE_TRACEPOINT_CREATE_PROBES
#define RINGTRACE_TRACEPOINT_HEADER_MULTI_READ

#include <ringtrace/tp-probe.h>

#undef RINGTRACE_TRACEPOINT_HEADER_MULTI_READ
#include <ringtrace/tp-callsite.h>
#define RINGTRACE_TRACEPOINT_CREATE_PROBES

#endif /* RINGTRACE_TRACEPOINT_CREATE_PROBES */

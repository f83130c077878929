/* SPDX-License-Identifier: MIT */
/*
 * Internal piece of <ringtrace/tracepoint.h>, read again after every probe
 * generation (no include guard): what a provider header means when included
 * plainly. Each event instance declares its call site (and defines it under
 * RINGTRACE_TRACEPOINT_DEFINE); everything else expands to nothing.
 */

#include <ringtrace/tp-reset.h>

#undef _RT_EVENT_INSTANCE
#define _RT_EVENT_INSTANCE(class_provider, class_name, provider, name, ...)                        \
	_RT_DECLARE_TRACEPOINT(provider, name, __VA_ARGS__)                                        \
	_RT_DEFINE_TRACEPOINT(provider, name, __VA_ARGS__)

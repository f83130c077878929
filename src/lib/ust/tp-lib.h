/* SPDX-License-Identifier: MIT */
/* Provider headers keep the layout of their macros. */
/* clang-format off */
/*
 * lttng-ust 2.13's lttng_ust_lib events (lib-events.c): objects loaded and
 * unloaded since the last look, as libringtrace-ust-dl.so reports them
 * after each dlopen()/dlclose(). Same names, fields, types and field order
 * as lttng-ust's; the `ip` context is the ip argument (the caller of
 * dlopen), as with lttng-ust.
 */
#if !defined(RINGTRACE_TP_LIB_H) || defined(RINGTRACE_TRACEPOINT_HEADER_MULTI_READ)
#define RINGTRACE_TP_LIB_H

#include <ringtrace/tracepoint.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/ust/tp-object-fields.h"

RINGTRACE_TRACEPOINT_EVENT(lttng_ust_lib, load,
	RINGTRACE_TP_ARGS(const void *, ip, uintptr_t, baddr, const char *, path,
		uint64_t, memsz, uint8_t, has_build_id, uint8_t, has_debug_link),
	RINGTRACE_TP_FIELDS(
		ringtrace_field_unused(ip)
		ringtrace_field_integer_hex(uintptr_t, baddr, baddr)
		ringtrace_field_integer(uint64_t, memsz, memsz)
		ringtrace_field_string(path, path)
		ringtrace_field_integer(uint8_t, has_build_id, has_build_id)
		ringtrace_field_integer(uint8_t, has_debug_link, has_debug_link)
	)
)

RINGTRACE_TRACEPOINT_EVENT(lttng_ust_lib, build_id,
	RT_TP_OBJECT_BUILD_ID_ARGS, RT_TP_OBJECT_BUILD_ID_FIELDS)

RINGTRACE_TRACEPOINT_EVENT(lttng_ust_lib, debug_link,
	RT_TP_OBJECT_DEBUG_LINK_ARGS, RT_TP_OBJECT_DEBUG_LINK_FIELDS)

RINGTRACE_TRACEPOINT_EVENT(lttng_ust_lib, unload,
	RT_TP_OBJECT_UNLOAD_ARGS, RT_TP_OBJECT_UNLOAD_FIELDS)

#endif /* RINGTRACE_TP_LIB_H */
/* clang-format on */

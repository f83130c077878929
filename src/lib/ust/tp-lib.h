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
	RINGTRACE_TP_ARGS(const void *, ip, uintptr_t, baddr, const uint8_t *, build_id,
		size_t, build_id_len),
	RINGTRACE_TP_FIELDS(
		ringtrace_field_unused(ip)
		ringtrace_field_integer_hex(uintptr_t, baddr, baddr)
		ringtrace_field_sequence_hex(uint8_t, build_id, build_id, size_t, build_id_len)
	)
)

RINGTRACE_TRACEPOINT_EVENT(lttng_ust_lib, debug_link,
	RINGTRACE_TP_ARGS(const void *, ip, uintptr_t, baddr, const char *, filename,
		uint32_t, crc),
	RINGTRACE_TP_FIELDS(
		ringtrace_field_unused(ip)
		ringtrace_field_integer_hex(uintptr_t, baddr, baddr)
		ringtrace_field_integer(uint32_t, crc, crc)
		ringtrace_field_string(filename, filename)
	)
)

RINGTRACE_TRACEPOINT_EVENT(lttng_ust_lib, unload,
	RINGTRACE_TP_ARGS(const void *, ip, uintptr_t, baddr),
	RINGTRACE_TP_FIELDS(
		ringtrace_field_unused(ip)
		ringtrace_field_integer_hex(uintptr_t, baddr, baddr)
	)
)

#endif /* RINGTRACE_TP_LIB_H */
/* clang-format on */

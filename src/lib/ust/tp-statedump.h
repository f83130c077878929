/* SPDX-License-Identifier: MIT */
/* Provider headers keep the layout of their macros. */
/* clang-format off */
/*
 * The statedump provider of libringtrace-ust (statedump.c): lttng-ust
 * 2.13's lttng_ust_statedump events, same names, fields, types and field
 * order, so that trace analyses (babeltrace2's debug-info filter, Trace
 * Compass) read ours as theirs. The first argument of every event is the
 * session being dumped, not recorded: the probes record into that session
 * only (see statedump.c).
 */
#if !defined(RINGTRACE_TP_STATEDUMP_H) || defined(RINGTRACE_TRACEPOINT_HEADER_MULTI_READ)
#define RINGTRACE_TP_STATEDUMP_H

#include <ringtrace/tracepoint.h>
#include <stddef.h>
#include <stdint.h>

/* struct rt_ust_session is lib/ust/ust-objects.h's, declared by the includer. */

/* lttng-ust's LTTNG_UST_CONTEXT_PROCNAME_LEN: the name and its NUL. */
#define RT_STATEDUMP_PROCNAME_LEN 17

RINGTRACE_TRACEPOINT_EVENT(lttng_ust_statedump, start,
	RINGTRACE_TP_ARGS(const struct rt_ust_session *, session),
	RINGTRACE_TP_FIELDS(
		ringtrace_field_unused(session)
	)
)

RINGTRACE_TRACEPOINT_EVENT(lttng_ust_statedump, bin_info,
	RINGTRACE_TP_ARGS(
		const struct rt_ust_session *, session,
		uintptr_t, baddr,
		const char *, path,
		uint64_t, memsz,
		uint8_t, is_pic,
		uint8_t, has_build_id,
		uint8_t, has_debug_link
	),
	RINGTRACE_TP_FIELDS(
		ringtrace_field_unused(session)
		ringtrace_field_integer_hex(uintptr_t, baddr, baddr)
		ringtrace_field_integer(uint64_t, memsz, memsz)
		ringtrace_field_string(path, path)
		ringtrace_field_integer(uint8_t, is_pic, is_pic)
		ringtrace_field_integer(uint8_t, has_build_id, has_build_id)
		ringtrace_field_integer(uint8_t, has_debug_link, has_debug_link)
	)
)

RINGTRACE_TRACEPOINT_EVENT(lttng_ust_statedump, build_id,
	RINGTRACE_TP_ARGS(
		const struct rt_ust_session *, session,
		uintptr_t, baddr,
		const uint8_t *, build_id,
		size_t, build_id_len
	),
	RINGTRACE_TP_FIELDS(
		ringtrace_field_unused(session)
		ringtrace_field_integer_hex(uintptr_t, baddr, baddr)
		ringtrace_field_sequence_hex(uint8_t, build_id, build_id, size_t, build_id_len)
	)
)

RINGTRACE_TRACEPOINT_EVENT(lttng_ust_statedump, debug_link,
	RINGTRACE_TP_ARGS(
		const struct rt_ust_session *, session,
		uintptr_t, baddr,
		const char *, filename,
		uint32_t, crc
	),
	RINGTRACE_TP_FIELDS(
		ringtrace_field_unused(session)
		ringtrace_field_integer_hex(uintptr_t, baddr, baddr)
		ringtrace_field_integer(uint32_t, crc, crc)
		ringtrace_field_string(filename, filename)
	)
)

RINGTRACE_TRACEPOINT_EVENT(lttng_ust_statedump, procname,
	RINGTRACE_TP_ARGS(
		const struct rt_ust_session *, session,
		const char *, name
	),
	RINGTRACE_TP_FIELDS(
		ringtrace_field_unused(session)
		ringtrace_field_array_text(char, procname, name, RT_STATEDUMP_PROCNAME_LEN)
	)
)

RINGTRACE_TRACEPOINT_EVENT(lttng_ust_statedump, end,
	RINGTRACE_TP_ARGS(const struct rt_ust_session *, session),
	RINGTRACE_TP_FIELDS(
		ringtrace_field_unused(session)
	)
)

#endif /* RINGTRACE_TP_STATEDUMP_H */
/* clang-format on */

/* SPDX-License-Identifier: MIT */
/* Provider headers keep the layout of their macros. */
/* clang-format off */
/*
 * The arguments and fields that lttng-ust 2.13 gives alike to the events
 * describing one loaded object in the lttng_ust_lib (tp-lib.h) and
 * lttng_ust_dl (ust-dl/tp-dl.h) providers: its build id, its debug link,
 * and its unloading. Expanded where each provider declares its events.
 */
#ifndef RINGTRACE_TP_OBJECT_FIELDS_H
#define RINGTRACE_TP_OBJECT_FIELDS_H

#define RT_TP_OBJECT_BUILD_ID_ARGS                                                                 \
	RINGTRACE_TP_ARGS(const void *, ip, uintptr_t, baddr, const uint8_t *, build_id,           \
		size_t, build_id_len)
#define RT_TP_OBJECT_BUILD_ID_FIELDS                                                               \
	RINGTRACE_TP_FIELDS(                                                                       \
		ringtrace_field_unused(ip)                                                         \
		ringtrace_field_integer_hex(uintptr_t, baddr, baddr)                               \
		ringtrace_field_sequence_hex(uint8_t, build_id, build_id, size_t, build_id_len)    \
	)

#define RT_TP_OBJECT_DEBUG_LINK_ARGS                                                               \
	RINGTRACE_TP_ARGS(const void *, ip, uintptr_t, baddr, const char *, filename,              \
		uint32_t, crc)
#define RT_TP_OBJECT_DEBUG_LINK_FIELDS                                                             \
	RINGTRACE_TP_FIELDS(                                                                       \
		ringtrace_field_unused(ip)                                                         \
		ringtrace_field_integer_hex(uintptr_t, baddr, baddr)                               \
		ringtrace_field_integer(uint32_t, crc, crc)                                        \
		ringtrace_field_string(filename, filename)                                         \
	)

#define RT_TP_OBJECT_UNLOAD_ARGS RINGTRACE_TP_ARGS(const void *, ip, uintptr_t, baddr)
#define RT_TP_OBJECT_UNLOAD_FIELDS                                                                 \
	RINGTRACE_TP_FIELDS(                                                                       \
		ringtrace_field_unused(ip)                                                         \
		ringtrace_field_integer_hex(uintptr_t, baddr, baddr)                               \
	)

#endif /* RINGTRACE_TP_OBJECT_FIELDS_H */
/* clang-format on */

/* SPDX-License-Identifier: MIT */
/*
 * lttng-ust 2.13 source compatibility: <lttng/tracepoint.h> mapped onto
 * <ringtrace/tracepoint.h>. Every LTTNG_UST_ name, and unless
 * LTTNG_UST_COMPAT_API_VERSION excludes them the older unprefixed ones
 * (TRACEPOINT_EVENT, tracepoint(), ctf_integer, TRACE_INFO...), means
 * what it means in lttng-ust; the control macros a program defines before
 * including this header (LTTNG_UST_TRACEPOINT_DEFINE, ..._PROBE_DYNAMIC_LINKAGE,
 * ..._HIDDEN_DEFINITION, ..._PROVIDER_HIDDEN_DEFINITION, and their
 * unprefixed forms) are translated to the RINGTRACE_ ones.
 */

#include <lttng/ust-api-compat.h>

#if defined(LTTNG_UST_TRACEPOINT_DEFINE) || (LTTNG_UST_COMPAT_API(0) && defined(TRACEPOINT_DEFINE))
#ifndef RINGTRACE_TRACEPOINT_DEFINE
#define RINGTRACE_TRACEPOINT_DEFINE
#endif
#endif

#if defined(LTTNG_UST_TRACEPOINT_PROBE_DYNAMIC_LINKAGE) ||                                         \
    (LTTNG_UST_COMPAT_API(0) && defined(TRACEPOINT_PROBE_DYNAMIC_LINKAGE))
#ifndef RINGTRACE_TRACEPOINT_PROBE_DYNAMIC_LINKAGE
#define RINGTRACE_TRACEPOINT_PROBE_DYNAMIC_LINKAGE
#endif
#endif

/* Read at every inclusion, as lttng-ust does. */
#undef RINGTRACE_TRACEPOINT_HIDDEN_DEFINITION
#ifdef LTTNG_UST_TRACEPOINT_HIDDEN_DEFINITION
#define RINGTRACE_TRACEPOINT_HIDDEN_DEFINITION
#endif
#undef RINGTRACE_TRACEPOINT_PROVIDER_HIDDEN_DEFINITION
#ifdef LTTNG_UST_TRACEPOINT_PROVIDER_HIDDEN_DEFINITION
#define RINGTRACE_TRACEPOINT_PROVIDER_HIDDEN_DEFINITION
#endif

#include <ringtrace/tracepoint.h>

#ifndef RINGTRACE_COMPAT_LTTNG_TRACEPOINT_H
#define RINGTRACE_COMPAT_LTTNG_TRACEPOINT_H

/* What lttng-ust's header brings along, which programs may rely on. */
#include <stdbool.h>
#include <string.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

enum {
	LTTNG_UST_TRACEPOINT_LOGLEVEL_EMERG = RINGTRACE_LOGLEVEL_EMERG,
	LTTNG_UST_TRACEPOINT_LOGLEVEL_ALERT = RINGTRACE_LOGLEVEL_ALERT,
	LTTNG_UST_TRACEPOINT_LOGLEVEL_CRIT = RINGTRACE_LOGLEVEL_CRIT,
	LTTNG_UST_TRACEPOINT_LOGLEVEL_ERR = RINGTRACE_LOGLEVEL_ERR,
	LTTNG_UST_TRACEPOINT_LOGLEVEL_WARNING = RINGTRACE_LOGLEVEL_WARNING,
	LTTNG_UST_TRACEPOINT_LOGLEVEL_NOTICE = RINGTRACE_LOGLEVEL_NOTICE,
	LTTNG_UST_TRACEPOINT_LOGLEVEL_INFO = RINGTRACE_LOGLEVEL_INFO,
	LTTNG_UST_TRACEPOINT_LOGLEVEL_DEBUG_SYSTEM = RINGTRACE_LOGLEVEL_DEBUG_SYSTEM,
	LTTNG_UST_TRACEPOINT_LOGLEVEL_DEBUG_PROGRAM = RINGTRACE_LOGLEVEL_DEBUG_PROGRAM,
	LTTNG_UST_TRACEPOINT_LOGLEVEL_DEBUG_PROCESS = RINGTRACE_LOGLEVEL_DEBUG_PROCESS,
	LTTNG_UST_TRACEPOINT_LOGLEVEL_DEBUG_MODULE = RINGTRACE_LOGLEVEL_DEBUG_MODULE,
	LTTNG_UST_TRACEPOINT_LOGLEVEL_DEBUG_UNIT = RINGTRACE_LOGLEVEL_DEBUG_UNIT,
	LTTNG_UST_TRACEPOINT_LOGLEVEL_DEBUG_FUNCTION = RINGTRACE_LOGLEVEL_DEBUG_FUNCTION,
	LTTNG_UST_TRACEPOINT_LOGLEVEL_DEBUG_LINE = RINGTRACE_LOGLEVEL_DEBUG_LINE,
	LTTNG_UST_TRACEPOINT_LOGLEVEL_DEBUG = RINGTRACE_LOGLEVEL_DEBUG,
};

#ifdef __cplusplus
}
#endif

#define LTTNG_UST_TRACEPOINT_NAME_LEN_MAX RINGTRACE_TRACEPOINT_NAME_LEN_MAX

/*
 * lttng-ust lets a program keep its tracepoint library loaded through the
 * destructors; libringtrace-ust is never unloaded by the call sites.
 */
static inline void tracepoint_disable_destructors(void)
{
}

#define lttng_ust_tracepoint         ringtrace_tracepoint
#define lttng_ust_tracepoint_enabled ringtrace_tracepoint_enabled
#define lttng_ust_do_tracepoint      ringtrace_do_tracepoint

#define LTTNG_UST_TP_ARGS                   RINGTRACE_TP_ARGS
#define LTTNG_UST_TP_FIELDS                 RINGTRACE_TP_FIELDS
#define LTTNG_UST_TP_ENUM_VALUES            RINGTRACE_TP_ENUM_VALUES
#define LTTNG_UST_TRACEPOINT_EVENT          RINGTRACE_TRACEPOINT_EVENT
#define LTTNG_UST_TRACEPOINT_EVENT_CLASS    RINGTRACE_TRACEPOINT_EVENT_CLASS
#define LTTNG_UST_TRACEPOINT_EVENT_INSTANCE RINGTRACE_TRACEPOINT_EVENT_INSTANCE
#define LTTNG_UST_TRACEPOINT_ENUM           RINGTRACE_TRACEPOINT_ENUM
#define LTTNG_UST_TRACEPOINT_LOGLEVEL       RINGTRACE_TRACEPOINT_LOGLEVEL
#define LTTNG_UST_TRACEPOINT_MODEL_EMF_URI  RINGTRACE_TRACEPOINT_MODEL_EMF_URI

#define lttng_ust_field_integer                      ringtrace_field_integer
#define lttng_ust_field_integer_hex                  ringtrace_field_integer_hex
#define lttng_ust_field_integer_network              ringtrace_field_integer_network
#define lttng_ust_field_integer_network_hex          ringtrace_field_integer_network_hex
#define lttng_ust_field_integer_nowrite              ringtrace_field_integer_nowrite
#define lttng_ust_field_float                        ringtrace_field_float
#define lttng_ust_field_float_nowrite                ringtrace_field_float_nowrite
#define lttng_ust_field_string                       ringtrace_field_string
#define lttng_ust_field_string_nowrite               ringtrace_field_string_nowrite
#define lttng_ust_field_array                        ringtrace_field_array
#define lttng_ust_field_array_hex                    ringtrace_field_array_hex
#define lttng_ust_field_array_network                ringtrace_field_array_network
#define lttng_ust_field_array_network_hex            ringtrace_field_array_network_hex
#define lttng_ust_field_array_text                   ringtrace_field_array_text
#define lttng_ust_field_array_nowrite                ringtrace_field_array_nowrite
#define lttng_ust_field_array_nowrite_hex            ringtrace_field_array_nowrite_hex
#define lttng_ust_field_array_network_nowrite        ringtrace_field_array_network_nowrite
#define lttng_ust_field_array_network_nowrite_hex    ringtrace_field_array_network_nowrite_hex
#define lttng_ust_field_array_text_nowrite           ringtrace_field_array_text_nowrite
#define lttng_ust_field_sequence                     ringtrace_field_sequence
#define lttng_ust_field_sequence_hex                 ringtrace_field_sequence_hex
#define lttng_ust_field_sequence_network             ringtrace_field_sequence_network
#define lttng_ust_field_sequence_network_hex         ringtrace_field_sequence_network_hex
#define lttng_ust_field_sequence_text                ringtrace_field_sequence_text
#define lttng_ust_field_sequence_nowrite             ringtrace_field_sequence_nowrite
#define lttng_ust_field_sequence_nowrite_hex         ringtrace_field_sequence_nowrite_hex
#define lttng_ust_field_sequence_network_nowrite     ringtrace_field_sequence_network_nowrite
#define lttng_ust_field_sequence_network_nowrite_hex ringtrace_field_sequence_network_nowrite_hex
#define lttng_ust_field_sequence_text_nowrite        ringtrace_field_sequence_text_nowrite
#define lttng_ust_field_enum                         ringtrace_field_enum
#define lttng_ust_field_enum_nowrite                 ringtrace_field_enum_nowrite
#define lttng_ust_field_unused                       ringtrace_field_unused
#define lttng_ust_field_unused_nowrite               ringtrace_field_unused_nowrite
#define lttng_ust_field_enum_value                   ringtrace_field_enum_value
#define lttng_ust_field_enum_range                   ringtrace_field_enum_range
#define lttng_ust_field_enum_auto                    ringtrace_field_enum_auto

#if LTTNG_UST_COMPAT_API(0)

#define tracepoint         lttng_ust_tracepoint
#define tracepoint_enabled lttng_ust_tracepoint_enabled
#define do_tracepoint      lttng_ust_do_tracepoint

#define TP_ARGS                LTTNG_UST_TP_ARGS
#define TP_FIELDS              LTTNG_UST_TP_FIELDS
#define TP_ENUM_VALUES         LTTNG_UST_TP_ENUM_VALUES
#define TRACEPOINT_EVENT       LTTNG_UST_TRACEPOINT_EVENT
#define TRACEPOINT_EVENT_CLASS LTTNG_UST_TRACEPOINT_EVENT_CLASS
/* The unprefixed instance names its class by the instance's own provider. */
#define TRACEPOINT_EVENT_INSTANCE(provider, class_name, name, args)                                \
	LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(provider, class_name, provider, name, _RT_PARAMS(args))
#define TRACEPOINT_ENUM          LTTNG_UST_TRACEPOINT_ENUM
#define TRACEPOINT_LOGLEVEL      LTTNG_UST_TRACEPOINT_LOGLEVEL
#define TRACEPOINT_MODEL_EMF_URI LTTNG_UST_TRACEPOINT_MODEL_EMF_URI

#define TRACE_EMERG          LTTNG_UST_TRACEPOINT_LOGLEVEL_EMERG
#define TRACE_ALERT          LTTNG_UST_TRACEPOINT_LOGLEVEL_ALERT
#define TRACE_CRIT           LTTNG_UST_TRACEPOINT_LOGLEVEL_CRIT
#define TRACE_ERR            LTTNG_UST_TRACEPOINT_LOGLEVEL_ERR
#define TRACE_WARNING        LTTNG_UST_TRACEPOINT_LOGLEVEL_WARNING
#define TRACE_NOTICE         LTTNG_UST_TRACEPOINT_LOGLEVEL_NOTICE
#define TRACE_INFO           LTTNG_UST_TRACEPOINT_LOGLEVEL_INFO
#define TRACE_DEBUG_SYSTEM   LTTNG_UST_TRACEPOINT_LOGLEVEL_DEBUG_SYSTEM
#define TRACE_DEBUG_PROGRAM  LTTNG_UST_TRACEPOINT_LOGLEVEL_DEBUG_PROGRAM
#define TRACE_DEBUG_PROCESS  LTTNG_UST_TRACEPOINT_LOGLEVEL_DEBUG_PROCESS
#define TRACE_DEBUG_MODULE   LTTNG_UST_TRACEPOINT_LOGLEVEL_DEBUG_MODULE
#define TRACE_DEBUG_UNIT     LTTNG_UST_TRACEPOINT_LOGLEVEL_DEBUG_UNIT
#define TRACE_DEBUG_FUNCTION LTTNG_UST_TRACEPOINT_LOGLEVEL_DEBUG_FUNCTION
#define TRACE_DEBUG_LINE     LTTNG_UST_TRACEPOINT_LOGLEVEL_DEBUG_LINE
#define TRACE_DEBUG          LTTNG_UST_TRACEPOINT_LOGLEVEL_DEBUG

#define ctf_integer                      lttng_ust_field_integer
#define ctf_integer_hex                  lttng_ust_field_integer_hex
#define ctf_integer_network              lttng_ust_field_integer_network
#define ctf_integer_network_hex          lttng_ust_field_integer_network_hex
#define ctf_integer_nowrite              lttng_ust_field_integer_nowrite
#define ctf_float                        lttng_ust_field_float
#define ctf_float_nowrite                lttng_ust_field_float_nowrite
#define ctf_string                       lttng_ust_field_string
#define ctf_string_nowrite               lttng_ust_field_string_nowrite
#define ctf_array                        lttng_ust_field_array
#define ctf_array_hex                    lttng_ust_field_array_hex
#define ctf_array_network                lttng_ust_field_array_network
#define ctf_array_network_hex            lttng_ust_field_array_network_hex
#define ctf_array_text                   lttng_ust_field_array_text
#define ctf_array_nowrite                lttng_ust_field_array_nowrite
#define ctf_array_nowrite_hex            lttng_ust_field_array_nowrite_hex
#define ctf_array_network_nowrite        lttng_ust_field_array_network_nowrite
#define ctf_array_network_nowrite_hex    lttng_ust_field_array_network_nowrite_hex
#define ctf_array_text_nowrite           lttng_ust_field_array_text_nowrite
#define ctf_sequence                     lttng_ust_field_sequence
#define ctf_sequence_hex                 lttng_ust_field_sequence_hex
#define ctf_sequence_network             lttng_ust_field_sequence_network
#define ctf_sequence_network_hex         lttng_ust_field_sequence_network_hex
#define ctf_sequence_text                lttng_ust_field_sequence_text
#define ctf_sequence_nowrite             lttng_ust_field_sequence_nowrite
#define ctf_sequence_nowrite_hex         lttng_ust_field_sequence_nowrite_hex
#define ctf_sequence_network_nowrite     lttng_ust_field_sequence_network_nowrite
#define ctf_sequence_network_nowrite_hex lttng_ust_field_sequence_network_nowrite_hex
#define ctf_sequence_text_nowrite        lttng_ust_field_sequence_text_nowrite
#define ctf_enum                         lttng_ust_field_enum
#define ctf_enum_nowrite                 lttng_ust_field_enum_nowrite
#define ctf_unused                       lttng_ust_field_unused
#define ctf_unused_nowrite               lttng_ust_field_unused_nowrite
#define ctf_enum_value                   lttng_ust_field_enum_value
#define ctf_enum_range                   lttng_ust_field_enum_range
#define ctf_enum_auto                    lttng_ust_field_enum_auto

#endif /* LTTNG_UST_COMPAT_API(0) */

#endif /* RINGTRACE_COMPAT_LTTNG_TRACEPOINT_H */

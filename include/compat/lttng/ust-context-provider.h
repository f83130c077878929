/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * lttng-ust 2.13's context provider API (lttng_ust_context_provider_register()
 * and its callbacks), mapped onto <ringtrace/context-provider.h>: a program
 * written for it builds unmodified. lttng-ust 2.13 keeps this header in its
 * sources (src/common/ust-context-provider.h, with dynamic-type.h); the
 * names and the meaning of each field are the same here.
 */

#include <lttng/ust-ringbuffer-context.h>
#include <ringtrace/context-provider.h>

#define lttng_ust_dynamic_type        ringtrace_ctx_value_type
#define LTTNG_UST_DYNAMIC_TYPE_NONE   RINGTRACE_CTX_VALUE_NONE
#define LTTNG_UST_DYNAMIC_TYPE_S8     RINGTRACE_CTX_VALUE_S8
#define LTTNG_UST_DYNAMIC_TYPE_S16    RINGTRACE_CTX_VALUE_S16
#define LTTNG_UST_DYNAMIC_TYPE_S32    RINGTRACE_CTX_VALUE_S32
#define LTTNG_UST_DYNAMIC_TYPE_S64    RINGTRACE_CTX_VALUE_S64
#define LTTNG_UST_DYNAMIC_TYPE_U8     RINGTRACE_CTX_VALUE_U8
#define LTTNG_UST_DYNAMIC_TYPE_U16    RINGTRACE_CTX_VALUE_U16
#define LTTNG_UST_DYNAMIC_TYPE_U32    RINGTRACE_CTX_VALUE_U32
#define LTTNG_UST_DYNAMIC_TYPE_U64    RINGTRACE_CTX_VALUE_U64
#define LTTNG_UST_DYNAMIC_TYPE_FLOAT  RINGTRACE_CTX_VALUE_FLOAT
#define LTTNG_UST_DYNAMIC_TYPE_DOUBLE RINGTRACE_CTX_VALUE_DOUBLE
#define LTTNG_UST_DYNAMIC_TYPE_STRING RINGTRACE_CTX_VALUE_STRING
#define _NR_LTTNG_UST_DYNAMIC_TYPES   _RINGTRACE_CTX_VALUE_MAX

#define lttng_ust_ctx_value                   ringtrace_ctx_value
#define lttng_ust_probe_ctx                   ringtrace_probe_ctx
#define lttng_ust_channel_buffer              ringtrace_channel_buffer
#define lttng_ust_channel_buffer_ops          ringtrace_channel_buffer_ops
#define lttng_ust_app_context                 ringtrace_app_context
#define lttng_ust_context_provider            ringtrace_context_provider
#define lttng_ust_registered_context_provider ringtrace_registered_context_provider

#define lttng_ust_context_provider_register   ringtrace_context_provider_register
#define lttng_ust_context_provider_unregister ringtrace_context_provider_unregister
